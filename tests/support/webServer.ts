import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { registerApiApp } from '../../integrations/http/registry';
import { webListener } from '../../integrations/http/webListener';
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
    handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  };
  // As the web process serves (temporal/start.ts): the API straight to its app, the rest to the desk.
  const server: Server = createServer(webListener(stack.app, handler));
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
