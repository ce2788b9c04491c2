/**
 * Backfilling a schedule (decision 030) through the real Temporal Schedules API: the BI extract's
 * schedule, as the worker defines it (registerSchedules) but paused, is backfilled over three past
 * days. Each scheduled time runs the extract of the day before it (the schedule's time, not the day
 * the backfill runs), in the day's own process `bi-extract/<day>`; backfilling the same days again
 * runs the schedule's workflow again but no day's extract a second time. Refusals: a schedule that is
 * not backfilled, a range in the future, too long or reversed, a non-administrator.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { and, eq, gte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { addDays, helsinkiDate, todayInHelsinki } from '../../domain/dates';
import { registerSchedules } from '../../temporal/schedules';
import { biExtractScheduleId, biExtractWorkflowId, type BiExtractResult } from '../../workflows/definitions/financeJournal';
import { apiClient } from '../support/api';
import { waitFor } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let admin: string;
const since = new Date();

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  admin = await stack.login('admin');
  const options = registerSchedules({ taskQueues: stack.ctx.taskQueues }).find((s) => s.scheduleId === biExtractScheduleId)!;
  // Paused: only the backfills below run it (a backfill runs a paused schedule's times).
  await stack.ctx.temporal.schedule.create({ ...options, state: { paused: true, note: 'created paused by the backfill test' } });
}, 120_000);
afterAll(async () => {
  await stack?.ctx.temporal.schedule.getHandle(biExtractScheduleId).delete().catch(() => undefined);
  await stack?.close();
});

const post = (path: string, body: unknown, cookie = admin) => api(path, { method: 'POST', cookie, body: JSON.stringify(body) });

async function list(query: string): Promise<WorkflowExecutionInfo[]> {
  const out: WorkflowExecutionInfo[] = [];
  for await (const w of stack.ctx.temporal.workflow.list({ query })) out.push(w);
  return out;
}

/** The schedule's own runs, finished (the backfilled times), each with its result. */
async function finishedScheduleRuns(n: number) {
  const runs = await waitFor(
    () => list(`TemporalScheduledById = '${biExtractScheduleId}'`),
    (ws) => ws.length >= n && ws.every((w) => w.status.name !== 'RUNNING'),
    60_000,
  );
  return Promise.all(runs.map(async (w) => ({ workflowId: w.workflowId, status: w.status.name, result: (await stack.ctx.temporal.workflow.getHandle(w.workflowId, w.runId).result()) as BiExtractResult })));
}

describe('schedule backfill', () => {
  const today = todayInHelsinki();
  const from = addDays(today, -3);
  const to = addDays(today, -1);

  it('lists which schedules may be backfilled', async () => {
    const res = await api('/api/v1/schedules', { cookie: admin });
    const s = (res.body.items as { id: string; backfill: unknown }[]).find((x) => x.id === biExtractScheduleId);
    expect(s?.backfill).toEqual({ allowed: true, maxDays: 62, why: null });
  });

  it("runs each missed time's own day exactly once, also when backfilled twice", async () => {
    const first = await post(`/api/v1/schedules/${biExtractScheduleId}/backfill`, { from, to, reason: 'the BI warehouse was down' });
    expect(first.status, first.text).toBe(200);
    const times = first.body.backfilledTimes as string[];
    // One time a day at 01:30 Helsinki: the three days asked for.
    expect(times.map((t) => helsinkiDate(t))).toEqual([from, addDays(from, 1), to]);
    const expectedDays = times.map((t) => addDays(helsinkiDate(t), -1));

    const runs = await finishedScheduleRuns(3);
    expect(runs.every((r) => r.status === 'COMPLETED')).toBe(true);
    // Deterministic ids: the schedule's run of a time is named by the time; each ran the day before its time.
    expect(runs.map((r) => r.workflowId).sort()).toEqual(times.map((t) => `${biExtractScheduleId}-${t.replace('.000Z', 'Z')}`).sort());
    expect(runs.map((r) => r.result.day).sort()).toEqual(expectedDays);
    expect(runs.every((r) => r.result.clients.length > 0)).toBe(true);
    for (const day of expectedDays) expect(await list(`WorkflowId = '${biExtractWorkflowId(day)}'`)).toHaveLength(1);

    // Again, overlapping: the schedule runs those times again, but no day's extract runs twice.
    const again = await post(`/api/v1/schedules/${biExtractScheduleId}/backfill`, { from, to, overlap: 'allow-all', reason: 'by mistake' });
    expect(again.status, again.text).toBe(200);
    const all = await finishedScheduleRuns(6);
    const repeats = all.filter((r) => r.result.clients.length === 0);
    expect(repeats.map((r) => r.result.day).sort()).toEqual(expectedDays);
    for (const day of expectedDays) expect(await list(`WorkflowId = '${biExtractWorkflowId(day)}'`)).toHaveLength(1);

    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'schedule'), eq(auditLog.entityId, biExtractScheduleId), eq(auditLog.action, 'schedule.backfilled'), gte(auditLog.at, since)));
    expect(audits.map((a) => a.details)).toEqual([
      { reason: 'the BI warehouse was down', from, to, overlap: 'buffer-all', times: 3 },
      { reason: 'by mistake', from, to, overlap: 'allow-all', times: 3 },
    ]);
  });

  it('refuses a schedule that is not backfilled, a bad range and a non-administrator', async () => {
    const notAllowed = await post('/api/v1/schedules/collection-daily/backfill', { from, to, reason: 'x' });
    expect(notAllowed.status).toBe(409);
    expect(notAllowed.body).toMatchObject({ code: 'schedule_backfill_not_allowed', params: { id: 'collection-daily', why: 'state-based' } });
    const future = await post(`/api/v1/schedules/${biExtractScheduleId}/backfill`, { from, to: addDays(today, 1), reason: 'x' });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('schedule_backfill_in_future');
    const reversed = await post(`/api/v1/schedules/${biExtractScheduleId}/backfill`, { from: to, to: from, reason: 'x' });
    expect(reversed.body.code).toBe('schedule_backfill_range_invalid');
    const long = await post(`/api/v1/schedules/${biExtractScheduleId}/backfill`, { from: addDays(to, -62), to, reason: 'x' });
    expect(long.status).toBe(422);
    expect(long.body).toMatchObject({ code: 'schedule_backfill_range_too_long', params: { maxDays: 62 } });
    expect((await post(`/api/v1/schedules/${biExtractScheduleId}/backfill`, { from, to, overlap: 'sometimes', reason: 'x' })).status).toBe(400);
    const billing = await stack.login('billing');
    expect((await post(`/api/v1/schedules/${biExtractScheduleId}/backfill`, { from, to, reason: 'x' }, billing)).status).toBe(403);
    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, biExtractScheduleId), eq(auditLog.action, 'schedule.backfilled'), gte(auditLog.at, since)));
    expect(audits).toHaveLength(2);
  });
});
