// `npm start`: the whole system on embedded defaults (see README for the variables that override them).
// `npm run web` / `npm run worker` (this file with the argument web or worker): one web/API server
// or one worker process against a shared PostgreSQL and Temporal; run as many copies as needed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../db/embeddedPostgres';
import { migrateDatabase } from '../db/migrate';
import { getFundProfile } from '../domain/fundProfile';
import { API_AUDIENCE } from '../integrations/dev-idp';
import { createApp } from '../integrations/http/app';
import { jwtBearerVerifier } from '../integrations/http/auth';
import { registerApiApp } from '../integrations/http/registry';
import { webListener } from '../integrations/http/webListener';
import { ensureOutboxDeliveryStarted } from '../services/outbox';
import { ensureIntakeDeciderStarted } from '../services/applications';
import { MAX_PAYMENT_FILE_BYTES } from '../services/payments';
import { AdapterConfigError, adapterProbes, chooseAdapters, describeAdapters } from './adapters';
import { runningBanner } from './banner';
import { ConfigError, loadConfig, type ProcessRole } from './config';
import { healthEndpoints } from './health';
import { HttpMetrics } from './metrics';
import { seedDemoData } from './demo/seedDemoData';
import { startEmbeddedIdp, startEmbeddedTemporal } from './embedded';
import { wireServices } from './services';
import { applyScheduleTimes, ensureSchedules } from './schedules';
import { EXIT_CONFIG } from './supervision';
import { ensureWebBuild } from './webBuild';
import { startTracing } from './tracing';
import { createWorker } from './worker';

const log = (line: string) => console.log(`[start] ${line}`);

/** Stopped in reverse order of starting: web, worker, connections, IdP, Temporal, PostgreSQL. */
const stops: (() => Promise<unknown>)[] = [];

function roleOf(arg: string | undefined): ProcessRole {
  if (arg === undefined || arg === 'all') return 'all';
  if (arg === 'web' || arg === 'worker') return arg;
  throw new Error(`unknown process "${arg}": start with no argument (everything), web or worker`);
}

async function main() {
  const role = roleOf(process.argv[2]);
  const config = loadConfig(process.env, role);
  const runsWeb = role !== 'worker';
  const runsWorker = role !== 'web';
  const profile = getFundProfile(config.fund);
  // Before anything starts: a production start without its adapters stops here, naming the variable.
  const { adapters, choices } = chooseAdapters();
  log(describeAdapters(choices));
  // Temporal SDK metrics (workers, polls, activity and workflow task latencies) in Prometheus format
  // on their own address, when TEMPORAL_METRICS_ADDRESS is set (off by default).
  const temporalMetrics = process.env.TEMPORAL_METRICS_ADDRESS?.trim();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    ...(temporalMetrics ? { telemetryOptions: { metrics: { prometheus: { bindAddress: temporalMetrics } } } } : {}),
  });
  if (temporalMetrics) log(`Temporal SDK metrics on http://${temporalMetrics}/metrics`);
  if (runsWeb) ensureWebBuild(log);
  // OpenTelemetry tracing, off unless an OTLP endpoint is set (decision 027).
  const tracing = config.tracingEndpoint ? startTracing({ endpoint: config.tracingEndpoint, serviceName: `jasenrekisteri${role === 'all' ? '' : `-${role}`}` }) : null;
  if (tracing) {
    stops.push(() => tracing.shutdown());
    log(`tracing to ${config.tracingEndpoint}`);
  }

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log(`starting embedded PostgreSQL (data in ${path.join(config.dataDir, 'pg')})…`);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'pg'), port: config.embeddedPostgresPort, database: 'jasenrekisteri' });
    stops.push(() => pg.stop());
    databaseUrl = pg.url;
  }
  await migrateDatabase(databaseUrl);
  log('database migrated');

  let temporalAddress = config.temporalAddress;
  let temporalUi: string | null = null;
  if (!temporalAddress) {
    log('starting the Temporal dev server…');
    const server = await startEmbeddedTemporal(config, log);
    stops.push(() => server.stop());
    temporalAddress = server.address;
    temporalUi = server.uiUrl;
  }

  let issuer = config.oidcIssuer;
  if (!issuer && runsWeb) {
    log('starting the development identity provider…');
    const idp = await startEmbeddedIdp(config);
    stops.push(() => idp.close());
    issuer = idp.issuer;
  }

  const wired = await wireServices({
    databaseUrl,
    temporalAddress,
    namespace: config.temporalNamespace,
    profile,
    publicBaseUrl: config.publicBaseUrl,
    supplementLinkSecret: config.supplementLinkSecret,
    ...(config.resignationLinkSecret ? { resignationLinkSecret: config.resignationLinkSecret } : {}),
    publicAnswerFloorMs: config.publicAnswerFloorMs,
    adapters,
    temporalUiUrl: temporalUi ?? process.env.TEMPORAL_UI_URL ?? null,
    temporalConnection: config.temporalConnection,
    dbPoolSize: config.dbPoolSize,
    billingChunkSize: config.billingChunkSize,
    outbox: config.outbox,
    payloadKeys: config.payloadKeys,
    tracing,
  });
  stops.push(() => wired.close());

  if (runsWorker) {
    log(`starting the worker (task queues: ${Object.values(wired.ctx.taskQueues).join(', ')})…`);
    const { worker, connection } = await createWorker({
      address: temporalAddress,
      namespace: config.temporalNamespace,
      taskQueues: wired.ctx.taskQueues,
      pollLegacyQueue: true,
      deps: wired.activityDeps,
      temporalConnection: config.temporalConnection,
      shutdownGraceMs: config.shutdownGraceMs,
      payloadKeys: config.payloadKeys,
      // A workflow bundle built beforehand (a container image's build step, a test run): the worker
      // then starts without bundling the workflow code itself. With payload keys it must have been
      // built with `bundleWorkflows({ sealFailures: true })` (and `tracing` when tracing is on).
      ...(process.env.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: path.resolve(process.env.WORKFLOW_BUNDLE) } } : {}),
      tracing,
    });
    const workerRun = worker.run();
    // A worker that stops on its own (lost its connection for good) ends the process, so its supervisor restarts it.
    workerRun.catch((error: unknown) => {
      console.error(`[start] the worker stopped: ${error instanceof Error ? error.message : String(error)}`);
      void shutdown('worker failure', 1);
    });
    stops.push(async () => {
      // Running activities get the grace time to finish; after it they are cancelled and Temporal gives them to another worker.
      worker.shutdown();
      await workerRun.catch(() => undefined);
      await connection.close();
    });

    const scheduleOptions = { taskQueues: wired.ctx.taskQueues, populationSync: { every: process.env.POPULATION_SYNC_EVERY ?? '1 hour' } };
    const schedules = await ensureSchedules(wired.ctx.temporal, { ...scheduleOptions, times: wired.ctx.profile.scheduleTimes });
    if (schedules.length) log(`created schedules: ${schedules.join(', ')}`);
    // The schedules follow the fund's `scheduleTimes` in force (decision 040): at start, and within a
    // minute of a change (a saved setting, or a scheduled one whose day has come).
    let appliedTimes = '';
    const followScheduleTimes = async () => {
      const times = wired.ctx.profile.scheduleTimes;
      const key = JSON.stringify(times ?? null);
      if (key === appliedTimes) return;
      const updated = await applyScheduleTimes(wired.ctx.temporal, { ...scheduleOptions, times });
      appliedTimes = key;
      if (times) log(`schedule times from the fund's settings: ${updated.join(', ')}`);
    };
    await followScheduleTimes();
    const scheduleTimer = setInterval(() => void followScheduleTimes().catch((error: unknown) => log(`schedule times not applied yet: ${error instanceof Error ? error.message : String(error)}`)), 60_000);
    stops.push(async () => clearInterval(scheduleTimer));
    await ensureOutboxDeliveryStarted(wired.ctx);
    // The batched intake path's decider (decision 063); a fund switching to it later gets it at its first submission.
    if (wired.ctx.profile.intake.decisionPath === 'batched') await ensureIntakeDeciderStarted(wired.ctx);
    log(`events out: ${config.outbox.subscribers.length ? config.outbox.subscribers.map((s) => s.id).join(', ') : 'no subscribers'} (OUTBOX_SUBSCRIBERS)`);
  }
  const health = healthEndpoints({ db: wired.ctx.db, temporal: wired.ctx.temporal, ...(runsWorker ? { adapters: adapterProbes(adapters) } : {}) });

  if (!runsWeb) {
    // A worker answers /healthz and /readyz only (on WORKER_HEALTH_PORT, when set).
    const healthPort = process.env.WORKER_HEALTH_PORT;
    if (healthPort) {
      const server = createServer((req, res) => {
        if (!health.handle(req, res)) res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(Number(healthPort), config.host, resolve));
      stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    }
    log(`worker running (namespace ${config.temporalNamespace} at ${temporalAddress}). Press Ctrl-C to stop.`);
    process.send?.({ type: 'ready', role });
    return;
  }
  if (!issuer) throw new Error('no identity provider');

  const app = createApp({
    ctx: wired.ctx,
    publicBaseUrl: config.publicBaseUrl,
    tracer: tracing?.tracer ?? null,
    auth: {
      oidc: {
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: config.oidcClientId,
        OIDC_CLIENT_SECRET: config.oidcClientSecret,
        OIDC_AUTH_SECRET: config.sessionSecret,
        OIDC_REDIRECT_URI: `${config.publicBaseUrl}/auth/callback`,
      },
      sessions: config.sessions,
      verifyBearer: jwtBearerVerifier({ issuer, audience: process.env.API_AUDIENCE ?? API_AUDIENCE }),
    },
  });
  registerApiApp(app);
  // adapter-node derives the request origin from ORIGIN. The desk's origin check compares with it and
  // the API's with PUBLIC_BASE_URL, so the two are one.
  process.env.ORIGIN = config.publicBaseUrl;
  // adapter-node refuses bodies over 512 KiB before the API sees them; bank files may be 128 MiB
  // (the API's own limits, 256 KiB in general and MAX_PAYMENT_FILE_BYTES for payment files, still apply).
  process.env.BODY_SIZE_LIMIT ??= String(MAX_PAYMENT_FILE_BYTES + 1024 * 1024);
  const { handler } = (await import(pathToFileURL(path.resolve('build/handler.js')).href)) as {
    handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  };
  log(`starting the web server on port ${config.port}…`);
  const web = webListener(app, handler);
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (!health.handle(req, res)) web(req, res);
  };
  // HTTP metrics (requests by method, route group and status class; latency histogram) on their own
  // port when METRICS_PORT is set (off by default), never on the public one.
  const metricsPort = process.env.METRICS_PORT?.trim();
  const metrics = metricsPort ? new HttpMetrics() : null;
  if (metrics) {
    const metricsServer = createServer((req, res) => metrics.serve(req, res));
    await new Promise<void>((resolve) => metricsServer.listen(Number(metricsPort), config.host, resolve));
    stops.push(() => new Promise<void>((resolve) => metricsServer.close(() => resolve())));
    log(`HTTP metrics on http://${config.host}:${metricsPort}/metrics`);
  }
  const server = createServer(metrics ? metrics.wrap(serve) : serve);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  stops.push(async () => {
    // Drain: /readyz answers 503 so the load balancer stops sending; no new connections; idle ones
    // close; requests under way get the grace time to finish before the rest are cut.
    health.drain();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cut = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    await closed;
    clearTimeout(cut);
  });

  if (config.seedDemoData) {
    const seeded = await seedDemoData(wired.ctx);
    if (seeded > 0) log(`seeded ${seeded} generated demo applications`);
  }

  if (role === 'web') {
    log(`web server running on ${config.publicBaseUrl} (API under /api; /healthz, /readyz). Press Ctrl-C to stop.`);
    process.send?.({ type: 'ready', role });
    return;
  }
  console.log(
    runningBanner({
      fundName: profile.name.en,
      publicBaseUrl: config.publicBaseUrl,
      temporalUi,
      temporalNamespace: config.temporalNamespace,
      temporalAddress,
      issuer,
      externalIdp: Boolean(config.oidcIssuer),
      supervised: false,
    }),
  );
}

let stopping = false;
async function shutdown(signal: string, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping…`);
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error(`[start] while stopping: ${String(error)}`);
    }
  }
  process.exit(exitCode);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
// Started by `npm start`'s supervisor (an IPC channel): when the supervisor is gone, even killed
// outright, this process stops too rather than run on unsupervised.
if (process.send) process.on('disconnect', () => void shutdown('supervisor gone'));

main().catch(async (error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  // A refused start exits non-zero, so a supervisor sees it failed; a refused configuration with
  // EXIT_CONFIG, which the supervisor does not restart (a restart cannot mend a setting).
  await shutdown('error', error instanceof ConfigError || error instanceof AdapterConfigError ? EXIT_CONFIG : 1);
});
