import { randomInt } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, resignations } from '../../db/schema';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { gotoReady, logIn, POLL, reloadUntil, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

/** A surname no other test member has: letters only, so the name search treats it as a name. */
function uniqueSurname(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let tail = '';
  for (let i = 0; i < 6; i++) tail += letters[randomInt(letters.length)];
  return `Haku${tail}nen`;
}

/** The last day of next month, as YYYY-MM-DD (UTC, which is what the date input takes). */
function endOfNextMonth(today = new Date()): string {
  return new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 0)).toISOString().slice(0, 10);
}

/** As the desk prints a date in Finnish: 31.3.2026. */
function finnishDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}.${m}.${y}`;
}

/** A member made the way e-services make them: a clean application, approved automatically. */
async function createMember(firstNames: string, lastName: string): Promise<{ memberId: string; identityCode: string }> {
  const bearer = await stack.web.stack.token('eservices');
  const { api, waitForStatus } = apiClient(stack.web.stack, { as: { token: bearer } });
  const data = applicationData({ firstNames, lastName });
  const res = await api('/api/v1/applications', {
    method: 'POST',
    token: bearer,
    headers: { 'idempotency-key': newKey() },
    body: JSON.stringify({ data }),
  });
  expect(res.status, res.text).toBe(201);
  const approved = await waitForStatus(res.body.id, ['approved'], { timeoutMs: 60_000 });
  expect(approved.memberId).toMatch(/^[0-9a-f-]{36}$/);
  return { memberId: approved.memberId as string, identityCode: data.identityCode };
}


/** Presses ArrowDown until the search list's active option is `option`. */
async function arrowDownTo(page: Page, option: Locator): Promise<void> {
  await expect
    .poll(async () => {
      if ((await option.getAttribute('aria-selected')) === 'true') return true;
      await page.keyboard.press('ArrowDown');
      return false;
    }, { timeout: 15_000, interval: 50 })
    .toBe(true);
}
describe('member search, overview and resignation in the desk', () => {
  it('a caseworker finds a member with the keyboard, reads the overview, records a resignation and withdraws it', async () => {
    const firstNames = 'Sanna Haettava';
    const lastName = uniqueSurname();
    const { memberId } = await createMember(firstNames, lastName);
    const { baseUrl } = stack.web;

    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'caseworker');

      // On the queue `f` goes to its filters (`/` used to) ...
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await expect
        .poll(async () => {
          await page.keyboard.press('f');
          return page.locator('#filter-claimed').evaluate((el) => el === document.activeElement);
        }, POLL)
        .toBe(true);

      // ... and `/` goes to the member search, there and anywhere else in the desk.
      const search = page.getByTestId('member-search');
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await expect
        .poll(async () => {
          await page.keyboard.press('/');
          return search.evaluate((el) => el === document.activeElement);
        }, POLL)
        .toBe(true);
      expect(await search.inputValue()).toBe('');

      // Part of the surname, typed: results appear as a listbox under the field.
      await page.keyboard.type(lastName.slice(0, 9).toLowerCase(), { delay: 30 });
      const option = page.locator(`[data-testid="member-search-option"][data-member-id="${memberId}"]`);
      await option.waitFor({ timeout: 15_000 });
      expect(await search.getAttribute('aria-expanded')).toBe('true');
      expect(await textOf(option)).toContain(`${lastName} ${firstNames}`);
      expect(await textOf(option)).toContain('Voimassa');
      await screenshot(page, 'search-dropdown', false);

      // Arrow keys move the active option; focus stays in the field and points at it.
      await arrowDownTo(page, option);
      expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await search.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
      expect(await seriousViolations(page)).toEqual([]);

      // Esc closes the list, ArrowDown opens it again, Enter opens the member.
      await page.keyboard.press('Escape');
      expect(await search.getAttribute('aria-expanded')).toBe('false');
      await arrowDownTo(page, option);
      await page.keyboard.press('Enter');
      await page.waitForURL(`${baseUrl}/members/${memberId}`);

      // The overview: who, which membership, and the sections with their headings.
      await expect.poll(() => textOf(page.getByTestId('member-name')), POLL).toBe(`${firstNames} ${lastName}`);
      await expect.poll(() => textOf(page.getByTestId('member-status')), POLL).toBe('Voimassa');
      const periods = page.getByTestId('period-row');
      expect(await periods.count()).toBe(1);
      expect(await textOf(periods.first())).toContain('Toistaiseksi');
      for (const heading of ['Henkilötiedot', 'Yhteystiedot ja toimitustapa', 'Osoite', 'Jäsenyys ja jäsenyyskaudet', 'Jäsenyysehto', 'Jäsenmaksut', 'Avoimet tehtävät', 'Prosessit', 'Viestihistoria', 'Muutoshistoria']) {
        expect(await page.getByRole('heading', { level: 2, name: heading, exact: true }).count(), heading).toBe(1);
      }
      // A caseworker does not get the audit trail; the actions are there for them.
      expect(await page.getByTestId('section-audit').count()).toBe(0);
      expect(await page.getByTestId('action-resign').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'overview');

      // A resignation at the end of next month.
      const endDate = endOfNextMonth();
      const resignPanel = page.getByTestId('action-resign');
      await resignPanel.locator('summary').click();
      await page.fill('#resign-requestedEndDate', endDate);
      await resignPanel.getByRole('button', { name: 'Kirjaa eroilmoitus' }).click();
      const resignDone = resignPanel.getByTestId('action-done');
      const resignProblem = resignPanel.getByTestId('problem-alert');
      await expect
        .poll(async () => (await textOf(resignDone)) || (await textOf(resignProblem)), { timeout: 30_000 })
        .toContain(`Jäsenyys päättyy ${finnishDate(endDate)}`);
      expect(await textOf(resignDone)).toMatch(/Jäsenmaksuja peritään \d{1,2}\.\d{1,2}\.\d{4} asti/);

      // The resignation is listed as pending, and the period ends on that day once the process has run.
      const row = page.getByTestId('resignation-row').first();
      await expect.poll(() => row.getAttribute('data-status'), POLL).toBe('pending');
      expect(await textOf(row.getByTestId('resignation-end-date'))).toBe(finnishDate(endDate));
      await reloadUntil(page, async () => (await textOf(page.getByTestId('period-end'))) === finnishDate(endDate), 'the period ending');
      expect(await textOf(page.getByTestId('period-row').first())).toContain('Eroilmoitus');
      // What the server counts as recently changed is marked on its section.
      const recent = await page.getByTestId('recent-changes').count();
      console.info(`recentlyChanged after the resignation: ${recent ? await textOf(page.getByTestId('recent-changes')) : '(none)'}`);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'overview-resigned');

      // Withdrawing asks for a confirmation and a reason in a dialog. At 1366 px the button used to be
      // cut off inside its table (the table was wider than its scroll box); now the table fits, in
      // the longest of the three languages too.
      await page.setViewportSize({ width: 1366, height: 768 });
      for (const lang of ['en', 'fi']) {
        await gotoReady(page, `${baseUrl}/members/${memberId}?lang=${lang}`);
        const fit = await page.getByTestId('resignations').evaluate((table) => {
          const wrap = table.closest('.table-wrap')!;
          const button = table.querySelector('[data-action="withdraw-open"]')!.getBoundingClientRect();
          return { overflow: wrap.scrollWidth - wrap.clientWidth, buttonRight: button.right, wrapRight: wrap.getBoundingClientRect().right };
        });
        expect(fit.overflow, `${lang}: ${JSON.stringify(fit)}`).toBeLessThanOrEqual(1);
        expect(fit.buttonRight, `${lang}: ${JSON.stringify(fit)}`).toBeLessThanOrEqual(fit.wrapRight);
      }
      await screenshot(page, 'resignations-1366');
      const openWithdraw = page.getByTestId('resignation-row').first().locator('[data-action="withdraw-open"]');
      await openWithdraw.click();
      const dialog = page.getByTestId('withdraw-dialog');
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      expect(await dialog.evaluate((el) => el.matches(':modal'))).toBe(true);
      expect(await textOf(dialog)).toContain('jäsenelle lähetetään vahvistus');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'withdraw-dialog');
      // Without a reason the API refuses, and the dialog stays up saying so.
      await dialog.getByRole('button', { name: 'Vahvista peruminen' }).click();
      await dialog.getByTestId('withdraw-problem').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('resignation-row').first().getAttribute('data-status')).toBe('pending');
      await dialog.locator('textarea[name="reason"]').fill('Jäsen perui eron puhelimessa');
      await dialog.getByRole('button', { name: 'Vahvista peruminen' }).click();
      await expect
        .poll(async () => (await textOf(page.getByTestId('withdraw-done'))) || (await textOf(page.getByTestId('problem-alert'))), { timeout: 30_000 })
        .toBe('Eroilmoitus on peruttu. Jäsenyys jatkuu.');
      await reloadUntil(page, async () => (await textOf(page.getByTestId('period-end'))) === 'Toistaiseksi', 'the period reopening');
      expect(await page.getByTestId('resignation-row').first().getAttribute('data-status')).toBe('withdrawn');
      expect(await textOf(page.getByTestId('resignation-withdrawal-reason'))).toContain('Jäsen perui eron puhelimessa');
      await expect.poll(() => textOf(page.getByTestId('member-status')), POLL).toBe('Voimassa');
      await page.setViewportSize({ width: 1280, height: 900 });

      // A contact change: without a reason the API refuses and says why, next to the field too.
      const contactPanel = page.getByTestId('action-contact');
      await contactPanel.locator('summary').click();
      await page.fill('#contact-phone', '+358 50 765 4321');
      await contactPanel.getByRole('button', { name: 'Tallenna muutokset' }).click();
      await contactPanel.getByTestId('problem-alert').waitFor({ timeout: 15_000 });
      expect(await page.getAttribute('#contact-reason', 'aria-invalid')).toBe('true');
      expect(await textOf(page.locator('#contact-reason-error'))).toBe('Tämä tieto on pakollinen.');
      expect(await page.inputValue('#contact-phone')).toBe('+358 50 765 4321');
      expect(await seriousViolations(page)).toEqual([]);
      await page.fill('#contact-reason', 'Jäsen ilmoitti puhelimessa');
      await contactPanel.getByRole('button', { name: 'Tallenna muutokset' }).click();
      await expect
        .poll(() => textOf(contactPanel.getByTestId('action-done')), { timeout: 15_000 })
        .toBe('Muutokset on tallennettu: Puhelinnumero.');
      // The form keeps the data now on record; the reason belonged to that change only.
      expect(await page.inputValue('#contact-phone')).toBe('+358 50 765 4321');
      expect(await page.inputValue('#contact-email')).toBe('hakija@example.fi');
      expect(await page.inputValue('#contact-reason')).toBe('');
      // What changed lately is marked on its section and in the change history.
      await expect.poll(() => textOf(page.getByTestId('section-contact').getByTestId('changed-badge')), POLL).toContain('Muuttunut äskettäin');
      expect(await textOf(page.getByTestId('member-phone'))).toBe('+358 50 765 4321');
      expect(await textOf(page.getByTestId('recent-changes'))).toContain('Yhteystiedot');
      const change = page.locator('[data-testid="change-row"][data-recent="true"]').first();
      expect(await textOf(change)).toContain('Jäsen ilmoitti puhelimessa');
      await screenshot(page, 'overview-changed');

      // Recording a death asks for a confirmation first; cancelling leaves everything as it was.
      const deathPanel = page.getByTestId('action-death');
      await deathPanel.locator('summary').click();
      const today = new Date().toISOString().slice(0, 10);
      await page.fill('#death-dateOfDeath', today);
      await deathPanel.getByRole('button', { name: 'Jatka vahvistukseen' }).click();
      const confirmTitle = page.locator('#death-confirm-title');
      await confirmTitle.waitFor({ timeout: 15_000 });
      await expect.poll(() => confirmTitle.evaluate((el) => el === document.activeElement), POLL).toBe(true);
      expect(await textOf(deathPanel)).toContain(`${firstNames} ${lastName} on kuollut ${finnishDate(today)}`);
      expect(await seriousViolations(page)).toEqual([]);
      await deathPanel.getByRole('link', { name: 'Peruuta' }).click();
      await confirmTitle.waitFor({ state: 'detached', timeout: 15_000 });
      expect(await textOf(page.getByTestId('member-status'))).toBe('Voimassa');

      // The full results page (the search without JavaScript, or Enter without a choice): a POST,
      // so the query never shows in the address.
      const searchFromPage = async () => {
        await gotoReady(page, `${baseUrl}/search`);
        await page.fill('#search-page-q', lastName);
        await page.getByTestId('search-page-form').getByRole('button').click();
      };
      await searchFromPage();
      const result = page.locator('[data-testid="search-result"]', { hasText: lastName });
      await result.waitFor({ timeout: 15_000 });
      expect(page.url()).toBe(`${baseUrl}/search`);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'search-page');

      // A phone-sized screen: the header search takes its own row, the overview one column.
      await page.setViewportSize({ width: 390, height: 844 });
      await gotoReady(page, `${baseUrl}/members/${memberId}`);
      await expect.poll(() => textOf(page.getByTestId('member-name')), POLL).toBe(`${firstNames} ${lastName}`);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'overview-390');
      await searchFromPage();
      await result.waitFor({ timeout: 15_000 });
      await screenshot(page, 'search-page-390');
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await expect
        .poll(async () => {
          await page.keyboard.press('/');
          return search.evaluate((el) => el === document.activeElement);
        }, POLL)
        .toBe(true);
      await page.keyboard.type(lastName.slice(0, 9).toLowerCase(), { delay: 30 });
      await option.waitFor({ timeout: 15_000 });
      await screenshot(page, 'search-dropdown-390', false);
    } catch (error) {
      await screenshot(page, 'search-overview-resign-failure');
      throw error;
    } finally {
      await context.close();
    }
  }, 240_000);

  it('a member resigns through the public form: the same answer for anyone, then the link sent to the member confirms it', async () => {
    const firstNames = 'Eero Eroava';
    const lastName = uniqueSurname();
    const { memberId, identityCode } = await createMember(firstNames, lastName);

    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      const { baseUrl } = stack.web;
      await gotoReady(page, `${baseUrl}/resign`);
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Eroilmoitus');
      expect(await seriousViolations(page)).toEqual([]);

      // Empty: the API's field errors come back next to the fields and in a focused summary.
      await page.getByRole('button', { name: 'Lähetä eroilmoitus' }).click();
      const summary = page.locator('.error-summary[role="alert"]');
      await summary.waitFor({ timeout: 15_000 });
      expect(await page.getAttribute('#identityCode', 'aria-invalid')).toBe('true');
      expect(await page.getAttribute('#lastName', 'aria-invalid')).toBe('true');
      expect(await seriousViolations(page)).toEqual([]);

      // Well-formed but nobody's: the same answer as a member gets, telling nothing.
      await page.fill('#identityCode', applicationData().identityCode);
      await page.fill('#lastName', 'Ketään');
      await page.getByRole('button', { name: 'Lähetä eroilmoitus' }).click();
      await expect.poll(() => textOf(page.locator('h1')), { timeout: 30_000 }).toBe('Kiitos, ilmoituksesi on vastaanotettu');
      const nobodyAnswer = await textOf(page.getByTestId('resignation-received'));
      await screenshot(page, 'resign-not-matched');

      // The member's own details: the same page, and a request waiting for the member's confirmation.
      await gotoReady(page, `${baseUrl}/resign`);
      await page.fill('#identityCode', identityCode);
      await page.fill('#lastName', lastName);
      await page.getByRole('button', { name: 'Lähetä eroilmoitus' }).click();
      await expect.poll(() => textOf(page.locator('h1')), { timeout: 30_000 }).toBe('Kiitos, ilmoituksesi on vastaanotettu');
      expect(await textOf(page.getByTestId('resignation-received'))).toBe(nobodyAnswer);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'resign-received');

      // The link as the member receives it.
      const db = stack.web.stack.db;
      const linkMessage = async () => (await db.select().from(messages).where(and(eq(messages.memberId, memberId), eq(messages.kind, 'resignation-confirmation-request'))))[0];
      await expect.poll(async () => (await linkMessage())?.status, { timeout: 60_000, interval: 200 }).toBe('sent');
      const link = /(https?:\/\/\S+\/resign\/confirm\?token=\S+)/.exec((await linkMessage())!.body)![1]!;
      const token = new URL(link).searchParams.get('token')!;

      // An altered link says only that it is not valid.
      await gotoReady(page, `${baseUrl}/resign/confirm?token=${encodeURIComponent(`${token.slice(0, -3)}abc`)}`);
      expect(await page.getByTestId('resign-confirm-problem').getAttribute('data-problem')).toBe('invalid');

      await gotoReady(page, `${baseUrl}/resign/confirm?token=${encodeURIComponent(token)}`);
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Vahvista eroilmoitus');
      const [request] = await db.select().from(resignations).where(eq(resignations.memberId, memberId));
      expect(request?.status).toBe('requested');
      expect(await textOf(page.getByTestId('preview-end-date'))).toBe(finnishDate(request!.endDate));
      // The holder of the link sees dates, not the member's identity.
      expect(await textOf(page.locator('main'))).not.toContain(lastName);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'resign-confirm');
      await page.getByTestId('resign-confirm-submit').click();
      await expect.poll(() => textOf(page.locator('h1')), { timeout: 30_000 }).toBe('Eroilmoituksesi on vahvistettu');
      expect(await textOf(page.getByTestId('confirmed-end-date'))).toBe(finnishDate(request!.endDate));
      await expect.poll(async () => (await db.select().from(resignations).where(eq(resignations.id, request!.id)))[0]?.status, { timeout: 30_000, interval: 200 }).toBe('pending');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'resign-confirmed');

      // In Swedish too.
      await gotoReady(page, `${baseUrl}/resign/confirm?token=${encodeURIComponent(token)}&lang=sv`);
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Din utträdesanmälan är bekräftad');

      // A request the member did not make: a caseworker rejects it on the member page, with a reason.
      const otherLastName = uniqueSurname();
      const other = await createMember('Olli Ohittava', otherLastName);
      const { api } = apiClient(stack.web.stack);
      const sent = await api('/api/public/resignations', { method: 'POST', body: JSON.stringify({ idempotencyKey: newKey(), identityCode: other.identityCode, lastName: otherLastName }) });
      expect(sent.status).toBe(202);
      await expect.poll(async () => (await db.select().from(resignations).where(eq(resignations.memberId, other.memberId)))[0]?.status, { timeout: 30_000, interval: 200 }).toBe('requested');
      await gotoReady(page, `${baseUrl}/resign?lang=fi`);
      await logIn(page, baseUrl, 'caseworker', `/members/${other.memberId}`);
      const requestRow = page.getByTestId('resignation-row').first();
      await expect.poll(() => requestRow.getAttribute('data-status'), POLL).toBe('requested');
      expect(await textOf(requestRow)).toContain('Odottaa jäsenen vahvistusta');
      await requestRow.locator('[data-action="rejectRequest-open"]').click();
      const reject = page.getByTestId('rejectRequest-dialog');
      await reject.waitFor({ state: 'visible', timeout: 15_000 });
      await reject.locator('textarea[name="reason"]').fill('Jäsen ei tehnyt ilmoitusta');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'reject-request-dialog');
      await reject.getByRole('button', { name: 'Hylkää pyyntö' }).click();
      await expect.poll(() => textOf(page.getByTestId('rejectRequest-done')), { timeout: 30_000 }).toBe('Eropyyntö on hylätty. Jäsenyys jatkuu.');
      await expect.poll(() => page.getByTestId('resignation-row').first().getAttribute('data-status'), POLL).toBe('rejected');
      expect(await textOf(page.getByTestId('resignation-decision-reason'))).toContain('Jäsen ei tehnyt ilmoitusta');
    } catch (error) {
      await screenshot(page, 'resign-failure');
      throw error;
    } finally {
      await context.close();
    }
  }, 240_000);
});
