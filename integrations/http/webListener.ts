import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { clientAddressHeader } from './rateLimit';
import { isApiPath } from './registry';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * The web process's one request listener: /api and /auth go straight to the Hono app under
 * @hono/node-server, without the copy of every request SvelteKit's hook makes (decision 042:
 * JSON bodies are then read from Node's request); every other path goes to the desk's
 * adapter-node handler. The desk's own calls to the API from its pages and actions stay inside
 * SvelteKit (web/hooks.server.ts sends the same paths to the same app).
 */
export function webListener(api: { fetch: (request: Request, env: unknown) => Response | Promise<Response> }, desk: NodeHandler) {
  // Global Request and Response stay Node's own: the desk's SvelteKit runs in the same process.
  const toApi = getRequestListener(api.fetch, { overrideGlobalObjects: false });
  const notFound = (res: ServerResponse) => () => {
    res.statusCode = 404;
    res.end('Not found');
  };
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    if (isApiPath(query === -1 ? url : url.slice(0, query))) {
      // The rate limiter keys on the address the server saw, never on a header the client sent.
      req.headers[clientAddressHeader] = req.socket.remoteAddress ?? 'unknown';
      void toApi(req, res);
      return;
    }
    desk(req, res, notFound(res));
  };
}
