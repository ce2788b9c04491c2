/**
 * The security headers of every answer, the API's and the desk's pages' alike. The desk's pages
 * get their Content-Security-Policy from SvelteKit (svelte.config.js `kit.csp`, with a nonce for
 * its inline start-up script); the API's answers are data, so theirs allows nothing to run.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** For JSON, files and redirects: nothing may load, run or frame them. */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A server-rendered HTML page of the API (the docs) whose only inline content is its stylesheet. */
export function htmlPageContentSecurityPolicy(inlineStyle: string): string {
  const hash = createHash('sha256').update(inlineStyle).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
}

/**
 * Headers every answer carries. `Referrer-Policy` is not `no-referrer`: under it, browsers send
 * `Origin: null` with a same-origin form post, and the desk's own forms would fail the origin check.
 * HSTS only when served over HTTPS (a browser ignores it on http, and localhost must stay usable).
 */
export function securityHeaders(https: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** Sets the headers on a response, copying it first when its headers are immutable. */
export function withSecurityHeaders(response: Response, headers: Record<string, string>): Response {
  let out = response;
  try {
    for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  } catch {
    out = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) out.headers.set(name, value);
  }
  return out;
}

/** The API's headers: the common ones, and its CSP unless the route set its own (the docs page). */
export function apiSecurityHeaders(publicBaseUrl: string): MiddlewareHandler {
  const common = securityHeaders(publicBaseUrl.startsWith('https:'));
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(common)) c.res.headers.set(name, value);
    if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', apiContentSecurityPolicy);
  };
}
