import type { Handle, RequestEvent } from '@sveltejs/kit';
import { problemText, t, type Lang } from '$lib/i18n';
import { clientAddressHeader } from '../integrations/http/rateLimit';
import { isApiPath, registeredApiApp } from '../integrations/http/registry';
import { changesState, crossSiteDetail, crossSiteReason } from '../integrations/http/sameOrigin';
import { securityHeaders, withSecurityHeaders } from '../integrations/http/securityHeaders';

const languages = new Set(['fi', 'sv', 'en']);

/** The reader's language: ?lang=, else the cookie, else Finnish. */
function langOf(event: RequestEvent): Lang {
  const fromQuery = event.url.searchParams.get('lang');
  const fromCookie = event.cookies.get('lang');
  return (fromQuery && languages.has(fromQuery) ? fromQuery : fromCookie && languages.has(fromCookie) ? fromCookie : 'fi') as Lang;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

/** The 403 page for a refused cross-site form post, in the reader's language (no English problem JSON for a person). */
function forbiddenPage(lang: Lang): Response {
  const title = escapeHtml(t(lang, 'error.title', { status: 403 }));
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${title} – ${escapeHtml(t(lang, 'app.name'))}</title></head><body><main><h1>${title}</h1><p data-code="cross_site_request">${escapeHtml(problemText(lang, { code: 'cross_site_request' }))}</p><p><a href="/">${escapeHtml(t(lang, 'error.home'))}</a></p></main></body></html>`;
  return new Response(html, { status: 403, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

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
  if (isApiPath(path)) {
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
      // A browser posting a form gets a page in its reader's language; a program gets the problem.
      if (event.request.headers.get('accept')?.includes('text/html')) return forbiddenPage(langOf(event));
      return new Response(JSON.stringify(body), { status: 403, headers: { 'content-type': 'application/problem+json' } });
    }
  }
  const fromQuery = event.url.searchParams.get('lang');
  const fromCookie = event.cookies.get('lang');
  const lang = langOf(event);
  if (fromQuery && languages.has(fromQuery) && fromQuery !== fromCookie) {
    event.cookies.set('lang', fromQuery, { path: '/', httpOnly: false, sameSite: 'lax', secure: false, maxAge: 60 * 60 * 24 * 365 });
  }
  event.locals.lang = lang as App.Locals['lang'];
  return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', lang) });
}
