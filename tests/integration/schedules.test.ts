/**
 * The register's schedules at the desk (issue 15): listed with next and last run and outcome,
 * paused with a reason, resumed and triggered through the real Temporal Schedules API, each
 * audited; administrators only. The test creates the reconcile schedule paused (as a schedule
 * that does no harm when run) and deletes it afterwards, so no later test sees it fire.
 */
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { and, eq, gte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { reconcileQueue, reconcileScheduleId, reconcileWorkflowId } from '../../workflows/definitions/reconcile';
import { reconcile } from '../../workflows/reconcile';
import { apiClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let admin: string;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  admin = await stack.login('admin');
  await stack.ctx.temporal.schedule.create({
    scheduleId: reconcileScheduleId,
    spec: { intervals: [{ every: '1 day' }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    state: { paused: true, note: 'created paused by the test' },
    // On a queue no worker polls: a run started here must not reconcile the rows of the other tests
    // sharing this database (it would start their processes on this stack's queues).
    action: { type: 'startWorkflow', workflowType: reconcile, workflowId: reconcileWorkflowId, taskQueue: `schedules-test-idle-${stack.ctx.taskQueues[reconcileQueue]}`, args: [{}] },
  });
}, 120_000);
afterAll(async () => {
  await stack?.ctx.temporal.schedule.getHandle(reconcileScheduleId).delete().catch(() => undefined);
  await stack?.close();
});

const post = (path: string, body: unknown, cookie = admin) => api(path, { method: 'POST', cookie, body: JSON.stringify(body) });
/** This file's audit rows of the schedule (the browser test changes the same schedule in the shared database). */
const since = new Date();
const auditsOf = (action: string) => stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'schedule'), eq(auditLog.entityId, reconcileScheduleId), eq(auditLog.action, action), gte(auditLog.at, since)));

describe('schedules', () => {
  it('lists the register schedule with its state and next run', async () => {
    const res = await api('/api/v1/schedules', { cookie: admin });
    expect(res.status).toBe(200);
    const s = (res.body.items as { id: string; paused: boolean; note: string; nextRuns: string[]; lastRun: unknown }[]).find((x) => x.id === reconcileScheduleId)!;
    expect(s.paused).toBe(true);
    expect(s.note).toBe('created paused by the test');
    expect(s.lastRun).toBeNull();
  });

  it('resumes and pauses with a reason, through Temporal, audited', async () => {
    const resumed = await post(`/api/v1/schedules/${reconcileScheduleId}/resume`, { reason: 'ready again' });
    expect(resumed.status).toBe(200);
    expect(resumed.body.paused).toBe(false);
    expect((await stack.ctx.temporal.schedule.getHandle(reconcileScheduleId).describe()).state.paused).toBe(false);
    expect(resumed.body.nextRuns.length).toBeGreaterThan(0);

    const paused = await post(`/api/v1/schedules/${reconcileScheduleId}/pause`, { reason: 'bank file late' });
    expect(paused.status).toBe(200);
    const d = await stack.ctx.temporal.schedule.getHandle(reconcileScheduleId).describe();
    expect(d.state.paused).toBe(true);
    expect(d.state.note).toBe('admin: bank file late');
    const rows = await auditsOf('schedule.paused');
    expect(rows.at(-1)).toMatchObject({ actor: 'admin', details: { reason: 'bank file late' } });
    expect(await auditsOf('schedule.resumed')).toHaveLength(1);
  });

  it('runs a paused schedule now and shows the run and its outcome', async () => {
    const triggered = await post(`/api/v1/schedules/${reconcileScheduleId}/trigger`, { reason: 'check after the fix' });
    expect(triggered.status).toBe(200);
    expect(await auditsOf('schedule.triggered')).toHaveLength(1);
    // The action is taken asynchronously by the schedule; wait until the list shows the run (it
    // stays running: no worker polls its queue), then end it.
    let last: { workflowId: string; outcome: string } | null = null;
    for (let i = 0; i < 60 && !last; i++) {
      const list = await api('/api/v1/schedules', { cookie: admin });
      last = (list.body.items as { id: string; lastRun: { workflowId: string; outcome: string } | null }[]).find((x) => x.id === reconcileScheduleId)!.lastRun;
      if (!last) await new Promise((r) => setTimeout(r, 500));
    }
    expect(last?.workflowId).toContain(reconcileWorkflowId);
    expect(last?.outcome).toBe('running');
    await stack.ctx.temporal.workflow.getHandle(last!.workflowId).terminate('schedules test done');
    // Still paused: running now does not resume it.
    expect((await stack.ctx.temporal.schedule.getHandle(reconcileScheduleId).describe()).state.paused).toBe(true);
  });

  it('refuses a reason-less change, an unknown schedule and a non-administrator', async () => {
    expect((await post(`/api/v1/schedules/${reconcileScheduleId}/pause`, { reason: '' })).status).toBe(400);
    const unknown = await post('/api/v1/schedules/no-such-schedule/trigger', { reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('schedule_not_found');
    const billing = await stack.login('billing');
    const denied = await post(`/api/v1/schedules/${reconcileScheduleId}/trigger`, { reason: 'x' }, billing);
    expect(denied.status).toBe(403);
    expect(await auditsOf('schedule.triggered')).toHaveLength(1);
  });
});
