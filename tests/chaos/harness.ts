// A system of its own for chaos runs (docs/decisions/026-chaos-and-scale-out.md): its own embedded
// PostgreSQL and Temporal dev server on free ports with their data in a temporary folder, so
// restarting them never disturbs the run's shared ones, a dev IdP, and the real entry points
// (`temporal/start.ts web|worker`, what `npm run web` / `npm run worker` run) as child processes.
// No test-runner imports: `npm run chaos` and the CI subset both use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { connectDatabase, type DbHandle } from '../../db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embeddedPostgres';
import { migrateDatabase } from '../../db/migrate';
import { startDevIdp, type DevIdp } from '../../integrations/dev-idp';
import { findDevClient } from '../../integrations/dev-idp/fixtures';
import { startTemporalDevServer, type DevServer } from '../../temporal/devServer';
import { payloadDataConverter, parsePayloadKeys } from '../../temporal/payloadCodec';
import { clientCredentialsToken, loginThroughIdp } from '../support/oidcLogin';

const PAYLOAD_KEYS = `chaos=${Buffer.alloc(32, 9).toString('base64')}`;
const SECRET = 'chaos-secret-that-is-long-enough-0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 120_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

/** One running web or worker process of the chaos system. */
export interface Proc {
  role: 'web' | 'worker';
  name: string;
  child: ChildProcess;
  /** Resolves once it told its parent it serves (the IPC `ready` message). */
  ready: Promise<void>;
  exited: Promise<number | null>;
  port: number | null;
  /** Set when the test (or close) kills it: its end is expected. */
  killed: boolean;
  output(): string;
}

export interface ChaosSystem {
  dir: string;
  db: DbHandle['db'];
  databaseUrl: string;
  temporal: Client;
  temporalAddress: string;
  /** The dev server's SQLite history file (kept as `npm start` keeps it: write-ahead log, decision 049). */
  temporalDbFile: string;
  webPorts: number[];
  /** Starts (or starts again) web process `i` on its own port, or a worker named `name`. */
  startWeb(i: number): Proc;
  startWorker(name: string): Proc;
  procs: Proc[];
  /** SIGKILL the Temporal dev server, start it again on the same port and history file. */
  restartTemporal(): Promise<{ downMs: number }>;
  /** SIGKILL PostgreSQL's postmaster (a crash), start it again on the same data (crash recovery). */
  restartPostgres(opts?: { downMs?: number }): Promise<{ downMs: number }>;
  /** A desk session cookie for a dev IdP user, through the real login at web process `i`. */
  login(username: string, i?: number): Promise<string>;
  token(clientId: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts PostgreSQL (migrated), the Temporal dev server and the IdP of a chaos system. `webs` web
 * ports are reserved up front (the IdP must know their callback addresses).
 */
export async function startChaosSystem(opts: { webs: number; log?: (line: string) => void; env?: Record<string, string> }): Promise<ChaosSystem> {
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jasenrekisteri-chaos-'));
  // Run as root, PostgreSQL runs as the `postgres` user, which creates its data folder here.
  chmodSync(dir, 0o777);
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const webPorts: number[] = [];
  for (let i = 0; i < opts.webs; i++) webPorts.push(await freePort());
  const pgDir = path.join(dir, 'pg');
  const temporalDb = path.join(dir, 'temporal.db');

  const startTemporal = () => startTemporalDevServer({ port: temporalPort, namespace: 'default', dbFile: temporalDb });
  // Started beside PostgreSQL; awaited below (a failed PostgreSQL start must not leave it unhandled).
  const temporalStarted = startTemporal();
  temporalStarted.catch(() => undefined);
  let pg: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'jasenrekisteri' });
  const databaseUrl = pg.url;
  await migrateDatabase(databaseUrl);
  let temporalServer: DevServer = await temporalStarted;
  const idp: DevIdp = await startDevIdp({ port: 0, webRedirectUris: webPorts.map((p) => `http://localhost:${p}/auth/callback`) });
  const handle = connectDatabase(databaseUrl, 4);
  const connection = await Connection.connect({ address: temporalServer.address });
  const dataConverter = payloadDataConverter(parsePayloadKeys(PAYLOAD_KEYS));
  const temporal = new Client({ connection, namespace: 'default', ...(dataConverter ? { dataConverter } : {}) });
  const procs: Proc[] = [];

  const baseEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: path.join(dir, 'data'),
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_PAYLOAD_KEYS: PAYLOAD_KEYS,
    SESSION_SECRET: SECRET,
    SUPPLEMENT_LINK_SECRET: SECRET,
    OIDC_ISSUER: idp.issuer,
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_GRACE: '2s',
    ...opts.env,
  };

  function startProc(role: 'web' | 'worker', name: string, env: Record<string, string>, port: number | null): Proc {
    const child = spawn(process.execPath, ['--import', 'tsx', 'temporal/start.ts', role], { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let out = '';
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // A process that ends without being killed by the test says why (its last output).
    void exited.then((code) => {
      if (!proc.killed) console.error(`[chaos] ${name} (pid ${child.pid}) ended by itself (${code ?? child.signalCode}):\n${out.slice(-4000)}`);
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: { type?: string }) => m?.type === 'ready' && resolve());
      void exited.then((code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${out}`)));
    });
    ready.catch(() => undefined);
    const proc: Proc = { role, name, child, ready, exited, port, killed: false, output: () => out };
    procs.push(proc);
    log(`started ${name} (pid ${child.pid})`);
    return proc;
  }

  const system: ChaosSystem = {
    dir,
    db: handle.db,
    databaseUrl,
    temporal,
    temporalAddress: temporalServer.address,
    temporalDbFile: temporalDb,
    webPorts,
    procs,
    startWeb: (i) => startProc('web', `web-${i}`, { PORT: String(webPorts[i]), PUBLIC_BASE_URL: `http://localhost:${webPorts[i]}` }, webPorts[i]!),
    startWorker: (name) => startProc('worker', name, {}, null),
    async restartTemporal() {
      const began = Date.now();
      process.kill(temporalServer.pid, 'SIGKILL');
      await temporalServer.exited;
      temporalServer = await startTemporal();
      return { downMs: Date.now() - began };
    },
    async restartPostgres(o = {}) {
      const began = Date.now();
      if (!pg.pid) throw new Error('no postmaster pid');
      process.kill(pg.pid, 'SIGKILL');
      await pg.exited;
      if (o.downMs) await sleep(o.downMs);
      // The postmaster's children notice its death and go; until they have, a new one refuses the data.
      pg = await until('PostgreSQL started again', () => startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'jasenrekisteri' }), 60_000, 500);
      return { downMs: Date.now() - began };
    },
    async login(username, i = 0) {
      const origin = `http://localhost:${webPorts[i]}`;
      const { cookie } = await loginThroughIdp({ startUrl: `${origin}/auth/login`, username, password: username, appOrigin: origin });
      return cookie;
    },
    async token(clientId) {
      const client = findDevClient(clientId);
      if (!client) throw new Error(`unknown dev client ${clientId}`);
      return clientCredentialsToken(idp.issuer, client.clientId, client.clientSecret);
    },
    async close() {
      for (const p of procs) {
        p.killed = true;
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      }
      await Promise.all(procs.map((p) => p.exited));
      await connection.close().catch(() => undefined);
      await handle.close().catch(() => undefined);
      await idp.close().catch(() => undefined);
      await temporalServer.stop().catch(() => undefined);
      await pg.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Proves the connection to our own database before anyone relies on it.
  await handle.db.execute(sql`select 1`);
  return system;
}

/** SIGKILL: no drain, no goodbye; resolves once the process is gone. */
export async function kill(proc: Proc): Promise<void> {
  proc.killed = true;
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  await proc.exited;
}

export interface HttpAnswer {
  status: number;
  body: any;
}

/** A request to web process port `port` as a desk user (cookie) or an integration (token). */
export async function http(port: number, p: string, init: { method?: string; body?: string; cookie?: string; token?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<HttpAnswer> {
  const origin = `http://localhost:${port}`;
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.body && !headers['content-type']) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.cookie && init.method && init.method !== 'GET') headers.origin = origin;
  const res = await fetch(`${origin}${p}`, { method: init.method ?? 'GET', headers, ...(init.body ? { body: init.body } : {}), ...(init.signal ? { signal: init.signal } : {}) });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}
