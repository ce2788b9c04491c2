/**
 * The fund's fee exemptions on the member page (decision 038): a caseworker grants one to a direct
 * member (a reversed range refused in Finnish first), sees it listed, ends it early with a reason;
 * a union member's page offers no form. fi/sv; axe clean.
 */
import { describe, expect, it } from 'vitest';
import { createPerson } from '../../db/repositories/persons';
import { members, membershipPeriods } from '../../db/schema';
import { fi } from '../../web/lib/i18n/fi';
import { sv } from '../../web/lib/i18n/sv';
import { uniqueIdentityCode } from '../support/applications';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

async function seedMember(unionCode: string | null): Promise<string> {
  const s = stack.web.stack;
  return s.db.transaction(async (tx) => {
    const personId = await createPerson(
      tx,
      { identityCode: uniqueIdentityCode(), firstNames: 'Vapaa', lastName: 'Lomakkeelta', birthDate: '1980-01-01', language: 'fi', address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
    );
    const [m] = await tx.insert(members).values({ personId, channel: unionCode ? 'union' : 'direct', unionCode }).returning();
    await tx.insert(membershipPeriods).values({ memberId: m!.id, startDate: '2024-01-01', endDate: null });
    return m!.id;
  });
}

describe('the fee exemptions on the member page', () => {
  it('grants and ends an exemption of a direct member with reasons; a union member has no form', async () => {
    const { baseUrl } = stack.web;
    const direct = await seedMember(null);
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await logIn(page, baseUrl, 'caseworker', `/members/${direct}`);
    const section = page.getByTestId('section-exemptions');
    await section.waitFor(POLL);
    expect(await textOf(section.getByTestId('exemptions-empty'))).toBe(fi['exemption.empty']);
    expect(await seriousViolations(page)).toEqual([]);

    // A last day before the first: refused in Finnish, the form keeps what was typed.
    const grant = section.getByTestId('exemption-grant');
    await grant.getByText(fi['exemption.grant.title']).click();
    await grant.getByLabel(fi['exemption.grant.from']).fill('2032-03-01');
    await grant.getByLabel(fi['exemption.grant.until']).fill('2032-02-28');
    await grant.getByLabel(fi['exemption.reason']).fill('Vanhempainvapaa');
    await grant.getByRole('button', { name: fi['exemption.grant.submit'] }).click();
    await expect.poll(() => textOf(page.getByTestId('section-exemptions').locator('.alert')), POLL).toContain(fi['code.exemption_end_before_start'].replace('{startDate}', '2032-03-01').slice(0, 30));
    expect(await page.getByTestId('exemption-grant').getByLabel(fi['exemption.reason']).inputValue()).toBe('Vanhempainvapaa');

    await page.getByTestId('exemption-grant').getByLabel(fi['exemption.grant.until']).fill('2032-08-31');
    await page.getByTestId('exemption-grant').getByRole('button', { name: fi['exemption.grant.submit'] }).click();
    await page.getByTestId('exemption-done').waitFor(POLL);
    const row = page.locator('[data-testid="exemption"][data-source="fund"]');
    expect(await row.getAttribute('data-start')).toBe('2032-03-01');
    expect(await row.getAttribute('data-end')).toBe('2032-08-31');
    expect(await textOf(row)).toContain('Vanhempainvapaa');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'member-exemptions');

    // Ended early, with the reason shown beside it.
    const endPanel = page.getByTestId('exemption-end');
    await endPanel.locator('summary').click();
    await endPanel.getByLabel(fi['exemption.end.date']).fill('2032-05-31');
    await endPanel.getByLabel(fi['exemption.reason']).fill('Palasi töihin');
    await endPanel.getByRole('button', { name: fi['exemption.end.submit'] }).click();
    await expect.poll(() => page.locator('[data-testid="exemption"][data-source="fund"]').getAttribute('data-end'), POLL).toBe('2032-05-31');
    expect(await textOf(page.locator('[data-testid="exemption"][data-source="fund"]'))).toContain('Palasi töihin');
    expect(await page.getByTestId('exemption-end').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await gotoReady(page, `${baseUrl}/members/${direct}?lang=sv`);
    expect(await textOf(page.locator('#exemptions-title'))).toBe(sv['exemption.section']);
    await gotoReady(page, `${baseUrl}/members/${direct}?lang=fi`);

    // A union member: the union's exemptions are the union's; no form.
    const unionMember = await seedMember('015');
    await gotoReady(page, `${baseUrl}/members/${unionMember}`);
    await page.getByTestId('section-exemptions').waitFor(POLL);
    expect(await textOf(page.getByTestId('section-exemptions'))).toContain(fi['exemption.help.union'].replace('{union}', '015'));
    expect(await page.getByTestId('exemption-grant').count()).toBe(0);
    await context.close();
  }, 180_000);
});
