import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ibanToFinnishBban } from '../../domain/billing/iban';
import { buildKtl } from '../../integrations/transforms/ktl';
import { applicationData, newKey } from '../support/applications';
import { archiveId } from '../support/payments';
import { startWebStack } from '../support/webServer';

/**
 * The whole web server as integrations and browsers meet it (SvelteKit with the API mounted):
 * bearer clients are not held to the desk's form protection, the desk's forms are held to ours,
 * and pages carry the security headers with a CSP nonce for SvelteKit's start-up script.
 */
let web: Awaited<ReturnType<typeof startWebStack>>;

beforeAll(async () => {
  web = await startWebStack();
});
afterAll(async () => web?.close());

/** A plain HTTP request, as a program sends it: no Origin, no Sec-Fetch-* headers. */
const send = (path: string, init: RequestInit = {}) => fetch(`${web.baseUrl}${path}`, { redirect: 'manual', ...init });

describe('integrations with a bearer token', () => {
  it('bank-gateway uploads a KTL file (text/plain) with no Origin header', async () => {
    const token = await web.stack.token('bank-gateway');
    const ktl = buildKtl({
      header: { createdAt: '2019-03-02T06:30', bankGroup: '79', invoicerId: 'DEMO00001' },
      records: [
        { account: ibanToFinnishBban(web.stack.profile.iban), bookingDate: '2019-03-01', paymentDate: '2019-03-01', archiveId: archiveId('W'), reference: '1232', payerName: 'Maksaja M', amountCents: 1500 },
      ],
    });
    const res = await send('/api/v1/payment-files?filename=web.ktl', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: ktl });
    expect(res.status, await res.clone().text()).toBe(202);
    expect(await res.json()).toMatchObject({ format: 'ktl' });
  });

  it('an integration sending JSON as text/plain gets the API\'s 415 problem, not a 403', async () => {
    const token = await web.stack.token('eservices');
    const res = await send('/api/v1/applications', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'idempotency-key': newKey() },
      body: JSON.stringify({ data: applicationData() }),
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('bank-gateway gets the API\'s 415 problem for a multipart upload, not a form-protection 403', async () => {
    const token = await web.stack.token('bank-gateway');
    const form = new FormData();
    form.set('file', new Blob(['x'], { type: 'text/plain' }), 'bank.ktl');
    const res = await send('/api/v1/payment-files', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers text/plain without credentials with a problem: 415 on a public form, 401 on /api/v1', async () => {
    const body = JSON.stringify({ data: applicationData() });
    const publicForm = await send('/api/public/applications', { method: 'POST', headers: { 'content-type': 'text/plain', 'idempotency-key': newKey() }, body });
    expect(publicForm.status).toBe(415);
    expect(publicForm.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await publicForm.json()).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    const v1 = await send('/api/v1/applications', { method: 'POST', headers: { 'content-type': 'text/plain', 'idempotency-key': newKey() }, body });
    expect(v1.status).toBe(401);
    expect(v1.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('the desk\'s and the public forms\' actions', () => {
  const form = new URLSearchParams({ firstNames: 'Aino' }).toString();
  const post = (path: string, headers: Record<string, string>) => send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers }, body: form });

  it('refuses a form post from another origin, or naming none', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, {}] as Record<string, string>[]) {
      const res = await post('/join', { ...headers, accept: 'application/json' });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'cross_site_request' });
    }
  });

  it('answers a browser\'s refused form post with a 403 page in the reader\'s language', async () => {
    const fi = await post('/join', { origin: 'https://evil.example' });
    expect(fi.status).toBe(403);
    expect(fi.headers.get('content-type')).toContain('text/html');
    const fiPage = await fi.text();
    expect(fiPage).toContain('<html lang="fi">');
    expect(fiPage).toContain('Pyyntö tuli toiselta sivustolta');
    const sv = await post('/join', { origin: 'https://evil.example', cookie: 'lang=sv' });
    expect(await sv.text()).toContain('Begäran kom från en annan webbplats');
  });

  it('takes a form post from the desk\'s own origin', async () => {
    const res = await post('/join', { origin: web.baseUrl });
    // The form's own validation answers (the fields are incomplete); the origin check let it through.
    expect(res.status).toBe(400);
  });

  it('refuses a cross-site logout through the web server too', async () => {
    const cookie = await web.stack.login('caseworker', { fresh: true });
    const res = await send('/auth/logout', { method: 'POST', headers: { cookie, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect((await send('/api/v1/me', { headers: { cookie } })).status).toBe(200);
  });
});

describe('security headers of pages', () => {
  it('a rendered page has a strict CSP whose nonce is on SvelteKit\'s inline script, and the other headers', async () => {
    const res = await send('/join');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline.length).toBeGreaterThan(0);
    for (const attrs of inline) expect(attrs).toContain(`nonce="${nonce}"`);
    expect(html).not.toMatch(/\sstyle="/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('the API through the web server keeps its own headers', async () => {
    const res = await send('/api/openapi.json');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
