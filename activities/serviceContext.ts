import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import type { FundProfile } from '../domain/fundProfile';
import type { ServiceContext } from '../services/context';
import type { SupplementLinks } from '../services/supplementLinks';
import type { TaskQueueNames } from '../workflows/definitions/taskQueues';

/** What an activity needs to call a service (one that stores a row and starts its process). */
export interface ServiceCallDeps {
  db: Database;
  profile: FundProfile;
  supplementLinks: SupplementLinks;
  today: () => string;
  temporal?: Client;
  taskQueues: TaskQueueNames;
}

/**
 * The services' context inside an activity: the worker's database and Temporal client, and the
 * deployment's task queues, so processes a service starts land on this worker's queues.
 */
export function activityServiceContext(deps: ServiceCallDeps, purpose: string): ServiceContext {
  if (!deps.temporal) throw ApplicationFailure.nonRetryable(`no Temporal client wired for ${purpose}`);
  return {
    db: deps.db,
    temporal: deps.temporal,
    taskQueues: deps.taskQueues,
    taskQueue: deps.taskQueues.register,
    profile: deps.profile,
    supplementLinks: deps.supplementLinks,
    today: deps.today,
    temporalUi: null,
  };
}
