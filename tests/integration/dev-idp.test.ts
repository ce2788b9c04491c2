import {
  getAuth,
  initOidcAuthMiddleware,
  revokeSession,
  oidcAuthMiddleware,
  processOAuthCallback,
  type OidcAuthEnv,
  type OidcClaimsHook,
} from '@hono/oidc-auth';
import { Hono } from 'hono';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_AUDIENCE, WEB_CLIENT_ID, devClients, devUsers, startDevIdp, type DevIdp } from '../../integrations/dev-idp';
import { IdpLoginError, TokenRequestError, clientCredentialsToken, loginThroughIdp } from '../support/oidcLogin';

// Never listened on: requests to this origin go through app.request().
const APP_ORIGIN = 'http://desk.test';
const WEB_CLIENT_SECRET = 'desk-secret-for-tests';

// The default hook keeps only sub and email; the desk needs the roles.
const claimsHook: OidcClaimsHook = async (orig, claims) => ({
  sub: claims?.sub ?? orig?.sub ?? '',
  name: claims?.name ?? orig?.name ?? '',
  preferred_username: claims?.preferred_username ?? orig?.preferred_username ?? '',
  roles: claims?.roles ?? orig?.roles ?? [],
});

function createDeskApp(
  issuer: string,
  extra: Partial<OidcAuthEnv> = {},
  onTokenResponse?: (response: Parameters<OidcClaimsHook>[2]) => void,
) {
  const app = new Hono();
  // Same keys as the OIDC_* environment variables, but without touching process.env.
  app.use(
    '*',
    initOidcAuthMiddleware({
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: WEB_CLIENT_ID,
      OIDC_CLIENT_SECRET: WEB_CLIENT_SECRET,
      OIDC_AUTH_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
      OIDC_REDIRECT_URI: `${APP_ORIGIN}/auth/callback`,
      ...extra,
    }),
  );
  app.use('*', async (c, next) => {
    c.set('oidcClaimsHook', async (orig, claims, response) => {
      onTokenResponse?.(response);
      return claimsHook(orig, claims, response);
    });
    await next();
  });
  app.get('/auth/login', oidcAuthMiddleware(), (c) => c.redirect('/'));
  app.get('/auth/callback', (c) => processOAuthCallback(c));
  app.get('/me', async (c) => {
    const auth = await getAuth(c);
    return auth ? c.json(auth) : c.json({ error: 'unauthenticated' }, 401);
  });
  app.post('/auth/logout', async (c) => {
    await revokeSession(c);
    return c.redirect('/');
  });
  app.get('/', (c) => c.text('desk'));
  return app;
}

describe('dev IdP', () => {
  let idp: DevIdp;

  beforeAll(async () => {
    idp = await startDevIdp({
      port: 0,
      webRedirectUris: [`${APP_ORIGIN}/auth/callback`],
      webClientSecret: WEB_CLIENT_SECRET,
    });
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('uses the bound port in the issuer when started on port 0', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/localhost:[1-9]\d*$/);
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    const meta = (await res.json()) as { issuer: string; scopes_supported: string[] };
    expect(meta.issuer).toBe(idp.issuer);
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'roles']));
  });

  it('answers its root with a page listing the test logins and API clients, not a bare Not Found', async () => {
    const res = await fetch(`${idp.issuer}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    for (const user of devUsers) expect(html).toContain(`<code>${user.username}</code>`);
    for (const client of devClients) expect(html).toContain(`<code>${client.clientId}</code>`);
    expect(html).toContain(idp.issuer);
  });

  it('logs a caseworker into a Hono app using @hono/oidc-auth', async () => {
    let accessToken: string | undefined;
    const app = createDeskApp(idp.issuer, {}, (response) => {
      accessToken = response.access_token;
    });
    const { cookie } = await loginThroughIdp({
      startUrl: `${APP_ORIGIN}/auth/login`,
      username: 'caseworker',
      password: 'caseworker',
      appOrigin: APP_ORIGIN,
      appFetch: (req) => app.request(req),
    });
    expect(cookie).toContain('oidc-auth=');

    const res = await app.request(`${APP_ORIGIN}/me`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const me = (await res.json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      sub: 'caseworker',
      preferred_username: 'caseworker',
      name: 'Kaisa Käsittelijä',
      roles: ['caseworker'],
    });
    expect(me.rtk).toEqual(expect.any(String));
    expect(me.rtk).not.toBe('');

    // The desk's access token is for the userinfo endpoint, which must carry the same claims.
    const userinfo = await fetch(`${idp.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({
      sub: 'caseworker',
      preferred_username: 'caseworker',
      name: 'Kaisa Käsittelijä',
      roles: ['caseworker'],
    });
  });

  it('keeps multiple roles and survives a refresh_token round trip', async () => {
    // A negative interval makes every getAuth() refresh against the IdP.
    const app = createDeskApp(idp.issuer, { OIDC_AUTH_REFRESH_INTERVAL: '-1' });
    const { cookie } = await loginThroughIdp({
      startUrl: `${APP_ORIGIN}/auth/login`,
      username: 'supervisor',
      password: 'supervisor',
      appOrigin: APP_ORIGIN,
      appFetch: (req) => app.request(req),
    });

    const res = await app.request(`${APP_ORIGIN}/me`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain('oidc-auth=');
    expect(await res.json()).toMatchObject({ sub: 'supervisor', roles: ['caseworker', 'supervisor'] });
  });

  it('revokes the refresh token on logout', async () => {
    const app = createDeskApp(idp.issuer, { OIDC_AUTH_REFRESH_INTERVAL: '-1' });
    const { cookie } = await loginThroughIdp({
      startUrl: `${APP_ORIGIN}/auth/login`,
      username: 'admin',
      password: 'admin',
      appOrigin: APP_ORIGIN,
      appFetch: (req) => app.request(req),
    });
    const logout = await app.request(`${APP_ORIGIN}/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(logout.status).toBe(302);

    // The old cookie still verifies locally, so the forced refresh proves the IdP forgot the token.
    const me = await app.request(`${APP_ORIGIN}/me`, { headers: { cookie } });
    expect(me.status).toBe(401);
  });

  it('shows the login page again with an alert and 401 on a wrong password', async () => {
    const app = createDeskApp(idp.issuer);
    const error = await loginThroughIdp({
      startUrl: `${APP_ORIGIN}/auth/login`,
      username: 'caseworker',
      password: 'not-the-password',
      appOrigin: APP_ORIGIN,
      appFetch: (req) => app.request(req),
    }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(IdpLoginError);
    const { status, body } = error as IdpLoginError;
    expect(status).toBe(401);
    expect(body).toMatch(/<p[^>]*role="alert"[^>]*>[^<]+/);
    expect(body).toContain('<html lang="fi">');
    expect(body).toContain('<main>');
    expect(body).toContain('Jäsenrekisteri – kehityskirjautuminen');
    expect(body).toMatch(/<label for="username">/);
    expect(body).toMatch(/<label for="password">/);
    expect(body).toContain('value="caseworker"');
  });

  it('issues RS256 JWT access tokens for the API via client credentials', async () => {
    const token = await clientCredentialsToken(idp.issuer, 'eservices', 'eservices-secret');
    const jwks = createRemoteJWKSet(new URL(`${idp.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: idp.issuer,
      audience: API_AUDIENCE,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.client_id).toBe('eservices');
    expect(String(payload.scope).split(' ')).toContain('applications:write');
    expect(payload.channel).toBe('e-services');
  });

  it('accepts client_secret_post and never grants scopes beyond the client allow-list', async () => {
    const res = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'readonly-reporting',
        client_secret: 'readonly-reporting-secret',
        scope: 'reports:read applications:write',
      }),
    });
    expect(res.status).toBe(200);
    const { access_token: token } = (await res.json()) as { access_token: string };
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${idp.issuer}/jwks`)), {
      audience: API_AUDIENCE,
    });
    expect(payload.scope).toBe('reports:read');
    expect(payload.channel).toBe('reporting');
  });

  it('refuses a wrong client secret', async () => {
    const error = await clientCredentialsToken(idp.issuer, 'eservices', 'wrong-secret').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect([400, 401]).toContain((error as TokenRequestError).status);
    expect((error as TokenRequestError).error).toBe('invalid_client');
  });
});
