/**
 * Two rules about the desk's own origin (PUBLIC_BASE_URL), pure so they are unit-tested alone:
 * where a login may return to, and whether a state-changing browser request came from the desk's
 * own pages. Used by the API (integrations/http/app.ts) and the desk's server hook.
 */

/** Control characters, backslashes and whitespace have no place in a path we redirect to. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_PATH = /[\u0000-\u0020\u007f\\]/;

/**
 * Where a login may send the browser back to: `returnTo` resolved against `base`, only when it is
 * a path on the same origin. Anything else (another host, `//host`, `/\host`, a scheme, control
 * characters, a path that normalises to `//…`) gives the desk's root. The answer is absolute, so
 * the browser cannot read it as another host.
 */
export function safeReturnUrl(returnTo: string | null | undefined, base: string): string {
  const root = new URL('/', base);
  if (!returnTo || !returnTo.startsWith('/') || returnTo.startsWith('//') || UNSAFE_IN_PATH.test(returnTo)) return root.href;
  let target: URL;
  try {
    target = new URL(returnTo, root);
  } catch {
    return root.href;
  }
  // `/.//evil.example` normalises to the path `//evil.example`: same origin, but unsafe to echo.
  if (target.origin !== root.origin || target.pathname.startsWith('//')) return root.href;
  return target.href;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** GET, HEAD and OPTIONS change nothing; every other method is checked. */
export function changesState(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Why a state-changing browser request does not come from `origin`'s own pages, or null when it
 * does. Browsers send `Origin` on every such request (and `Sec-Fetch-Site` too); a request with
 * neither is not from a browser, and a program that is not a browser signs in with a bearer token.
 */
export function crossSiteReason(headers: Headers, origin: string): string | null {
  const expected = new URL(origin).origin;
  const from = headers.get('origin');
  if (from !== null) return from === expected ? null : `The request comes from ${from === 'null' ? 'an opaque origin' : from}, not from ${expected}.`;
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin' ? null : `The request is ${site}, not from ${expected}.`;
  return `The request names no Origin; a signed-in browser request must come from ${expected}.`;
}

/** The detail of the 403 that refuses a cross-site request. */
export function crossSiteDetail(reason: string): string {
  return `${reason} A signed-in browser may change data only from the desk's own pages; a program sends a bearer token (Authorization: Bearer …) instead.`;
}
