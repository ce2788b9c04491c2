import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, membershipPeriods, messages, tasks } from '../../db/schema';
import { generateTestIdentityCode } from '../../domain/identityCode';
import { getEligibilityReview } from '../../services/memberReviews';
import { membershipDailySweepQueue } from '../../workflows/definitions/membershipDailySweep';
import { membershipDailySweep } from '../../workflows/membershipDailySweep';
import { apiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
let caseworker: string;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('eservices');
  caseworker = await stack.login('caseworker');
  client = apiClient(stack, { as: { token } });
});
afterAll(async () => stack?.close());

async function submit(data: ReturnType<typeof applicationData>) {
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function sweep(today: string) {
  return stack.ctx.temporal.workflow.execute(membershipDailySweep, {
    taskQueue: stack.ctx.taskQueues[membershipDailySweepQueue],
    workflowId: `test-sweep-${newKey()}`,
    args: [{ today }],
  });
}

describe('daily membership sweep', () => {
  it('ends membership at the end of the month the member turns 68, with a notice before and a message after', async () => {
    // Born 10.12.1958: 68 on 10.12.2026, so the membership ends on 31.12.2026.
    const identityCode = generateTestIdentityCode('1958-12-10', 901 + Math.floor(Math.random() * 98));
    const id = await submit(applicationData({ identityCode }));
    const { memberId } = await client.waitForStatus(id, ['approved']);

    await sweep('2026-11-25');
    let [period] = await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId));
    expect(period?.endDate).toBeNull();

    await sweep('2026-12-05');
    [period] = await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId));
    expect(period?.endDate).toBe('2026-12-31');
    expect(period?.endReason).toBe('age-limit');
    await sweep('2026-12-06');
    await sweep('2027-01-02');
    const sent = await stack.db.select().from(messages).where(eq(messages.memberId, memberId));
    expect(sent.filter((m) => m.kind === 'age-limit-notice')).toHaveLength(1);
    expect(sent.filter((m) => m.kind === 'membership-ended-age')).toHaveLength(1);
  });

  it('opens one eligibility review for an entrepreneur past 18 months; rejecting it ends the membership', async () => {
    const id = await submit(applicationData({ employment: { status: 'entrepreneur', entrepreneurSince: '2024-01-01' } }));
    const task = await client.openTaskFor(id);
    await client.api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'approve' }) });
    const { memberId } = await client.waitForStatus(id, ['approved']);

    await sweep(stack.ctx.today());
    await sweep(stack.ctx.today());
    const review = await vi.waitFor(
      async () => {
        const rows = await stack.db.select().from(tasks).where(and(eq(tasks.subjectId, memberId), eq(tasks.kind, 'eligibility-review')));
        if (rows.length === 0) throw new Error('no eligibility review yet');
        return rows;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(review).toHaveLength(1);
    const taskId = review[0]!.id;

    // What the desk's task page loads: the member, the period and the 18-month point, audited as a member read.
    const detail = await client.api(`/api/v1/tasks/${taskId}?lang=fi`, { cookie: caseworker });
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body.addressConflict).toBeNull();
    expect(detail.body.eligibilityReview).toMatchObject({
      member: { id: memberId, status: 'active' },
      reason: 'entrepreneur-over-limit',
      basis: 'entrepreneur',
      entrepreneurSince: '2024-01-01',
      limitMonths: 18,
      limitDate: '2025-06-30',
      periods: [{ endDate: null }],
    });
    const reads = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'member'), eq(auditLog.entityId, memberId), eq(auditLog.action, 'member.read')));
    expect(reads.map((r) => r.details)).toContainEqual({ view: 'task', kind: 'eligibility-review', taskId });
    const billing = await stack.login('billing');
    expect((await client.api(`/api/v1/tasks/${taskId}`, { cookie: billing })).status).toBe(403);
    await expect(getEligibilityReview(stack.ctx, { kind: 'user', id: 'billing-user', name: 'Billing', roles: ['billing'] }, taskId)).rejects.toMatchObject({ status: 403 });

    const decided = await client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'reject', reason: 'Yrittäjänä yli 18 kuukautta' }) });
    expect(decided.status).toBe(200);
    const stale = await client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'approve' }) });
    expect(stale.status).toBe(409);
    const [period] = await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId));
    expect(period?.endReason).toBe('eligibility');
    expect(period?.endDate).toBe(stack.ctx.today());
  });
});
