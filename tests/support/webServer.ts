import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { registerApiApp } from '../../integrations/http/registry';
import { startStack, type StackOptions } from './stack';

/**
 * The whole system as a browser sees it: the built SvelteKit desk (vite build, done once in the
 * global setup) serving on the run's web origin, with this file's stack behind /api and /auth.
 */
export async function startWebStack(opts: StackOptions = {}) {
  const stack = await startStack(opts);
  registerApiApp(stack.app);
  const baseUrl = inject('webOrigin');
  // adapter-node reads ORIGIN when the handler loads; without it every form post fails the CSRF check.
  process.env.ORIGIN ??= baseUrl;
  // Node's own loader: through Vitest's runner, vite-plugin-svelte would recompile the built
  // `*.svelte.js` chunks and the pages would fail.
  const nativeImport = createRequire(import.meta.url)('./nativeImport.cjs') as (url: string) => Promise<unknown>;
  const { handler } = (await nativeImport(pathToFileURL(path.resolve('build/handler.js')).href)) as {
    handler: (req: unknown, res: unknown, next: () => void) => void;
  };
  const server: Server = createServer((req, res) =>
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    }),
  );
  await new Promise<void>((resolve) => server.listen(Number(new URL(baseUrl).port), '127.0.0.1', resolve));
  return {
    baseUrl,
    stack,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stack.close();
    },
  };
}
