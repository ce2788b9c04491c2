import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import type { FundProfile } from '../domain/fundProfile';
import type { ServiceContext } from '../services/context';
import type { SupplementLinks } from '../services/supplementLinks';

/** What an activity needs to call a service (one that stores a row and starts its process). */
export interface ServiceCallDeps {
  db: Database;
  profile: FundProfile;
  supplementLinks: SupplementLinks;
  today: () => string;
  temporal?: Client;
}

/**
 * The services' context inside an activity: the worker's database and Temporal client, and the
 * task queue this activity runs on, so processes a service starts land on this worker's queue.
 */
export function activityServiceContext(deps: ServiceCallDeps, purpose: string): ServiceContext {
  if (!deps.temporal) throw ApplicationFailure.nonRetryable(`no Temporal client wired for ${purpose}`);
  return {
    db: deps.db,
    temporal: deps.temporal,
    taskQueue: Context.current().info.taskQueue,
    profile: deps.profile,
    supplementLinks: deps.supplementLinks,
    today: deps.today,
    temporalUi: null,
  };
}
