/**
 * The union ↔ fund exchange (issue 13, "Unions"): a union's batch becomes the same processes as
 * direct events (join → intake, leave → resignation), remittances are booked once with
 * `collected_by = union` however often the batch is sent, mismatches become tasks, and the union
 * sees and acts on its own members only. Real PostgreSQL and Temporal.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, feeExemptions, ledgerEntries, members, membershipPeriods, resignations, tasks, unionRemittanceMismatches, unionRemittances } from '../../db/schema';
import { createPerson } from '../../db/repositories/persons';
import { feeRuleForYear } from '../../domain/billing/fees';
import { addDays } from '../../domain/dates';
import { monthlyFundShareCents } from '../../domain/unions/exchange';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { recordingHistories, saveHistory } from '../support/recordHistory';
import { startStack, type Stack } from '../support/stack';
import { unionMemberListsWorkflowId, type UnionMemberListsResult } from '../../workflows/definitions/unionRemittanceMismatch';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let union: string;
let ekj: string;
let billing: string;
let caseworker: string;
let today: string;
let share: number;

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  union = await stack.token('union-015');
  ekj = await stack.token('ekj');
  billing = await stack.login('billing');
  caseworker = await stack.login('caseworker');
  today = stack.ctx.today();
  share = monthlyFundShareCents(feeRuleForYear(stack.profile, Number(today.slice(0, 4))));
}, 120_000);
afterAll(async () => stack?.close());

async function seedMember(unionCode: string | null, startDate = '2024-01-01'): Promise<{ memberId: string; identityCode: string; memberNumber: number }> {
  const identityCode = uniqueIdentityCode();
  return stack.db.transaction(async (tx) => {
    const personId = await createPerson(
      tx,
      { identityCode, firstNames: 'Testi', lastName: 'Liittolainen', birthDate: '1980-01-01', language: 'fi', email: 'liitto@example.fi', phone: null, address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
    );
    const [member] = await tx.insert(members).values({ personId, channel: unionCode ? 'union' : 'direct', unionCode }).returning();
    await tx.insert(membershipPeriods).values({ memberId: member!.id, startDate, endDate: null });
    return { memberId: member!.id, identityCode, memberNumber: member!.memberNumber };
  });
}

const thisMonth = () => today.slice(0, 7);
const sendFile = (text: string, token = union) => api('/api/v1/union-batches', { method: 'POST', token, body: text, headers: { 'content-type': 'text/plain; charset=utf-8' } });
const sendEvents = (body: unknown, token = union) => api('/api/v1/union-batches/events', { method: 'POST', token, body: JSON.stringify(body) });

const dmy = (d: string) => `${d.slice(8, 10)}${d.slice(5, 7)}${d.slice(0, 4)}`;
/** A batch file in union 015's own fixed-width layout (integrations/transforms/unionBatch.ts). */
function file015(batchId: string, details: string[], remittedCents: number): string {
  return [`00015${batchId.padEnd(20, ' ')}${dmy(today)}`, ...details, `99${String(details.length).padStart(6, '0')}${String(remittedCents).padStart(12, '0')}`].join('\n');
}
const rec = (type: string, code: string, day: string, cents: number, rest = '') => `${type}${code}${dmy(day)}${String(cents).padStart(9, '0')}${rest}`;

async function waitFor<T>(what: string, f: () => Promise<T | undefined | null>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('union → fund', () => {
  it('a join in the union file becomes an application in the intake process, received on the union\'s date', async () => {
    const code = uniqueIdentityCode();
    const receivedOn = addDays(today, -10);
    const join = rec('10', code, receivedOn, 0, `${'Liittola'.padEnd(30)}${'Aino Maria'.padEnd(30)}FI${'aino@example.fi'.padEnd(60)}`);
    const res = await sendFile(file015(`J-${code.slice(0, 6)}`, [join], 0));
    expect(res.status, res.text).toBe(202);
    expect(res.body.format).toBe('union-015');
    expect(res.body.lines).toEqual([{ line: 2, kind: 'join', outcome: 'application-started', ref: expect.any(String) }]);
    const [app] = await stack.db.select().from(applications).where(eq(applications.id, res.body.lines[0].ref));
    expect(app).toMatchObject({ channel: 'union', receivedBy: 'union', receivedOn, unionCode: '015', identityCode: code, submittedBy: 'union-015' });
    // The very process a direct application runs.
    const described = await stack.ctx.temporal.workflow.getHandle(app!.workflowId).describe();
    expect(described.type).toBe('applicationIntake');
    // Sent again: the same batch, the same application, nothing new.
    const again = await sendFile(file015(`J-${code.slice(0, 6)}`, [join], 0));
    expect(again.status).toBe(200);
    expect(again.body.lines[0].ref).toBe(app!.id);
    expect(await stack.db.select().from(applications).where(eq(applications.identityCode, code))).toHaveLength(1);
  });

  it('a leave becomes a resignation in the resignation process; exemption and paid-through are recorded', async () => {
    const m = await seedMember('015');
    const receivedOn = addDays(today, -3);
    const res = await sendEvents({
      batchId: `L-${m.memberNumber}`,
      events: [
        { kind: 'leave', identityCode: m.identityCode, receivedOn },
        { kind: 'exemption-start', identityCode: m.identityCode, date: addDays(today, -40) },
        { kind: 'paid-through', identityCode: m.identityCode, paidThrough: addDays(today, -5) },
      ],
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body.lines.map((l: { outcome: string }) => l.outcome)).toEqual(['resignation-started', 'recorded', 'recorded']);
    const [r] = await stack.db.select().from(resignations).where(eq(resignations.memberId, m.memberId));
    expect(r).toMatchObject({ id: res.body.lines[0].ref, channel: 'union', receivedOn, submittedBy: 'union-015', kind: 'resignation' });
    expect((await stack.ctx.temporal.workflow.getHandle(r!.workflowId).describe()).type).toBe('membershipEnd');
    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, m.memberId), eq(auditLog.action, 'member.union-reported')));
    expect(audits.map((a) => a.actor)).toEqual(['union-015', 'union-015']);
  });

  it('books a remittance once with collected_by = union, however often the batch is sent; the list shows it', async () => {
    const m = await seedMember('015');
    const period = thisMonth();
    const body = { batchId: `R-${m.memberNumber}`, events: [{ kind: 'remittance', identityCode: m.identityCode, period, amountCents: share }] };
    const first = await sendEvents(body);
    expect(first.status, first.text).toBe(202);
    expect(first.body.lines[0].outcome).toBe('booked');
    // Re-sent under the same id, and as a new batch with the same month: nothing booked twice.
    const [resent, other] = await Promise.all([sendEvents(body), sendEvents({ ...body, batchId: `R2-${m.memberNumber}` })]);
    expect(resent.status).toBe(200);
    expect(resent.body.lines[0].outcome).toBe('booked');
    expect(other.body.lines[0]).toMatchObject({ outcome: 'already-booked', ref: first.body.lines[0].ref });
    const rows = await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.memberId, m.memberId));
    expect(rows.map((r) => [r.kind, r.amountCents, r.collectedBy]).sort()).toEqual([
      ['invoice', share, 'union'],
      ['payment', -share, 'union'],
    ]);
    expect(await stack.db.select().from(unionRemittances).where(eq(unionRemittances.memberId, m.memberId))).toHaveLength(1);
    // The same batch id with other content is refused.
    const reused = await sendEvents({ ...body, events: [{ ...body.events[0], amountCents: share + 1 }] });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('union_batch_id_reused');

    const list = await api('/api/v1/unions/015/members', { token: union });
    expect(list.status, list.text).toBe(200);
    const row = list.body.members.find((x: { memberId: string }) => x.memberId === m.memberId);
    const monthEnd = `${period}-${String(new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).getUTCDate())}`;
    expect(row).toMatchObject({ status: 'active', paidThrough: monthEnd, unionPaidThrough: null, differences: ['not_reported_by_union'] });
    // What the union reports next is compared.
    await sendEvents({ batchId: `P-${m.memberNumber}`, events: [{ kind: 'paid-through', identityCode: m.identityCode, paidThrough: addDays(`${period}-01`, -1) }] });
    const after = (await api('/api/v1/unions/015/members', { token: union })).body.members.find((x: { memberId: string }) => x.memberId === m.memberId);
    expect(after.differences).toEqual(['paid_through_differs']);
    const file = await api('/api/v1/unions/015/members?format=file', { token: union });
    expect(file.text).toContain(`MEMBER;${m.memberNumber};${m.identityCode};active;`);
    // Every member listed is a read of that member, with the union as the actor.
    const reads = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, m.memberId), eq(auditLog.action, 'member.read')));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    expect(reads.every((a) => a.actor === 'union-015' && a.actorKind === 'client' && (a.details as { view: string }).view === 'union-members')).toBe(true);
    // EKJ reads the same: the remitted month pays the fees through its last day.
    const read = await api('/api/v1/membership/query', { method: 'POST', token: ekj, body: JSON.stringify({ identityCode: m.identityCode }) });
    expect(read.status, read.text).toBe(200);
    expect(read.body.fees).toMatchObject({ paidThrough: monthEnd, status: 'in-order' });
  });

  it('a remittance off in amount, or for no member, becomes a task; approving books it as remitted', async () => {
    const m = await seedMember('015');
    const stranger = uniqueIdentityCode();
    const period = thisMonth();
    const text = file015(`M-${m.memberNumber}`, [rec('50', m.identityCode, `${period}-01`, share + 100), rec('50', stranger, `${period}-01`, share)], 2 * share + 100);
    const res = await sendFile(text);
    expect(res.status, res.text).toBe(202);
    expect(res.body.lines.map((l: { outcome: string }) => l.outcome)).toEqual(['mismatch:amount_differs', 'mismatch:unknown_member']);
    expect(await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.memberId, m.memberId))).toHaveLength(0);
    const [off] = await stack.db.select().from(unionRemittanceMismatches).where(eq(unionRemittanceMismatches.id, res.body.lines[0].ref));
    expect(off).toMatchObject({ reason: 'amount_differs', amountCents: share + 100, expectedCents: share, memberId: m.memberId });
    const task = await waitFor('the mismatch task', async () => (await stack.db.select().from(tasks).where(eq(tasks.workflowId, off!.workflowId)))[0]);
    expect(task).toMatchObject({ kind: 'union-remittance-mismatch', queue: 'payments', requiredRole: 'billing', subjectType: 'member', subjectId: m.memberId, status: 'open' });
    const unknown = await waitFor('the unknown-member task', async () => (await stack.db.select().from(tasks).where(eq(tasks.workflowId, `union-remittance/${res.body.lines[1].ref}`)))[0]);
    expect(unknown).toMatchObject({ subjectType: 'union-remittance', subjectId: res.body.lines[1].ref });
    // Re-sent: the same mismatches, no second task.
    expect((await sendFile(text)).body.lines.map((l: { ref: string }) => l.ref)).toEqual(res.body.lines.map((l: { ref: string }) => l.ref));
    expect(await stack.db.select().from(tasks).where(eq(tasks.subjectId, m.memberId))).toHaveLength(1);

    // No member to book to: approving is refused, returning needs a reason.
    const decide = (id: string, body: unknown) => api(`/api/v1/tasks/${id}/decision`, { method: 'POST', cookie: billing, body: JSON.stringify(body) });
    await api(`/api/v1/tasks/${unknown.id}/claim`, { method: 'POST', cookie: billing });
    expect((await decide(unknown.id, { decision: 'approve' })).body.code).toBe('remittance_member_unknown');
    expect((await decide(unknown.id, { decision: 'reject', reason: 'Ei jäsenemme' })).status).toBe(200);

    await api(`/api/v1/tasks/${task.id}/claim`, { method: 'POST', cookie: billing });
    const approved = await decide(task.id, { decision: 'approve' });
    expect(approved.status, approved.text).toBe(200);
    const rows = await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.memberId, m.memberId));
    expect(rows.map((r) => [r.kind, r.amountCents, r.collectedBy, r.createdBy]).sort()).toEqual([
      ['invoice', share + 100, 'union', 'billing'],
      ['payment', -(share + 100), 'union', 'billing'],
    ]);
    expect((await stack.db.select().from(tasks).where(eq(tasks.id, task.id)))[0]).toMatchObject({ status: 'closed', outcome: 'booked' });
    await saveHistory(stack.ctx.temporal, off!.workflowId, 'union-remittance-mismatch-booked');
    await saveHistory(stack.ctx.temporal, unknown.workflowId, 'union-remittance-mismatch-returned');
  });

  it('a bad line is a 400 naming the line, nothing stored', async () => {
    const m = await seedMember('015');
    const res = await sendFile(file015(`B-${m.memberNumber}`, [rec('50', m.identityCode, `${thisMonth()}-15`, share)], share));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'union_batch_unreadable', params: { line: 2 } });
    expect(res.body.detail).toMatch(/line 2, record 50/);
  });
});

describe('a union sees and acts on its own members only', () => {
  it("another union's member is a 404 for a single event and not_found in a batch; nothing happens to them", async () => {
    const theirs = await seedMember('022');
    const single = await api('/api/v1/union-events', { method: 'POST', token: union, headers: { 'idempotency-key': `leave-${theirs.memberNumber}` }, body: JSON.stringify({ event: { kind: 'leave', identityCode: theirs.identityCode, receivedOn: today } }) });
    expect(single.status, single.text).toBe(404);
    expect(single.body.code).toBe('not_found');
    const nobody = await api('/api/v1/union-events', { method: 'POST', token: union, headers: { 'idempotency-key': `leave-nobody-${theirs.memberNumber}` }, body: JSON.stringify({ event: { kind: 'leave', identityCode: uniqueIdentityCode(), receivedOn: today } }) });
    expect(nobody.status).toBe(404);
    const batch = await sendEvents({ batchId: `X-${theirs.memberNumber}`, events: [{ kind: 'leave', identityCode: theirs.identityCode, receivedOn: today }, { kind: 'remittance', identityCode: theirs.identityCode, period: thisMonth(), amountCents: share }] });
    expect(batch.body.lines.map((l: { outcome: string }) => l.outcome)).toEqual(['not_found', 'mismatch:unknown_member']);
    expect(await stack.db.select().from(resignations).where(eq(resignations.memberId, theirs.memberId))).toHaveLength(0);
    expect(await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.memberId, theirs.memberId))).toHaveLength(0);
    // Its member list is not ours to read, and leaves no read of their members.
    const list = await api('/api/v1/unions/022/members', { token: union });
    expect(list.status).toBe(404);
    expect(await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, theirs.memberId), eq(auditLog.action, 'member.read')))).toHaveLength(0);
    // A caseworker reads any union's list.
    const desk = await api('/api/v1/unions/022/members', { cookie: caseworker });
    expect(desk.status).toBe(200);
    expect(desk.body.members.map((x: { memberId: string }) => x.memberId)).toContain(theirs.memberId);
  });

  it('refuses clients without the scopes (403) and a file naming another union', async () => {
    expect((await sendEvents({ batchId: 'nope-1', events: [{ kind: 'paid-through', identityCode: uniqueIdentityCode(), paidThrough: today }] }, ekj)).status).toBe(403);
    expect((await api('/api/v1/unions/015/members', { token: ekj })).status).toBe(403);
    expect((await api('/api/v1/unions/015/members', { cookie: await stack.login('auditor') })).status).toBe(403);
    const other = await sendFile(['UNION;022;O-1;2026-01-01', 'END;0;0.00'].join('\n'));
    // Union 015's files are in its own layout: a default-format file is unreadable for it.
    expect(other.status).toBe(400);
    expect(other.body.params.line).toBe(1);
  });
});

describe('fund → union: the scheduled member list', () => {
  it('sends each union its list through the adapter once per day, every member read audited as the system', async () => {
    const m = await seedMember('015');
    await sendEvents({ batchId: `S-${m.memberNumber}`, events: [{ kind: 'paid-through', identityCode: m.identityCode, paidThrough: today }] });
    // Never reported by the union; exempt by the fund's own grant only; exempt as the union reported it (the fund booked the same).
    const [unreported, fundExempt, bothExempt] = await Promise.all([seedMember('015'), seedMember('015'), seedMember('015')]);
    await sendEvents({ batchId: `S-${fundExempt.memberNumber}`, events: [{ kind: 'paid-through', identityCode: fundExempt.identityCode, paidThrough: today }] });
    await stack.db.insert(feeExemptions).values({ memberId: fundExempt.memberId, unionCode: null, source: 'fund', startDate: addDays(today, -10), reason: 'test', grantedBy: 'test' });
    await sendEvents({ batchId: `S-${bothExempt.memberNumber}`, events: [{ kind: 'exemption-start', identityCode: bothExempt.identityCode, date: addDays(today, -10) }] });
    const asOf = today;
    const run = () =>
      stack.ctx.temporal.workflow.execute<(i: { asOf: string }) => Promise<UnionMemberListsResult>>('unionMemberLists', {
        taskQueue: stack.ctx.taskQueues.register,
        workflowId: `${unionMemberListsWorkflowId(asOf)}-${m.memberNumber}`,
        args: [{ asOf }],
      });
    const result = await run();
    const ours = result.sent.find((x) => x.unionCode === '015');
    expect(ours).toMatchObject({ deliveryId: expect.any(String) });
    expect(result.sent.map((x) => x.unionCode)).toContain('022');
    const sent = stack.unionExchange.sent.get(`members-015-${asOf}`);
    expect(sent?.meta).toMatchObject({ unionCode: '015', asOf });
    expect(sent?.file).toContain(`MEMBER;${m.memberNumber};${m.identityCode};active;;${today};paid_through_differs`);
    expect(sent?.file).toContain(`MEMBER;${unreported.memberNumber};${unreported.identityCode};active;;;not_reported_by_union\r\n`);
    expect(sent?.file).toContain(`MEMBER;${fundExempt.memberNumber};${fundExempt.identityCode};active;;${today};paid_through_differs,exemption_differs\r\n`);
    expect(sent?.file).toContain(`MEMBER;${bothExempt.memberNumber};${bothExempt.identityCode};active;;;\r\n`);
    expect(sent?.file.endsWith(`END;${sent.meta.members}\r\n`)).toBe(true);
    // A second run of the day delivers nothing new.
    const deliveries = stack.unionExchange.sent.size;
    const again = await stack.ctx.temporal.workflow.execute<(i: { asOf: string }) => Promise<UnionMemberListsResult>>('unionMemberLists', { taskQueue: stack.ctx.taskQueues.register, workflowId: `${unionMemberListsWorkflowId(asOf)}-${m.memberNumber}-again`, args: [{ asOf }] });
    expect(again.sent.find((x) => x.unionCode === '015')?.deliveryId).toBe(ours!.deliveryId);
    expect(stack.unionExchange.sent.size).toBe(deliveries);
    const reads = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityId, m.memberId), eq(auditLog.action, 'member.read')));
    expect(reads.filter((a) => a.actor === 'system' && (a.details as { via: string }).via === 'file')).toHaveLength(2);
    await saveHistory(stack.ctx.temporal, `${unionMemberListsWorkflowId(asOf)}-${m.memberNumber}`, 'union-member-lists');
  });

  it.runIf(recordingHistories)('records the scheduled member lists for the replay test', async () => {
    const workflowId = `${unionMemberListsWorkflowId(today)}-scheduled-record`;
    await stack.ctx.temporal.workflow.execute('scheduledUnionMemberLists', { taskQueue: stack.ctx.taskQueues.register, workflowId, args: [] });
    await saveHistory(stack.ctx.temporal, workflowId, 'union-member-lists-scheduled');
  });
});
