import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { inject } from 'vitest';
import { getFundProfile, type FundId, type FundProfile } from '../../domain/fundProfile';
import type { PopulationRegisterChanges } from '../../integrations/adapters/dvv';
import { FakeBank } from '../../integrations/adapters/bank/fakeBank';
import { FakeCaseManagement } from '../../integrations/adapters/caseManagement/fakeCaseManagement';
import { FakeMessaging } from '../../integrations/adapters/messaging/fakeMessaging';
import { FakeTax } from '../../integrations/adapters/tax/fakeTax';
import { FakeUnionExchange } from '../../integrations/adapters/unionExchange/fakeUnionExchange';
import { FakeFinance } from '../../integrations/adapters/finance/fakeFinance';
import { FakeBiSink } from '../../integrations/adapters/bi/fakeBi';
import { chooseAdapters } from '../../temporal/adapters';
import { createHttpWebhookSender } from '../../integrations/adapters/webhook';
import type { OutboxSettings } from '../../domain/events';
import { API_AUDIENCE, devClients } from '../../integrations/dev-idp';
import { createApp } from '../../integrations/http/app';
import { jwtBearerVerifier } from '../../integrations/http/auth';
import type { SessionSettings } from '../../services/sessions';
import type { Tracing } from '../../temporal/tracing';
import { bundleWorkflows, createWorker } from '../../temporal/worker';
import { wireServices } from '../../temporal/services';
import { clientCredentialsToken, loginThroughIdp } from './oidcLogin';
import { testPayloadKeys } from './payloadKeys';

export { testPayloadKeys } from './payloadKeys';

export interface StackOptions {
  fund?: FundId;
  /** Shorten the fund's durations so a whole intake loop runs in seconds. */
  intake?: Partial<FundProfile['intake']>;
  membership?: Partial<FundProfile['membership']>;
  /** The fund's billing-run approval setting (four eyes) other than the shipped one. */
  billingApproval?: FundProfile['billingApproval'];
  /** Hearing and expulsion settings other than the shipped ones (a hearing deadline of seconds). */
  expulsion?: Partial<FundProfile['expulsion']>;
  /** Overdue collection's rules other than the fund's (levels, waits, fees). */
  collection?: Partial<FundProfile['collection']>;
  /** The fund's tax-report settings other than the defaults (e.g. a short acknowledgement poll). */
  taxReport?: FundProfile['taxReport'];
  today?: () => string;
  populationRegister?: PopulationRegisterChanges;
  /** Desk session timeouts other than the defaults. */
  sessions?: Partial<SessionSettings>;
  /** An IdP of the test's own (one whose users it changes) instead of the run's. */
  issuer?: string;
  /** The outbox's subscribers and retry settings (none by default). */
  outbox?: OutboxSettings;
  /** OpenTelemetry tracing (temporal/tracing.ts) for the client, the worker (its own bundle, with the workflow interceptors) and the HTTP app. */
  tracing?: Tracing;
}

/**
 * The system wired as in production against the run's PostgreSQL, Temporal and IdP, with its own
 * task queue so test files do not pick up each other's workflows.
 */
export async function startStack(opts: StackOptions = {}) {
  quietTemporalLogs();
  const base = getFundProfile(opts.fund ?? 'a-kassa');
  const profile: FundProfile = {
    ...base,
    intake: { ...base.intake, ...opts.intake },
    membership: { ...base.membership, ...opts.membership },
    billingApproval: opts.billingApproval ?? base.billingApproval,
    expulsion: { ...base.expulsion, ...opts.expulsion },
    collection: { ...base.collection, ...opts.collection },
    ...(opts.taxReport ? { taxReport: opts.taxReport } : {}),
  };
  const webOrigin = inject('webOrigin');
  const issuer = opts.issuer ?? inject('idpIssuer');
  const messaging = new FakeMessaging();
  const bank = new FakeBank();
  const caseManagement = new FakeCaseManagement();
  const tax = new FakeTax({ pendingPolls: 1 });
  const unionExchange = new FakeUnionExchange();
  const finance = new FakeFinance();
  const biSink = new FakeBiSink();
  // Two BI clients with keys of their own: their pseudonyms of the same member must differ.
  const biClients = [
    { id: 'bi-a', key: Buffer.alloc(32, 'bi-a-test-key') },
    { id: 'bi-b', key: Buffer.alloc(32, 'bi-b-test-key') },
  ];
  const wired = await wireServices({
    databaseUrl: inject('databaseUrl'),
    temporalAddress: inject('temporalAddress'),
    namespace: inject('temporalNamespace'),
    taskQueuePrefix: `test-${randomUUID()}-`,
    profile,
    publicBaseUrl: webOrigin,
    supplementLinkSecret: 'test-supplement-secret',
    // The fakes, chosen explicitly; a test that drives the population register passes its own.
    adapters: { bank, messaging, caseManagement, tax, unionExchange, finance, bi: { sink: biSink, clients: biClients, formats: ['csv', 'parquet'] }, webhooks: createHttpWebhookSender(), populationRegister: opts.populationRegister ?? chooseAdapters({}, 'development').adapters.populationRegister },
    ...(opts.outbox ? { outbox: opts.outbox } : {}),
    ...(opts.today ? { today: opts.today } : {}),
    // Every test runs with Temporal payloads encrypted, as production does.
    payloadKeys: testPayloadKeys,
    ...(opts.tracing ? { tracing: opts.tracing } : {}),
  });
  const appFor = (ctx: typeof wired.ctx) => createApp({
    ctx,
    publicBaseUrl: webOrigin,
    publicFormsPerMinute: 10_000,
    // Every answer of every test is held to the API contract: schema, documented fields, statuses.
    checkResponses: true,
    ...(opts.tracing ? { tracer: opts.tracing.tracer } : {}),
    auth: {
      oidc: {
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'jasenrekisteri-desk',
        OIDC_CLIENT_SECRET: 'dev-desk-secret-change-me',
        OIDC_AUTH_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
        OIDC_REDIRECT_URI: `${webOrigin}/auth/callback`,
      },
      ...(opts.sessions ? { sessions: opts.sessions } : {}),
      verifyBearer: jwtBearerVerifier({ issuer, audience: API_AUDIENCE }),
    },
  });
  const app = appFor(wired.ctx);
  const { worker, connection } = await createWorker({
    address: inject('temporalAddress'),
    namespace: inject('temporalNamespace'),
    taskQueues: wired.ctx.taskQueues,
    deps: wired.activityDeps,
    workflowBundle: opts.tracing ? { code: (await bundleWorkflows({ tracing: true, sealFailures: true })).code } : { codePath: inject('workflowBundlePath') },
    payloadKeys: testPayloadKeys,
    ...(opts.tracing ? { tracing: opts.tracing } : {}),
  });
  const running = worker.run();

  const sessions = new Map<string, string>();
  return {
    app,
    /** The same API over another context (a Temporal client that cannot connect, say). */
    appFor,
    ctx: wired.ctx,
    /** What the worker's activities were built with, for calling an activity directly. */
    activityDeps: wired.activityDeps,
    db: wired.ctx.db,
    messaging,
    bank,
    caseManagement,
    tax,
    unionExchange,
    finance,
    biSink,
    biClients,
    profile,
    worker,
    /** A desk session cookie, obtained through the real login at the dev IdP; `fresh` for a session of its own. */
    async login(username: string, opts: { fresh?: boolean } = {}): Promise<string> {
      const known = sessions.get(username);
      if (known && !opts.fresh) return known;
      const { cookie } = await loginThroughIdp({
        startUrl: `${webOrigin}/auth/login`,
        username,
        password: username,
        appOrigin: webOrigin,
        appFetch: (req) => app.request(req),
      });
      if (!opts.fresh) sessions.set(username, cookie);
      return cookie;
    },
    /** A client-credentials bearer token for an integration client of the dev IdP. */
    async token(clientId: string): Promise<string> {
      const client = devClients.find((c) => c.clientId === clientId);
      if (!client) throw new Error(`unknown dev client ${clientId}`);
      return clientCredentialsToken(issuer, client.clientId, client.clientSecret);
    },
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await wired.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

let runtimeInstalled = false;
function quietTemporalLogs() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}
