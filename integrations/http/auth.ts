import { getAuth, initOidcAuthMiddleware, type OidcAuthEnv, type OidcClaimsHook } from '@hono/oidc-auth';
import type { Context, MiddlewareHandler } from 'hono';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Principal, Role } from '../../services/principal';
import { roles as knownRoles } from '../../services/principal';
import { problem } from './problem';

export type AppEnv = { Variables: { principal: Principal } };

export interface AuthConfig {
  /** Session settings for the desk (authorization-code login at the fund's IdP). */
  oidc: Pick<OidcAuthEnv, 'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_AUTH_SECRET' | 'OIDC_REDIRECT_URI'> &
    Partial<OidcAuthEnv>;
  /** Verifies an integration's bearer token; null means "not a valid token". */
  verifyBearer: (token: string) => Promise<Principal | null>;
}

/** Keeps the display name and roles in the session so they survive token refresh. */
export const oidcClaimsHook: OidcClaimsHook = async (orig, claims) => {
  const source = (claims ?? orig ?? {}) as Record<string, unknown>;
  const roleClaim = Array.isArray(source.roles) ? source.roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    sub: String(source.sub ?? orig?.sub ?? ''),
    name: String(source.name ?? source.preferred_username ?? orig?.name ?? ''),
    roles: roleClaim.filter((r) => (knownRoles as readonly string[]).includes(r)),
  };
};

export function oidcSetup(config: AuthConfig): MiddlewareHandler {
  const init = initOidcAuthMiddleware({ OIDC_SCOPES: 'openid profile email offline_access roles', ...config.oidc });
  return async (c, next) => {
    c.set('oidcClaimsHook', oidcClaimsHook);
    return init(c, next);
  };
}

async function sessionPrincipal(c: Context): Promise<Principal | null> {
  const auth = await getAuth(c).catch(() => null);
  if (!auth?.sub) return null;
  const roles = Array.isArray(auth.roles) ? (auth.roles as string[]) : [];
  return { kind: 'user', id: String(auth.sub), name: String(auth.name ?? auth.sub), roles: roles as Role[] };
}

/** Zero trust: every /api/v1 call proves who it is, by bearer token or desk session. */
export function requirePrincipal(config: AuthConfig): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let principal: Principal | null;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      principal = match ? await config.verifyBearer(match[1]!) : null;
      if (!principal) {
        c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        return problem(c, 401, 'Unauthorized', 'The bearer token is not valid or has expired. Get a new one with the client-credentials grant.');
      }
    } else {
      principal = await sessionPrincipal(c);
      if (!principal) {
        c.header('WWW-Authenticate', 'Bearer');
        return problem(c, 401, 'Unauthorized', 'Log in at /auth/login, or send a bearer token (Authorization: Bearer …).');
      }
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
      return { kind: 'client', id: clientId, channel, scopes };
    } catch {
      return null;
    }
  };
}
