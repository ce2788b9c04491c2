import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { membershipPeriods, tasks } from '../../db/schema';
import { collectionHearingQueue, collectionHearingWorkflowId } from '../../workflows/definitions/collectionHearing';
import type { collectionHearing } from '../../workflows/collectionHearing';
import { apiClient } from '../support/api';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';
import { newInvoice, newMember } from '../support/payments';

const stack = useBrowserStack({ expulsion: { hearingDeadline: '2s' } });

async function openTaskOf(memberId: string, kind: string) {
  return vi.waitFor(
    async () => {
      const [row] = await stack.web.stack.db.select().from(tasks).where(and(eq(tasks.subjectId, memberId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
      if (!row) throw new Error(`no open ${kind} task for member ${memberId}`);
      return row;
    },
    { timeout: 30_000, interval: 200 },
  );
}

describe('hearing and expulsion in the desk', () => {
  it('a caseworker expels on the task page (a reason is required), sees the decision on the member page and records the appeal', async () => {
    const { baseUrl } = stack.web;
    const web = stack.web.stack;
    const bearer = await web.token('eservices');
    const client = apiClient(web, { as: { token: bearer } });
    const member = await newMember(web, client, bearer);
    await web.db.update(membershipPeriods).set({ startDate: '2025-01-01' }).where(eq(membershipPeriods.memberId, member.memberId));
    const invoice = await newInvoice(web, member, 2026, 9600, { issuedOn: '2025-12-10', dueDate: '2026-01-31' });
    await web.ctx.temporal.workflow.start<typeof collectionHearing>('collectionHearing', {
      taskQueue: web.ctx.taskQueues[collectionHearingQueue],
      workflowId: collectionHearingWorkflowId(member.memberId),
      args: [{ memberId: member.memberId, invoiceIds: [invoice.id], overdueCents: invoice.amountCents, startedOn: web.ctx.today() }],
    });
    const task = await openTaskOf(member.memberId, 'expulsion-decision');

    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'caseworker');
      await gotoReady(page, `${baseUrl}/tasks/${task.id}`);
      await expect.poll(() => textOf(page.locator('h1')), POLL).toBe('Erotetaanko jäsen maksamattomien jäsenmaksujen vuoksi?');
      expect(await textOf(page.getByTestId('hearing-status'))).toBe('Odottaa päätöstä');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'task-expulsion-decision');

      // Expelling without a reason: the process refuses and the page says why.
      await page.check('#decision-approve');
      await page.getByRole('button', { name: 'Tallenna päätös' }).click();
      // In the desk's language, from the refusal's stable code.
      await expect.poll(() => textOf(page.getByTestId('problem-alert')), POLL).toContain('Päätös tarvitsee perustelun kummassakin tapauksessa');
      await page.check('#decision-approve');
      await page.fill('#reason', 'Jäsenmaksut maksamatta kuulemisesta huolimatta.');
      await page.getByRole('button', { name: 'Tallenna päätös' }).click();
      await expect.poll(() => textOf(page.getByTestId('decision-result')), POLL).toContain('Päätös tehty.');

      await gotoReady(page, `${baseUrl}/members/${member.memberId}`);
      const section = page.getByTestId('hearings-section');
      await expect.poll(() => textOf(section.getByTestId('hearing-status')), POLL).toBe('Erotettu');
      const link = await section.getByTestId('decision-document').getAttribute('href');
      expect(link).toMatch(new RegExp(`^/api/v1/members/${member.memberId}/case-documents/ASIA-\\d+/pdf$`));
      // The link opens the PDF with the desk session.
      const pdf = await page.request.get(`${baseUrl}${link}`);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByLabel('Kirjaa saapunut valitus').fill('Maksoin laskun jo.');
      await page.getByRole('button', { name: 'Tallenna valitus' }).click();
      await expect.poll(() => textOf(section.getByTestId('expulsion-appeal')), POLL).toContain('Saapunut, kassa käsittelee');
      await screenshot(page, 'member-hearing');
      await openTaskOf(member.memberId, 'expulsion-reconsideration');
    } catch (error) {
      await screenshot(page, 'hearing-failure');
      throw error;
    } finally {
      await context.close();
    }
  });
});
