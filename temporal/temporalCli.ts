import { execFileSync, spawnSync } from 'node:child_process';
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
export function locateTemporalCli(log: (line: string) => void = console.log): string {
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
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheBin} (once; takes a few minutes)…`);
  execFileSync(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: cacheBin },
    stdio: 'inherit',
  });
  return cached;
}
