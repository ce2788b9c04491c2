/**
 * Issue 15 in the browser (decision 030): a supervisor keeps the task groups on /queue/groups:
 * creates a group with a member, sees it saved with the member ticked, and empties it again; a
 * caseworker reads the groups without the forms. Finnish, Swedish and English; axe clean.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

describe('task groups in the desk', () => {
  it('a supervisor creates a group with a member and empties it; a caseworker only reads', { timeout: 180_000 }, async () => {
    const { baseUrl } = stack.web;
    const code = `e2e-${randomInt(100_000, 999_999)}`;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'supervisor', '/queue/groups');
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Tehtäväryhmät');
      expect(await seriousViolations(page)).toEqual([]);

      const newForm = page.getByTestId('group-new-form');
      await newForm.locator('#group-code').fill(code);
      const first = newForm.locator('input[name="members"]').first();
      const memberName = (await textOf(newForm.locator('label.checkbox').first())).trim();
      await first.check();
      await page.getByTestId('group-create').click();
      await expect.poll(() => textOf(page.getByTestId('groups-done')), POLL).toBe(`Ryhmän ${code} jäsenet tallennettu.`);

      const section = page.locator(`[data-testid="group"][data-group="${code}"]`);
      await expect.poll(() => section.count(), POLL).toBe(1);
      expect(await section.locator('input[name="members"]:checked').count()).toBe(1);
      expect((await textOf(section.locator('label.checkbox', { has: page.locator('input:checked') }))).trim()).toBe(memberName);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'task-groups');

      for (const [lang, heading] of [['sv', 'Uppgiftsgrupper'], ['en', 'Task groups']] as const) {
        await gotoReady(page, `${baseUrl}/queue/groups?lang=${lang}`);
        expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe(heading);
      }

      // Emptied: no members left, the group is gone from the list (its kinds, if any, go to no group).
      await gotoReady(page, `${baseUrl}/queue/groups?lang=fi`);
      await section.locator('input[name="members"]:checked').uncheck();
      await page.getByTestId(`group-save-${code}`).click();
      await expect.poll(() => section.count(), POLL).toBe(0);
    } finally {
      await context.close();
    }

    const readerContext = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const reader = await readerContext.newPage();
    try {
      await logIn(reader, baseUrl, 'caseworker', '/queue/groups');
      expect(await textOf(reader.getByRole('heading', { level: 1 }))).toBe('Tehtäväryhmät');
      expect(await reader.getByTestId('group-new-form').count()).toBe(0);
      expect(await reader.locator('form[data-testid^="group-form-"]').count()).toBe(0);
      expect(await seriousViolations(reader)).toEqual([]);
    } finally {
      await readerContext.close();
    }
  });
});
