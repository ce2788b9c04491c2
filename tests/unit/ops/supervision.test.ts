import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESTART_FIRST_MS, RESTART_MAX_MS, RESTART_RESET_AFTER_MS, ensurePortFree, isAlive, readPidFile, recoverLeftovers, restartDelay, writePidFile } from '../../../temporal/supervision';

describe('restart backoff', () => {
  it('doubles while a child keeps dying, up to the ceiling, and starts over after a healthy run', () => {
    let failures = 0;
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const next = restartDelay(failures, 500);
      delays.push(next.delayMs);
      failures = next.failuresInARow;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, RESTART_MAX_MS, RESTART_MAX_MS, RESTART_MAX_MS]);
    expect(restartDelay(failures, RESTART_RESET_AFTER_MS)).toEqual({ delayMs: RESTART_FIRST_MS, failuresInARow: 1 });
    expect(restartDelay(1000, 0).delayMs).toBe(RESTART_MAX_MS);
  });
});

describe('a start after a crash', () => {
  const runDir = () => mkdtempSync(path.join(os.tmpdir(), 'supervision-'));
  const sleeper = () => {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    return child.pid!;
  };

  it('stops a leftover that is still the program recorded, and only removes a stale or reused record', async () => {
    const dir = runDir();
    const ours = sleeper();
    const reused = sleeper();
    writePidFile(dir, { name: 'temporal', pid: ours, marker: 'sleep' });
    // The id now belongs to another program (its command line lacks the marker): left alone.
    writePidFile(dir, { name: 'web', pid: reused, marker: 'temporal/start.ts' });
    writePidFile(dir, { name: 'worker', pid: 2 ** 22 + 17, marker: 'temporal/start.ts' });
    const stopped = await recoverLeftovers(dir, ['web', 'worker', 'temporal', 'postgresql']);
    expect(stopped.map((s) => s.name)).toEqual(['temporal']);
    expect(isAlive(ours)).toBe(false);
    expect(isAlive(reused)).toBe(true);
    for (const name of ['web', 'worker', 'temporal']) expect(readPidFile(dir, name)).toBeNull();
    process.kill(reused, 'SIGKILL');
  });

  it('names the port, what needs it and the setting that moves it when another program holds it', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    await expect(ensurePortFree({ port, host: '127.0.0.1', what: 'the Temporal dev server', setting: 'TEMPORAL_PORT' })).rejects.toThrow(
      `port ${port} (the Temporal dev server) is in use by another program: stop it, or set TEMPORAL_PORT to a free port`,
    );
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    await expect(ensurePortFree({ port, host: '127.0.0.1', what: 'x', setting: 'PORT' })).resolves.toBeUndefined();
  });
});
