import type { Handle } from '@sveltejs/kit';
import { clientAddressHeader } from '../integrations/http/rateLimit';
import { registeredApiApp } from '../integrations/http/registry';

const languages = new Set(['fi', 'sv', 'en']);

/** /api and /auth belong to the Hono app on the same origin; everything else is the desk. */
export const handle: Handle = async ({ event, resolve }) => {
  const path = event.url.pathname;
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/auth/')) {
    const app = registeredApiApp();
    if (!app) return new Response('The API is not running in this process.', { status: 503 });
    // The rate limiter keys on the address the server saw, not on anything the client can set.
    const request = new Request(event.request);
    request.headers.set(clientAddressHeader, event.getClientAddress());
    return app.fetch(request);
  }
  const fromQuery = event.url.searchParams.get('lang');
  const fromCookie = event.cookies.get('lang');
  const lang = fromQuery && languages.has(fromQuery) ? fromQuery : fromCookie && languages.has(fromCookie) ? fromCookie : 'fi';
  if (fromQuery && languages.has(fromQuery) && fromQuery !== fromCookie) {
    event.cookies.set('lang', fromQuery, { path: '/', httpOnly: false, sameSite: 'lax', secure: false, maxAge: 60 * 60 * 24 * 365 });
  }
  event.locals.lang = lang as App.Locals['lang'];
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
};
