import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates';
import { todayInHelsinki } from '../../domain/dates';
import { parseBillingPeriod } from '../../domain/billing/billingPeriod';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { gotoReady, logIn, POLL, reloadUntil, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';
import { archiveId, camt054 } from '../support/payments';

const stack = useBrowserStack();

/** A member made the way e-services make them: a clean application, approved automatically. */
async function createMember(lastName: string): Promise<string> {
  const bearer = await stack.web.stack.token('eservices');
  const { api, waitForStatus } = apiClient(stack.web.stack, { as: { token: bearer } });
  const res = await api('/api/v1/applications', {
    method: 'POST',
    token: bearer,
    headers: { 'idempotency-key': newKey() },
    body: JSON.stringify({ data: applicationData({ firstNames: 'Laura Laskutettava', lastName }) }),
  });
  expect(res.status, res.text).toBe(201);
  const approved = await waitForStatus(res.body.id, ['approved'], { timeoutMs: 60_000 });
  expect(approved.memberId).toMatch(/^[0-9a-f-]{36}$/);
  return approved.memberId as string;
}

/**
 * A period nobody has billed in this test run: the current one when its year has a fee (so the
 * members just created are in it), else the last configured fee year. Other test files share the
 * database, and a run of a period exists once; a run over the same months must not be unfinished.
 */
async function freePeriod(cookie: string): Promise<string> {
  const { api } = apiClient(stack.web.stack);
  const res = await api('/api/v1/billing-runs', { cookie });
  expect(res.status, res.text).toBe(200);
  const runs = res.body.items as { period: string; periodStart: string; periodEnd: string; status: string }[];
  const today = todayInHelsinki();
  const years = Object.keys(stack.web.stack.profile.fees.years).map(Number).sort((a, b) => a - b);
  const current = Number(today.slice(0, 4));
  const year = years.includes(current) ? current : years[years.length - 1]!;
  const month = year === current ? Number(today.slice(5, 7)) : 1;
  const months = Array.from({ length: 13 - month }, (_, i) => `${year}-${String(month + i).padStart(2, '0')}`);
  const candidates = [`${year}-Q${Math.ceil(month / 3)}`, ...months, `${year}`];
  const unfinished = runs.filter((r) => ['previewing', 'awaiting-approval', 'committing'].includes(r.status));
  for (const period of candidates) {
    const p = parseBillingPeriod(period)!;
    if (runs.some((r) => r.period === period)) continue;
    if (unfinished.some((r) => r.periodStart <= p.periodEnd && r.periodEnd >= p.periodStart)) continue;
    return period;
  }
  throw new Error(`no free billing period in ${year}: ${runs.map((r) => `${r.period} ${r.status}`).join(', ')}`);
}

describe('billing, payments and reports in the desk', () => {
  it('a billing user previews a run with live progress, a second one approves it, the first imports a bank file, allocates a payment and reads the reports', { timeout: 300_000 }, async () => {
    const memberIds = [await createMember('Laskunen'), await createMember('Maksunen')];
    const { baseUrl } = stack.web;
    const cookie = await stack.web.stack.login('billing');
    const period = await freePeriod(cookie);
    const dueDate = addDays(todayInHelsinki(), 30);

    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'billing', '/billing');
      // Billing users see their part of the desk in the navigation.
      for (const name of ['Laskutus', 'Suoritukset', 'Raportit']) {
        expect(await page.getByRole('navigation', { name: 'Päävalikko' }).getByRole('link', { name }).count(), name).toBe(1);
      }
      expect(await seriousViolations(page)).toEqual([]);

      // A period in the wrong shape: the API's explanation, next to the field too.
      await page.fill('#period', '2026-13');
      await page.fill('#dueDate', dueDate);
      await page.getByRole('button', { name: 'Aloita esikatselu' }).click();
      await page.getByTestId('problem-alert').waitFor({ timeout: 15_000 });
      expect(await page.getAttribute('#period', 'aria-invalid')).toBe('true');
      expect(await seriousViolations(page)).toEqual([]);

      // The run: the desk follows it to its own page, which shows the progress while it previews.
      await page.fill('#period', period);
      await page.fill('#dueDate', dueDate);
      await page.getByRole('button', { name: 'Aloita esikatselu' }).click();
      await page.waitForURL(/\/billing\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      expect(await textOf(page.getByTestId('run-title'))).toBe(`Laskutusajo ${period}`);
      const status = page.getByTestId('run-status');
      const first = await status.getAttribute('data-status');
      if (first === 'previewing') {
        // A live <progress> with words beside it; the page asks for the run again every second.
        expect(await page.locator('[data-testid="run-progress"] progress').count()).toBe(1);
        expect(await textOf(page.getByTestId('run-progress-text'))).toMatch(/jäsentä|Käynnistyy/);
        await screenshot(page, 'billing-run-progress');
      }
      console.info(`billing run ${period}: first seen as ${first}`);
      // No reload: the page's own polling brings the preview in.
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000 }).toBe('awaiting-approval');
      expect(await page.getByTestId('run-progress').count()).toBe(0);
      const previewMembers = Number((await textOf(page.getByTestId('preview-members'))).replace(/\D/g, ''));
      expect(previewMembers).toBeGreaterThanOrEqual(year(period) === todayInHelsinki().slice(0, 4) ? memberIds.length : 0);
      const previewInvoices = await textOf(page.getByTestId('preview-invoices'));
      const previewAmount = await textOf(page.getByTestId('preview-amount'));
      expect(previewInvoices).toMatch(/^\d[\d\s]*$/);
      expect(previewAmount).toMatch(/€$/);
      expect(await textOf(page.getByTestId('commit-invoices'))).toBe('Ei vielä');
      expect(await page.getByTestId('run-categories').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'billing-run-preview');

      // The approval waits in the billing user's work queue too, and opens this run's page from there.
      const runPath = new URL(page.url()).pathname;
      await gotoReady(page, `${baseUrl}/queue`);
      const approvalRow = page.locator(`[data-testid="task-row"][data-subject-id="${runPath.split('/').pop()}"]`);
      await approvalRow.waitFor({ timeout: 15_000 });
      expect(await textOf(approvalRow.getByTestId('task-kind'))).toBe('Laskutusajon hyväksyntä');
      expect(await approvalRow.locator('[data-action="open"]').getAttribute('href')).toBe(runPath);
      expect(await seriousViolations(page)).toEqual([]);
      await approvalRow.locator('[data-action="open"]').click();
      await page.waitForURL(`${baseUrl}${runPath}`);
      await page.getByTestId('run-status').waitFor({ timeout: 15_000 });

      // Rejecting needs a reason: the browser asks for it before anything is sent.
      expect(await page.getAttribute('#reject-reason', 'required')).not.toBeNull();

      // Four eyes: the billing user who started the run cannot approve it, and the page says why.
      expect(await textOf(page.getByTestId('four-eyes-notice'))).toContain('toinen laskuttaja hyväksyy');
      expect(await page.getByRole('button', { name: 'Hyväksy ja laskuta' }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      // A second billing user approves it in a session of their own. On a provisional fee year the
      // page warns, and the browser sends nothing until the approver ticks the acknowledgement.
      const feeYears = await apiClient(stack.web.stack).api('/api/v1/fee-years', { cookie });
      const provisional = feeYears.body.items.find((y: { year: number }) => String(y.year) === year(period))?.confirmed === false;
      const approverContext = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const approver = await approverContext.newPage();
        await logIn(approver, baseUrl, 'billing2', runPath);
        expect(await approver.getByTestId('four-eyes-notice').count()).toBe(0);
        expect(await textOf(approver.getByTestId('four-eyes-note'))).toBe('Ajon aloitti billing; sen hyväksyy eri laskuttaja (neljän silmän periaate).');
        expect(await approver.getByTestId('provisional-fee-warning').count()).toBe(provisional ? 1 : 0);
        if (provisional) {
          expect(await textOf(approver.getByTestId('provisional-fee-warning'))).toContain(`Vuoden ${year(period)} jäsenmaksu on alustava`);
          await approver.getByRole('button', { name: 'Hyväksy ja laskuta' }).click();
          expect(await approver.locator('#acknowledge-provisional:invalid').count()).toBe(1);
          expect(await approver.getByTestId('run-status').getAttribute('data-status')).toBe('awaiting-approval');
          await approver.getByLabel(`Olen tarkistanut, että ajo saa edetä vuoden ${year(period)} alustavalla maksulla.`).check();
        }
        expect(await seriousViolations(approver)).toEqual([]);
        await screenshot(approver, 'billing-run-approval');
        // Approved: the invoices are issued, and the committed totals stand next to the preview's.
        await approver.getByRole('button', { name: 'Hyväksy ja laskuta' }).click();
        await expect
          .poll(async () => (await textOf(approver.getByTestId('decision-result'))) || (await textOf(approver.getByTestId('problem-alert'))), { timeout: 30_000 })
          .toContain('Ajo hyväksyttiin');
      } finally {
        await approverContext.close();
      }
      await gotoReady(page, `${baseUrl}${runPath}`);
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 60_000 }).toBe('committed');
      expect(await textOf(page.getByTestId('commit-invoices'))).toBe(previewInvoices);
      expect(await textOf(page.getByTestId('commit-amount'))).toBe(previewAmount);
      // Then the delivery phase: the page follows it until it reports how the invoices went out.
      await page.getByTestId('run-delivery').waitFor({ timeout: 60_000 });
      expect(await textOf(page.getByTestId('delivery-sent'))).toMatch(/^\d[\d\s]*$/);
      expect(await textOf(page.getByTestId('delivery-failed'))).toMatch(/^\d[\d\s]*$/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'billing-run');
      const runUrl = page.url();

      // The run is listed on the billing page.
      await gotoReady(page, `${baseUrl}/billing`);
      expect(await textOf(page.locator('[data-testid="billing-run-row"]', { hasText: `Laskutusajo ${period}` }))).toContain('Laskutettu');

      // Payments: a malformed file is refused, naming where, and nothing is booked.
      await gotoReady(page, `${baseUrl}/payments`);
      expect(await seriousViolations(page)).toEqual([]);
      const broken = camt054([{ archiveId: archiveId('E'), amountCents: 800, ustrd: 'x' }], { iban: stack.web.stack.profile.iban }).replace(/<Amt Ccy="EUR">8\.00<\/Amt>/, '<Amt Ccy="EUR">8,00</Amt>');
      await page.setInputFiles('#payment-file', { name: 'broken.xml', mimeType: 'application/xml', buffer: Buffer.from(broken) });
      await page.getByRole('button', { name: 'Tuo tiedosto' }).click();
      await page.getByTestId('problem-alert').waitFor({ timeout: 15_000 });
      expect(await textOf(page.getByTestId('problem-alert'))).toContain('Maksuaineisto on virheellinen');
      expect(await textOf(page.getByTestId('upload-location'))).toContain('Rivi');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'payments-malformed');

      // A payment without a reference: booked to nobody, so it waits in the queue for a person.
      const member = (await apiClient(stack.web.stack).api(`/api/v1/members/${memberIds[0]}/overview`, { cookie })).body as { memberNumber: number };
      const archive = archiveId('E');
      const file = camt054([{ archiveId: archive, amountCents: 800, ustrd: `Jasenmaksu ${member.memberNumber}`, debtor: 'Laskunen Laura', bookingDate: todayInHelsinki() }], {
        iban: stack.web.stack.profile.iban,
      });
      await page.setInputFiles('#payment-file', { name: 'camt054-e2e.xml', mimeType: 'application/xml', buffer: Buffer.from(file) });
      await page.getByRole('button', { name: 'Tuo tiedosto' }).click();
      await page.waitForURL(/\/payments\/files\/[0-9a-f-]{36}/, { timeout: 30_000 });
      await expect.poll(() => page.getByTestId('file-status').textContent(), { timeout: 30_000 }).toBe('Käsitelty');
      expect(await textOf(page.getByTestId('file-unmatched'))).toBe('1');
      expect(await textOf(page.getByTestId('file-booked'))).toBe('0');
      expect(await seriousViolations(page)).toEqual([]);

      // Allocated by hand: find the member by number, choose them, say why.
      await gotoReady(page, `${baseUrl}/payments`);
      const card = page.locator('[data-testid="unmatched-payment"]', { hasText: archive });
      await reloadUntil(page, async () => (await card.count()) === 1, 'the unmatched payment reaching the queue');
      expect(await textOf(card)).toContain('Ei viitettä');
      // The work queue lists it among the billing user's tasks and leads to its card here.
      const entryId = await card.getAttribute('data-entry-id');
      await gotoReady(page, `${baseUrl}/queue?kind=unmatched-payment`);
      const paymentRow = page.locator(`[data-testid="task-row"][data-subject-id="${entryId}"]`);
      await paymentRow.waitFor({ timeout: 15_000 });
      expect(await textOf(paymentRow.getByTestId('task-kind'))).toBe('Kohdistamaton suoritus');
      expect(await page.locator('[data-testid="task-kind"]', { hasNotText: 'Kohdistamaton suoritus' }).count()).toBe(0);
      await paymentRow.locator('[data-action="open"]').click();
      await page.waitForURL(`${baseUrl}/payments#entry-${entryId}-title`);
      await card.waitFor({ timeout: 15_000 });
      await card.locator('summary').click();
      await card.getByTestId('allocate-search').fill(String(member.memberNumber));
      await card.getByRole('button', { name: 'Hae jäsen' }).click();
      const allocate = page.locator(`[data-testid="unmatched-payment"][data-entry-id]`, { hasText: archive }).getByTestId('allocate-form');
      await allocate.waitFor({ timeout: 15_000 });
      // The search was a POST: its query (which may be an identity code) is not in the address.
      expect(new URL(page.url()).search).not.toContain(String(member.memberNumber));
      await allocate.locator(`input[name="memberId"][value="${memberIds[0]}"]`).check();
      await allocate.locator('textarea[name="note"]').fill('Viesti kertoi jäsennumeron');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'payments-allocate');
      await allocate.getByRole('button', { name: 'Kohdista jäsenelle' }).click();
      await expect
        .poll(async () => (await textOf(page.getByTestId('allocation-done'))) || (await textOf(page.getByTestId('problem-alert'))), { timeout: 30_000 })
        .toContain('Suoritus on kohdistettu');

      // The member's ledger: the payment, and the running balance.
      await gotoReady(page, `${baseUrl}/members/${memberIds[0]}`);
      const ledger = page.getByTestId('section-ledger');
      await ledger.waitFor({ timeout: 15_000 });
      expect(await page.getByRole('heading', { level: 2, name: 'Reskontra' }).count()).toBe(1);
      await expect.poll(() => textOf(ledger.getByTestId('ledger-payments')), POLL).toContain('8,00');
      expect(await textOf(ledger.getByTestId('ledger-balance'))).not.toBe('');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'member-ledger');

      // Reports: two charts drawn as images with words, the same numbers in tables, and the journal.
      await gotoReady(page, `${baseUrl}/reports`);
      const chart = page.getByTestId('fee-income-chart');
      await chart.waitFor({ timeout: 15_000 });
      expect(await chart.getAttribute('role')).toBe('img');
      expect(await textOf(chart.locator('title').first())).toContain('Laskutettu ja maksettu');
      expect(await page.getByTestId('aging-chart').getAttribute('role')).toBe('img');
      expect(await page.locator('[data-testid="fee-income-table"] tbody tr').count()).toBe(12);
      expect(await page.locator('[data-testid="aging-table"] tbody tr').count()).toBe(5);
      expect(await page.getByTestId('journal-csv').getAttribute('href')).toMatch(/format=csv/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'reports');
      const csv = await page.request.get(`${baseUrl}${await page.getByTestId('journal-csv').getAttribute('href')}`);
      expect(csv.status(), await csv.text()).toBe(200);
      expect(await csv.text()).toMatch(/^date,account,account_name,source,debit,credit/);

      // A phone-sized screen: the run page and the reports still read, tables and charts scroll.
      await page.setViewportSize({ width: 390, height: 844 });
      await gotoReady(page, runUrl);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'billing-run-390');
      await gotoReady(page, `${baseUrl}/reports`);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'reports-390');
      await gotoReady(page, `${baseUrl}/payments`);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'payments-390');
    } catch (error) {
      await screenshot(page, 'billing-failure');
      throw error;
    } finally {
      await context.close();
    }
  });
  it('an administrator sets next year\'s fee on the fees page; a mistyped amount is explained', async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // A year no other test bills (the integration tests use 2029).
    const year = '2033';
    try {
      await logIn(page, baseUrl, 'admin', '/billing/fees');
      // The shipped years are listed, provisional ones marked so.
      expect(await page.locator('[data-testid="fee-year-row"][data-year="2026"]').count()).toBe(1);
      expect(await textOf(page.locator('[data-testid="fee-year-row"][data-year="2026"]'))).toContain('Alustava');
      expect(await seriousViolations(page)).toEqual([]);

      await page.fill('#year', year);
      await page.selectOption('#model', 'per-month');
      await page.fill('#amount', 'kahdeksan');
      await page.fill('#note', 'Hallituksen päätös 1.10.2032');
      await page.getByRole('button', { name: 'Tallenna maksu' }).click();
      await expect.poll(() => page.getAttribute('#amount', 'aria-invalid'), POLL).toBe('true');
      expect(await textOf(page.locator('#amount-error'))).toContain('esim. 8,00');

      await page.fill('#amount', '8,50');
      await page.check('#confirmed');
      await page.getByRole('button', { name: 'Tallenna maksu' }).click();
      await page.getByTestId('fee-saved').waitFor({ timeout: 15_000 });
      const row = page.locator(`[data-testid="fee-year-row"][data-year="${year}"]`);
      await row.waitFor({ timeout: 15_000 });
      expect(await textOf(row)).toContain('8,50 € / kk');
      expect(await textOf(row)).toContain('102,00 €');
      expect(await textOf(row)).toContain('Vahvistettu');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'billing-fees');
    } finally {
      await context.close();
    }
  });
});

function year(period: string): string {
  return period.slice(0, 4);
}
