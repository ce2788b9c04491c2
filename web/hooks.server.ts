import type { Handle, RequestEvent } from '@sveltejs/kit';
import { clientAddressHeader } from '../integrations/http/rateLimit';
import { registeredApiApp } from '../integrations/http/registry';
import { changesState, crossSiteDetail, crossSiteReason } from '../integrations/http/sameOrigin';
import { securityHeaders, withSecurityHeaders } from '../integrations/http/securityHeaders';

const languages = new Set(['fi', 'sv', 'en']);

/**
 * /api and /auth belong to the Hono app on the same origin; everything else is the desk. Every
 * answer gets the security headers (the pages' Content-Security-Policy comes from kit.csp).
 */
export const handle: Handle = async ({ event, resolve }) => {
  const response = await route(event, resolve);
  return withSecurityHeaders(response, securityHeaders(event.url.protocol === 'https:'));
};

async function route(event: RequestEvent, resolve: Parameters<Handle>[0]['resolve']): Promise<Response> {
  const path = event.url.pathname;
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/auth/')) {
    const app = registeredApiApp();
    if (!app) return new Response('The API is not running in this process.', { status: 503 });
    // The rate limiter keys on the address the server saw, not on anything the client can set.
    const request = new Request(event.request);
    request.headers.set(clientAddressHeader, event.getClientAddress());
    return app.fetch(request);
  }
  // SvelteKit's own origin check is off (svelte.config.js), because it also stood in front of the
  // API's bearer clients. This one covers the desk's and the public forms' actions; the desk's own
  // calls to the API from its actions (sub-requests) carry the desk's origin and are checked there.
  if (changesState(event.request.method) && !event.isSubRequest) {
    const reason = crossSiteReason(event.request.headers, event.url.origin);
    if (reason) {
      const body = { type: 'about:blank', title: 'Forbidden', status: 403, detail: crossSiteDetail(reason), code: 'cross_site_request', instance: path };
      return new Response(JSON.stringify(body), { status: 403, headers: { 'content-type': 'application/problem+json' } });
    }
  }
  const fromQuery = event.url.searchParams.get('lang');
  const fromCookie = event.cookies.get('lang');
  const lang = fromQuery && languages.has(fromQuery) ? fromQuery : fromCookie && languages.has(fromCookie) ? fromCookie : 'fi';
  if (fromQuery && languages.has(fromQuery) && fromQuery !== fromCookie) {
    event.cookies.set('lang', fromQuery, { path: '/', httpOnly: false, sameSite: 'lax', secure: false, maxAge: 60 * 60 * 24 * 365 });
  }
  event.locals.lang = lang as App.Locals['lang'];
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
}
