import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import { startEmbeddedPostgres } from '../../db/embeddedPostgres';
import { migrateDatabase } from '../../db/migrate';
import { getFundProfile } from '../../domain/fundProfile';
import { FakeMessaging } from '../../integrations/adapters/messaging/fakeMessaging';
import { chooseAdapters } from '../../temporal/adapters';
import { API_AUDIENCE, type DevIdp, type DevIdpOptions } from '../../integrations/dev-idp';
import { createApp } from '../../integrations/http/app';
import { jwtBearerVerifier } from '../../integrations/http/auth';
import { startTemporalDevServer } from '../../temporal/devServer';
import { wireServices } from '../../temporal/services';
import { bundleWorkflows, createWorker } from '../../temporal/worker';
import { freePort } from '../support/globalSetup';

/** The intake's decision path the bench runs (BENCH_INTAKE_PATH: per-application, the default, or batched). */
export const benchIntakePath = process.env.BENCH_INTAKE_PATH === 'batched' ? 'batched' : 'per-application';

/** Connections in the bench's API pool (the floors share it). */
export const benchPoolSize = 30;

/** The services as the bench's API and its workers wire them: development adapters, a fake messaging service keeping only receipts. */
export function wireBenchServices(databaseUrl: string, temporalAddress: string) {
  const profile = getFundProfile('a-kassa');
  return wireServices({
    databaseUrl,
    temporalAddress,
    namespace: 'default',
    // BENCH_INTAKE_PATH=batched: the intake's batched decision path (decision 063), in the API and every worker process.
    profile: benchIntakePath === 'batched' ? { ...profile, intake: { ...profile.intake, decisionPath: 'batched' } } : profile,
    publicBaseUrl: 'http://localhost:1',
    supplementLinkSecret: 'bench',
    // The benchmarks send hundreds of thousands of messages; the fake keeps only their receipts.
    adapters: { ...chooseAdapters({}, 'development').adapters, messaging: new FakeMessaging({ keepMessages: false }) },
    dbPoolSize: benchPoolSize,
  });
}

export interface BenchStackOptions {
  /**
   * Workers in processes of their own (tests/bench/benchWorker.ts), as production runs them
   * (`npm run worker`); 0 runs the worker inside the bench's process, beside the API.
   */
  workerProcesses?: number;
  /**
   * false: no worker at all, the API alone as a web process runs it (`npm run web`), for benches
   * that start no workflow. A worker in the API's process also turns on Node's async hooks (the
   * activity context), which every promise of every request then pays for.
   */
  worker?: boolean;
}

/** BENCH_PG_STATS=1: the server keeps every statement's time (pg_stat_statements), for a bench to print where its time went (`topStatements`). */
function benchStatementStatsFlags(): string[] {
  // BENCH_STALLS=1 (tests/bench/stallProbe.ts): the WAL's write and fsync times too (pg_stat_io).
  const walTiming = process.env.BENCH_STALLS === '1' ? ['-c', 'track_wal_io_timing=on', '-c', 'track_io_timing=on'] : [];
  return [...walTiming, ...(process.env.BENCH_PG_STATS === '1' ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.max=2000'] : [])];
}

/** The statements that took the most time since the last call (BENCH_PG_STATS=1; otherwise nothing), then the counters reset. */
export async function topStatements(db: { execute: (q: ReturnType<typeof sql.raw>) => Promise<unknown> }, n = 15): Promise<string[]> {
  if (process.env.BENCH_PG_STATS !== '1') return [];
  await db.execute(sql.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
  const rows = (await db.execute(sql.raw(`SELECT round(total_exec_time)::int AS ms, calls, round(total_exec_time / calls)::int AS per_call, (temp_blks_written * 8 / 1024)::int AS temp_mb, regexp_replace(left(query, 160), '\\s+', ' ', 'g') AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${n}`))) as unknown as { ms: number; calls: number; per_call: number; temp_mb: number; query: string }[];
  await db.execute(sql.raw('SELECT pg_stat_statements_reset()'));
  // A statement that sorted or hashed on disk says how much it wrote there (temp_blks_written).
  return rows.map((r) => `${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(6)}× ${String(r.per_call).padStart(6)} ms ${r.temp_mb > 0 ? `(${r.temp_mb} MB on disk) ` : ''} ${r.query}`);
}

/** A fresh, throw-away system for a benchmark: embedded PostgreSQL (or BENCH_DATABASE_URL), Temporal, IdP. */
export async function startBenchStack(opts: BenchStackOptions = {}) {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = path.resolve('.data/bench');
  rmSync(dir, { recursive: true, force: true });
  const pg = process.env.BENCH_DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'bench', persistent: false, flags: benchStatementStatsFlags() });
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? pg!.url;
  await migrateDatabase(databaseUrl);
  const temporal = await startTemporalDevServer({ port: await freePort(), namespace: 'default', ...benchTemporalSettings(dir) });
  const idp = await startIdpThread({ port: 0, webRedirectUris: ['http://localhost:1/auth/callback'] });
  const wired = await wireBenchServices(databaseUrl, temporal.address);
  const app = createApp({
    ctx: wired.ctx,
    publicBaseUrl: 'http://localhost:1',
    auth: {
      oidc: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: 'jasenrekisteri-desk',
        OIDC_CLIENT_SECRET: 'dev-desk-secret-change-me',
        OIDC_AUTH_SECRET: 'bench-session-secret-that-is-long-enough-0123456789',
        OIDC_REDIRECT_URI: 'http://localhost:1/auth/callback',
      },
      verifyBearer: jwtBearerVerifier({ issuer: idp.issuer, audience: API_AUDIENCE }),
    },
  });
  const processes = opts.workerProcesses ?? 0;
  const inProcess = processes > 0 || opts.worker === false ? null : await createWorker({ address: temporal.address, namespace: 'default', taskQueues: wired.ctx.taskQueues, deps: wired.activityDeps });
  const running = inProcess?.worker.run();
  const children = processes > 0 && opts.worker !== false ? await startWorkerProcesses(processes, { databaseUrl, temporalAddress: temporal.address, dir }) : [];
  return {
    app,
    ctx: wired.ctx,
    databaseUrl,
    issuer: idp.issuer,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    async close() {
      inProcess?.worker.shutdown();
      await running;
      await inProcess?.connection.close();
      await Promise.all(children.map(async (child) => {
        if (child.exitCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }));
      await wired.close();
      await idp.close();
      await temporal.stop();
      await pg?.stop();
    },
  };
}

/** The dev IdP in a worker thread (tests/bench/idpThread.ts: its promise hooks stay out of the API's thread). */
export async function startIdpThread(opts: DevIdpOptions): Promise<DevIdp> {
  // A worker thread gets no `--import tsx` of its own (Node 20): the shim registers it, then loads the file.
  const shim = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./idpThread.ts', import.meta.url).href)}); })`;
  const worker = new Worker(shim, { eval: true, workerData: opts });
  const [issuer] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([error]) => Promise.reject(error as Error))])) as [string];
  return {
    issuer,
    async close() {
      worker.postMessage('close');
      await once(worker, 'exit');
    },
  };
}

/** Starts `n` worker processes on one prebuilt workflow bundle; resolves when every one polls. */
async function startWorkerProcesses(n: number, env: { databaseUrl: string; temporalAddress: string; dir: string }): Promise<ChildProcess[]> {
  const bundlePath = path.join(env.dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflows()).code);
  const children = Array.from({ length: n }, () =>
    spawn(process.execPath, ['--import', 'tsx', ...(process.env.BENCH_NO_SANDBOX_TIMEOUT === '1' ? ['--import', './tests/bench/noSandboxTimeout.mjs'] : []), ...workerProfileFlags(), 'tests/bench/benchWorker.ts'], {
      env: { ...process.env, DATABASE_URL: env.databaseUrl, TEMPORAL_ADDRESS: env.temporalAddress, WORKFLOW_BUNDLE: bundlePath },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  await Promise.all(
    children.map(async (child) => {
      const [message] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [null])])) as unknown[];
      if (message !== 'ready') throw new Error(`a bench worker process (pid ${child.pid}) exited before it polled`);
    }),
  );
  return children;
}

/** BENCH_WORKER_CPU_PROF=DIR: each worker process writes a V8 CPU profile (every thread's) into DIR when it stops. */
function workerProfileFlags(): string[] {
  const dir = process.env.BENCH_WORKER_CPU_PROF;
  return dir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(dir)] : [];
}

/**
 * The Temporal dev server's history: in memory unless BENCH_TEMPORAL_DB=file, which keeps it in a
 * SQLite file as `npm start` does (temporal/embedded.ts: write-ahead log, `synchronous=normal`),
 * or BENCH_TEMPORAL_DB=file-rollback, a file with SQLite's own defaults (rollback journal,
 * `synchronous=full`: `npm start` before decision 049); BENCH_TEMPORAL_ARGS adds `start-dev`
 * flags for experiments (space-separated, e.g. `--sqlite-pragma synchronous=OFF`).
 */
function benchTemporalSettings(dir: string): { dbFile?: string; sqlitePragmas?: string[]; extraArgs: string[] } {
  const extraArgs = (process.env.BENCH_TEMPORAL_ARGS ?? '').split(' ').filter(Boolean);
  const dbFile = path.join(dir, 'temporal.db');
  if (process.env.BENCH_TEMPORAL_DB === 'file') return { dbFile, extraArgs };
  if (process.env.BENCH_TEMPORAL_DB === 'file-rollback') return { dbFile, sqlitePragmas: [], extraArgs };
  return { extraArgs };
}
