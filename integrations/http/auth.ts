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

/** Verifies JWT access tokens from the IdP's JWKS; the scope claim lists what the client may do. */
export function jwtBearerVerifier(opts: { issuer: string; audience: string }): (token: string) => Promise<Principal | null> {
  let jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  return async (token) => {
    try {
      if (!jwks) {
        const discovery = (await (await fetch(`${opts.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
        jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
      }
      const { payload } = await jwtVerify(token, jwks, { issuer: opts.issuer, audience: opts.audience });
      const clientId = typeof payload.client_id === 'string' ? payload.client_id : null;
      if (!clientId) return null;
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      const channel = typeof payload.channel === 'string' ? payload.channel : 'integration';
      const unionCode = typeof payload.union_code === 'string' && payload.union_code ? payload.union_code : undefined;
      return { kind: 'client', id: clientId, channel, scopes, ...(unionCode ? { unionCode } : {}) };
    } catch {
      return null;
    }
  };
}
