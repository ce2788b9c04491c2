// Browserless OpenID Connect helpers for tests against the dev IdP
// (integrations/dev-idp). They speak plain HTTP, so they work equally with a
// real listening app or a Hono app reached through `app.request`.
import { findDevClient } from '../../integrations/dev-idp/fixtures';

export type AppFetch = (req: Request) => Promise<Response> | Response;

export interface LoginThroughIdpOptions {
  /** The app's login route, e.g. `http://localhost:3000/auth/login`. */
  startUrl: string;
  username: string;
  password: string;
  /** Handles requests to `appOrigin` without a server, e.g. `(req) => app.request(req)`. */
  appFetch?: AppFetch;
  appOrigin: string;
}

/** The IdP or the app answered with something other than the happy path. */
export class IdpLoginError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
    readonly body: string,
  ) {
    super(message);
    this.name = 'IdpLoginError';
  }
}

export class TokenRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly error: string | undefined,
    readonly body: string,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

const MAX_HOPS = 25;

/**
 * Runs a full authorization-code login the way a browser would: follows every
 * redirect by hand with a per-origin cookie jar, submits the IdP login form,
 * and stops once the flow is back on the app. Returns the app's cookies.
 *
 * A rejected login (e.g. wrong password) throws IdpLoginError carrying the
 * IdP's status and HTML.
 */
export async function loginThroughIdp(opts: LoginThroughIdpOptions): Promise<{ cookie: string }> {
  const appOrigin = new URL(opts.appOrigin).origin;
  const jar = new CookieJar();
  let next: PendingRequest = { url: new URL(opts.startUrl), method: 'GET' };
  let visitedIdp = false;
  let submittedLogin = false;

  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const current = next;
    const onApp = current.url.origin === appOrigin;
    if (!onApp) visitedIdp = true;

    const res = await send(current, jar, onApp ? opts.appFetch : undefined);
    jar.store(current.url, res.headers.getSetCookie());

    if (isRedirect(res.status)) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new IdpLoginError(`redirect without Location`, res.status, current.url.href, '');
      const keepMethod = res.status === 307 || res.status === 308;
      next = keepMethod
        ? { ...current, url: new URL(location, current.url) }
        : { url: new URL(location, current.url), method: 'GET' };
      continue;
    }

    const body = await res.text();
    if (onApp) {
      if (!visitedIdp) {
        throw new IdpLoginError(`${opts.startUrl} did not redirect to the IdP`, res.status, current.url.href, body);
      }
      if (res.status >= 500) {
        throw new IdpLoginError(`app failed after the IdP redirect`, res.status, current.url.href, body);
      }
      return { cookie: jar.header(appOrigin) };
    }

    if (submittedLogin) {
      throw new IdpLoginError(`IdP rejected the login (HTTP ${res.status})`, res.status, current.url.href, body);
    }
    const form = findLoginForm(body);
    if (!form) throw new IdpLoginError(`IdP did not show a login form`, res.status, current.url.href, body);

    form.fields.set(form.usernameField, opts.username);
    form.fields.set(form.passwordField, opts.password);
    next = { url: new URL(form.action || current.url.href, current.url), method: 'POST', body: form.fields };
    submittedLogin = true;
  }
  throw new Error(`loginThroughIdp: more than ${MAX_HOPS} hops, probably a redirect loop`);
}

/**
 * Client credentials grant against the discovered token endpoint. Without
 * `scope`, a known dev client asks for all its API scopes, since the IdP
 * (like most real ones) grants none unless asked.
 */
export async function clientCredentialsToken(
  issuer: string,
  clientId: string,
  clientSecret: string,
  scope?: string,
): Promise<string> {
  const { token_endpoint: tokenEndpoint } = await discover(issuer);
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  const effectiveScope = scope ?? findDevClient(clientId)?.scopes.join(' ');
  if (effectiveScope) body.set('scope', effectiveScope);

  const res = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      // RFC 6749 §2.3.1: form-encode each part before base64.
      authorization: `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body,
  });
  const text = await res.text();
  let json: { access_token?: unknown; error?: unknown } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  if (!res.ok || typeof json?.access_token !== 'string') {
    const error = typeof json?.error === 'string' ? json.error : undefined;
    throw new TokenRequestError(`token request failed: HTTP ${res.status} ${error ?? ''}`.trim(), res.status, error, text);
  }
  return json.access_token;
}

async function discover(issuer: string): Promise<{ token_endpoint: string }> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`discovery failed: HTTP ${res.status} from ${url}`);
  const meta = (await res.json()) as { token_endpoint?: unknown };
  if (typeof meta.token_endpoint !== 'string') throw new Error(`discovery document at ${url} has no token_endpoint`);
  return { token_endpoint: meta.token_endpoint };
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

interface PendingRequest {
  url: URL;
  method: 'GET' | 'POST';
  body?: URLSearchParams;
}

async function send(req: PendingRequest, jar: CookieJar, appFetch: AppFetch | undefined): Promise<Response> {
  const headers = new Headers({ accept: 'text/html,application/xhtml+xml,*/*' });
  const cookie = jar.header(req.url.origin, req.url.pathname);
  if (cookie) headers.set('cookie', cookie);
  if (req.body) headers.set('content-type', 'application/x-www-form-urlencoded');
  const init: RequestInit = { method: req.method, headers, body: req.body?.toString(), redirect: 'manual' };
  return appFetch ? appFetch(new Request(req.url, init)) : fetch(req.url, init);
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt?: number;
}

/**
 * Minimal RFC 6265 jar keyed by origin. `Secure` is ignored on purpose:
 * browsers treat http://localhost as secure, and the apps under test set
 * Secure cookies while running on plain http.
 */
class CookieJar {
  private readonly byOrigin = new Map<string, StoredCookie[]>();

  store(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const parsed = parseSetCookie(line, url);
      if (!parsed) continue;
      const kept = (this.byOrigin.get(url.origin) ?? []).filter(
        (c) => !(c.name === parsed.name && c.path === parsed.path),
      );
      if (parsed.expiresAt === undefined || parsed.expiresAt > Date.now()) kept.push(parsed);
      this.byOrigin.set(url.origin, kept);
    }
  }

  /** Without `path`, every live cookie of the origin (longest path wins per name). */
  header(origin: string, path?: string): string {
    const now = Date.now();
    const live = (this.byOrigin.get(origin) ?? [])
      .filter((c) => (c.expiresAt === undefined || c.expiresAt > now) && (path === undefined || pathMatches(path, c.path)))
      .sort((a, b) => b.path.length - a.path.length);
    const chosen = path === undefined ? [...new Map(live.reverse().map((c) => [c.name, c])).values()] : live;
    return chosen.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

function parseSetCookie(line: string, url: URL): StoredCookie | undefined {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: StoredCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    path: defaultPath(url.pathname),
  };
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires' && cookie.expiresAt === undefined) {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) cookie.expiresAt = at;
    }
  }
  // Max-Age takes precedence over Expires (RFC 6265 §5.3 step 3).
  if (maxAge !== undefined) cookie.expiresAt = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
  return cookie;
}

function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const lastSlash = requestPath.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : requestPath.slice(0, lastSlash);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

interface LoginForm {
  action: string;
  fields: URLSearchParams;
  usernameField: string;
  passwordField: string;
}

/** Picks the form holding a password input and collects its fields as a browser would submit them. */
function findLoginForm(html: string): LoginForm | undefined {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const formAttrs = parseAttributes(match[1] ?? '');
    const inputs = [...(match[2] ?? '').matchAll(/<input\b([^>]*)>/gi)].map((m) => parseAttributes(m[1] ?? ''));
    const password = inputs.find((i) => i.get('type')?.toLowerCase() === 'password' && i.has('name'));
    if (!password) continue;
    const username =
      inputs.find((i) => i.get('id') === 'username' && i.has('name')) ??
      inputs.find((i) => ['text', 'email', undefined].includes(i.get('type')?.toLowerCase()) && i.has('name'));
    if (!username) continue;

    const fields = new URLSearchParams();
    for (const input of inputs) {
      const name = input.get('name');
      const type = input.get('type')?.toLowerCase();
      if (!name || input.has('disabled') || type === 'submit' || type === 'button') continue;
      if ((type === 'checkbox' || type === 'radio') && !input.has('checked')) continue;
      fields.append(name, input.get('value') ?? '');
    }
    return {
      action: formAttrs.get('action') ?? '',
      fields,
      usernameField: username.get('name') as string,
      passwordField: password.get('name') as string,
    };
  }
  return undefined;
}

function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (whole, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] ?? whole;
  });
}
