// Faults that once did not hold (issue 16): each is injected here and the system must survive it.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplicationIntakeActivities } from '../../activities/applicationIntake';
import * as applicationsRepo from '../../db/repositories/applications';
import { applications, membershipPeriods, tasks } from '../../db/schema';
import { todayInHelsinki } from '../../domain/dates';
import { ensureIntakeStarted } from '../../services/applications';
import { applicationWorkflowId } from '../../workflows/definitions/applicationIntake';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let bearer: string;
let api: ApiClient['api'];
let waitForStatus: ApiClient['waitForStatus'];
let openTaskFor: ApiClient['openTaskFor'];

beforeAll(async () => {
  stack = await startStack();
  bearer = await stack.token('eservices');
  ({ api, waitForStatus, openTaskFor } = apiClient(stack, { as: { token: bearer } }));
});
afterAll(async () => stack?.close());

async function submit(data = applicationData(), key = newKey()) {
  return api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': key }, body: JSON.stringify({ data }) });
}

describe('lost history re-runs intake', () => {
  it('a second process for an approved application ends approved, with no new task, member or period', async () => {
    const res = await submit();
    expect(res.status).toBe(201);
    const approved = await waitForStatus(res.body.id, ['approved']);

    // The history is gone: the process runs again from the start under the same business id.
    await ensureIntakeStarted(stack.ctx, res.body.id);
    const result = await stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(res.body.id)).result();
    expect(result).toEqual({ outcome: 'approved', memberId: approved.memberId });

    const [row] = await stack.db.select().from(applications).where(eq(applications.id, res.body.id));
    expect(row?.status).toBe('approved');
    expect(row?.memberId).toBe(approved.memberId);
    expect(await stack.db.select().from(tasks).where(eq(tasks.subjectId, res.body.id))).toHaveLength(0);
    expect(await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.sourceApplicationId, res.body.id))).toHaveLength(1);
  });

  it('the intake activities run twice recognise their own decision', async () => {
    const res = await submit();
    const approved = await waitForStatus(res.body.id, ['approved']);
    const acts = createApplicationIntakeActivities(stack.activityDeps);
    const first = await acts.validateApplication({ applicationId: res.body.id });
    const second = await acts.validateApplication({ applicationId: res.body.id });
    expect(first.decided).toEqual({ outcome: 'approved', decidedBy: 'system', memberId: approved.memberId });
    expect(second).toEqual(first);
    const again = await acts.approveApplication({ applicationId: res.body.id, decidedBy: 'system', reason: null, automatic: true });
    expect(again.memberId).toBe(approved.memberId);
    expect(await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.sourceApplicationId, res.body.id))).toHaveLength(1);
  });
});

describe('an application with no contact channel', () => {
  it('whose completion request cannot be delivered goes to a caseworker task', async () => {
    // Incomplete (no employer) and nothing to reach the applicant through. The API refuses such an
    // application now, but older channels and rows stored before that rule still hold some.
    const { email: _e, phone: _p, address: _a, ...data } = applicationData({ employment: { status: 'employed' } });
    const id = randomUUID();
    await applicationsRepo.insertApplicationOnce(stack.db, {
      id,
      idempotencyKey: newKey(),
      channel: 'eservices',
      submittedBy: 'eservices',
      receivedOn: todayInHelsinki(),
      receivedBy: 'fund',
      unionCode: null,
      identityCode: data.identityCode,
      data,
      workflowId: applicationWorkflowId(id),
    });
    await ensureIntakeStarted(stack.ctx, id);
    const res = { body: { id } };
    const task = await openTaskFor(res.body.id);
    expect(task.title).toBe('completion-undeliverable');
    await expect.poll(async () => (await applicationsRepo.findApplication(stack.db, id))?.status, { timeout: 10_000 }).toBe('in-review');
    const description = await stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(res.body.id)).describe();
    expect(description.status.name).toBe('RUNNING');
    const open = await stack.db.select().from(tasks).where(and(eq(tasks.subjectId, res.body.id), eq(tasks.status, 'open')));
    expect(open).toHaveLength(1);
  });
});
