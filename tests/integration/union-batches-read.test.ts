/**
 * Reading what the other systems sent and were sent (issue 13): the union batches received (list
 * with counts per outcome and status, a batch's lines with reasons; a union reads its own only,
 * every member a page names audited as read, identity codes masked unless the role needs them),
 * and a finance journal day's reconciliation (the file sent, every check, the differences per
 * account, the task a mismatch became). Real PostgreSQL and Temporal.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ledgerEntries, members, membershipPeriods, tasks, unionBatches } from '../../db/schema';
import { createPerson } from '../../db/repositories/persons';
import { feeRuleForYear } from '../../domain/billing/fees';
import { addDays } from '../../domain/dates';
import { monthlyFundShareCents } from '../../domain/unions/exchange';
import { financeJournalWorkflowId, type FinanceJournalResult } from '../../workflows/definitions/financeJournal';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { waitFor } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let union: string;
let ekj: string;
let finance: string;
let billing: string;
let caseworker: string;
let auditor: string;
let today: string;
let share: number;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  [union, ekj, finance] = await Promise.all([stack.token('union-015'), stack.token('ekj'), stack.token('finance')]);
  billing = await stack.login('billing');
  caseworker = await stack.login('caseworker');
  auditor = await stack.login('auditor');
  today = stack.ctx.today();
  share = monthlyFundShareCents(feeRuleForYear(stack.profile, Number(today.slice(0, 4))));
}, 120_000);
afterAll(async () => stack?.close());

async function seedMember(unionCode: string): Promise<{ memberId: string; identityCode: string; memberNumber: number }> {
  const identityCode = uniqueIdentityCode();
  return stack.db.transaction(async (tx) => {
    const personId = await createPerson(
      tx,
      { identityCode, firstNames: 'Testi', lastName: 'Eränlukija', birthDate: '1980-01-01', language: 'fi', email: null, phone: null, address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
    );
    const [member] = await tx.insert(members).values({ personId, channel: 'union', unionCode }).returning();
    await tx.insert(membershipPeriods).values({ memberId: member!.id, startDate: '2024-01-01', endDate: null });
    return { memberId: member!.id, identityCode, memberNumber: member!.memberNumber };
  });
}

const sendEvents = (body: unknown) => api('/api/v1/union-batches/events', { method: 'POST', token: union, body: JSON.stringify(body) });
const thisMonth = () => today.slice(0, 7);
type Summary = { id: string; batchId: string; status: string; events: number; processed: number; counts: Record<string, number> };
const findBatch = (items: Summary[], batchId: string) => items.find((b) => b.batchId === batchId);

describe('union batches, read', () => {
  it('lists a batch with its counts per outcome and shows its lines with reasons; each member named is a read, identity codes masked for billing', async () => {
    const m = await seedMember('015');
    const stranger = uniqueIdentityCode();
    const batchId = `READ-${m.memberNumber}`;
    const sent = await sendEvents({
      batchId,
      events: [
        { kind: 'remittance', identityCode: m.identityCode, period: thisMonth(), amountCents: share },
        { kind: 'remittance', identityCode: stranger, period: thisMonth(), amountCents: share },
        { kind: 'paid-through', identityCode: m.identityCode, paidThrough: today },
        { kind: 'leave', identityCode: stranger, receivedOn: today },
      ],
    });
    expect(sent.status, sent.text).toBe(202);

    const list = await api(`/api/v1/union-batches?union=015&from=${today}&limit=200`, { cookie: billing });
    expect(list.status, list.text).toBe(200);
    const row = findBatch(list.body.items, batchId);
    expect(row).toMatchObject({ id: sent.body.id, unionCode: '015', format: 'api', receivedBy: 'union-015', events: 4, processed: 4, status: 'done' });
    expect(row!.counts).toEqual({ started: 0, recorded: 1, booked: 1, 'already-booked': 0, mismatch: 1, refused: 1 });
    // Filters: with problems it is there; as interrupted it is not.
    expect(findBatch((await api(`/api/v1/union-batches?union=015&problems=true&limit=200`, { cookie: caseworker })).body.items, batchId)).toBeDefined();
    expect(findBatch((await api(`/api/v1/union-batches?union=015&status=interrupted&limit=200`, { cookie: caseworker })).body.items, batchId)).toBeUndefined();
    // The unfiltered list pages the batches before counting their lines; a status filter counts
    // every batch's lines first. Both show this batch the same.
    const done = await api(`/api/v1/union-batches?union=015&from=${today}&status=done&limit=200`, { cookie: billing });
    expect(findBatch(done.body.items, batchId)).toEqual(row);

    const before = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, m.memberId), eq(auditLog.action, 'member.read')));
    const detail = await api(`/api/v1/union-batches/${sent.body.id}`, { cookie: billing });
    expect(detail.status, detail.text).toBe(200);
    expect(detail.body.outcomes).toEqual({ booked: 1, 'mismatch:unknown_member': 1, recorded: 1, not_found: 1 });
    expect(detail.body.lines.map((l: { line: number; group: string; reason: string | null }) => [l.line, l.group, l.reason])).toEqual([
      [1, 'booked', null],
      [2, 'mismatch', 'unknown_member'],
      [3, 'recorded', null],
      [4, 'refused', 'not_found'],
    ]);
    expect(detail.body.lines[0]).toMatchObject({ memberId: m.memberId, memberNumber: m.memberNumber, remittance: { period: thisMonth(), amountCents: share } });
    // Billing sees the unknown member's code masked; the mismatch's task is linked once its process opens it.
    expect(detail.body.lines[1].mismatch).toMatchObject({ identityCode: `${stranger.slice(0, 7)}****`, amountCents: share, expectedCents: null, status: 'open' });
    const mismatchId = detail.body.lines[1].mismatch.id;
    const task = await waitFor(async () => (await stack.db.select().from(tasks).where(eq(tasks.workflowId, `union-remittance/${mismatchId}`)))[0], (t) => t !== undefined);
    const again = await api(`/api/v1/union-batches/${sent.body.id}?group=problems`, { cookie: caseworker });
    expect(again.body.linesTotal).toBe(2);
    expect(again.body.lines.map((l: { line: number }) => l.line)).toEqual([2, 4]);
    expect(again.body.lines[0].mismatch).toMatchObject({ identityCode: stranger, taskId: task!.id, taskStatus: 'open' });
    expect((await api(`/api/v1/union-batches/${sent.body.id}?group=booked`, { cookie: caseworker })).body.lines.map((l: { line: number }) => l.line)).toEqual([1]);
    expect((await api(`/api/v1/union-batches/${sent.body.id}?group=refused`, { cookie: caseworker })).body.lines.map((l: { line: number }) => l.line)).toEqual([4]);

    // The member on the page is a read by each reader, and the batch read is audited too.
    const after = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, m.memberId), eq(auditLog.action, 'member.read')));
    const newReads = after.filter((a) => !before.some((b) => b.id === a.id));
    expect(newReads.map((a) => [a.actor, (a.details as { view: string }).view]).sort()).toEqual([
      ['billing', 'union-batch'],
      ['caseworker', 'union-batch'],
    ]);
    const batchReads = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, sent.body.id), eq(auditLog.action, 'union.batch-read')));
    expect(batchReads.map((a) => a.actor).sort()).toEqual(['billing', 'caseworker', 'caseworker', 'caseworker']);

    // The union reads its own batch; another union's code is a 404.
    const own = await api(`/api/v1/union-batches/${sent.body.id}`, { token: union });
    expect(own.status).toBe(200);
    expect(findBatch((await api('/api/v1/union-batches?limit=200', { token: union })).body.items, batchId)).toBeDefined();
    const other = await api('/api/v1/union-batches?union=022', { token: union });
    expect(other.status).toBe(404);
  });

  it("hides another union's batch from a union (404) and refuses callers without the role or scope (403)", async () => {
    const theirs = await stack.db
      .insert(unionBatches)
      .values({ unionCode: '022', batchKey: `THEIRS-${randomUUID().slice(0, 8)}`, sha256: 'x', format: 'api', receivedBy: 'union-022', eventCount: 0 })
      .returning();
    const id = theirs[0]!.id;
    const asUnion = await api(`/api/v1/union-batches/${id}`, { token: union });
    expect(asUnion.status).toBe(404);
    expect(asUnion.body.code).toBe('union_batch_not_found');
    expect(findBatch((await api('/api/v1/union-batches?limit=200', { token: union })).body.items, theirs[0]!.batchKey)).toBeUndefined();
    expect((await api(`/api/v1/union-batches/${id}`, { cookie: caseworker })).status).toBe(200);
    for (const who of [{ token: ekj }, { token: finance }, { cookie: auditor }]) {
      const res = await api(`/api/v1/union-batches/${id}`, who);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect((await api('/api/v1/union-batches', who)).status).toBe(403);
    }
    expect((await api(`/api/v1/union-batches/${randomUUID()}`, { cookie: caseworker })).body.code).toBe('union_batch_not_found');
    const reversed = await api('/api/v1/union-batches?from=2026-02-01&to=2026-01-01', { cookie: caseworker });
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('date_range_reversed');
    expect((await api('/api/v1/union-batches?status=lost', { cookie: caseworker })).status).toBe(400);
    expect((await api(`/api/v1/union-batches/${id}?group=nothing`, { cookie: caseworker })).status).toBe(400);
  });

  it('shows a batch cut short as interrupted with how far it got; the same batch sent again finishes it', async () => {
    const m = await seedMember('015');
    const batchId = `CUT-${m.memberNumber}`;
    const events = [
      { kind: 'paid-through', identityCode: m.identityCode, paidThrough: today },
      { kind: 'exemption-start', identityCode: m.identityCode, date: addDays(today, -30) },
    ];
    // What a crash after receiving leaves: the batch stored, no line processed, nothing written since.
    const [row] = await stack.db
      .insert(unionBatches)
      .values({ unionCode: '015', batchKey: batchId, sha256: createHash('sha256').update(JSON.stringify(events)).digest('hex'), format: 'api', receivedBy: 'union-015', eventCount: 2, createdAt: new Date(Date.now() - 10 * 60_000) })
      .returning();
    let view = await api(`/api/v1/union-batches/${row!.id}`, { cookie: caseworker });
    expect(view.body).toMatchObject({ status: 'interrupted', processed: 0, events: 2, lines: [] });
    expect(findBatch((await api('/api/v1/union-batches?union=015&status=interrupted&limit=200', { cookie: caseworker })).body.items, batchId)).toBeDefined();
    // A batch received a moment ago and short of lines is still being processed.
    await stack.db.update(unionBatches).set({ createdAt: sql`now()` }).where(eq(unionBatches.id, row!.id));
    expect((await api(`/api/v1/union-batches/${row!.id}`, { cookie: caseworker })).body.status).toBe('processing');

    const resent = await sendEvents({ batchId, events });
    expect(resent.status, resent.text).toBe(200);
    view = await api(`/api/v1/union-batches/${row!.id}`, { cookie: caseworker });
    expect(view.body).toMatchObject({ status: 'done', processed: 2, counts: expect.objectContaining({ recorded: 2 }) });
    // Finished, the batch keeps its counts on its row (decision 050); while it was cut short it had none.
    const [stored] = await stack.db.select({ linesDone: unionBatches.linesDone, outcomes: unionBatches.outcomes, completedAt: unionBatches.completedAt }).from(unionBatches).where(eq(unionBatches.id, row!.id));
    expect(row).toMatchObject({ linesDone: null, outcomes: null });
    expect(stored).toMatchObject({ linesDone: 2, outcomes: { recorded: 2 } });
    expect(stored!.completedAt!.getTime()).toBe(new Date(view.body.lastActivityAt).getTime());
  });
});

describe('finance journal reconciliation, one day', () => {
  const ownDay = () => addDays('2090-01-01', Math.floor(Math.random() * 9000));
  const bookUnidentified = (day: string, ...amounts: number[]) =>
    stack.db.insert(ledgerEntries).values(amounts.map((cents) => ({ memberId: null, occurredOn: day, kind: 'payment' as const, amountCents: -cents, sourceKey: `recon-read:${randomUUID()}`, createdBy: 'recon-read-test', description: 'reconciliation read test' })));
  const runPush = (day: string, workflowId: string) =>
    stack.ctx.temporal.workflow.execute<(i: { day: string }) => Promise<FinanceJournalResult>>('financeJournalPush', { taskQueue: stack.ctx.taskQueues.payments, workflowId, args: [{ day }] });

  it('shows the file sent and every check newest first with the differences per account and the task; the list filters by status', async () => {
    const day = ownDay();
    await bookUnidentified(day, 4000);
    await runPush(day, `${financeJournalWorkflowId(day)}-read`);
    await bookUnidentified(day, 250);
    const recheck = await runPush(day, `${financeJournalWorkflowId(day)}-read-recheck`);
    expect(recheck.mismatchDays).toEqual([day]);

    const res = await api(`/api/v1/bookkeeping/reconciliations/${day}`, { cookie: billing });
    expect(res.status, res.text).toBe(200);
    expect(res.body.sent).toMatchObject({ lines: 2, debitCents: 4000, creditCents: 4000, accountNets: { '1910': 4000, '2890': -4000 } });
    expect(res.body.checks.map((c: { status: string }) => c.status)).toEqual(['mismatch', 'balanced']);
    const [latest, first] = res.body.checks;
    expect(first.differences).toEqual([]);
    expect(latest.differences).toEqual([
      { account: '1910', journalCents: 4000, ledgerCents: 4250, differenceCents: -250 },
      { account: '2890', journalCents: -4000, ledgerCents: -4250, differenceCents: 250 },
    ]);
    const task = await waitFor(async () => (await stack.db.select().from(tasks).where(eq(tasks.workflowId, latest.mismatchWorkflowId)))[0], (t) => t !== undefined);
    const withTask = await api(`/api/v1/bookkeeping/reconciliations/${day}`, { token: finance });
    expect(withTask.body.checks[0]).toMatchObject({ resolution: 'open', taskId: task!.id, taskStatus: 'open' });

    const listOf = async (status: string) => (await api(`/api/v1/bookkeeping/reconciliations?from=${day}&to=${day}&status=${status}`, { cookie: billing })).body.days.map((d: { date: string }) => d.date);
    expect(await listOf('open')).toEqual([day]);
    expect(await listOf('mismatch')).toEqual([day]);
    expect(await listOf('balanced')).toEqual([]);
    expect(await listOf('unchecked')).toEqual([]);
  });

  it('answers a day neither sent nor checked with 404, a malformed day with 400, and others with 403', async () => {
    const day = ownDay();
    const none = await api(`/api/v1/bookkeeping/reconciliations/${day}`, { cookie: billing });
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ code: 'journal_day_not_found', params: { day } });
    expect((await api('/api/v1/bookkeeping/reconciliations/2090-02-30', { cookie: billing })).status).toBe(400);
    expect((await api(`/api/v1/bookkeeping/reconciliations?from=${day}&to=${day}&status=odd`, { cookie: billing })).status).toBe(400);
    for (const who of [{ token: ekj }, { token: union }, { cookie: caseworker }, { cookie: auditor }]) {
      const res = await api(`/api/v1/bookkeeping/reconciliations/${day}`, who);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
  });
});
