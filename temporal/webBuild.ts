import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** What the desk's build is made of: its own folder, what it imports (the API and domain/), its config. */
const SOURCE_DIRS = ['web', 'integrations/http', 'domain'];
const SOURCE_FILES = ['svelte.config.js', 'vite.config.ts', 'package-lock.json'];

/** Builds the desk (vite build) when the build is missing or older than its sources (or its config); in production only checks it is there. */
export function ensureWebBuild(log: (line: string) => void = console.log): void {
  const handler = path.resolve('build/handler.js');
  // Production runs the build it was shipped with (docs/deployment.md): no compiler at start.
  if (process.env.NODE_ENV === 'production') {
    if (!existsSync(handler)) throw new Error('build/handler.js is missing: run `npm run build` when making the release, not at start (NODE_ENV=production)');
    return;
  }
  const sources = Math.max(
    ...SOURCE_DIRS.map((dir) => newestMtime(path.resolve(dir))),
    ...SOURCE_FILES.filter((file) => existsSync(file)).map((file) => statSync(path.resolve(file)).mtimeMs),
  );
  if (existsSync(handler) && statSync(handler).mtimeMs > sources) return;
  log('building the desk (vite build)…');
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}
