import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../db/client';
import type { FundProfile } from '../domain/fundProfile';
import { sharedFakeBank } from '../integrations/adapters/bank/fakeBank';
import type { PopulationRegisterChanges } from '../integrations/adapters/dvv';
import type { MessagingAdapter } from '../integrations/adapters/messaging';
import { todayInHelsinki } from '../domain/dates';
import type { ServiceContext } from '../services/context';
import { SupplementLinks } from '../services/supplementLinks';
import { taskQueueNames } from '../workflows/definitions/taskQueues';

export interface WiringOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** Prepended to every task queue name (tests give each file its own queues). */
  taskQueuePrefix?: string;
  profile: FundProfile;
  publicBaseUrl: string;
  supplementLinkSecret: string;
  messaging: MessagingAdapter;
  today?: () => string;
  dbPoolSize?: number;
  temporalUiUrl?: string | null;
  populationRegister?: PopulationRegisterChanges | null;
}

/** Connects the database and Temporal once and builds what services and activities share. */
export async function wireServices(opts: WiringOptions) {
  const database = connectDatabase(opts.databaseUrl, opts.dbPoolSize ?? 20);
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const temporal = new Client({ connection, namespace: opts.namespace });
  const supplementLinks = new SupplementLinks(opts.supplementLinkSecret, opts.publicBaseUrl);
  const today = opts.today ?? (() => todayInHelsinki());
  const taskQueues = taskQueueNames(opts.taskQueuePrefix);
  const ctx: ServiceContext = {
    db: database.db,
    temporal,
    taskQueues,
    taskQueue: taskQueues.register,
    profile: opts.profile,
    supplementLinks,
    today,
    temporalUi: opts.temporalUiUrl ? { url: opts.temporalUiUrl, namespace: opts.namespace } : null,
  };
  // The bank is the in-process fake (no bank connection exists yet), passed explicitly.
  const activityDeps = { db: database.db, profile: opts.profile, messaging: opts.messaging, bank: sharedFakeBank, supplementLinks, today, temporal, taskQueues, populationRegister: opts.populationRegister ?? null };
  return {
    ctx,
    activityDeps,
    async close() {
      await connection.close();
      await database.close();
    },
  };
}
