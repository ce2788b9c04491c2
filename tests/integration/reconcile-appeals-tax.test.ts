import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as hearingsRepo from '../../db/repositories/hearings';
import * as taxRepo from '../../db/repositories/taxReport';
import * as unionsRepo from '../../db/repositories/unions';
import { appeals, auditLog, expulsionDecisions, tasks } from '../../db/schema';
import { expulsionAppealWorkflowId } from '../../workflows/definitions/expulsionAppeal';
import { reconcileQueue, type ReconcileInput } from '../../workflows/definitions/reconcile';
import { taxReportWorkflowId } from '../../workflows/definitions/taxReport';
import { unionRemittanceMismatchWorkflowId } from '../../workflows/definitions/unionRemittanceMismatch';
import { reconcile } from '../../workflows/reconcile';
import { apiClient } from '../support/api';
import { decide, memberWithUnpaidInvoice, periodsOf, startHearing, taskOf } from '../support/hearings';
import { saveHistory } from '../support/recordHistory';
import type { TestMember } from '../support/payments';
import { processExists } from '../support/processes';
import { startStack, type Stack } from '../support/stack';

/**
 * Reconcile for appeals and tax-report runs (decision 033): a row stored without its process (the
 * API's start lost after the commit) and a row whose process was deleted are found and started
 * with their own ids, once, however many reconcile runs race; what the restarted process does
 * (one task, one corrected decision, one reinstatement) happens once.
 */
let stack: Stack;
let eservices: string;
/**
 * A year no other test reports (workflow ids are per Temporal run, shared by every file), before the
 * years the tax tests use (2037–2043).
 */
const TAX_YEAR = 2035;

beforeAll(async () => {
  stack = await startStack({ expulsion: { hearingDeadline: '2s' }, taxReport: { acknowledgementPoll: '1 second' } });
  eservices = await stack.token('eservices');
});
afterAll(async () => stack?.close());

async function runReconcile(input: ReconcileInput = {}, record?: string) {
  const workflowId = `test-reconcile-${randomUUID()}`;
  const handle = await stack.ctx.temporal.workflow.start(reconcile, { taskQueue: stack.ctx.taskQueues[reconcileQueue], workflowId, args: [input] });
  const result = await handle.result();
  if (record) await saveHistory(stack.ctx.temporal, workflowId, record);
  return { runId: handle.firstExecutionRunId, result };
}

/** Deletes a process as an operator would (tctl/CLI `workflow delete`), and waits until it is gone. */
async function deleteProcess(workflowId: string) {
  await stack.ctx.temporal.workflowService.deleteWorkflowExecution({ namespace: stack.ctx.temporal.options.namespace, workflowExecution: { workflowId } });
  await vi.waitFor(async () => expect(await processExists(stack, workflowId)).toBe(false), { timeout: 20_000, interval: 200 });
}

/** A member expelled by a caseworker's decision after the hearing; the decision's id. */
async function expelledMember(): Promise<{ member: TestMember; decisionId: string }> {
  const client = apiClient(stack, { as: { token: eservices } });
  const { member, invoice } = await memberWithUnpaidInvoice(stack, client, eservices);
  const hearing = await startHearing(stack, member, invoice);
  const task = await taskOf(stack, member.memberId, 'expulsion-decision');
  expect((await decide(stack, task.id, 'caseworker', 'approve', 'Maksamatta.')).status).toBe(200);
  expect((await hearing.result()).outcome).toBe('expelled');
  const [decision] = await stack.db.select().from(expulsionDecisions).where(eq(expulsionDecisions.memberId, member.memberId));
  return { member, decisionId: decision!.id };
}

const tasksOf = (workflowId: string) => stack.db.select().from(tasks).where(eq(tasks.workflowId, workflowId));

describe('reconcile: appeals and tax-report runs', () => {
  /** The API stored the appeal and "crashed" before starting its process. */
  let lost: { member: TestMember; decisionId: string; appealId: string };
  /** Recorded through the API; its process is deleted later, its task left open. */
  let deleted: { member: TestMember; decisionId: string; appealId: string; taskId: string };
  const taxRunId = taxReportWorkflowId(TAX_YEAR);

  beforeAll(async () => {
    const [a, b] = await Promise.all([expelledMember(), expelledMember()]);
    const stored = await hearingsRepo.insertAppealOnce(stack.db, {
      decisionId: a.decisionId,
      memberId: a.member.memberId,
      workflowId: expulsionAppealWorkflowId(a.decisionId),
      text: 'Maksoin jo.',
      receivedOn: stack.ctx.today(),
      late: false,
      channel: 'desk',
      recordedBy: 'caseworker',
    });
    lost = { ...a, appealId: stored.appeal.id };

    const cookie = await stack.login('caseworker');
    const appealed = await apiClient(stack).api(`/api/v1/members/${b.member.memberId}/expulsion-decisions/${b.decisionId}/appeals`, { method: 'POST', cookie, body: JSON.stringify({ text: 'Valitan.' }) });
    expect(appealed.status, appealed.text).toBe(201);
    const task = await taskOf(stack, b.member.memberId, 'expulsion-reconsideration');
    deleted = { ...b, appealId: appealed.body.id, taskId: task.id };

    // What startTaxReport stores before it starts the run's process.
    await taxRepo.insertRunOnce(stack.db, { id: taxRunId, year: TAX_YEAR, kind: 'annual', status: 'previewing', startedBy: 'billing', workflowId: taxRunId });
  }, 120_000);

  it('leaves a fresh row alone: its request may still be starting the process', async () => {
    const { result } = await runReconcile();
    expect(result.appeals.ids).not.toContain(lost.appealId);
    expect(result.taxRuns.ids).not.toContain(taxRunId);
    expect(await processExists(stack, expulsionAppealWorkflowId(lost.decisionId))).toBe(false);
    expect(await processExists(stack, taxRunId)).toBe(false);
  });

  it('starts the lost and the deleted processes by their own ids, once, with two runs racing; the deleted one finds its open task', async () => {
    await deleteProcess(expulsionAppealWorkflowId(deleted.decisionId));
    const [first, second] = await Promise.all([runReconcile({ olderThanMs: 0 }), runReconcile({ olderThanMs: 0 })]);
    const appealIds = [...first.result.appeals.ids, ...second.result.appeals.ids];
    expect(appealIds).toEqual(expect.arrayContaining([lost.appealId, deleted.appealId]));
    expect([...first.result.taxRuns.ids, ...second.result.taxRuns.ids]).toContain(taxRunId);

    for (const { decisionId } of [lost, deleted]) {
      const d = await stack.ctx.temporal.workflow.getHandle(expulsionAppealWorkflowId(decisionId)).describe();
      expect([d.type, d.status.name]).toEqual(['expulsionAppeal', 'RUNNING']);
    }
    expect((await stack.ctx.temporal.workflow.getHandle(taxRunId).describe()).type).toBe('taxReport');

    // The restarted appeal opens its reconsideration task; the deleted one's task is the same row, still open.
    await taskOf(stack, lost.member.memberId, 'expulsion-reconsideration');
    expect((await tasksOf(expulsionAppealWorkflowId(lost.decisionId))).map((t) => t.status)).toEqual(['open']);
    const again = await tasksOf(expulsionAppealWorkflowId(deleted.decisionId));
    expect(again.map((t) => [t.id, t.status])).toEqual([[deleted.taskId, 'open']]);
    // Each run that repaired something names it in its audit row.
    const runs = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'reconcile-run'), eq(auditLog.action, 'reconcile.repaired')));
    const named = JSON.stringify(runs.filter((r) => [first.runId, second.runId].includes(r.entityId)).map((r) => r.details));
    for (const id of [lost.appealId, deleted.appealId, taxRunId]) expect(named).toContain(id);
  });

  it('a tax run whose process is deleted while awaiting approval is started again with the same approval task; it decides once', async () => {
    const status = async () => (await taxRepo.findRun(stack.db, taxRunId))?.status;
    await vi.waitFor(async () => expect(await status()).toBe('awaiting-approval'), { timeout: 30_000, interval: 200 });
    const [approval] = await tasksOf(taxRunId);
    await deleteProcess(taxRunId);
    // Recorded for replay: a run past the patch that starts a process.
    const { result } = await runReconcile({ olderThanMs: 0 }, 'reconcile-appeals-tax-runs');
    expect(result.taxRuns.ids).toContain(taxRunId);
    await vi.waitFor(async () => expect((await stack.ctx.temporal.workflow.getHandle(taxRunId).describe()).status.name).toBe('RUNNING'), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await status()).toBe('awaiting-approval'), { timeout: 30_000, interval: 200 });
    // The same task row (one per process id and key), so the work queue shows one approval.
    expect((await tasksOf(taxRunId)).map((t) => [t.id, t.kind, t.status])).toEqual([[approval!.id, 'tax-report-approval', 'open']]);

    const rejected = await decide(stack, approval!.id, 'billing2', 'reject', 'Ajetaan uudelleen korjatuilla tiedoilla.');
    expect(rejected.status, rejected.text).toBe(200);
    expect((await stack.ctx.temporal.workflow.getHandle(taxRunId).result()).status).toBe('rejected');
    expect(await status()).toBe('rejected');
    // A finished run is never started again.
    const later = await runReconcile({ olderThanMs: 0 });
    expect(later.result.taxRuns.ids).not.toContain(taxRunId);
  });

  it('the restarted appeals are decided once: each member reinstated with one corrected decision; reconcile then leaves them alone', async () => {
    for (const a of [lost, deleted]) {
      const task = await taskOf(stack, a.member.memberId, 'expulsion-reconsideration');
      expect((await decide(stack, task.id, 'caseworker', 'approve', 'Maksu oli kohdistunut väärin.')).status).toBe(200);
      expect((await stack.ctx.temporal.workflow.getHandle(expulsionAppealWorkflowId(a.decisionId)).result()).status).toBe('corrected');
      expect(await periodsOf(stack, a.member.memberId)).toEqual([expect.objectContaining({ startDate: '2025-01-01', endDate: null })]);
      expect(stack.caseManagement.documentsOf(a.member.memberId).map((d) => d.kind)).toEqual(['hearing-letter', 'expulsion-decision', 'corrected-decision']);
      const [row] = await stack.db.select().from(appeals).where(eq(appeals.id, a.appealId));
      expect(row?.status).toBe('corrected');
      const corrections = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, a.member.memberId), eq(auditLog.action, 'appeal.corrected')));
      expect(corrections).toHaveLength(1);
    }
    const after = await runReconcile({ olderThanMs: 0 });
    expect(after.result.appeals.ids).not.toContain(lost.appealId);
    expect(after.result.appeals.ids).not.toContain(deleted.appealId);
  });
});

describe('reconcile: union remittance mismatches (decision 069)', () => {
  it('a stored mismatch whose process never started gets it, and its task, once; a fresh one is left alone', async () => {
    // What the union batch's remittance step stores before it starts the mismatch's process.
    const { row: batch } = await unionsRepo.insertBatchOnce(stack.db, { unionCode: 'RC069', batchKey: `reconcile-069-${randomUUID()}`, sha256: randomUUID(), format: 'api', receivedBy: 'test', eventCount: 1 });
    const id = randomUUID();
    const workflowId = unionRemittanceMismatchWorkflowId(id);
    await unionsRepo.insertMismatchOnce(stack.db, { id, batchId: batch.id, lineNo: 1, unionCode: 'RC069', identityCode: '010169-069X', memberId: null, period: '2069-01', amountCents: 6900, expectedCents: null, reason: 'unknown_member', workflowId });

    const fresh = await runReconcile();
    expect(fresh.result.unionMismatches.ids).not.toContain(id);
    expect(await processExists(stack, workflowId)).toBe(false);

    // Recorded for replay: a run past the patch that starts a mismatch's process.
    const { result } = await runReconcile({ olderThanMs: 0 }, 'reconcile-union-mismatches');
    expect(result.unionMismatches.ids).toContain(id);
    await vi.waitFor(async () => expect((await tasksOf(workflowId)).map((t) => [t.subjectId, t.status])).toEqual([[id, 'open']]), { timeout: 20_000, interval: 200 });
    // A running process is never started again.
    expect((await runReconcile({ olderThanMs: 0 })).result.unionMismatches.ids).not.toContain(id);
    await stack.ctx.temporal.workflow.getHandle(workflowId).terminate('test over');
  });
});
