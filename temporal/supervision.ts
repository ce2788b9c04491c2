// What `npm start`'s supervisor (temporal/supervise.ts) decides: when to restart a child, what a
// child's exit code means, and how a start after a crash finds what the last one left running.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** A child that refused its configuration exits with this (sysexits EX_CONFIG): restarting cannot mend it. */
export const EXIT_CONFIG = 78;

/** The first restart waits this long; each further one in a row doubles it, up to the ceiling. */
export const RESTART_FIRST_MS = 1000;
export const RESTART_MAX_MS = 30_000;
/** A child that ran this long before it died counts as healthy: its next restart waits the first delay again. */
export const RESTART_RESET_AFTER_MS = 60_000;

/**
 * How long to wait before restarting a child that died after running `ranMs`, when it had already
 * died `failuresInARow` times in a row before this (0 for the first death after a healthy run).
 * Returns the delay and the new count of failures in a row.
 */
export function restartDelay(failuresInARow: number, ranMs: number): { delayMs: number; failuresInARow: number } {
  const failures = ranMs >= RESTART_RESET_AFTER_MS ? 0 : failuresInARow;
  return { delayMs: Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** Math.min(failures, 16)), failuresInARow: failures + 1 };
}

/** Whether a process with this id is alive (signal 0 tests without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but another user's (PostgreSQL runs as `postgres` when we are root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process (Linux /proc), or null when it cannot be read. */
export function commandLineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

/** One child the supervisor started: written when it starts, removed when it stops. */
export interface PidRecord {
  name: string;
  pid: number;
  /** A word its command line contains, so a reused process id is never taken for ours. */
  marker: string;
}

export function pidFile(runDir: string, name: string): string {
  return path.join(runDir, `${name}.pid`);
}

export function writePidFile(runDir: string, record: PidRecord): void {
  mkdirSync(runDir, { recursive: true });
  writeFileSync(pidFile(runDir, record.name), JSON.stringify(record));
}

export function removePidFile(runDir: string, name: string): void {
  rmSync(pidFile(runDir, name), { force: true });
}

export function readPidFile(runDir: string, name: string): PidRecord | null {
  const file = pidFile(runDir, name);
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
    return Number.isInteger(record.pid) && record.pid > 0 && typeof record.marker === 'string' ? record : null;
  } catch {
    return null;
  }
}

/** Sends `signal`, then SIGKILL after `graceMs` if the process is still alive; resolves once it is gone. */
export async function stopProcess(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A start after a crash: every child an earlier supervisor recorded and left running (it was killed
 * before it could stop them) is stopped, if it is still the same program (its command line has the
 * marker); a stale file of a process that is gone, or whose id now belongs to another program, is
 * only removed. Returns what was stopped, for the log.
 */
export async function recoverLeftovers(runDir: string, names: readonly string[], signals: Partial<Record<string, NodeJS.Signals>> = {}): Promise<PidRecord[]> {
  const stopped: PidRecord[] = [];
  for (const name of names) {
    const record = readPidFile(runDir, name);
    if (!record) {
      removePidFile(runDir, name);
      continue;
    }
    const command = isAlive(record.pid) ? commandLineOf(record.pid) : null;
    if (command !== null && command.includes(record.marker)) {
      await stopProcess(record.pid, signals[name] ?? 'SIGTERM', 30_000);
      stopped.push(record);
    }
    removePidFile(runDir, name);
  }
  return stopped;
}

/** A port the system needs, what needs it and the setting that moves it. */
export interface NeededPort {
  port: number;
  host: string;
  what: string;
  setting: string;
}

/** Resolves when the port can be bound; otherwise throws a message naming who needs it and how to move it. */
export async function ensurePortFree(p: NeededPort): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${p.port} (${p.what}) is in use by another program: stop it, or set ${p.setting} to a free port`
            : `port ${p.port} (${p.what}) cannot be used (${error.code ?? error.message}): set ${p.setting}`,
        ),
      ),
    );
    probe.listen(p.port, p.host, () => probe.close(() => resolve()));
  });
}
