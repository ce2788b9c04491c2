// `npm start` supervised (issue 16): children restarted when they die, everything stopped on Ctrl-C,
// a start after a killed supervisor recovering what it left, a held port named. The real programs:
// the supervisor (temporal/supervise.ts) with its embedded PostgreSQL, Temporal dev server, worker and web.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/globalSetup';
import { isAlive, readPidFile } from '../../temporal/supervision';

const dataDir = path.resolve(`.data/supervision-${process.pid}`);
const runDir = path.join(dataDir, 'run');
const started: ChildProcess[] = [];

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  for (const name of ['watchdog', 'web', 'worker', 'temporal', 'postgresql']) {
    const pid = readPidFile(runDir, name)?.pid;
    if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function ports() {
  return { PORT: await freePort(), EMBEDDED_PG_PORT: await freePort(), TEMPORAL_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), DEV_IDP_PORT: await freePort() };
}

/** Starts a supervisor; `output` grows as it (and its children) write. */
function supervisor(env: Record<string, number | string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'temporal/supervise.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', SHUTDOWN_GRACE: '5s', ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const s = { child, output: '', exited: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
  child.stdout!.on('data', (d: Buffer) => (s.output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (s.output += d.toString()));
  return s;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const pidOf = (name: string) => readPidFile(runDir, name)?.pid ?? null;
const ready = async (port: number) => {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
};

describe('npm start under supervision', () => {
  it('refuses to start when another program holds a port it needs, naming the port and the setting', async () => {
    const p = await ports();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(p.TEMPORAL_PORT, '127.0.0.1', resolve));
    try {
      const s = supervisor(p);
      expect(await s.exited).toBe(1);
      expect(s.output).toContain(`port ${p.TEMPORAL_PORT} (the Temporal dev server) is in use by another program`);
      expect(s.output).toContain('TEMPORAL_PORT');
      expect(readdirSync(runDir)).toEqual([]);
    } finally {
      holder.close();
    }
  }, 60_000);

  it('restarts a dead worker, web, Temporal and PostgreSQL; a killed supervisor takes everything along; a start after a kill of all recovers; Ctrl-C stops all', async () => {
    const p = await ports();
    const first = supervisor(p);
    await until('the first start', () => first.output.includes('is running.'), 240_000);
    expect(await ready(p.PORT)).toBe(true);

    // A worker that dies is started again.
    const worker = pidOf('worker')!;
    process.kill(worker, 'SIGKILL');
    await until('a new worker', () => pidOf('worker') !== worker && first.output.includes('worker restarted'));
    // And a web process, which serves again.
    const webProcess = pidOf('web')!;
    process.kill(webProcess, 'SIGKILL');
    await until('a new web process', async () => pidOf('web') !== webProcess && first.output.includes('web restarted') && (await ready(p.PORT)));
    // So is the Temporal dev server, with its history (the same file): the web server is ready again.
    const temporal = pidOf('temporal')!;
    process.kill(temporal, 'SIGKILL');
    await until('Temporal back', async () => pidOf('temporal') !== temporal && first.output.includes('temporal restarted') && (await ready(p.PORT)));
    // And PostgreSQL.
    const pg = pidOf('postgresql')!;
    process.kill(pg, 'SIGKILL');
    await until('PostgreSQL back', async () => pidOf('postgresql') !== pg && first.output.includes('postgresql restarted') && (await ready(p.PORT)));

    // The supervisor killed outright: the web and worker processes stop by themselves (their IPC
    // channel closes), and its watchdog stops the Temporal dev server and PostgreSQL.
    const [web, worker2, temporal2, pg2, watchdog] = ['web', 'worker', 'temporal', 'postgresql', 'watchdog'].map((n) => pidOf(n)!);
    expect(watchdog && isAlive(watchdog)).toBe(true);
    first.child.kill('SIGKILL');
    await until('everything gone', () => ![web, worker2, temporal2, pg2, watchdog].some((pid) => isAlive(pid!)), 60_000);
    expect(first.output).toContain(`[watchdog] stopped the temporal (pid ${temporal2})`);
    expect(first.output).toContain(`[watchdog] stopped the postgresql (pid ${pg2})`);
    expect(readdirSync(runDir)).toEqual([]);

    // Everything killed at once, the watchdog first (kill -9 of all): PostgreSQL and Temporal are
    // left running, and the next start stops them before it starts its own.
    const second = supervisor(p);
    await until('the second start', () => second.output.includes('is running.'), 240_000);
    expect(await ready(p.PORT)).toBe(true);
    const [temporal3, pg3] = ['temporal', 'postgresql'].map((n) => pidOf(n)!);
    process.kill(pidOf('watchdog')!, 'SIGKILL');
    second.child.kill('SIGKILL');
    await second.exited;
    expect(isAlive(temporal3!)).toBe(true);
    expect(isAlive(pg3!)).toBe(true);

    const fourth = supervisor(p);
    await until('the start after a kill of all', () => fourth.output.includes('is running.'), 240_000);
    expect(fourth.output).toContain(`stopped the temporal (pid ${temporal3}) an earlier start left running`);
    expect(fourth.output).toContain(`stopped the postgresql (pid ${pg3}) an earlier start left running`);
    expect(await ready(p.PORT)).toBe(true);

    // One supervisor per data folder.
    const third = supervisor(p);
    expect(await third.exited).toBe(1);
    expect(third.output).toContain('another npm start');

    // Ctrl-C: every child stops, the supervisor exits 0 and leaves no PID file; its watchdog ends too.
    const children = ['web', 'worker', 'temporal', 'postgresql'].map((n) => pidOf(n)!);
    const lastWatchdog = pidOf('watchdog')!;
    fourth.child.kill('SIGINT');
    expect(await fourth.exited).toBe(0);
    for (const pid of children) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    expect(readdirSync(runDir)).toEqual([]);
    await until('the watchdog gone', () => !isAlive(lastWatchdog), 10_000);
  }, 900_000);
});
