import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const cacheBin = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'jasenrekisteri', 'bin');

function onPath(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH, then PATH, then our cache outside the clone,
 * else builds it there with `go install` (newer tags cannot be go-installed), else explains.
 */
export async function locateTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not exist.`);
    return explicit;
  }
  const cached = path.join(cacheBin, 'temporal');
  if (existsSync(cached)) return cached;
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) {
    throw new Error(
      'The Temporal CLI was not found. Install it (https://docs.temporal.io/cli) and put `temporal` on PATH, ' +
        'set TEMPORAL_CLI_PATH, or install Go so it can be built with ' +
        `\`go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}\`.`,
    );
  }
  mkdirSync(cacheBin, { recursive: true });
  log(
    `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheBin}. This happens once per machine and ` +
      'takes minutes (3–15, depending on the machine and the Go module cache); later starts reuse it.',
  );
  const started = Date.now();
  const ticker = setInterval(() => log(`…still building the Temporal CLI (${Math.round((Date.now() - started) / 60_000)} min so far)`), 30_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
        env: { ...process.env, GOBIN: cacheBin },
        stdio: 'inherit',
      });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install of the Temporal CLI failed (exit ${code}).`))));
    });
  } finally {
    clearInterval(ticker);
  }
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return cached;
}
