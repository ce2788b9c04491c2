import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

/** Every CSP violation the page reports, from the browser's console and from the DOM's own event. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []))];
}

describe('the desk under its Content-Security-Policy', () => {
  it('logs in and works on every kind of page (forms, tables, navigation, the API docs) with no CSP violation', async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const violations = await watchCsp(page);
    // The reports' charts are drawn under the same policy in billing.test.ts, with figures to draw.
    await logIn(page, baseUrl, 'admin', '/billing');
    expect(await violations()).toEqual([]);

    for (const path of ['/queue', '/search', '/billing/fees', '/payments', '/admin', '/admin/sessions', '/join?lang=sv', '/resign']) {
      await gotoReady(page, `${baseUrl}${path}`);
      expect(await violations(), path).toEqual([]);
    }
    // A client-side navigation and an enhanced form (fetch under connect-src) work too.
    await gotoReady(page, `${baseUrl}/search`);
    // (The public form above switched the desk to Swedish.)
    await page.getByRole('link', { name: /^(Ylläpito|Administration)$/ }).click();
    await page.waitForURL(`${baseUrl}/admin`, POLL);
    await page.getByTestId('admin-pages').locator('a[href="/admin/sessions"]').click();
    await page.waitForURL(`${baseUrl}/admin/sessions`, POLL);
    expect(await violations()).toEqual([]);

    await page.goto(`${baseUrl}/api/docs`);
    await page.locator('details').first().click();
    // The docs' inline stylesheet applied: its hash is the page's style-src.
    expect(await page.evaluate(() => getComputedStyle(document.body).maxWidth)).not.toBe('none');
    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('an administrator ends a user\'s sessions from the Sessions page, and that user is signed out at once', async () => {
    const { baseUrl } = stack.web;
    const caseworker = await stack.web.stack.login('caseworker', { fresh: true });
    const { api } = apiClient(stack.web.stack);
    expect((await api('/api/v1/me', { cookie: caseworker })).status).toBe(200);

    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const violations = await watchCsp(page);
    await logIn(page, baseUrl, 'admin', '/admin/sessions');
    const row = page.locator('[data-testid="session-row"][data-user="caseworker"]');
    await row.waitFor(POLL);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-sessions');

    await row.getByRole('button').click();
    await page.locator('[data-testid="sessions-ended"]').waitFor(POLL);
    await row.waitFor({ state: 'detached', ...POLL });
    expect(await violations()).toEqual([]);

    const after = await api('/api/v1/me', { cookie: caseworker });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('session_ended');
    await context.close();
  });
});
