import { randomInt } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { gotoReady, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

/**
 * Issues 10.1, 10.2, 10.3, 10.5 and 9.8 in the browser: empty reports, queue rows that say whom
 * they are about, applications found and opened, each role's start page and the auditor's log.
 */
const stack = useBrowserStack();

function uniqueSurname(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let tail = '';
  for (let i = 0; i < 6; i++) tail += letters[randomInt(letters.length)];
  return `Selain${tail}nen`;
}

/** An application from e-services, left where `employment` takes it (a supplement, a review). */
async function submit(data: ReturnType<typeof applicationData>, wanted: string[]): Promise<string> {
  const bearer = await stack.web.stack.token('eservices');
  const { api, waitForStatus } = apiClient(stack.web.stack, { as: { token: bearer } });
  const res = await api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  expect(res.status, res.text).toBe(201);
  await waitForStatus(res.body.id, wanted, { timeoutMs: 60_000 });
  return res.body.id as string;
}

/** Signs in from the desk's front door and returns where the role landed. */
async function logInAtRoot(browser: Browser, user: string): Promise<Page> {
  const { baseUrl } = stack.web;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(`${baseUrl}/`);
  await page.waitForSelector('#username', { timeout: 30_000 });
  await page.fill('#username', user);
  await page.fill('#password', user);
  await page.locator('form:has(#password) button[type="submit"]').click();
  await page.waitForURL((url) => url.origin === baseUrl && !['/', '/auth/callback'].includes(url.pathname), { timeout: 30_000 });
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', undefined, POLL);
  return page;
}

const navLinks = async (page: Page) => (await page.locator('.app-nav a').allTextContents()).map((s) => s.trim());
const pathOf = (page: Page) => new URL(page.url()).pathname;

describe('each role starts where its work is', () => {
  it('lands caseworkers on the queue, billing on billing, administrators on /admin and auditors on /audit, with only their links', async () => {
    const expected: Record<string, { path: string; nav: string[] }> = {
      caseworker: { path: '/queue', nav: ['Työjono', 'Jäsenhaku', 'Liittoerät', 'Perintä'] },
      billing: { path: '/billing', nav: ['Työjono', 'Jäsenhaku', 'Laskutus', 'Suoritukset', 'Liittoerät', 'Perintä', 'Verovuosi-ilmoitus', 'Raportit', 'Tilastot'] },
      admin: { path: '/admin', nav: ['Jäsenhaku', 'Laskutus', 'Liittoerät', 'Perintä', 'Verovuosi-ilmoitus', 'Raportit', 'Tilastot', 'Ylläpito'] },
      auditor: { path: '/audit', nav: ['Lokitiedot'] },
    };
    for (const [user, want] of Object.entries(expected)) {
      const page = await logInAtRoot(stack.browser, user);
      try {
        expect(pathOf(page), user).toBe(want.path);
        expect(await navLinks(page), user).toEqual(want.nav);
        if (user === 'admin') {
          const links = await page.getByTestId('admin-pages').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
          expect(links).toEqual(['/admin/sessions', '/admin/schedules', '/admin/outbox', '/admin/fund-config', '/admin/templates', '/admin/migration', '/billing/fees', '/billing', '/reports', '/reports/reconciliations', '/unions']);
          expect(await seriousViolations(page)).toEqual([]);
          await screenshot(page, 'admin-start');
        }
        if (user === 'auditor') expect(await page.getByTestId('member-search').count()).toBe(0);
        expect((page as Page & { errors?: string[] }).errors).toEqual([]);
      } finally {
        await page.context().close();
      }
    }
  });
});

describe('reports with nothing to show (10.1)', () => {
  it('shows an empty state instead of crashing when every figure is zero', async () => {
    const page = await logInAtRoot(stack.browser, 'billing');
    try {
      const errors = (page as Page & { errors?: string[] }).errors!;
      // Before the fund existed: no invoices, no payments, nothing open.
      await gotoReady(page, `${stack.web.baseUrl}/reports?from=1990-01-01&to=1990-12-31&on=1990-06-30`);
      await expect.poll(() => textOf(page.getByTestId('fee-income-empty')), POLL).toContain('Ei laskutettua');
      expect(await textOf(page.getByTestId('aging-empty'))).toContain('Ei avoimia saatavia');
      expect(await page.getByTestId('fee-income-chart').count()).toBe(0);
      // Still interactive after hydration: the range form works.
      await page.fill('#report-to', '1990-03-31');
      await page.locator('[data-testid="report-range"] button[type="submit"]').click();
      await page.waitForURL(/to=1990-03-31/, POLL);
      await expect.poll(() => textOf(page.getByTestId('fee-income-empty')), POLL).toContain('31.3.1990');
      expect(errors).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'reports-empty');
    } finally {
      await page.context().close();
    }
  });
});

describe('finding work and applications (10.2, 10.3, 9.8)', () => {
  it('queue rows name the applicant; an application waiting for a supplement is found by identity code without it entering a URL', async () => {
    const reviewed = applicationData({ lastName: uniqueSurname(), firstNames: 'Jono', employment: { status: 'unemployed' } });
    const waiting = applicationData({ lastName: uniqueSurname(), firstNames: 'Odottava', employment: { status: 'employed' } });
    await submit(reviewed, ['in-review']);
    const waitingId = await submit(waiting, ['awaiting-supplement']);

    const page = await logInAtRoot(stack.browser, 'caseworker');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    try {
      await gotoReady(page, `${stack.web.baseUrl}/queue?kind=application-review&sort=due`);
      const row = page.locator('[data-testid="task-row"]', { hasText: reviewed.lastName });
      await row.waitFor({ timeout: 15_000 });
      expect(await textOf(row.getByTestId('task-about'))).toMatch(new RegExp(`^${reviewed.lastName} Jono saapunut \\d{1,2}\\.\\d{1,2}\\.\\d{4} · Verkkoasiointi$`));
      expect(await textOf(row.getByTestId('task-age'))).toBe('alle päivän');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'queue-rows');

      // The header search, Enter without choosing: the results page, members and applications.
      const search = page.getByTestId('member-search');
      await search.fill(waiting.identityCode);
      await search.press('Enter');
      const result = page.locator(`[data-testid="application-result"][data-application-id="${waitingId}"]`);
      await result.waitFor({ timeout: 15_000 });
      expect(pathOf(page)).toBe('/search');
      expect(await textOf(result)).toContain('Odottaa täydennystä');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'search-applications');

      await result.getByRole('link').click();
      await page.waitForURL(`${stack.web.baseUrl}/applications/${waitingId}`, POLL);
      await expect.poll(() => textOf(page.getByTestId('application-heading')), POLL).toBe(`Hakemus: ${waiting.lastName} Odottava`);
      expect(await textOf(page.getByTestId('application-summary'))).toContain(waiting.identityCode);
      expect(await page.getByTestId('findings').count()).toBe(1);
      expect(await textOf(page.getByTestId('application-history'))).toContain('Hakemukseen pyydetty täydennystä');
      expect(await textOf(page.getByTestId('application-history'))).toContain('Viesti lähetetty: Täydennyspyyntö');
      expect(await textOf(page.getByTestId('application-history'))).not.toContain('sent');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'application-page');

      // The application id the applicant keeps finds it too.
      await gotoReady(page, `${stack.web.baseUrl}/search`);
      await page.fill('#search-page-q', waitingId);
      await page.getByTestId('search-page-form').getByRole('button').click();
      await result.waitFor({ timeout: 15_000 });

      // Typing the code in the header asks for suggestions too: every request kept it out of its URL.
      await search.fill(waiting.identityCode);
      await page.waitForTimeout(600);
      expect(urls.filter((u) => u.includes(waiting.identityCode) || u.includes(encodeURIComponent(waiting.identityCode)))).toEqual([]);
      expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});

describe("the auditor's audit log (10.5)", () => {
  it('filters by user and event, names events in words and downloads CSV', async () => {
    // Something to find: a caseworker's search.
    const caseworker = await stack.web.stack.login('caseworker');
    const { api } = apiClient(stack.web.stack);
    expect((await api('/api/v1/members/search', { method: 'POST', cookie: caseworker, body: JSON.stringify({ q: 'Virtanen' }) })).status).toBe(200);

    const page = await logInAtRoot(stack.browser, 'auditor');
    try {
      expect(pathOf(page)).toBe('/audit');
      await page.fill('#audit-user', 'caseworker');
      await page.selectOption('#audit-event', 'member.search');
      await page.locator('[data-testid="audit-filters"] button[type="submit"]').click();
      await page.waitForURL(/user=caseworker/, POLL);
      const entry = page.locator('[data-testid="audit-entry"][data-event="member.search"]').first();
      await entry.waitFor({ timeout: 15_000 });
      expect(await textOf(entry)).toContain('Jäsenhaku');
      expect(await page.locator('[data-testid="audit-entry"]:not([data-event="member.search"])').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'audit-log');

      const href = await page.getByTestId('audit-csv').getAttribute('href');
      expect(href).toMatch(/^\/audit\/export\?/);
      const csv = await page.request.get(`${stack.web.baseUrl}${href}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
      const text = await csv.text();
      expect(text.split('\r\n')[0]).toBe('at,actor,actor_kind,event,entity_type,entity_id,details');
      expect(text).toContain(',caseworker,user,member.search,');

      // A reversed range is explained on the page.
      await gotoReady(page, `${stack.web.baseUrl}/audit?from=2025-03-02&to=2025-03-01`);
      await expect.poll(() => textOf(page.locator('.alert')), POLL).toContain('Alkupäivä on loppupäivän jälkeen');
      expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
