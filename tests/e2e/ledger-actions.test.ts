import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { invoices, refunds } from '../../db/schema';
import { apiClient } from '../support/api';
import { logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';
import { archiveId, camt054, invoiceById, newInvoice, newMember, postFile, waitProcessed } from '../support/payments';

const stack = useBrowserStack();

/** The open dialog, once it shows. */
async function dialogOf(page: Page, kind: string) {
  const dialog = page.locator(`[data-testid="ledger-dialog"][data-kind="${kind}"]`);
  await dialog.waitFor({ timeout: 15_000 });
  return dialog;
}

/** The success line under the ledger actions, or the dialog's refusal if one came instead. */
const outcome = async (page: Page) => (await textOf(page.getByTestId('ledger-action-result'))) || (await textOf(page.getByTestId('ledger-problem')));

describe('ledger actions in the desk', () => {
  it('a billing user refunds a credit, credits an invoice and writes one off, each through a dialog with a confirmation', { timeout: 300_000 }, async () => {
    const s = stack.web.stack;
    const [eservices, bank] = await Promise.all([s.token('eservices'), s.token('bank-gateway')]);
    const client = apiClient(s, { as: { token: eservices } });
    const member = await newMember(s, client, eservices);
    // Paid 120 € on a 96 € invoice: the member has 24 € in credit.
    const paid = await newInvoice(s, member, 2015, 9600);
    const file = await postFile(client, camt054([{ archiveId: archiveId('L'), amountCents: 12000, ref: paid.reference, bookingDate: '2015-03-02' }], { iban: s.profile.iban }), 'application/xml', { token: bank });
    expect(file.status, file.text).toBe(202);
    await waitProcessed(client, file.body.id, { token: bank });

    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'billing', `/members/${member.memberId}`);
      const ledger = page.getByTestId('section-ledger');
      await ledger.waitFor({ timeout: 15_000 });
      expect(await textOf(ledger.getByTestId('ledger-balance'))).toContain('24,00');
      expect(await page.getByRole('heading', { name: 'Reskontratoimet' }).count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);

      // Refund: an empty form names every missing field, in Finnish.
      await page.locator('[data-action="refund"]').click();
      let dialog = await dialogOf(page, 'refund');
      expect(await textOf(dialog.locator('h2'))).toBe('Saatavan palautus jäsenelle');
      await dialog.getByRole('button', { name: 'Jatka' }).click();
      await expect.poll(() => textOf(dialog.locator('.field__error')), POLL).toContain('Anna määrä.');
      expect(await dialog.locator('[aria-invalid="true"]').count()).toBe(3);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'ledger-refund-errors');

      // More than the credit: confirmed, then refused by the API and said by its code.
      await dialog.getByLabel('Määrä (€)').fill('24,01');
      await dialog.getByLabel('Tilinumero (IBAN)').fill('FI21 1234 5600 0007 85');
      await dialog.getByLabel('Peruste').fill('Maksettu kahdesti');
      await dialog.getByRole('button', { name: 'Jatka' }).click();
      await dialog.getByTestId('ledger-confirm').waitFor({ timeout: 15_000 });
      expect(await textOf(dialog.getByTestId('ledger-confirm-text'))).toBe('Jäsenelle palautetaan 24,01 € tilille FI2112345600000785.');
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Vahvista palautus' }).click();
      await expect.poll(() => textOf(dialog.getByTestId('ledger-problem')), POLL).toBe('Palautus on suurempi kuin jäsenen saatava (24,00 €).');
      expect(await dialog.getByLabel('Määrä (€)').inputValue()).toBe('24,01');
      expect(await s.db.select().from(refunds).where(eq(refunds.memberId, member.memberId))).toEqual([]);

      // Within the credit: booked once confirmed.
      await dialog.getByLabel('Määrä (€)').fill('16,00');
      await dialog.getByRole('button', { name: 'Jatka' }).click();
      await dialog.getByRole('button', { name: 'Vahvista palautus' }).click();
      await expect.poll(() => outcome(page), POLL).toContain('Palautus 16,00 € kirjattiin');
      await page.locator('[data-testid="ledger-dialog"]').waitFor({ state: 'detached', timeout: 10_000 });
      await expect.poll(() => textOf(ledger.getByTestId('ledger-balance')), POLL).toContain('8,00');
      expect(await s.db.select({ amountCents: refunds.amountCents, iban: refunds.iban, reason: refunds.reason }).from(refunds).where(eq(refunds.memberId, member.memberId))).toEqual([
        { amountCents: 1600, iban: 'FI2112345600000785', reason: 'Maksettu kahdesti' },
      ]);

      // Two new invoices: one to credit, one to write off.
      const toCredit = await newInvoice(s, member, 2016, 9600);
      const toWriteOff = await newInvoice(s, member, 2017, 9600);
      await page.reload();
      const rowOf = (number: number) => page.locator(`[data-testid="ledger-action-invoice"][data-invoice-number="${number}"]`);
      await rowOf(toCredit.invoiceNumber).waitFor({ timeout: 15_000 });

      // Credit note of 12,50 € (typed the Finnish way), with a step back before confirming.
      await rowOf(toCredit.invoiceNumber).locator('[data-action="credit-note"]').click();
      dialog = await dialogOf(page, 'creditNote');
      expect(await textOf(dialog.locator('h2'))).toBe(`Hyvitys laskulle ${toCredit.invoiceNumber}`);
      await dialog.getByLabel('Määrä (€)').fill('12,505');
      await dialog.getByLabel('Peruste').fill('Jäsenyys päättyi helmikuussa');
      await dialog.getByRole('button', { name: 'Jatka' }).click();
      await expect.poll(() => textOf(dialog.locator('.field__error')), POLL).toContain('esim. 12,50');
      await dialog.getByLabel('Määrä (€)').fill('12,50');
      await dialog.getByRole('button', { name: 'Jatka' }).click();
      await dialog.getByTestId('ledger-confirm').waitFor({ timeout: 15_000 });
      expect(await textOf(dialog.getByTestId('ledger-confirm-text'))).toBe(`Laskua ${toCredit.invoiceNumber} hyvitetään 12,50 €.`);
      await dialog.getByRole('button', { name: 'Takaisin' }).click();
      expect(await dialog.getByLabel('Määrä (€)').inputValue()).toBe('12,50');
      await dialog.getByRole('button', { name: 'Jatka' }).click();
      await dialog.getByRole('button', { name: 'Vahvista hyvitys' }).click();
      await expect.poll(() => outcome(page), POLL).toContain('Hyvitys 12,50 € kirjattiin');
      await expect.poll(() => textOf(rowOf(toCredit.invoiceNumber)), POLL).toContain('83,50');
      expect(await invoiceById(s, toCredit.id)).toMatchObject({ openCents: 8350, status: 'open' });
      expect(await seriousViolations(page)).toEqual([]);

      // Write-off: the whole open amount; cancelling first books nothing.
      await rowOf(toWriteOff.invoiceNumber).locator('[data-action="write-off"]').click();
      dialog = await dialogOf(page, 'writeOff');
      await dialog.getByRole('button', { name: 'Peruuta' }).click();
      await page.locator('[data-testid="ledger-dialog"]').waitFor({ state: 'detached', timeout: 10_000 });
      await rowOf(toWriteOff.invoiceNumber).locator('[data-action="write-off"]').click();
      dialog = await dialogOf(page, 'writeOff');
      expect(await dialog.getByLabel('Määrä (€)').count()).toBe(0);
      await dialog.getByLabel('Peruste').fill('Kuolinpesä varaton');
      await dialog.getByRole('button', { name: 'Jatka' }).click();
      await dialog.getByTestId('ledger-confirm').waitFor({ timeout: 15_000 });
      expect(await textOf(dialog.getByTestId('ledger-confirm-text'))).toBe(`Laskun ${toWriteOff.invoiceNumber} avoin määrä 96,00 € kirjataan luottotappioksi.`);
      await screenshot(page, 'ledger-write-off-confirm');
      await dialog.getByRole('button', { name: 'Vahvista luottotappio' }).click();
      await expect.poll(() => outcome(page), POLL).toContain('96,00 € kirjattiin luottotappioksi');
      await expect.poll(() => rowOf(toWriteOff.invoiceNumber).count(), POLL).toBe(0);
      const [writtenOff] = await s.db.select().from(invoices).where(eq(invoices.id, toWriteOff.id));
      expect(writtenOff).toMatchObject({ openCents: 0, status: 'written-off' });
      await expect.poll(() => textOf(ledger.getByTestId('ledger-entries')), POLL).toContain('Kuolinpesä varaton');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'ledger-actions');
    } catch (error) {
      await screenshot(page, 'ledger-actions-failure');
      throw error;
    } finally {
      await context.close();
    }

    // A caseworker reads the ledger but is offered none of its actions.
    const caseworkerContext = await stack.browser.newContext();
    try {
      const cw = await caseworkerContext.newPage();
      await logIn(cw, baseUrl, 'caseworker', `/members/${member.memberId}`);
      await cw.getByTestId('section-ledger').waitFor({ timeout: 15_000 });
      expect(await cw.getByRole('heading', { name: 'Reskontratoimet' }).count()).toBe(0);
      expect(await cw.locator('[data-action="credit-note"], [data-action="write-off"], [data-action="refund"]').count()).toBe(0);
    } finally {
      await caseworkerContext.close();
    }
  });
});
