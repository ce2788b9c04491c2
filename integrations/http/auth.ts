import type { MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Principal } from '../../services/principal';
import type { SessionUser } from '../../services/sessions';
import type { DeskAuthConfig, DeskSessions } from './deskSession';
import { problem } from './problem';

/** What the claims hook caught at login, for the callback to start the session with. */
export interface DeskLogin {
  user: SessionUser;
  refreshToken: string | null;
}

export type AppEnv = { Variables: { principal: Principal; deskLogin: DeskLogin } };

export interface AuthConfig extends DeskAuthConfig {
  /** Verifies an integration's bearer token; null means "not a valid token". */
  verifyBearer: (token: string) => Promise<Principal | null>;
}

/** Zero trust: every /api/v1 call proves who it is, by bearer token or desk session. */
export function requirePrincipal(config: AuthConfig, desk: DeskSessions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let principal: Principal | null;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      principal = match ? await config.verifyBearer(match[1]!) : null;
      if (!principal) {
        c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        return problem(c, 401, 'Unauthorized', 'The bearer token is not valid or has expired. Get a new one with the client-credentials grant.', { code: 'bearer_token_invalid' });
      }
    } else {
      const user = await desk.currentUser(c);
      if (user === null) {
        c.header('WWW-Authenticate', 'Bearer');
        return problem(c, 401, 'Unauthorized', 'Log in at /auth/login, or send a bearer token (Authorization: Bearer …).', { code: 'login_required' });
      }
      if (user === 'ended') {
        c.header('WWW-Authenticate', 'Bearer');
        return problem(c, 401, 'Unauthorized', 'Your session has ended (logged out, timed out, or ended by an administrator or a change of roles). Log in again at /auth/login.', {
          code: 'session_ended',
        });
      }
      principal = { kind: 'user', id: user.id, name: user.name, roles: user.roles };
    }
    c.set('principal', principal);
    await next();
  };
}

/** How many verified tokens a process keeps (integrations are a handful of clients, each renewing its token now and then). */
const verifiedTokensKept = 1000;

/**
 * Verifies JWT access tokens from the IdP's JWKS; the scope claim lists what the client may do.
 * A token that verified is remembered until its `exp` (at most `verifiedTokensKept`, the oldest
 * forgotten first): an integration sends the same token with every request until it renews it,
 * and its signature check (RSA, in libuv's thread pool) was the largest single cost of a lookup
 * (docs/decisions/042-ekj-lookup-throughput.md). A remembered token is refused once its `exp` has
 * passed, as jwtVerify would; a token without `exp` is checked every time. What is remembered is
 * the principal, keyed by the whole token, so a token differing in any byte is verified anew.
 */
export function jwtBearerVerifier(opts: { issuer: string; audience: string; now?: () => number }): (token: string) => Promise<Principal | null> {
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  const now = opts.now ?? Date.now;
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  return async (token) => {
    const known = verified.get(token);
    if (known) {
      if (now() < known.expiresAt) return known.principal;
      verified.delete(token);
    }
    try {
      if (!jwks) {
        const discovery = (await (await fetch(`${opts.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
        jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
      }
      const { payload } = await jwtVerify(token, jwks, { issuer: opts.issuer, audience: opts.audience, currentDate: new Date(now()) });
      const clientId = typeof payload.client_id === 'string' ? payload.client_id : null;
      if (!clientId) return null;
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      const channel = typeof payload.channel === 'string' ? payload.channel : 'integration';
      const unionCode = typeof payload.union_code === 'string' && payload.union_code ? payload.union_code : undefined;
      // Frozen: the same object answers every request that carries this token.
      const principal: Principal = Object.freeze({ kind: 'client', id: clientId, channel, scopes: Object.freeze(scopes) as string[], ...(unionCode ? { unionCode } : {}) });
      if (typeof payload.exp === 'number') {
        if (verified.size >= verifiedTokensKept) verified.delete(verified.keys().next().value!);
        verified.set(token, { principal, expiresAt: payload.exp * 1000 });
      }
      return principal;
    } catch {
      return null;
    }
  };
}
