import { describe, expect, it } from 'vitest';
import * as repo from '../../db/repositories/taxReport';
import { gotoReady, logIn, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

// A year of its own: 27 January 2044, the 2043 report not filed four days before its deadline.
const stack = useBrowserStack({ today: () => '2044-01-27', taxReport: { acknowledgementPoll: '1 second' } });

describe('the tax report in the desk', () => {
  it('warns before the deadline, previews, is approved by a second billing user and filed', { timeout: 240_000 }, async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'billing', '/tax');
      await gotoReady(page, `${baseUrl}/tax`);
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Vuosi-ilmoitus Verohallinnolle');
      // Only 2043's warning is this test's: other files leave runs of their own years in the shared database.
      expect(await textOf(page.getByTestId('tax-deadline-warning').filter({ hasText: 'Vuoden 2043' }))).toContain('Vuoden 2043 vuosi-ilmoitusta ei ole lähetetty');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Aloita vuoden 2043 vuosi-ilmoitus' }).click();
      await page.waitForURL(/\/tax\?run=/, { timeout: 30_000 });
      await expect.poll(async () => page.getByTestId('tax-four-eyes-notice').count(), { timeout: 60_000 }).toBe(1);
      expect(await page.getByTestId('tax-summary').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Hyväksy ja lähetä' }).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'tax-report-preview');
      const runUrl = page.url();

      const approverContext = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const approver = await approverContext.newPage();
        await logIn(approver, baseUrl, 'billing2', new URL(runUrl).pathname + new URL(runUrl).search);
        await gotoReady(approver, runUrl);
        await approver.getByRole('button', { name: 'Hyväksy ja lähetä' }).click();
        await approver.waitForURL(/decided=approved/, { timeout: 30_000 });
        await expect.poll(async () => (await textOf(approver.getByTestId('tax-run'))).includes('Kuitattu'), { timeout: 60_000, interval: 1000 }).toBe(true);
        await approver.reload();
        expect(await approver.getByTestId('tax-deadline-warning').filter({ hasText: 'Vuoden 2043' }).count()).toBe(0);
        expect(await seriousViolations(approver)).toEqual([]);
      } finally {
        await approverContext.close();
      }

      // The same page in Swedish and English.
      for (const [lang, heading] of [['sv', 'Årsanmälan till Skatteförvaltningen'], ['en', 'Annual report to the Tax Administration']] as const) {
        await gotoReady(page, `${baseUrl}/tax?lang=${lang}`);
        expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe(heading);
        expect(await seriousViolations(page)).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });

  it('names a failed run\'s failure in the reader\'s language and keeps its own words from a billing user (decision 071)', { timeout: 120_000 }, async () => {
    const { baseUrl } = stack.web;
    // 2029 is this test's own year; the run is stored as its process would have left it.
    const runId = 'tax-report/2029';
    await repo.insertRunOnce(stack.web.stack.db, { id: runId, year: 2029, kind: 'annual', status: 'failed', startedBy: 'billing', workflowId: runId, error: 'The Tax Administration refused the file: the header is wrong', errorCode: 'tax-file-refused' });
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'billing', '/tax');
      for (const [lang, text] of [['fi', 'Verohallinto hylkäsi tiedoston. Korjaa tiedot ja aloita uusi ajo.'], ['sv', 'Skatteförvaltningen avvisade filen. Rätta uppgifterna och starta en ny körning.'], ['en', 'The Tax Administration refused the file. Correct the data and start a new run.']] as const) {
        await gotoReady(page, `${baseUrl}/tax?run=${encodeURIComponent(runId)}&lang=${lang}`);
        expect(await textOf(page.getByTestId('failure-text'))).toBe(text);
        // The failure's own words are an administrator's.
        expect(await page.getByTestId('failure-raw').count()).toBe(0);
      }
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
