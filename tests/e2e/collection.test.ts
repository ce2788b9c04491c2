import { describe, expect, it } from 'vitest';
import { collectionHearingStarts, collectionReminders, hearings } from '../../db/schema';
import { addDays } from '../../domain/dates';
import { collectionHearingWorkflowId } from '../../workflows/definitions/collectionHearing';
import { apiClient } from '../support/api';
import { logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';
import { newInvoice, newMember } from '../support/payments';

const stack = useBrowserStack();

describe('collection in the desk', () => {
  it('a caseworker sees a member’s collection, puts it on hold and resumes it; the collection page lists members per level, awaiting decision, a page at a time', { timeout: 300_000 }, async () => {
    const s = stack.web.stack;
    const eservices = await s.token('eservices');
    const client = apiClient(s, { as: { token: eservices } });
    const member = await newMember(s, client, eservices);
    const today = s.ctx.today();
    await newInvoice(s, member, 2016, 9600, { dueDate: addDays(today, -20) });

    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'caseworker', `/members/${member.memberId}`);
      const section = page.getByTestId('section-collection');
      await section.waitFor({ timeout: 15_000 });
      expect(await textOf(section.getByTestId('collection-state'))).toContain('Erääntynyt, ei vielä muistutettu');
      expect(await textOf(section)).toContain('Muistutuksia ei ole lähetetty.');
      expect(await seriousViolations(page)).toEqual([]);

      // Hold: a date in the past is refused in Finnish, then a valid one is taken.
      await section.getByText('Keskeytä perintä').click();
      await section.getByLabel('Syy').selectOption('payment-plan');
      await section.getByLabel('Viimeinen keskeytyspäivä').fill(addDays(today, -1));
      await section.getByRole('button', { name: 'Keskeytä', exact: true }).click();
      await expect.poll(() => textOf(page.getByTestId('section-collection')), POLL).toContain('tänään');
      const again = page.getByTestId('section-collection');
      await again.getByLabel('Viimeinen keskeytyspäivä').fill(addDays(today, 30));
      await again.getByRole('button', { name: 'Keskeytä', exact: true }).click();
      await expect.poll(() => textOf(page.getByTestId('collection-done')), POLL).toContain('Perintä on keskeytetty');
      expect(await textOf(page.getByTestId('collection-state'))).toContain('Keskeytetty');
      expect(await textOf(page.getByTestId('collection-holds'))).toContain('Maksusuunnitelma');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'collection-member-on-hold');

      await page.getByRole('button', { name: 'Jatka perintää' }).click();
      await expect.poll(() => textOf(page.getByTestId('collection-done')), POLL).toContain('Perintä jatkuu');
      expect(await textOf(page.getByTestId('collection-state'))).toContain('Erääntynyt, ei vielä muistutettu');

      // The collection page: the member's group, its members, the runs' empty state or table.
      await page.goto(`${baseUrl}/collection`);
      await page.getByRole('heading', { name: 'Perintä', level: 1 }).waitFor({ timeout: 15_000 });
      expect(await textOf(page.getByTestId('collection-buckets'))).toContain('Erääntynyt, ei muistutettu');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto(`${baseUrl}/collection?bucket=level-0`);
      expect(await textOf(page.getByTestId('collection-members'))).toContain(String(member.memberNumber));
      await screenshot(page, 'collection-page');

      // Awaiting decision (decision 070): two members whose hearings' deadlines passed, their open
      // sums far above any other test's so they head the group; read a page at a time.
      const waiting = [];
      for (const cents of [95_002_000, 95_001_000]) {
        const w = await newMember(s, client, eservices);
        const inv = await newInvoice(s, w, 2026, cents, { dueDate: addDays(today, -120) });
        const startedOn = addDays(today, -40);
        await s.db.insert(collectionReminders).values({ invoiceId: inv.id, memberId: w.memberId, level: 1, runDate: addDays(today, -100), sentOn: addDays(today, -100), newDueDate: addDays(today, -86), openCents: cents, channel: 'letter', messageKey: `reminder/${inv.id}/1`, status: 'sent' });
        await s.db.insert(collectionHearingStarts).values({ invoiceId: inv.id, memberId: w.memberId, workflowId: collectionHearingWorkflowId(w.memberId), startedOn, overdueCents: cents, startedAt: new Date() });
        await s.db.insert(hearings).values({ memberId: w.memberId, workflowId: collectionHearingWorkflowId(w.memberId), invoiceIds: [inv.id], overdueCents: cents, startedOn, deadline: addDays(startedOn, 21), status: 'awaiting-decision' });
        waiting.push(w);
      }
      await page.goto(`${baseUrl}/collection`);
      await page.getByRole('heading', { name: 'Perintä', level: 1 }).waitFor({ timeout: 15_000 });
      const buckets = page.getByTestId('collection-buckets');
      expect(await textOf(buckets)).toContain('Odottaa päätöstä');
      await buckets.getByRole('row', { name: /Odottaa päätöstä/ }).getByRole('link', { name: 'Näytä jäsenet' }).click();
      await expect.poll(() => page.url(), POLL).toContain('bucket=awaiting-decision');
      const members = page.getByTestId('collection-members');
      expect(await textOf(members)).toContain('Jäsenet: Odottaa päätöstä');
      const rows = members.locator('tbody tr');
      expect(await textOf(rows.nth(0))).toContain(String(waiting[0]!.memberNumber));
      expect(await textOf(rows.nth(1))).toContain(String(waiting[1]!.memberNumber));
      expect(await textOf(page.getByTestId('collection-members-range'))).toMatch(/^Jäsenet 1–\d+ \/ \d+/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'collection-awaiting-decision');
      // The next page starts from the second member; the previous page link leads back.
      await page.goto(`${baseUrl}/collection?bucket=awaiting-decision&offset=1`);
      expect(await textOf(page.getByTestId('collection-members-range'))).toMatch(/^Jäsenet 2–\d+ \/ \d+/);
      expect(await textOf(page.getByTestId('collection-members').locator('tbody tr').nth(0))).toContain(String(waiting[1]!.memberNumber));
      await page.getByRole('link', { name: 'Edelliset' }).click();
      await expect.poll(() => textOf(page.getByTestId('collection-members-range')), POLL).toMatch(/^Jäsenet 1–/);
      expect(page.url()).toContain('offset=0');
      await screenshot(page, 'collection-awaiting-decision-page-1');
    } finally {
      await context.close();
    }
  });
});
