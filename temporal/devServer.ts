import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributes } from './searchAttributes';
import { locateTemporalCli } from './temporalCli';

export interface DevServer {
  address: string;
  uiUrl: string | null;
  /** The CLI's process id, and its exit (code, or null when killed by a signal): the supervisor watches it. */
  pid: number;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * SQLite settings of a dev server that keeps its history in a file (`npm start`, the chaos
 * scenarios): a write-ahead log and `synchronous=normal`, so a commit appends to the log and syncs
 * only at checkpoints instead of syncing a rollback journal and the database on every commit
 * (SQLite's default, DELETE and FULL). A killed server process loses nothing committed (the log is
 * in the OS's page cache); a crash of the machine itself may lose the commits since the last
 * checkpoint, never the file's consistency. Decision 049.
 */
export const fileHistoryPragmas: readonly string[] = ['journal_mode=wal', 'synchronous=normal'];

/** Starts `temporal server start-dev` with our search attributes and waits until it answers. */
export async function startTemporalDevServer(opts: {
  port: number;
  uiPort?: number;
  namespace: string;
  dbFile?: string;
  log?: (line: string) => void;
  /** The Web UI's remote codec endpoint (the register's /api/v1/temporal-codec), so it shows decoded payloads to administrators. */
  codecEndpoint?: string;
  /** `--sqlite-pragma` values for a history file (`dbFile`); default `fileHistoryPragmas`, [] for SQLite's own defaults. */
  sqlitePragmas?: readonly string[];
  /** Further `start-dev` flags (the benchmarks' experiments with the server's settings, e.g. `--sqlite-pragma`). */
  extraArgs?: readonly string[];
}): Promise<DevServer> {
  const cli = await locateTemporalCli(opts.log);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', opts.namespace, '--log-level', 'error'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  if (opts.uiPort && opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
    for (const pragma of opts.sqlitePragmas ?? fileHistoryPragmas) args.push('--sqlite-pragma', pragma);
  }
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push(...(opts.extraArgs ?? []));
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const address = `127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  opts.log?.(`waiting for the Temporal dev server to answer on ${address}…`);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited (${child.exitCode}): ${output}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server did not answer on ${address} within 60 s: ${String(error)}\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://localhost:${opts.uiPort}` : null,
    pid: child.pid!,
    exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
