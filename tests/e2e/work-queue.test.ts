/**
 * The work queue for a team in the browser (decision 024): a supervisor gives a task to a
 * colleague, bulk-claims the rest (one refused, said why), sets a follow-up date that hides a
 * task, and reads each task's history. Axe clean. The tasks carry a kind of this file's own, so
 * the page is filtered to them and no other file's tasks count.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import * as tasksRepo from '../../db/repositories/tasks';
import { tasks } from '../../db/schema';
import { addDays, helsinkiDate } from '../../domain/dates';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();
const kind = `e2e-wq-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  // Out of everyone's queue once done.
  await stack.web?.stack.db.update(tasks).set({ status: 'closed', outcome: 'orphaned' }).where(eq(tasks.kind, kind));
});

async function newTask(title: string) {
  return tasksRepo.upsertTask(stack.web.stack.db, {
    workflowId: `e2e-wq-${randomUUID()}`,
    taskKey: 'review',
    kind,
    queue: 'applications',
    requiredRole: 'caseworker',
    subjectType: 'member',
    subjectId: randomUUID(),
    title,
    priority: 2,
    dueAt: new Date(Date.now() + 3 * 86_400_000),
  });
}

describe('the work queue for a team', () => {
  it('assigns a task, bulk-claims the rest and hides one until its follow-up date', { timeout: 240_000 }, async () => {
    const { baseUrl } = stack.web;
    // The caseworker has signed in once, so the supervisor can give them work.
    await stack.web.stack.login('caseworker');
    const [first, second, third] = [await newTask('first'), await newTask('second'), await newTask('third')];
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'supervisor', `/queue?kind=${kind}`);
      const rows = page.getByTestId('task-row');
      /** This file's kind in the counts: open, overdue, waiting for follow-up. */
      const counts = async () => (await page.locator(`[data-testid="summary-kind"][data-kind="${kind}"] td`).allTextContents()).map((c) => c.trim());
      expect(await rows.count()).toBe(3);
      expect(await counts()).toEqual(['3', '0', '0']);
      expect(await page.getByTestId('queue-holders').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);

      // Assign the first one to Kaisa on its page; the history says who gave it to whom.
      await gotoReady(page, `${baseUrl}/tasks/${first.id}`);
      await page.locator('#assign-user').selectOption('caseworker');
      await page.getByTestId('assign-form').getByRole('button').click();
      await expect.poll(() => textOf(page.getByTestId('work-claimed-by')), POLL).toBe('Kaisa Käsittelijä');
      await expect.poll(() => textOf(page.locator('[data-testid="history-row"][data-event="assigned"]')), POLL).toMatch(/Annettu: Kaisa Käsittelijä.*Esko Esihenkilö/);
      expect(await textOf(page.locator('[data-testid="history-row"][data-event="created"]'))).toContain('prosessi');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'work-queue-task');

      // Bulk-claim all three: two are claimed, the first is Kaisa's and is refused with the reason.
      await gotoReady(page, `${baseUrl}/queue?kind=${kind}`);
      await page.getByTestId('select-all').check();
      await page.getByRole('button', { name: 'Varaa valitut' }).click();
      await expect.poll(() => textOf(page.getByTestId('bulk-result')), POLL).toContain('Onnistui 2, torjuttiin 1.');
      expect(await textOf(page.locator(`[data-testid="bulk-refused"][data-task-id="${first.id}"]`))).toContain('Kaisa Käsittelijä');
      await expect.poll(() => textOf(page.locator(`[data-testid="task-row"][data-task-id="${second.id}"] [data-testid="task-claimed-by"]`)), POLL).toContain('Esko Esihenkilö');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'work-queue-bulk');

      // A follow-up a week ahead hides the third task from the queue until then.
      const later = addDays(helsinkiDate(new Date()), 7);
      await gotoReady(page, `${baseUrl}/tasks/${third.id}`);
      await page.fill('#follow-up-on', later);
      await page.getByTestId('follow-up-form').getByRole('button', { name: 'Aseta seuranta' }).click();
      await expect.poll(() => page.getByTestId('work-follow-up').count(), POLL).toBe(1);
      expect(await textOf(page.locator('[data-testid="history-row"][data-event="follow-up-set"]'))).toContain('Seuranta');

      await gotoReady(page, `${baseUrl}/queue?kind=${kind}`);
      const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-task-id')));
      expect(ids).toHaveLength(2);
      expect(ids).not.toContain(third.id);
      expect(await counts()).toEqual(['2', '0', '1']);
      await gotoReady(page, `${baseUrl}/queue?kind=${kind}&followUp=only`);
      expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-task-id')))).toEqual([third.id]);

      // Saved filter: keep this view under a name and find it again.
      await page.fill('#saved-name', `Seuranta ${kind}`);
      await page.getByRole('button', { name: 'Tallenna nykyiset suodattimet' }).click();
      await expect.poll(() => textOf(page.getByTestId('saved-filters')), POLL).toContain(`Seuranta ${kind}`);

      // Keyboard: on a task page `n` goes to the next task, `?` shows the page's shortcuts.
      await gotoReady(page, `${baseUrl}/tasks/${second.id}`);
      await page.keyboard.press('?');
      await expect.poll(() => page.getByTestId('shortcuts-dialog').isVisible(), POLL).toBe(true);
      expect(await textOf(page.getByTestId('shortcuts-dialog'))).toContain('Siirry ratkaisuun');
      await page.keyboard.press('Escape');
      await page.keyboard.press('n');
      await page.waitForURL((u) => !u.pathname.endsWith(second.id), POLL);

      for (const [lang, text] of [['sv', 'Öppna uppgifter per typ'], ['en', 'Open tasks by kind']] as const) {
        await gotoReady(page, `${baseUrl}/queue?kind=${kind}&lang=${lang}`);
        expect(await textOf(page.locator('#summary-title'))).toBe(text);
        expect(await seriousViolations(page)).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});
