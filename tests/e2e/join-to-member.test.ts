import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { uniqueIdentityCode } from '../support/applications';
import { gotoReady, logIn, POLL, reloadUntil, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

/** The completion request's link for the application, once the fake messaging service has sent it. */
function supplementLinkFor(applicationId: string): string | undefined {
  for (const message of stack.web.stack.messaging.delivered.values()) {
    // The sentence goes on after the link, so a closing full stop is not part of it.
    const url = /https?:\/\/\S+\/forms\/supplement\/\S+/.exec(message.body)?.[0].replace(/[.,;)]+$/, '');
    if (url?.includes(applicationId)) return url;
  }
  return undefined;
}

describe('from the public join form to a member', () => {
  it('an entrepreneur applies, a caseworker approves, and the member page shows the new membership', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const { baseUrl } = stack.web;
    // Every request a page makes is answered: without an icon the browser asked for /favicon.ico
    // on each page and got a 404 (favicon requests are not page events, so the link is checked).
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404 && response.url().startsWith(baseUrl)) missing.push(response.url());
    });
    try {
      await applyAndApprove(page, baseUrl);
      expect(missing).toEqual([]);
      const icon = await page.locator('link[rel="icon"]').getAttribute('href');
      expect(icon, 'the page names its icon').toBeTruthy();
      expect((await page.request.get(new URL(icon!, page.url()).href)).status()).toBe(200);
    } catch (error) {
      // The page as it was when the step failed, for whoever reads the test output.
      await screenshot(page, 'join-to-member-failure');
      throw error;
    } finally {
      await context.close();
    }
  });

  it('an applicant completes their application through the link in the completion request', async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      const { baseUrl } = stack.web;
      // Employed but no employer given: only 'missing' findings, so the fund asks the applicant.
      await gotoReady(page, `${baseUrl}/join`);
      await page.fill('#identityCode', uniqueIdentityCode());
      await page.fill('#firstNames', 'Tiina');
      await page.fill('#lastName', 'Täydentäjä');
      await page.fill('#email', 'tiina@example.fi');
      await page.check('#employmentStatus-employed');
      await page.getByRole('button', { name: 'Lähetä hakemus' }).click();
      const reference = page.getByTestId('application-id');
      await reference.waitFor({ timeout: 30_000 });
      const applicationId = (await reference.textContent())?.trim() ?? '';

      await expect.poll(() => supplementLinkFor(applicationId), { timeout: 30_000 }).toBeTruthy();
      const link = supplementLinkFor(applicationId) ?? '';

      await gotoReady(page, link);
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Hakemuksen täydentäminen');
      expect(await seriousViolations(page)).toEqual([]);
      await page.fill('#employer', 'Esimerkki Oy');
      await page.getByRole('button', { name: 'Lähetä täydennys' }).click();
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Kiitos, täydennys on vastaanotettu');

      // The same link again: the application no longer waits, and the page says so.
      await gotoReady(page, link);
      await page.fill('#employer', 'Toinen Oy');
      await page.getByRole('button', { name: 'Lähetä täydennys' }).click();
      await expect.poll(() => textOf(page.getByTestId('supplement-outcome')), POLL).toContain('Hakemus ei odota täydennystä');
    } catch (error) {
      await screenshot(page, 'supplement-failure');
      throw error;
    } finally {
      await context.close();
    }
  });
});

async function applyAndApprove(page: Page, baseUrl: string): Promise<void> {
  const firstNames = 'Eeva Yrittäjä';
  // Letters only: a name with digits would (rightly) get the finding name-characters.
  const lastName = `Testinen${Date.now().toString(36).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;

  // The applicant, in Finnish (the default language).
  await gotoReady(page, `${baseUrl}/join`);
  await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Jäsenhakemus');
  expect(await seriousViolations(page)).toEqual([]);

  // Sent empty first: the API's field errors come back next to each field and in a focused summary.
  await page.getByRole('button', { name: 'Lähetä hakemus' }).click();
  const summary = page.locator('.error-summary[role="alert"]');
  await summary.waitFor({ timeout: 15_000 });
  await expect.poll(() => summary.evaluate((el) => el === document.activeElement), POLL).toBe(true);
  expect(await page.getAttribute('#identityCode', 'aria-invalid')).toBe('true');
  expect(await page.getAttribute('#identityCode', 'aria-describedby')).toContain('identityCode-error');
  expect(await summary.locator('a[href="#lastName"]').count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'join-errors');

  await page.fill('#identityCode', uniqueIdentityCode());
  await page.fill('#firstNames', firstNames);
  await page.fill('#lastName', lastName);
  await page.fill('#email', 'eeva.testinen@example.fi');
  await page.fill('#phone', '040 123 4567');
  await page.fill('#street', 'Testikatu 5 B 12');
  await page.fill('#postalCode', '00100');
  await page.fill('#city', 'Helsinki');
  await page.check('#employmentStatus-entrepreneur');
  await page.fill('#entrepreneurSince', '2019-03-01');
  await page.getByRole('button', { name: 'Lähetä hakemus' }).click();

  const reference = page.getByTestId('application-id');
  await reference.waitFor({ timeout: 30_000 });
  await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Kiitos, hakemuksesi on vastaanotettu');
  const applicationId = (await reference.textContent())?.trim() ?? '';
  expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);

  // The caseworker: the desk sends them through the IdP and back to the queue.
  await logIn(page, baseUrl, 'caseworker');
  await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Työjono');

  // The review task appears once the intake workflow has validated the application.
  const row = page.locator(`[data-testid="task-row"][data-subject-id="${applicationId}"]`);
  await reloadUntil(page, async () => (await row.count()) > 0, `a task for application ${applicationId}`, 60_000);
  await expect.poll(() => textOf(row.locator('.task-title')), POLL).toBe('Yrittäjä');
  expect(await textOf(row.getByTestId('task-kind'))).toBe('Hakemuksen käsittely');

  // `?` opens the shortcut help as a modal dialog that takes focus, and Esc closes it.
  // Pressed again until it works, because the shortcuts exist only once the page has hydrated.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const dialog = page.getByTestId('shortcuts-dialog');
  await expect
    .poll(async () => {
      await page.keyboard.press('?');
      return dialog.isVisible();
    }, POLL)
    .toBe(true);
  expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open && d.contains(document.activeElement))).toBe(true);
  await screenshot(page, 'shortcuts', false);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // j/k move the selection (focus goes to the row's Open link), c claims, Enter opens.
  await expect
    .poll(async () => {
      if ((await row.getAttribute('data-selected')) !== null) return true;
      await page.keyboard.press('j');
      return false;
    }, { timeout: 15_000, interval: 50 })
    .toBe(true);
  expect(await row.locator('[data-action="open"]').evaluate((a) => a === document.activeElement)).toBe(true);
  await page.keyboard.press('c');
  await row.locator('[data-action="unclaim"]').waitFor({ timeout: 15_000 });
  await expect.poll(() => textOf(row.getByTestId('task-claimed-by')), POLL).toBe('Kaisa Käsittelijä (sinä)');
  // Claiming re-renders the queue, but the keyboard user keeps their place.
  expect(await row.locator('[data-action="open"]').evaluate((a) => a === document.activeElement)).toBe(true);

  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'queue');

  await page.keyboard.press('Enter');
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  await expect.poll(() => textOf(page.locator('h1')), POLL).toBe(`Hakemus: ${firstNames} ${lastName}`);
  await expect.poll(() => textOf(page.getByTestId('findings')), POLL).toContain('Yrittäjä');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'task');

  // Claimed from the queue, so the task page offers to release it.
  expect(await page.locator('[data-action="unclaim"]').count()).toBe(1);
  await page.getByRole('button', { name: 'Hyväksy hakemus' }).click();
  await expect.poll(() => textOf(page.getByTestId('decision-result')), POLL).toContain('Hakemus hyväksyttiin.');

  await page.getByTestId('member-link').click();
  await page.waitForURL(/\/members\/[0-9a-f-]{36}$/);
  await expect.poll(() => textOf(page.getByTestId('member-name')), POLL).toBe(`${firstNames} ${lastName}`);
  await expect.poll(() => textOf(page.getByTestId('member-status')), POLL).toBe('Voimassa');
  const periods = page.getByTestId('period-row');
  expect(await periods.count()).toBe(1);
  await expect.poll(() => textOf(periods.first()), POLL).toContain('Toistaiseksi');
  await screenshot(page, 'member');
}
