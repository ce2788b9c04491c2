import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog, members, membershipPeriods, persons } from '../../db/schema';
import { addDays, todayInHelsinki } from '../../domain/dates';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

// Years no other test bills: a provisional one and a confirmed one, set in the register here.
const PROVISIONAL = 2032;
const CONFIRMED = 2033;
const dueDate = addDays(todayInHelsinki(), 30);

let stack: Stack;
let client: ReturnType<typeof apiClient>;
let billing: string;
let billing2: string;

async function waitForStatus(c: ReturnType<typeof apiClient>, id: string, status: string, cookie: string) {
  return vi.waitFor(
    async () => {
      const res = await c.api(`/api/v1/billing-runs/${id}`, { cookie });
      if (res.body?.status === 'failed') throw new Error(`billing run ${id} failed`);
      if (res.body?.status !== status) throw new Error(`billing run ${id} is ${res.body?.status ?? res.status}, wanted ${status}`);
      return res.body;
    },
    { timeout: 60_000, interval: 200 },
  );
}

/** Starts a run of `period` as `cookie` and waits for its approval task. */
async function previewed(c: ReturnType<typeof apiClient>, period: string, cookie: string) {
  const started = await c.api('/api/v1/billing-runs', { method: 'POST', cookie, body: JSON.stringify({ period, dueDate }) });
  expect(started.status).toBe(201);
  return waitForStatus(c, started.body.id, 'awaiting-approval', cookie);
}

const decide = (c: ReturnType<typeof apiClient>, taskId: string, body: Record<string, unknown>, cookie: string) =>
  c.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie, body: JSON.stringify(body) });

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack);
  const admin = await stack.login('admin');
  [billing, billing2] = await Promise.all([stack.login('billing'), stack.login('billing2')]);
  for (const [year, confirmed] of [[PROVISIONAL, false], [CONFIRMED, true]] as const) {
    const set = await client.api(`/api/v1/fee-years/${year}`, { method: 'PUT', cookie: admin, body: JSON.stringify({ model: 'per-month', monthlyCents: 800, confirmed, note: 'Test fee' }) });
    expect(set.status).toBe(200);
  }
  // One member to bill, so each run has an invoice.
  const [person] = await stack.db
    .insert(persons)
    .values({ identityCode: uniqueIdentityCode(), firstNames: 'Neljä', lastName: 'Silmä', birthDate: '1980-01-01', language: 'fi', email: 'nelja@example.fi', deliveryChannel: 'email' })
    .returning();
  const [member] = await stack.db.insert(members).values({ personId: person!.id, channel: 'direct' }).returning();
  await stack.db.insert(membershipPeriods).values({ memberId: member!.id, startDate: '2030-01-01', endDate: null });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('billing-run approval (four eyes, provisional fee year)', () => {
  it('the starter may not approve alone; a second billing user does', async () => {
    const run = await previewed(client, `${CONFIRMED}-01`, billing);
    expect(run).toMatchObject({ startedBy: 'billing', approval: { fourEyes: true, feeYearConfirmed: true } });

    const own = await decide(client, run.approvalTaskId, { decision: 'approve' }, billing);
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ code: 'four_eyes_required', runId: run.id });
    expect((await client.api(`/api/v1/billing-runs/${encodeURIComponent(run.id)}`, { cookie: billing })).body.status).toBe('awaiting-approval');

    const other = await decide(client, run.approvalTaskId, { decision: 'approve' }, billing2);
    expect(other.status).toBe(200);
    expect(other.body.outcome).toBe('approved');
    const done = await waitForStatus(client, run.id, 'committed', billing);
    expect(done.decidedBy).toBe('billing2');
  });

  it('a provisional fee year needs the approver to acknowledge it; the starter may still reject', async () => {
    const run = await previewed(client, `${PROVISIONAL}-01`, billing);
    expect(run.approval).toEqual({ fourEyes: true, feeYearConfirmed: false });

    const unacknowledged = await decide(client, run.approvalTaskId, { decision: 'approve' }, billing2);
    expect(unacknowledged.status).toBe(409);
    expect(unacknowledged.body).toMatchObject({ code: 'provisional_fee_year_not_acknowledged', params: { year: PROVISIONAL } });
    // Four eyes comes first, acknowledged or not.
    const own = await decide(client, run.approvalTaskId, { decision: 'approve', acknowledgeProvisionalFeeYear: true }, billing);
    expect(own.body.code).toBe('four_eyes_required');
    expect((await decide(client, run.approvalTaskId, { decision: 'approve', acknowledgeProvisionalFeeYear: 'yes' }, billing2)).status).toBe(400);

    const acknowledged = await decide(client, run.approvalTaskId, { decision: 'approve', acknowledgeProvisionalFeeYear: true }, billing2);
    expect(acknowledged.status).toBe(200);
    await waitForStatus(client, run.id, 'committed', billing);
    const [audit] = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, run.approvalTaskId));
    expect(audit).toMatchObject({ actor: 'billing2', action: 'task.decided', details: { decision: 'approve', acknowledgedProvisionalFeeYear: true } });

    // Rejecting one's own run is not approving it.
    const next = await previewed(client, `${PROVISIONAL}-02`, billing);
    const rejected = await decide(client, next.approvalTaskId, { decision: 'reject', reason: 'Wrong due date' }, billing);
    expect(rejected.status).toBe(200);
    await waitForStatus(client, next.id, 'rejected', billing);
  });

  it('with four eyes turned off in the fund profile the starter approves', async () => {
    const single = await startStack({ billingApproval: { fourEyes: false } });
    try {
      const c = apiClient(single);
      const cookie = await single.login('billing');
      const run = await previewed(c, `${CONFIRMED}-02`, cookie);
      expect(run.approval).toEqual({ fourEyes: false, feeYearConfirmed: true });
      const own = await decide(c, run.approvalTaskId, { decision: 'approve' }, cookie);
      expect(own.status).toBe(200);
      await waitForStatus(c, run.id, 'committed', cookie);
    } finally {
      await single.close();
    }
  });
});
