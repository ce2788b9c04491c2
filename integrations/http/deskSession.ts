/**
 * The desk's login and session (docs/decisions/008-desk-sessions.md). `@hono/oidc-auth` runs the
 * OpenID Connect flow (the redirect to the IdP with state, nonce and PKCE, the code exchange and
 * the ID token's checks); its claims hook hands us the IdP's answer, and its own cookie (a signed
 * token carrying the refresh token) never leaves the server. In its place the browser gets a
 * random session token, HttpOnly and SameSite=Lax, that names a row in desk_sessions
 * (services/sessions.ts). Every request checks the row; every few minutes the refresh token is
 * spent at the IdP, and other roles (or no answer) end the session.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import {
  getAuthorizationServer,
  getClient,
  initOidcAuthMiddleware,
  oidcAuthMiddleware,
  processOAuthCallback,
  type OidcAuthEnv,
} from '@hono/oidc-auth';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, generateCookie, getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import * as oauth2 from 'oauth4webapi';
import type { ServiceContext } from '../../services/context';
import {
  defaultSessionSettings,
  endSession,
  resumeSession,
  sessionChecked,
  sessionUserOf,
  startSession,
  type SessionSettings,
  type SessionUser,
} from '../../services/sessions';
import type { AppEnv } from './auth';
import { problem } from './problem';
import { safeReturnUrl } from './sameOrigin';

export interface DeskAuthConfig {
  /** The desk's client at the fund's IdP (authorization-code login); OIDC_AUTH_SECRET also seals the refresh tokens. */
  oidc: Pick<OidcAuthEnv, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_AUTH_SECRET' | 'OIDC_REDIRECT_URI'> & Partial<OidcAuthEnv>;
  /** Idle and absolute timeouts and the role-check interval; defaults in services/sessions.ts. */
  sessions?: Partial<SessionSettings>;
}

/** The desk's session cookie: the random token only. */
export const SESSION_COOKIE = 'desk_session';
/** The library's session cookie, set at the callback and removed before the answer leaves. */
const LIBRARY_COOKIE = 'oidc-handoff';

/** AES-256-GCM under a key derived from the session secret: the refresh tokens at rest. */
function sealer(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'jasenrekisteri', 'desk-session refresh token', 32));
  return {
    seal(plain: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    /** Null when it does not open (sealed under another secret): the session then cannot be renewed. */
    open(sealed: string): string | null {
      try {
        const raw = Buffer.from(sealed, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}

export function deskSessions(ctx: ServiceContext, config: DeskAuthConfig, publicBaseUrl: string) {
  const settings: SessionSettings = { ...defaultSessionSettings, ...config.sessions };
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'Lax', secure: publicBaseUrl.startsWith('https:') } as const;
  const tokens = sealer(config.oidc.OIDC_AUTH_SECRET);
  const init = initOidcAuthMiddleware({
    OIDC_SCOPES: 'openid profile email offline_access roles',
    // The IdP sends the browser back to the public address, whatever host the request named.
    OIDC_AUTH_EXTERNAL_URL: publicBaseUrl,
    ...config.oidc,
    OIDC_COOKIE_NAME: LIBRARY_COOKIE,
  });
  /** The IdP's metadata, discovered once per process rather than on every login and role check. */
  let authorizationServer: oauth2.AuthorizationServer | undefined;

  /** The library's settings, and a claims hook that keeps the IdP's answer for the callback. */
  const oidc: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (authorizationServer) c.set('oidcAuthorizationServer', authorizationServer);
    c.set('oidcClaimsHook', async (_orig, claims, response) => {
      c.set('deskLogin', { user: sessionUserOf({ ...claims }), refreshToken: response.refresh_token ?? null });
      // Not into the library's token: the refresh token stays in the session row.
      delete (response as { refresh_token?: string }).refresh_token;
      return { sub: claims?.sub ?? '' };
    });
    return init(c, next);
  };

  async function idp(c: Context) {
    authorizationServer ??= await getAuthorizationServer(c);
    return { as: authorizationServer, client: getClient(c) };
  }

  /** Spends the refresh token at the IdP: the user's claims now, or null when it refuses or cannot be asked. */
  async function askIdp(c: Context, expectedUser: string, sealed: string | null): Promise<{ user: SessionUser; refreshToken: string } | null> {
    const refreshToken = sealed ? tokens.open(sealed) : null;
    if (!refreshToken) return null;
    try {
      const { as, client } = await idp(c);
      const result = await oauth2.processRefreshTokenResponse(as, client, await oauth2.refreshTokenGrantRequest(as, client, refreshToken));
      if (oauth2.isOAuth2Error(result)) return null;
      // An IdP that sends no new ID token on refresh answers the same claims at userinfo.
      const claims =
        oauth2.getValidatedIdTokenClaims(result) ??
        (await oauth2.processUserInfoResponse(as, client, expectedUser, await oauth2.userInfoRequest(as, client, result.access_token)));
      return { user: sessionUserOf({ ...claims }), refreshToken: tokens.seal(result.refresh_token ?? refreshToken) };
    } catch {
      return null;
    }
  }

  /** Best effort: the session has ended here whatever the IdP says. */
  async function revokeAtIdp(c: Context, sealed: string): Promise<void> {
    const refreshToken = tokens.open(sealed);
    if (!refreshToken) return;
    try {
      const { as, client } = await idp(c);
      if (as.revocation_endpoint) await oauth2.processRevocationResponse(await oauth2.revocationRequest(as, client, refreshToken));
    } catch {
      // The token expires at the IdP in its own time; no one holds it any more.
    }
  }

  const dropCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, cookieOptions);

  /**
   * The request's desk user: null without a session cookie, 'ended' when the cookie names no live
   * session (logged out, timed out, ended by an administrator or by a role change); the cookie is
   * then dropped.
   */
  async function currentUser(c: Context): Promise<SessionUser | 'ended' | null> {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) return null;
    const session = await resumeSession(ctx, settings, token);
    let user = session?.user ?? null;
    if (session?.refresh) user = await sessionChecked(ctx, settings, session, await askIdp(c, session.user.id, session.refresh.refreshToken));
    if (user) return user;
    dropCookie(c);
    return 'ended';
  }

  const loginFailed = (c: Context) =>
    problem(c, 400, 'Login failed', 'The login could not be completed (it expired, or the page was reloaded). Start again at /auth/login.', { code: 'login_failed' });

  const startLogin = oidcAuthMiddleware();

  /** GET /auth/login?returnTo=: to the IdP, or straight back to `returnTo` (same-origin paths only) when signed in. */
  const login: MiddlewareHandler<AppEnv> = async (c, next) => {
    const target = safeReturnUrl(c.req.query('returnTo'), publicBaseUrl);
    const user = await currentUser(c);
    if (user && user !== 'ended') return c.redirect(target);
    // The library redirects to the IdP (its own cookie never reaches the browser, so it always does).
    return startLogin(c, next);
  };

  /** GET /auth/callback: the library checks the IdP's answer; the desk session starts and its cookie replaces the library's. */
  const callback: MiddlewareHandler<AppEnv> = async (c) => {
    let res: Response;
    try {
      res = await processOAuthCallback(c);
    } catch (error) {
      if (error instanceof HTTPException) return loginFailed(c);
      throw error;
    }
    const login = c.get('deskLogin');
    if (!login?.user.id) return loginFailed(c);
    const { token } = await startSession(ctx, settings, login.user, login.refreshToken ? tokens.seal(login.refreshToken) : null);
    const headers = new Headers([...res.headers].filter(([name]) => name !== 'set-cookie'));
    for (const line of res.headers.getSetCookie()) if (!line.startsWith(`${LIBRARY_COOKIE}=`)) headers.append('set-cookie', line);
    headers.append('set-cookie', generateCookie(SESSION_COOKIE, token, cookieOptions));
    return new Response(null, { status: res.status, headers });
  };

  /**
   * Where the browser goes after logout: the IdP's end-session endpoint (RP-initiated logout), so
   * the IdP's own session can end too and the next login asks for the password, and from there back
   * to the desk's root. The desk's root when the IdP names no such endpoint.
   */
  async function afterLogout(c: Context): Promise<string> {
    const root = new URL('/', publicBaseUrl).href;
    try {
      const { as } = await idp(c);
      if (!as.end_session_endpoint) return root;
      const url = new URL(as.end_session_endpoint);
      url.searchParams.set('client_id', config.oidc.OIDC_CLIENT_ID);
      url.searchParams.set('post_logout_redirect_uri', root);
      return url.href;
    } catch {
      return root;
    }
  }

  /** POST /auth/logout: the session ends at once, its refresh token is revoked, and the IdP is asked to end its own. */
  const logout: MiddlewareHandler<AppEnv> = async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    const ended = token ? await endSession(ctx, token) : null;
    if (ended?.refreshToken) await revokeAtIdp(c, ended.refreshToken);
    dropCookie(c);
    return c.redirect(await afterLogout(c), 303);
  };

  return { settings, oidc, login, callback, logout, currentUser };
}

export type DeskSessions = ReturnType<typeof deskSessions>;
