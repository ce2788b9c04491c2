import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { auditLog, deskSessions } from '../../db/schema';
import { devUsers, startDevIdp, type DevIdp, type DevUser } from '../../integrations/dev-idp';
import { createApp } from '../../integrations/http/app';
import { docsStyle } from '../../integrations/http/openapi';
import { apiClient, type ApiInit } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { loginThroughIdp } from '../support/oidcLogin';
import { startStack, type Stack } from '../support/stack';

/**
 * The desk's sessions (issue 9, items 3–6): a row per session that every request checks, logout,
 * timeouts, role changes at the IdP and administrators ending them; the origin check of cookie
 * requests; the login's return address; the security headers of the API's answers.
 */
let stack: Stack;
let idp: DevIdp;
let webOrigin: string;
/** This file's own IdP users, so a test can change someone's roles at the IdP. */
const users: DevUser[] = structuredClone(devUsers);
const api = (path: string, init: ApiInit = {}) => apiClient(stack).api(path, init);

beforeAll(async () => {
  webOrigin = inject('webOrigin');
  idp = await startDevIdp({ port: 0, webRedirectUris: [`${webOrigin}/auth/callback`], users });
  stack = await startStack({ issuer: idp.issuer });
});
afterAll(async () => {
  await stack?.close();
  await idp?.close();
});

/** A new session of its own: tests here end sessions, so none shares the stack's cached ones. */
const login = (user: string) => stack.login(user, { fresh: true });
const tokenOf = (cookie: string) => /(?:^|; )desk_session=([^;]+)/.exec(cookie)![1]!;
const rowOf = async (cookie: string) => {
  const hash = createHash('sha256').update(tokenOf(cookie)).digest('hex');
  const [row] = await stack.db.select().from(deskSessions).where(eq(deskSessions.tokenHash, hash));
  return row!;
};
const me = (cookie: string) => api('/api/v1/me', { cookie });

describe('the session cookie', () => {
  it('carries only a random session id, HttpOnly and SameSite=Lax, and the refresh token stays on the server', async () => {
    const setCookies: string[] = [];
    const { cookie } = await loginThroughIdp({
      startUrl: `${webOrigin}/auth/login`,
      username: 'caseworker',
      password: 'caseworker',
      appOrigin: webOrigin,
      appFetch: async (req) => {
        const res = await stack.app.request(req);
        if (new URL(req.url).pathname === '/auth/callback') setCookies.push(...res.headers.getSetCookie());
        return res;
      },
    });
    const session = setCookies.filter((c) => c.startsWith('desk_session='));
    expect(session).toHaveLength(1);
    expect(session[0]).toMatch(/; HttpOnly/);
    expect(session[0]).toMatch(/; SameSite=Lax/);
    // The desk runs on http here; Secure is set when PUBLIC_BASE_URL is https (below).
    expect(session[0]).not.toMatch(/; Secure/);
    // No cookie of the OIDC library's (a signed token with the refresh token inside) reaches the browser.
    expect(setCookies.filter((c) => /^oidc-/.test(c) && !/=;/.test(c))).toEqual([]);
    expect(tokenOf(cookie)).toMatch(/^[\w-]{43}$/);

    const row = await rowOf(cookie);
    expect(row).toMatchObject({ userId: 'caseworker', roles: ['caseworker'], endedAt: null });
    expect(row.refreshToken).toEqual(expect.any(String));
    // Only the hash of the cookie's token is stored.
    expect(row.tokenHash).not.toContain(tokenOf(cookie));
    expect((await me(cookie)).body).toMatchObject({ kind: 'user', id: 'caseworker', roles: ['caseworker'] });
  });
});

describe('ending a session', () => {
  it('logout ends the session at once: the old cookie is refused', async () => {
    const cookie = await login('caseworker');
    expect((await me(cookie)).status).toBe(200);
    const out = await api('/auth/logout', { method: 'POST', cookie });
    expect(out.status).toBe(303);
    // On to the IdP, which may end its own session, and from there back to the desk.
    const next = new URL(out.headers.get('location') ?? '');
    expect(next.href.startsWith(`${idp.issuer}/`)).toBe(true);
    expect(next.searchParams.get('post_logout_redirect_uri')).toBe(`${webOrigin}/`);
    const atIdp = await fetch(next);
    expect(atIdp.status).toBe(200);
    expect(await atIdp.text()).toMatch(/session\/end/);
    expect(out.headers.getSetCookie().join('\n')).toMatch(/desk_session=;/);

    const after = await me(cookie);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('session_ended');
    const row = await rowOf(cookie);
    expect(row).toMatchObject({ endReason: 'logout', refreshToken: null });
    const [audit] = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'desk-session'), eq(auditLog.entityId, row.id), eq(auditLog.action, 'session.ended')));
    expect(audit).toMatchObject({ actor: 'caseworker', details: { reason: 'logout', user: 'caseworker' } });
  });

  it('ends a session unused longer than the idle timeout', async () => {
    const cookie = await login('caseworker');
    const row = await rowOf(cookie);
    await stack.db.update(deskSessions).set({ lastSeenAt: sql`now() - interval '31 minutes'` }).where(eq(deskSessions.id, row.id));
    const res = await me(cookie);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('session_ended');
    expect(await rowOf(cookie)).toMatchObject({ endReason: 'idle' });
  });

  it('keeps a session used within the idle timeout, and ends it at its absolute end however busy', async () => {
    const cookie = await login('caseworker');
    const row = await rowOf(cookie);
    await stack.db.update(deskSessions).set({ lastSeenAt: sql`now() - interval '29 minutes'` }).where(eq(deskSessions.id, row.id));
    expect((await me(cookie)).status).toBe(200);
    // The request counted as use: the session is no longer near its idle end.
    expect((await rowOf(cookie)).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);

    await stack.db.update(deskSessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(deskSessions.id, row.id));
    expect((await me(cookie)).status).toBe(401);
    expect(await rowOf(cookie)).toMatchObject({ endReason: 'expired' });
  });

  it('ends the session when the IdP answers the periodic check with other roles', async () => {
    const supervisor = users.find((u) => u.username === 'supervisor')!;
    const cookie = await login('supervisor');
    const row = await rowOf(cookie);
    const due = () => stack.db.update(deskSessions).set({ refreshAt: sql`now() - interval '1 second'` }).where(eq(deskSessions.id, row.id));

    // The same roles: the check passes, the refresh token is renewed, the next check is later.
    await due();
    expect((await me(cookie)).status).toBe(200);
    const checked = await rowOf(cookie);
    expect(checked.refreshAt.getTime()).toBeGreaterThan(Date.now());
    expect(checked.refreshToken).not.toBe(row.refreshToken);

    supervisor.roles = ['caseworker'];
    try {
      await due();
      const res = await me(cookie);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('session_ended');
      expect(await rowOf(cookie)).toMatchObject({ endReason: 'roles-changed', refreshToken: null });
    } finally {
      supervisor.roles = ['caseworker', 'supervisor'];
    }
    // A new login carries the roles the IdP has now.
    expect((await me(await login('supervisor'))).body.roles).toEqual(['caseworker', 'supervisor']);
  });

  it('an administrator lists the live sessions and ends all of a user\'s at once (audited)', async () => {
    const admin = await login('admin');
    const [first, second] = [await login('billing'), await login('billing')];
    const listed = await api('/api/v1/sessions', { cookie: admin });
    expect(listed.status).toBe(200);
    const billingSessions = listed.body.items.filter((s: { user: { id: string } }) => s.user.id === 'billing');
    expect(billingSessions.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([(await rowOf(first)).id, (await rowOf(second)).id]));
    expect(billingSessions[0]).toMatchObject({ user: { id: 'billing', name: 'Laura Laskuttaja' }, roles: ['billing'] });

    // Only administrators: not another desk role, not an integration.
    expect((await api('/api/v1/users/billing/sessions', { method: 'DELETE', cookie: first })).status).toBe(403);
    expect((await api('/api/v1/sessions', { cookie: first })).status).toBe(403);
    expect((await api('/api/v1/users/billing/sessions', { method: 'DELETE', token: await stack.token('eservices') })).status).toBe(403);
    expect((await me(first)).status).toBe(200);

    const ended = await api('/api/v1/users/billing/sessions', { method: 'DELETE', cookie: admin });
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ userId: 'billing', ended: expect.any(Number) });
    expect(ended.body.ended).toBeGreaterThanOrEqual(2);
    for (const cookie of [first, second]) {
      expect((await me(cookie)).status).toBe(401);
      const row = await rowOf(cookie);
      expect(row.endReason).toBe('ended-by-admin');
      const [audit] = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, row.id), eq(auditLog.action, 'session.ended')));
      expect(audit).toMatchObject({ actor: 'admin', actorKind: 'user', details: { reason: 'ended-by-admin', user: 'billing' } });
    }
    expect((await me(admin)).status).toBe(200);
    expect((await api('/api/v1/users/nobody-at-all/sessions', { method: 'DELETE', cookie: admin })).body).toEqual({ userId: 'nobody-at-all', ended: 0 });
  });
});

describe('cross-site requests with the session cookie', () => {
  /** Sent as is: no Origin unless the test names one (the test client adds the desk's to cookie posts). */
  const claim = (cookie: string, headers: Record<string, string>) =>
    stack.app.request(`${webOrigin}/api/v1/tasks/${randomUUID()}/claim`, { method: 'POST', headers: { cookie, ...headers } });

  it('refuses a bodiless POST (claiming a task) from another origin, or from nowhere', async () => {
    const cookie = await login('caseworker');
    for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: 'http://localhost' }, { 'sec-fetch-site': 'cross-site' }, {}] as Record<string, string>[]) {
      const res = await claim(cookie, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { code: string }).code).toBe('cross_site_request');
    }
    // The desk's own origin passes the check (and the task, which does not exist, is then not found).
    expect((await claim(cookie, { origin: webOrigin })).status).toBe(404);
    expect((await claim(cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(404);
  });

  it('refuses a cross-site logout, and the session goes on', async () => {
    const cookie = await login('caseworker');
    const res = await api('/auth/logout', { method: 'POST', cookie, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('cross_site_request');
    expect((await me(cookie)).status).toBe(200);
  });

  it('does not hold a bearer-token client to the check', async () => {
    const token = await stack.token('eservices');
    const res = await api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey(), origin: 'https://elsewhere.example' }, body: JSON.stringify({ data: applicationData() }) });
    expect(res.status).toBe(201);
  });
});

describe('the return address after login', () => {
  const variants = ['/\\evil.example', '//evil.example', '/\\/evil.example', 'https://evil.example/', '/.//evil.example', '/\t/evil.example', 'javascript:alert(1)', '%2F%2Fevil.example'];

  it.each(variants)('sends a signed-in user to the desk, not to %j', async (returnTo) => {
    const cookie = await login('caseworker');
    const res = await api(`/auth/login?returnTo=${encodeURIComponent(returnTo)}`, { cookie });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!, webOrigin);
    expect(location.origin).toBe(webOrigin);
    expect(location.pathname).toBe('/');
  });

  it('keeps a path on the desk', async () => {
    const cookie = await login('caseworker');
    const res = await api(`/auth/login?returnTo=${encodeURIComponent('/tasks/1?x=1')}`, { cookie });
    expect(res.headers.get('location')).toBe(`${webOrigin}/tasks/1?x=1`);
  });

  it('ends a whole login that started with a foreign returnTo on the desk', async () => {
    const seen: string[] = [];
    await loginThroughIdp({
      startUrl: `${webOrigin}/auth/login?returnTo=${encodeURIComponent('/\\evil.example')}`,
      username: 'caseworker',
      password: 'caseworker',
      appOrigin: webOrigin,
      appFetch: async (req) => {
        const res = await stack.app.request(req);
        const location = res.headers.get('location');
        if (location) seen.push(new URL(location, req.url).origin);
        return res;
      },
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((origin) => origin === webOrigin || origin === idp.issuer)).toBe(true);
  });
});

describe('the API\'s answers', () => {
  it('carry the security headers: JSON, problems and redirects', async () => {
    for (const res of [await api('/api/openapi.json'), await api('/api/v1/me'), await api('/auth/login?returnTo=/')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      // Served over http here: no HSTS (see the https app below).
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('serves the API docs under a policy that allows exactly their stylesheet', async () => {
    const res = await api('/api/docs');
    const csp = res.headers.get('content-security-policy')!;
    const hash = createHash('sha256').update(docsStyle).digest('base64');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(res.text).toContain(`<style>${docsStyle}</style>`);
    expect(res.text).not.toMatch(/<script/);
  });

  it('adds HSTS and Secure cookies when PUBLIC_BASE_URL is https', async () => {
    const base = 'https://kassa.example';
    const app = createApp({
      ctx: stack.ctx,
      publicBaseUrl: base,
      auth: {
        oidc: { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: 'jasenrekisteri-desk', OIDC_CLIENT_SECRET: 'dev-desk-secret-change-me', OIDC_AUTH_SECRET: 'test-session-secret-that-is-long-enough-0123456789', OIDC_REDIRECT_URI: `${base}/auth/callback` },
        verifyBearer: async () => null,
      },
    });
    const doc = await app.request('https://kassa.example/api/openapi.json');
    expect(doc.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const out = await app.request('https://kassa.example/auth/logout', { method: 'POST', headers: { cookie: 'desk_session=unknown', origin: base } });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('desk_session='))).toMatch(/; Secure/);
  });

  it('answers a text/plain body to a JSON operation with 415 problem+json, storing nothing', async () => {
    const res = await api('/api/public/applications', { method: 'POST', headers: { 'content-type': 'text/plain', 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData() }) });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('unsupported_media_type');
    const token = await stack.token('eservices');
    const bearer = await api('/api/v1/applications', { method: 'POST', token, headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': newKey() }, body: 'data=1' });
    expect(bearer.status).toBe(415);
  });
});
