/**
 * The desk's union batches and journal reconciliation pages (issue 13): a billing user finds a
 * union's batch by its filters, opens it, sees each line's outcome and reason (the unknown
 * member's identity code masked) and narrows to the problems; then a journal day that differs from
 * the ledger, with its differences per account. In Finnish and Swedish; axe clean; a caseworker is
 * told the reconciliations are not theirs.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPerson } from '../../db/repositories/persons';
import { ledgerEntries, members, membershipPeriods } from '../../db/schema';
import { feeRuleForYear } from '../../domain/billing/fees';
import { addDays } from '../../domain/dates';
import { monthlyFundShareCents } from '../../domain/unions/exchange';
import { en } from '../../web/lib/i18n/en';
import { fi } from '../../web/lib/i18n/fi';
import { sv } from '../../web/lib/i18n/sv';
import { financeJournalWorkflowId, type FinanceJournalResult } from '../../workflows/definitions/financeJournal';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

describe('the union batches and reconciliation pages', () => {
  it('shows a batch with its counts, lines and reasons, and a journal day with its differences; fi, sv; axe clean', async () => {
    const s = stack.web.stack;
    const { baseUrl } = stack.web;
    const today = s.ctx.today();
    const share = monthlyFundShareCents(feeRuleForYear(s.profile, Number(today.slice(0, 4))));
    const identityCode = uniqueIdentityCode();
    const memberNumber = await s.db.transaction(async (tx) => {
      const personId = await createPerson(
        tx,
        { identityCode, firstNames: 'Testi', lastName: 'Erä', birthDate: '1980-01-01', language: 'fi', address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
        { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
      );
      const [m] = await tx.insert(members).values({ personId, channel: 'union', unionCode: '015' }).returning();
      await tx.insert(membershipPeriods).values({ memberId: m!.id, startDate: '2024-01-01', endDate: null });
      return m!.memberNumber;
    });
    const stranger = uniqueIdentityCode();
    const batchId = `DESK-${memberNumber}`;
    const sent = await apiClient(s).api('/api/v1/union-batches/events', {
      method: 'POST',
      token: await s.token('union-015'),
      body: JSON.stringify({
        batchId,
        events: [
          { kind: 'remittance', identityCode, period: today.slice(0, 7), amountCents: share },
          { kind: 'remittance', identityCode: stranger, period: today.slice(0, 7), amountCents: share },
        ],
      }),
    });
    expect(sent.status, sent.text).toBe(202);

    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await logIn(page, baseUrl, 'billing', `/unions?union=015&problems=true&from=${today}`);
    const row = page.locator(`[data-testid="union-batch"][data-batch="${batchId}"]`);
    await row.waitFor(POLL);
    expect(await row.getAttribute('data-status')).toBe('done');
    expect(await textOf(row.locator('[data-group="booked"]'))).toBe('1');
    expect(await textOf(row.locator('[data-group="mismatch"]'))).toBe('1');
    expect(await textOf(page.locator('h1'))).toBe(fi['unions.title']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'union-batches');

    await row.getByRole('link', { name: batchId }).click();
    await page.getByTestId('union-batch-summary').waitFor(POLL);
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', undefined, POLL);
    const lines = page.getByTestId('union-batch-line');
    expect(await lines.count()).toBe(2);
    const mismatch = lines.nth(1);
    expect(await mismatch.getAttribute('data-outcome')).toBe('mismatch:unknown_member');
    const mismatchText = await textOf(mismatch);
    expect(mismatchText).toContain(fi['unions.reason.unknown_member']);
    // Billing sees the unknown person's identity code masked.
    expect(mismatchText).toContain(`${stranger.slice(0, 7)}****`);
    expect(mismatchText).not.toContain(stranger);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'union-batch');

    // Narrowed to the problems: the mismatch only.
    await page.getByTestId('union-batch-groups').getByRole('link', { name: fi['unions.group.problems'].replace('{count}', '1') }).click();
    await expect.poll(() => lines.count(), POLL).toBe(1);
    expect(await lines.first().getAttribute('data-line')).toBe('2');

    // The same page in Swedish.
    await gotoReady(page, `${page.url().split('?')[0]}?lang=sv`);
    expect(await textOf(page.locator('h2#union-batch-counts'))).toBe(sv['unions.counts']);
    expect(await textOf(lines.nth(1))).toContain(sv['unions.reason.unknown_member']);
    expect(await seriousViolations(page)).toEqual([]);
    await gotoReady(page, `${baseUrl}/unions?lang=fi`);

    // A journal day sent, then differing from the ledger.
    const day = addDays('2090-01-01', Math.floor(Math.random() * 9000));
    const book = (cents: number) => s.db.insert(ledgerEntries).values({ memberId: null, occurredOn: day, kind: 'payment', amountCents: -cents, sourceKey: `desk-recon:${randomUUID()}`, createdBy: 'desk-recon-test', description: 'desk reconciliation test' });
    const push = (suffix: string) =>
      s.ctx.temporal.workflow.execute<(i: { day: string }) => Promise<FinanceJournalResult>>('financeJournalPush', { taskQueue: s.ctx.taskQueues.payments, workflowId: `${financeJournalWorkflowId(day)}-${suffix}`, args: [{ day }] });
    await book(1000);
    await push('desk');
    await book(200);
    await push('desk-recheck');

    await gotoReady(page, `${baseUrl}/reports/reconciliations?from=${day}&to=${day}`);
    const dayRow = page.locator(`[data-testid="reconciliation-day"][data-day="${day}"]`);
    await dayRow.waitFor(POLL);
    expect(await dayRow.getAttribute('data-status')).toBe('mismatch');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'reconciliations');
    await dayRow.getByRole('link').click();
    const checks = page.getByTestId('reconciliation-check');
    await checks.first().waitFor(POLL);
    expect(await checks.count()).toBe(2);
    expect(await checks.first().getAttribute('data-status')).toBe('mismatch');
    const difference = checks.first().locator('[data-account="1910"]');
    expect(await textOf(difference)).toMatch(/-2,00|−2,00/);
    expect(await textOf(checks.nth(1))).toContain(fi['reconciliations.noDifferences']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'reconciliation-day');
    await gotoReady(page, `${page.url()}?lang=en`);
    expect(await textOf(page.locator('h2#reconciliation-checks'))).toBe(en['reconciliations.checks']);
    await gotoReady(page, `${baseUrl}/reports/reconciliations?lang=fi`);
    await context.close();

    // A caseworker is told the reconciliations are not theirs; the union batches are.
    const other = await stack.browser.newContext();
    const cw = await other.newPage();
    await logIn(cw, baseUrl, 'caseworker', '/reports/reconciliations');
    await cw.locator('.alert--info').waitFor(POLL);
    expect(await cw.getByTestId('reconciliation-days').count()).toBe(0);
    expect(await seriousViolations(cw)).toEqual([]);
    await gotoReady(cw, `${baseUrl}/unions?union=015&problems=true`);
    await cw.locator(`[data-testid="union-batch"][data-batch="${batchId}"]`).waitFor(POLL);
    await other.close();
  }, 180_000);
});
