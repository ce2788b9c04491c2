/**
 * Issue 15 in the browser: the statistics page draws its charts and downloads a table as
 * formula-safe CSV; an administrator resumes, pauses and runs a schedule now, and backfills missed
 * days of a schedule that allows it (a range too long is refused in the reader's language). Axe clean.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, membershipPeriods, persons } from '../../db/schema';
import { addDays, todayInHelsinki } from '../../domain/dates';
import { financeJournalQueue, financeJournalScheduleId } from '../../workflows/definitions/financeJournal';
import { reconcileQueue, reconcileScheduleId, reconcileWorkflowId } from '../../workflows/definitions/reconcile';
import { scheduledFinanceJournalPush } from '../../workflows/financeJournal';
import { reconcile } from '../../workflows/reconcile';
import { uniqueIdentityCode } from '../support/applications';
import { gotoReady, logIn, POLL, screenshot, seriousViolations, textOf, useBrowserStack } from '../support/browser';

const stack = useBrowserStack();

beforeAll(async () => {
  const db = stack.web.stack.db;
  for (const [i, municipality] of ['Oulu', '=SUM(1+1)', 'Oulu'].entries()) {
    const [person] = await db.insert(persons).values({ identityCode: uniqueIdentityCode(1980), firstNames: 'Tilasto', lastName: 'Selain', birthDate: '1980-01-01', language: 'fi', municipality }).returning({ id: persons.id });
    const [member] = await db.insert(members).values({ personId: person!.id, channel: i === 0 ? 'union' : 'direct', unionCode: i === 0 ? '015' : null }).returning({ id: members.id });
    await db.insert(membershipPeriods).values({ memberId: member!.id, startDate: '2025-01-15', endDate: null });
  }
  await stack.web.stack.ctx.temporal.schedule.create({
    scheduleId: reconcileScheduleId,
    spec: { intervals: [{ every: '1 day' }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    state: { paused: true, note: 'created paused by the test' },
    action: { type: 'startWorkflow', workflowType: reconcile, workflowId: reconcileWorkflowId, taskQueue: `schedules-e2e-idle-${stack.web.stack.ctx.taskQueues[reconcileQueue]}`, args: [{}] },
    // (On a queue no worker polls: a reconcile run here would start other tests' processes on this stack's queues.)
  });
  // The finance journal's schedule (backfilled up to 62 days), paused, on a queue no worker polls:
  // a backfilled day's run waits there instead of pushing a journal from the shared database.
  await stack.web.stack.ctx.temporal.schedule.create({
    scheduleId: financeJournalScheduleId,
    spec: { calendars: [{ hour: 3, minute: 30 }], timezone: 'Europe/Helsinki' },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    state: { paused: true, note: 'created paused by the test' },
    action: { type: 'startWorkflow', workflowType: scheduledFinanceJournalPush, workflowId: financeJournalScheduleId, taskQueue: `schedules-e2e-idle-${stack.web.stack.ctx.taskQueues[financeJournalQueue]}`, args: [] },
  });
}, 120_000);
afterAll(async () => {
  const temporal = stack.web?.stack.ctx.temporal;
  await temporal?.schedule.getHandle(reconcileScheduleId).delete().catch(() => undefined);
  await temporal?.schedule.getHandle(financeJournalScheduleId).delete().catch(() => undefined);
  for await (const w of temporal?.workflow.list({ query: `TemporalScheduledById = '${financeJournalScheduleId}' AND ExecutionStatus = 'Running'` }) ?? []) {
    await temporal?.workflow.getHandle(w.workflowId, w.runId).terminate('backfill browser test done').catch(() => undefined);
  }
});

describe('statistics in the desk', () => {
  it('shows the breakdowns as charts and tables and downloads a formula-safe CSV', { timeout: 180_000 }, async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'supervisor', '/statistics?on=2026-01-31&from=2025-01&to=2025-12&kt=2025-01');
      expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe('Jäsentilastot');
      expect(await page.getByTestId('chart-sex').count()).toBe(1);
      expect(await page.getByTestId('chart-age').locator('rect').count()).toBe(7);
      expect(await page.getByTestId('chart-monthly').locator('rect').count()).toBe(12);
      expect(await textOf(page.getByTestId('table-municipality'))).toContain('Oulu');
      expect(await textOf(page.locator('[data-testid="table-kt"] tr[data-item="joined"]'))).toMatch(/Liittyneet.*[1-9]/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'statistics');

      const href = await page.getByTestId('csv-municipality').getAttribute('href');
      const csv = await page.request.get(`${baseUrl}${href}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
      const text = await csv.text();
      expect(text.split('\r\n')[0]).toBe('municipality,members');
      expect(text).toMatch(/^"'=SUM\(1\+1\)",\d+$|^'=SUM\(1\+1\),\d+$/m);

      for (const [lang, heading] of [['sv', 'Medlemsstatistik'], ['en', 'Member statistics']] as const) {
        await gotoReady(page, `${baseUrl}/statistics?on=2026-01-31&lang=${lang}`);
        expect(await textOf(page.getByRole('heading', { level: 1 }))).toBe(heading);
        expect(await seriousViolations(page)).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });
});

describe('schedules in the desk', () => {
  it('resumes, pauses with a reason and runs a schedule now', { timeout: 180_000 }, async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    try {
      await logIn(page, baseUrl, 'admin', '/admin/schedules');
      const row = page.locator(`[data-testid="schedule-row"][data-schedule="${reconcileScheduleId}"]`);
      expect(await textOf(row.getByTestId('schedule-state'))).toContain('Keskeytetty');
      // When each runs: an interval the installation sets, or the fund setting's time with a link to it.
      expect(await textOf(row.getByTestId('schedule-when'))).toContain('1440 minuutin välein');
      const journal = page.locator(`[data-testid="schedule-row"][data-schedule="${financeJournalScheduleId}"]`).getByTestId('schedule-when');
      expect(await textOf(journal)).toContain('Joka päivä klo 03:30');
      expect(await journal.getByRole('link').getAttribute('href')).toBe('/admin/fund-config#setting-scheduleTimes');
      expect(await seriousViolations(page)).toEqual([]);

      await page.fill(`#reason-${reconcileScheduleId}`, 'valmis taas');
      await page.getByTestId(`schedule-toggle-${reconcileScheduleId}`).click();
      await expect.poll(() => textOf(row.getByTestId('schedule-state')), POLL).toContain('Käynnissä');

      await page.fill(`#reason-${reconcileScheduleId}`, 'pankkitiedosto myöhässä');
      await page.getByTestId(`schedule-toggle-${reconcileScheduleId}`).click();
      await expect.poll(() => textOf(row.getByTestId('schedule-state')), POLL).toContain('admin: pankkitiedosto myöhässä');

      await page.fill(`#reason-${reconcileScheduleId}`, 'tarkistus korjauksen jälkeen');
      await page.getByTestId(`schedule-trigger-${reconcileScheduleId}`).click();
      await expect.poll(() => textOf(page.getByTestId('schedule-done')), POLL).toContain('käynnistetty');
      await expect
        .poll(async () => {
          await gotoReady(page, `${baseUrl}/admin/schedules`);
          return textOf(row.getByTestId('schedule-outcome'));
        }, { timeout: 60_000, interval: 1000 })
        .toBe('Käynnissä');
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'schedules');
    } finally {
      await context.close();
    }
  });
  it('backfills missed days of a schedule that allows it, and refuses a range too long', { timeout: 180_000 }, async () => {
    const { baseUrl } = stack.web;
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const today = todayInHelsinki();
    const id = financeJournalScheduleId;
    try {
      await logIn(page, baseUrl, 'admin', '/admin/schedules');
      const form = page.getByTestId(`schedule-backfill-form-${id}`);
      await form.waitFor(POLL);
      // A state-based schedule offers no backfill and says why.
      expect(await textOf(page.getByTestId(`schedule-no-backfill-${reconcileScheduleId}`))).not.toBe('');

      // More than the schedule's 62 days: refused in Finnish, nothing started.
      await page.fill(`#backfill-from-${id}`, addDays(today, -70));
      await page.fill(`#backfill-to-${id}`, addDays(today, -1));
      await page.fill(`#backfill-reason-${id}`, 'liian pitkä');
      await page.getByTestId(`schedule-backfill-${id}`).click();
      const tooLong = page.locator('[data-testid="problem-alert"][data-code="schedule_backfill_range_too_long"]');
      await tooLong.waitFor(POLL);
      expect(await textOf(tooLong)).toContain('62');

      // Three missed days: each scheduled time is run afterwards (the first starts; with overlap
      // 'buffer-all' the others wait their turn).
      await page.fill(`#backfill-from-${id}`, addDays(today, -3));
      await page.fill(`#backfill-to-${id}`, addDays(today, -1));
      await page.selectOption(`#backfill-overlap-${id}`, 'buffer-all');
      await page.fill(`#backfill-reason-${id}`, 'kirjanpito oli alhaalla');
      await page.getByTestId(`schedule-backfill-${id}`).click();
      await expect.poll(() => textOf(page.getByTestId('schedule-done')), POLL).toMatch(/: [1-9]\d* ajoa jälkikäteen/);
      const started = async () => {
        let n = 0;
        for await (const _ of stack.web.stack.ctx.temporal.workflow.list({ query: `TemporalScheduledById = '${id}'` })) n += 1;
        return n;
      };
      await expect.poll(started, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);
      expect(await seriousViolations(page)).toEqual([]);

      for (const [lang, text] of [['sv', 'dagar'], ['en', 'days']] as const) {
        await gotoReady(page, `${baseUrl}/admin/schedules?lang=${lang}`);
        expect(await textOf(page.locator(`#backfill-help-${id}`))).toContain(text);
      }
    } finally {
      await context.close();
    }
  });
});
