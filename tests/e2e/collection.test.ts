import { describe, expect, it } from 'vitest';
import { addDays } from '../../domain/dates';
import { apiClient } from '../support/api';
import { logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';
import { newInvoice, newMember } from '../support/payments';

const stack = useBrowserStack();

describe('collection in the desk', () => {
  it('a caseworker sees a member’s collection, puts it on hold and resumes it; the collection page lists members per level', { timeout: 300_000 }, async () => {
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
    } finally {
      await context.close();
    }
  });
});
