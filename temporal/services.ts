import { Client, Connection } from '@temporalio/client';
import type { ReconcileStarters } from '../activities/reconcile';
import { bookAtUpload } from '../activities/paymentFile';
import { connectDatabase } from '../db/client';
import { defaultOutboxSettings, type OutboxSettings } from '../domain/events';
import type { FundProfile } from '../domain/fundProfile';
import { helsinkiDayClock } from '../domain/dates';
import { ensureIntakeDeciderStarted, ensureIntakeStarted } from '../services/applications';
import { BackgroundStarts } from '../services/backgroundStarts';
import { ensureBillingRunStarted } from '../services/billing';
import { bookkeepingAccounts } from '../services/bookkeeping';
import type { ServiceContext } from '../services/context';
import { ensurePaymentFileStarted, receiveFetchedPaymentFile } from '../services/payments';
import { ensureAppealStarted } from '../services/hearings';
import { ensureResignationStarted } from '../services/membershipEvents';
import { ensureTaxRunStarted } from '../services/taxReport';
import { ensureUnionMismatchStarted } from '../services/unions';
import { deriveResignationLinkSecret, ResignationLinks } from '../services/resignationLinks';
import { SupplementLinks } from '../services/supplementLinks';
import { createFundConfigSource } from '../services/fundConfig';
import type { FetchedPaymentFile } from '../workflows/definitions/paymentFile';
import { taskQueueNames } from '../workflows/definitions/taskQueues';
import type { Adapters } from './adapters';
import { temporalConnectOptions, type TemporalConnectionSettings } from './config';
import { clientDataConverter, type PayloadKey } from './payloadCodec';
import { clientTracingInterceptors, type Tracing } from './tracing';

export interface WiringOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** Prepended to every task queue name (tests give each file its own queues). */
  taskQueuePrefix?: string;
  profile: FundProfile;
  publicBaseUrl: string;
  supplementLinkSecret: string;
  /** Signs public resignation confirmation links; derived from the supplement secret when absent. */
  resignationLinkSecret?: string;
  /** Minimum answer time of the public resignation form (default 600 ms). */
  publicAnswerFloorMs?: number;
  /** The outbound systems, as temporal/adapters.ts chose them (or a test's fakes). */
  adapters: Adapters;
  today?: () => string;
  dbPoolSize?: number;
  /** Members per billing-run chunk (BILLING_CHUNK_SIZE); the workflow's default when absent. */
  billingChunkSize?: number | null;
  temporalUiUrl?: string | null;
  /** How often the stored fund configuration is read again (another process's change); default 60 s. */
  configRefreshMs?: number;
  /** TLS and API key for a Temporal cluster or Temporal Cloud; none for the dev server. */
  temporalConnection?: TemporalConnectionSettings;
  /** The outbox's subscribers and retry settings (temporal/config.ts OUTBOX_*); none by default. */
  outbox?: OutboxSettings;
  /** Encrypts what the client sends to Temporal and decrypts what it reads (temporal/payloadCodec.ts). */
  payloadKeys?: readonly PayloadKey[];
  /** OpenTelemetry (temporal/tracing.ts): workflow starts, signals, updates and queries carry the caller's trace. */
  tracing?: Tracing | null;
}

/** Connects the database and Temporal once and builds what services and activities share. */
export async function wireServices(opts: WiringOptions) {
  const database = connectDatabase(opts.databaseUrl, opts.dbPoolSize ?? 20);
  const connection = await Connection.connect({ address: opts.temporalAddress, ...temporalConnectOptions(opts.temporalConnection) });
  const dataConverter = clientDataConverter(opts.payloadKeys);
  const tracingInterceptors = clientTracingInterceptors(opts.tracing);
  const temporal = new Client({
    connection,
    namespace: opts.namespace,
    ...(dataConverter ? { dataConverter } : {}),
    ...(tracingInterceptors.length ? { interceptors: { workflow: tracingInterceptors } } : {}),
  });
  const supplementLinks = new SupplementLinks(opts.supplementLinkSecret, opts.publicBaseUrl);
  const resignationLinks = new ResignationLinks(opts.resignationLinkSecret ?? deriveResignationLinkSecret(opts.supplementLinkSecret), opts.publicBaseUrl);
  const today = opts.today ?? helsinkiDayClock();
  const taskQueues = taskQueueNames(opts.taskQueuePrefix);
  // The shipped profile with the administrators' overrides of today (services/fundConfig.ts).
  const config = await createFundConfigSource(opts.profile, database.db, today);
  config.startRefreshing(opts.configRefreshMs ?? 60_000);
  const ctx: ServiceContext = {
    db: database.db,
    temporal,
    taskQueues,
    get profile() {
      return config.current();
    },
    config,
    supplementLinks,
    resignationLinks,
    publicAnswerFloorMs: opts.publicAnswerFloorMs ?? 600,
    today,
    temporalUi: opts.temporalUiUrl ? { url: opts.temporalUiUrl, namespace: opts.namespace } : null,
    caseDocuments: opts.adapters.caseManagement,
    outbox: opts.outbox ?? defaultOutboxSettings,
    backgroundStarts: new BackgroundStarts(),
    bookAtUpload: (fileId, entries) => bookAtUpload(database.db, fileId, entries),
    ...(opts.billingChunkSize ? { billingChunkSize: opts.billingChunkSize } : {}),
  };
  // Reconcile starts stranded processes the way the API does: through the services' start functions.
  const starters: ReconcileStarters = {
    ensureIntakeStarted: (applicationId) => ensureIntakeStarted(ctx, applicationId),
    ensureIntakeDeciderStarted: (workflowId) => ensureIntakeDeciderStarted(ctx, workflowId),
    ensurePaymentFileStarted: (fileId, sha256) => ensurePaymentFileStarted(ctx, fileId, sha256),
    ensureBillingRunStarted: (row) => ensureBillingRunStarted(ctx, row),
    ensureResignationStarted: (row) => ensureResignationStarted(ctx, row),
    ensureAppealStarted: (row) => ensureAppealStarted(ctx, row.id, row.workflowId),
    ensureTaxRunStarted: (row) => ensureTaxRunStarted(ctx, row),
    ensureUnionMismatchStarted: (row) => ensureUnionMismatchStarted(ctx, row.id, row.workflowId),
  };
  const activityDeps = {
    db: database.db,
    // Read on every use: an activity sees the configuration in force when it runs.
    get profile() {
      return config.current();
    },
    messaging: opts.adapters.messaging,
    bank: opts.adapters.bank,
    populationRegister: opts.adapters.populationRegister,
    caseManagement: opts.adapters.caseManagement,
    tax: opts.adapters.tax,
    webhooks: opts.adapters.webhooks,
    outbox: ctx.outbox,
    unionExchange: opts.adapters.unionExchange,
    finance: opts.adapters.finance,
    bi: opts.adapters.bi,
    bookkeepingAccounts: bookkeepingAccounts(),
    supplementLinks,
    resignationLinks,
    today,
    temporal,
    taskQueues,
    starters,
    // The bank-file fetch imports what it fetched through the same service as the API.
    receivePaymentFile: (file: FetchedPaymentFile) => receiveFetchedPaymentFile(ctx, file),
  };
  return {
    ctx,
    activityDeps,
    async close() {
      config.stop();
      // Before the connection closes: a start still being tried must not run on a closed connection.
      await ctx.backgroundStarts.close();
      await connection.close();
      await database.close();
    },
  };
}
