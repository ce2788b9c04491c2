import { and, eq } from 'drizzle-orm';
import { vi } from 'vitest';
import { hearings, membershipPeriods, tasks } from '../../db/schema';
import { collectionHearingQueue, collectionHearingWorkflowId, type CollectionHearingInput } from '../../workflows/definitions/collectionHearing';
import type { collectionHearing } from '../../workflows/collectionHearing';
import { apiClient, type ApiClient } from './api';
import { newInvoice, newMember, type TestMember } from './payments';
import type { Stack } from './stack';

/** A member since 1.1.2025 (joined through e-services with `token`) with an unpaid invoice for `period`, due in the past. */
export async function memberWithUnpaidInvoice(stack: Stack, client: ApiClient, token: string, period = { start: '2026-01-01', end: '2026-12-31' }, cents = 9600) {
  const member = await newMember(stack, client, token);
  await stack.db.update(membershipPeriods).set({ startDate: '2025-01-01' }).where(eq(membershipPeriods.memberId, member.memberId));
  const invoice = await newInvoice(stack, member, Number(period.start.slice(0, 4)), cents, { periodStart: period.start, periodEnd: period.end, issuedOn: '2025-12-10', dueDate: '2026-01-31' });
  return { member, invoice };
}

/** The member's hearing process, started as the collection run starts it. */
export async function startHearing(stack: Stack, member: TestMember, invoice: { id: string; amountCents: number }) {
  const input: CollectionHearingInput = { memberId: member.memberId, invoiceIds: [invoice.id], overdueCents: invoice.amountCents, startedOn: stack.ctx.today() };
  return stack.ctx.temporal.workflow.start<typeof collectionHearing>('collectionHearing', {
    taskQueue: stack.ctx.taskQueues[collectionHearingQueue],
    workflowId: collectionHearingWorkflowId(member.memberId),
    args: [input],
  });
}

/** The member's hearing once its letter has gone out. */
export async function hearingOf(stack: Stack, memberId: string) {
  return vi.waitFor(
    async () => {
      const [row] = await stack.db.select().from(hearings).where(eq(hearings.memberId, memberId));
      if (!row?.letterDocumentId) throw new Error('no hearing letter yet');
      return row;
    },
    { timeout: 15_000, interval: 100 },
  );
}

/** The member's open task of `kind`, once it is there. */
export async function taskOf(stack: Stack, memberId: string, kind: string) {
  return vi.waitFor(
    async () => {
      const [t] = await stack.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.subjectId, memberId), eq(tasks.kind, kind), eq(tasks.status, 'open')));
      if (!t) throw new Error(`no open ${kind} task`);
      return t;
    },
    { timeout: 20_000, interval: 100 },
  );
}

/** A desk user's decision on a task through the API. */
export async function decide(stack: Stack, taskId: string, user: string, decision: 'approve' | 'reject', reason?: string) {
  const cookie = await stack.login(user);
  return apiClient(stack).api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie, body: JSON.stringify({ decision, ...(reason ? { reason } : {}) }) });
}

export async function periodsOf(stack: Stack, memberId: string) {
  return stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId));
}
