import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appeals, auditLog, expulsionDecisions, hearings, members, messages, persons, tasks } from '../../db/schema';
import { createCollectionHearingActivities } from '../../activities/collectionHearing';
import { hearingStateQuery } from '../../workflows/definitions/collectionHearing';
import { expulsionAppealQueue, expulsionAppealWorkflowId, expulsionAppealWorkflowType } from '../../workflows/definitions/expulsionAppeal';
import { ensureAppealStarted } from '../../services/hearings';
import type { expulsionAppeal } from '../../workflows/expulsionAppeal';
import { apiClient, type ApiClient } from '../support/api';
import { decide, hearingOf, memberWithUnpaidInvoice, periodsOf, startHearing, taskOf } from '../support/hearings';
import { archiveId, camt054, postFile, waitProcessed } from '../support/payments';
import { saveHistory } from '../support/recordHistory';
import { startStack, type Stack } from '../support/stack';
import { temporalHung } from '../support/temporalHung';

/**
 * The hearing before an expulsion for unpaid fees, its decision and the appeal, on the real
 * PostgreSQL and Temporal. Two stacks: one whose hearing deadline is an hour (payments land inside
 * it) and one whose deadline is two seconds (the caseworker's task comes at once).
 */
let long: Stack;
let short: Stack;
/** KOKO's effective-date rule and four eyes on, to show both settings take effect. */
let strict: Stack;
let eservices: string;
let bank: string;
const dir = mkdtempSync(join(tmpdir(), 'hearing-pdf-'));

beforeAll(async () => {
  [long, short, strict] = await Promise.all([
    startStack({ expulsion: { hearingDeadline: '1h' } }),
    startStack({ expulsion: { hearingDeadline: '2s' } }),
    startStack({ expulsion: { hearingDeadline: '2s', fourEyes: true, effectiveDate: 'unpaid_year_start' } }),
  ]);
  [eservices, bank] = await Promise.all([long.token('eservices'), long.token('bank-gateway')]);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await Promise.all([long?.close(), short?.close(), strict?.close()]);
});

async function pay(client: ApiClient, reference: string, cents: number) {
  const res = await postFile(client, camt054([{ archiveId: archiveId('H'), amountCents: cents, ref: reference }], { iban: long.profile.iban }), 'application/xml', { token: bank });
  expect(res.status, res.text).toBe(202);
  await waitProcessed(client, res.body.id, { token: bank });
}

function pdfText(bytes: Uint8Array): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  const result = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (result.error) throw new Error(`pdftotext could not run (${result.error.message}); install poppler-utils`);
  return result.stdout.replace(/\s+/g, ' ');
}

describe('a payment during the hearing', () => {
  it('a partial payment keeps the hearing open; paying the rest ends it at once, long before the deadline', async () => {
    const client = apiClient(long, { as: { token: eservices } });
    const { member, invoice } = await memberWithUnpaidInvoice(long, client, eservices);
    const handle = await startHearing(long, member, invoice);
    const hearing = await hearingOf(long, member.memberId);
    expect(hearing.status).toBe('open');
    // The letter went out with its PDF, and is filed in case management.
    const letter = long.messaging.delivered.get(`hearing-letter/${hearing.id}`);
    expect(letter?.attachments[0]?.contentType).toBe('application/pdf');
    // Posted, though the member prefers e-mail: the delivery presumption counts from mailing (decision 045).
    expect(letter?.channel).toBe('letter');
    expect(long.caseManagement.documentsOf(member.memberId).map((d) => d.kind)).toEqual(['hearing-letter']);

    await pay(client, invoice.reference, 4000);
    // The process has looked at the partial payment and goes on waiting.
    await new Promise((r) => setTimeout(r, 500));
    expect((await handle.query(hearingStateQuery)).status).toBe('open');

    await pay(client, invoice.reference, 5600);
    // At once: the deadline is an hour away, so only the payment's signal can end it this soon.
    const result = await Promise.race([handle.result(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the hearing did not end within 10 s of the payment')), 10_000))]);
    expect(result.outcome).toBe('paid');
    const [after] = await long.db.select().from(hearings).where(eq(hearings.id, hearing.id));
    expect(after).toMatchObject({ status: 'paid', outcomeReason: 'paid' });
    // Still a member: nothing ended.
    expect((await periodsOf(long, member.memberId)).every((p) => p.endDate === null)).toBe(true);
  });

  it('a payment while the caseworker decides closes the task, and a decision after it is refused', async () => {
    const client = apiClient(short, { as: { token: eservices } });
    const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices);
    const handle = await startHearing(short, member, invoice);
    const task = await taskOf(short, member.memberId, 'expulsion-decision');
    await pay(apiClient(short, { as: { token: eservices } }), invoice.reference, invoice.amountCents);
    expect((await handle.result()).outcome).toBe('paid');
    const [closed] = await short.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(closed).toMatchObject({ status: 'closed', outcome: 'paid-before-decision' });
    const cookie = await short.login('caseworker');
    const res = await apiClient(short).api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie, body: JSON.stringify({ decision: 'approve', reason: 'Ei maksua' }) });
    expect(res.status).toBe(409);
  });
});

describe('expulsion at the deadline', () => {
  it('the caseworker expels with a reason: the period ends on the fund rule date, the decision letter carries the appeal instructions', async () => {
    const client = apiClient(short, { as: { token: eservices } });
    // A quarter's invoice: under A-kassa's rule the expulsion takes effect on the first unpaid day.
    const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices, { start: '2026-04-01', end: '2026-06-30' }, 2400);
    const handle = await startHearing(short, member, invoice);
    const hearing = await hearingOf(short, member.memberId);
    // The member explains through e-services before the deadline passes.
    const [{ identityCode }] = (await short.db
      .select({ identityCode: persons.identityCode })
      .from(members)
      .innerJoin(persons, eq(persons.id, members.personId))
      .where(eq(members.id, member.memberId))) as [{ identityCode: string }];
    const explained = await client.api(`/api/v1/members/${member.memberId}/hearings/${hearing.id}/explanations`, {
      method: 'POST',
      token: eservices,
      body: JSON.stringify({ text: 'Olin sairaana enkä huomannut laskua.', subjectIdentityCode: identityCode }),
    });
    expect(explained.status, explained.text).toBe(201);

    const task = await taskOf(short, member.memberId, 'expulsion-decision');
    const unreasoned = await decide(short, task.id, 'caseworker', 'approve');
    expect(unreasoned.status).toBe(409);
    expect(unreasoned.body.code).toBe('decision_reason_required');
    const res = await decide(short, task.id, 'caseworker', 'approve', 'Jäsenmaksut maksamatta kuulemisesta huolimatta.');
    expect(res.status, res.text).toBe(200);
    expect((await handle.result()).outcome).toBe('expelled');

    const periods = await periodsOf(short, member.memberId);
    expect(periods).toEqual([expect.objectContaining({ endDate: '2026-03-31', endReason: 'expulsion' })]);
    const cookie = await short.login('caseworker');
    const view = await apiClient(short).api(`/api/v1/members/${member.memberId}/hearings`, { cookie });
    expect(view.status, view.text).toBe(200);
    const decision = view.body.items[0].decision;
    expect(decision).toMatchObject({ effectiveDate: '2026-04-01' });
    expect(view.body.items[0].explanations[0].text).toBe('Olin sairaana enkä huomannut laskua.');

    // The decision letter as case management keeps it, read by pdftotext.
    const pdf = await short.app.request(`http://localhost/api/v1/members/${member.memberId}/case-documents/${decision.documentId}/pdf`, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain('Päätös: erottaminen työttömyyskassasta');
    expect(text).toContain('1.4.2026 alkaen');
    expect(text).toContain('Jäsenmaksut maksamatta kuulemisesta huolimatta.');
    expect(text).toContain('Olin sairaana enkä huomannut laskua.');
    expect(text).toContain('Työttömyyskassalaki (603/1984) 4 §');
    expect(text).toContain('sosiaaliturva-asioiden muutoksenhakulautakunnalta (SAMU)');
    expect(text).toContain('30 päivän kuluessa');
    expect(text).toContain('seitsemäntenä päivänä');
    const audits = await short.db.select().from(auditLog).where(and(eq(auditLog.entityId, member.memberId), eq(auditLog.action, 'member.expelled')));
    expect(audits).toHaveLength(1);
  });

  it('not expelling needs a reason; the member is told and stays a member', async () => {
    const client = apiClient(short, { as: { token: eservices } });
    const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices);
    const handle = await startHearing(short, member, invoice);
    const task = await taskOf(short, member.memberId, 'expulsion-decision');
    expect((await decide(short, task.id, 'caseworker', 'reject')).body.code).toBe('decision_reason_required');
    expect((await decide(short, task.id, 'caseworker', 'reject', 'Maksusuunnitelma sovittu.')).status).toBe(200);
    expect((await handle.result()).outcome).toBe('not-expelled');
    expect((await periodsOf(short, member.memberId)).every((p) => p.endDate === null)).toBe(true);
    const [sent] = await short.db.select().from(messages).where(eq(messages.messageKey, `expulsion-not-decided/${(await hearingOf(short, member.memberId)).id}`));
    expect(sent?.body).toContain('Maksusuunnitelma sovittu.');
  });
});

describe('a hold during the hearing', () => {
  it('a hold in force at the deadline pauses the hearing: no decision task until the caseworker resumes', async () => {
    const client = apiClient(short, { as: { token: eservices } });
    const caseworker = await short.login('caseworker');
    const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices);
    const handle = await startHearing(short, member, invoice);
    await hearingOf(short, member.memberId);
    // A payment plan agreed while the hearing runs.
    const until = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const held = await client.api(`/api/v1/members/${member.memberId}/collection/hold`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'payment-plan', until }) });
    expect(held.status, held.text).toBe(200);
    // Well past the 2 s deadline: still open, and nobody is asked to decide.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await handle.query(hearingStateQuery)).status).toBe('open');
    const decisionTasks = await short.db.select().from(tasks).where(and(eq(tasks.subjectId, member.memberId), eq(tasks.kind, 'expulsion-decision')));
    expect(decisionTasks).toEqual([]);

    const resumed = await client.api(`/api/v1/members/${member.memberId}/collection/resume`, { method: 'POST', cookie: caseworker });
    expect(resumed.status, resumed.text).toBe(200);
    const task = await taskOf(short, member.memberId, 'expulsion-decision');
    expect(task.status).toBe('open');
    expect((await handle.query(hearingStateQuery)).status).toBe('awaiting-decision');
    await handle.terminate('test done');
  });
});

/** Under four eyes, a quarter's unpaid invoice whose expulsion a supervisor proposed: the confirmation task is open. */
async function proposedUnderFourEyes() {
  const client = apiClient(strict, { as: { token: eservices } });
  const { member, invoice } = await memberWithUnpaidInvoice(strict, client, eservices, { start: '2026-04-01', end: '2026-06-30' }, 2400);
  const handle = await startHearing(strict, member, invoice);
  const task = await taskOf(strict, member.memberId, 'expulsion-decision');
  expect((await decide(strict, task.id, 'supervisor', 'approve', 'Maksamatta.')).status).toBe(200);
  const confirmation = await taskOf(strict, member.memberId, 'expulsion-confirmation');
  return { member, invoice, handle, confirmation };
}

describe('fund settings', () => {
  it("four eyes: the deciding caseworker may not confirm; a second user does; 'unpaid_year_start' ends the period at the year before", async () => {
    const { member, handle, confirmation } = await proposedUnderFourEyes();
    // Nothing has ended yet: the expulsion waits for the second pair of eyes.
    expect((await periodsOf(strict, member.memberId))[0]?.endDate).toBeNull();
    const own = await decide(strict, confirmation.id, 'supervisor', 'approve', 'Vahvistan.');
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('expulsion_four_eyes_required');
    expect((await decide(strict, confirmation.id, 'caseworker', 'approve', 'Vahvistan.')).status).toBe(200);
    expect((await handle.result()).outcome).toBe('expelled');
    expect(await periodsOf(strict, member.memberId)).toEqual([expect.objectContaining({ endDate: '2025-12-31', endReason: 'expulsion' })]);
    const audit = await strict.db.select().from(auditLog).where(and(eq(auditLog.entityId, member.memberId), eq(auditLog.action, 'member.expelled')));
    expect(audit[0]?.details).toMatchObject({ decidedBy: 'supervisor', confirmedBy: 'caseworker', effectiveDate: '2026-01-01' });
  });
});

describe('appeal', () => {
  it('an appeal within the window opens reconsideration; the fund corrects its decision and the member is reinstated from the original date', async () => {
    const client = apiClient(short, { as: { token: eservices } });
    const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices);
    const handle = await startHearing(short, member, invoice);
    const task = await taskOf(short, member.memberId, 'expulsion-decision');
    expect((await decide(short, task.id, 'caseworker', 'approve', 'Maksamatta.')).status).toBe(200);
    await handle.result();
    expect((await periodsOf(short, member.memberId))[0]).toMatchObject({ endDate: '2025-12-31', endReason: 'expulsion' });

    const cookie = await short.login('caseworker');
    const view = await apiClient(short).api(`/api/v1/members/${member.memberId}/hearings`, { cookie });
    const decisionId = view.body.items[0].decision.id as string;
    const appealed = await apiClient(short).api(`/api/v1/members/${member.memberId}/expulsion-decisions/${decisionId}/appeals`, {
      method: 'POST',
      cookie,
      body: JSON.stringify({ text: 'Maksoin laskun jo, kuitti liitteenä.' }),
    });
    expect(appealed.status, appealed.text).toBe(201);
    expect(appealed.body).toMatchObject({ late: false, status: 'received' });
    const reconsideration = await taskOf(short, member.memberId, 'expulsion-reconsideration');
    expect((await decide(short, reconsideration.id, 'caseworker', 'approve', 'Maksu oli kohdistunut väärin; päätös oikaistaan.')).status).toBe(200);
    await short.ctx.temporal.workflow.getHandle(appealed.body.workflowId).result();

    // Reinstated from the original date: the period runs on unbroken.
    expect(await periodsOf(short, member.memberId)).toEqual([expect.objectContaining({ startDate: '2025-01-01', endDate: null, endReason: null })]);
    const after = await apiClient(short).api(`/api/v1/members/${member.memberId}/hearings`, { cookie });
    expect(after.body.items[0].appeal).toMatchObject({ status: 'corrected' });
    expect(after.body.items[0].decision.reinstatedOn).toBe(short.ctx.today());
    const corrected = short.caseManagement.documentsOf(member.memberId).find((d) => d.kind === 'corrected-decision');
    expect(pdfText(corrected!.bytes)).toContain('Jäsenyytesi jatkuu keskeytyksettä');
  });

  it('a late appeal is flagged, not refused; forwarded to SAMU with a statement, an overturn reinstates', async () => {
    const client = apiClient(short, { as: { token: eservices } });
    const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices);
    const handle = await startHearing(short, member, invoice);
    const task = await taskOf(short, member.memberId, 'expulsion-decision');
    expect((await decide(short, task.id, 'caseworker', 'approve', 'Maksamatta.')).status).toBe(200);
    await handle.result();
    const cookie = await short.login('caseworker');
    const view = await apiClient(short).api(`/api/v1/members/${member.memberId}/hearings`, { cookie });
    const decisionId = view.body.items[0].decision.id as string;
    // Late: the decision is dated today, so an appeal "received" after its deadline is simulated by moving the deadline back.
    await short.db.update(expulsionDecisions).set({ appealDeadline: '2026-01-01' }).where(eq(expulsionDecisions.id, decisionId));
    const appealed = await apiClient(short).api(`/api/v1/members/${member.memberId}/expulsion-decisions/${decisionId}/appeals`, { method: 'POST', cookie, body: JSON.stringify({ text: 'Valitan päätöksestä.' }) });
    expect(appealed.status, appealed.text).toBe(201);
    expect(appealed.body.late).toBe(true);

    const early = await apiClient(short).api(`/api/v1/members/${member.memberId}/appeals/${appealed.body.id}/samu-ruling`, { method: 'POST', cookie, body: JSON.stringify({ outcome: 'overturned', ruledOn: short.ctx.today() }) });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('appeal_not_forwarded');

    const reconsideration = await taskOf(short, member.memberId, 'expulsion-reconsideration');
    expect(reconsideration.title).toBe('expulsion-appeal-late');
    expect((await decide(short, reconsideration.id, 'caseworker', 'reject', 'Kassa pitää päätöksen voimassa: maksuja ei ole saapunut.')).status).toBe(200);
    await vi.waitFor(async () => {
      const v = await apiClient(short).api(`/api/v1/members/${member.memberId}/hearings`, { cookie });
      expect(v.body.items[0].appeal.status).toBe('forwarded');
    });
    const statement = short.caseManagement.documentsOf(member.memberId).find((d) => d.kind === 'appeal-statement');
    expect(pdfText(statement!.bytes)).toContain('Kassa pitää päätöksen voimassa');
    expect((await periodsOf(short, member.memberId))[0]?.endReason).toBe('expulsion');

    const ruling = await apiClient(short).api(`/api/v1/members/${member.memberId}/appeals/${appealed.body.id}/samu-ruling`, { method: 'POST', cookie, body: JSON.stringify({ outcome: 'overturned', ruledOn: short.ctx.today() }) });
    expect(ruling.status, ruling.text).toBe(200);
    expect(ruling.body.status).toBe('overturned');
    expect((await periodsOf(short, member.memberId))[0]).toMatchObject({ endDate: null, endReason: null });
    const again = await apiClient(short).api(`/api/v1/members/${member.memberId}/appeals/${appealed.body.id}/samu-ruling`, { method: 'POST', cookie, body: JSON.stringify({ outcome: 'upheld', ruledOn: short.ctx.today() }) });
    expect(again.body.code).toBe('samu_ruling_already_recorded');
  });
});

/** A member of the short-deadline stack expelled by a caseworker after the hearing. */
async function expelled() {
  const client = apiClient(short, { as: { token: eservices } });
  const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices);
  const handle = await startHearing(short, member, invoice);
  const task = await taskOf(short, member.memberId, 'expulsion-decision');
  expect((await decide(short, task.id, 'caseworker', 'approve', 'Maksamatta.')).status).toBe(200);
  const result = await handle.result();
  expect(result.outcome).toBe('expelled');
  return { member, invoice, result };
}

describe('lost history re-runs a hearing or an appeal (issue 16)', () => {
  const within = <T>(p: Promise<T>, ms: number, what: string) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms))]);

  const openTasksOf = (memberId: string) => short.db.select().from(tasks).where(and(eq(tasks.subjectId, memberId), eq(tasks.status, 'open')));

  it('a second process for an expelled hearing ends expelled at once: no status rewound, no new task, letter or decision', async () => {
    const { member, invoice, result } = await expelled();
    const [hearing] = await short.db.select().from(hearings).where(eq(hearings.memberId, member.memberId));
    const periods = await periodsOf(short, member.memberId);
    const letters = (await short.db.select().from(messages).where(eq(messages.memberId, member.memberId))).length;

    // The history is gone: the process runs again from the start under the same business id.
    const again = await startHearing(short, member, invoice);
    expect(await within(again.result(), 10_000, 'the re-run hearing')).toEqual(result);
    await saveHistory(short.ctx.temporal, again.workflowId, 'collection-hearing-rerun-of-expelled');
    const [after] = await short.db.select().from(hearings).where(eq(hearings.id, hearing!.id));
    expect(after?.status).toBe('expelled');
    expect(await openTasksOf(member.memberId)).toEqual([]);
    expect(await short.db.select().from(expulsionDecisions).where(eq(expulsionDecisions.hearingId, hearing!.id))).toHaveLength(1);
    expect(await periodsOf(short, member.memberId)).toEqual(periods);
    expect(await short.db.select().from(messages).where(eq(messages.memberId, member.memberId))).toHaveLength(letters);
  });

  it('the hearing activities run again recognise the decision: status reported, never rewound, a closed task reported closed', async () => {
    const { member, invoice } = await expelled();
    const acts = createCollectionHearingActivities(short.activityDeps);
    const [hearing] = await short.db.select().from(hearings).where(eq(hearings.memberId, member.memberId));
    const opened = await acts.openHearing({ memberId: member.memberId, invoiceIds: [invoice.id], overdueCents: invoice.amountCents, startedOn: hearing!.startedOn, workflowId: hearing!.workflowId });
    expect(opened).toMatchObject({ hearingId: hearing!.id, status: 'expelled' });
    await acts.markAwaitingDecision({ hearingId: hearing!.id });
    expect((await short.db.select().from(hearings).where(eq(hearings.id, hearing!.id)))[0]?.status).toBe('expelled');
    const task = await acts.openExpulsionTask({ hearingId: hearing!.id, workflowId: hearing!.workflowId, kind: 'expulsion-decision' });
    expect(task).toMatchObject({ open: false, hearingStatus: 'expelled' });
  });

  it('four eyes, re-run after the first caseworker proposed: the proposal stands and the confirmation task decides', async () => {
    const { member, invoice, handle, confirmation } = await proposedUnderFourEyes();
    // The history is lost while the confirmation waits: the process runs again from the start.
    await handle.terminate('history lost');
    const again = await startHearing(strict, member, invoice);
    await vi.waitFor(async () => expect((await again.query(hearingStateQuery)).status).toBe('awaiting-decision'), { timeout: 10_000 });
    // The re-run waits on the same confirmation task, which stays the one open task.
    expect((await strict.db.select().from(tasks).where(and(eq(tasks.subjectId, member.memberId), eq(tasks.status, 'open')))).map((t) => t.id)).toEqual([confirmation.id]);
    // Until the re-run has opened (found) the task, a decision is refused as not current.
    await vi.waitFor(async () => expect((await decide(strict, confirmation.id, 'caseworker', 'approve', 'Vahvistan.')).status).toBe(200), { timeout: 10_000, interval: 300 });
    expect((await within(again.result(), 10_000, 'the re-run hearing')).outcome).toBe('expelled');
    await saveHistory(strict.ctx.temporal, again.workflowId, 'collection-hearing-rerun-four-eyes-proposed');
    const audit = await strict.db.select().from(auditLog).where(and(eq(auditLog.entityId, member.memberId), eq(auditLog.action, 'member.expelled')));
    expect(audit[0]?.details).toMatchObject({ decidedBy: 'supervisor', confirmedBy: 'caseworker' });
  });

  it('a second process for a corrected appeal ends corrected at once, with no new reconsideration task', async () => {
    const { member } = await expelled();
    const cookie = await short.login('caseworker');
    const view = await apiClient(short).api(`/api/v1/members/${member.memberId}/hearings`, { cookie });
    const decisionId = view.body.items[0].decision.id as string;
    const appealed = await apiClient(short).api(`/api/v1/members/${member.memberId}/expulsion-decisions/${decisionId}/appeals`, { method: 'POST', cookie, body: JSON.stringify({ text: 'Maksoin jo.' }) });
    expect(appealed.status, appealed.text).toBe(201);
    const reconsideration = await taskOf(short, member.memberId, 'expulsion-reconsideration');
    expect((await decide(short, reconsideration.id, 'caseworker', 'approve', 'Oikaistaan.')).status).toBe(200);
    expect(await short.ctx.temporal.workflow.getHandle(appealed.body.workflowId).result()).toEqual({ status: 'corrected' });
    const periods = await periodsOf(short, member.memberId);

    const again = await short.ctx.temporal.workflow.start<typeof expulsionAppeal>(expulsionAppealWorkflowType, {
      taskQueue: short.ctx.taskQueues[expulsionAppealQueue],
      workflowId: appealed.body.workflowId,
      args: [{ appealId: appealed.body.id }],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    expect(await within(again.result(), 10_000, 'the re-run appeal')).toEqual({ status: 'corrected' });
    await saveHistory(short.ctx.temporal, again.workflowId, 'expulsion-appeal-rerun-of-corrected');
    expect(await openTasksOf(member.memberId)).toEqual([]);
    expect(await periodsOf(short, member.memberId)).toEqual(periods);
  });
});

describe('an appeal while Temporal is unavailable (issue 16)', () => {
  it('is recorded and answers 202 quickly; the same appeal again is the same one; its process starts later under its own id', async () => {
    const { member } = await expelled();
    const [decision] = await short.db.select().from(expulsionDecisions).where(eq(expulsionDecisions.memberId, member.memberId));
    const hung = await temporalHung(short);
    const { down } = hung;
    const cookie = await short.login('caseworker');
    const downApi = apiClient({ app: short.appFor(down), db: short.db }).api;
    try {
      const post = () => downApi(`/api/v1/members/${member.memberId}/expulsion-decisions/${decision!.id}/appeals`, { method: 'POST', cookie, body: JSON.stringify({ text: 'Valitan.' }) });
      const began = Date.now();
      const first = await post();
      expect(first.status, first.text).toBe(202);
      expect(Date.now() - began).toBeLessThan(5000);
      expect(first.body).toMatchObject({ status: 'received', workflowId: expulsionAppealWorkflowId(decision!.id) });
      const again = await post();
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      expect(await short.db.select().from(appeals).where(eq(appeals.decisionId, decision!.id))).toHaveLength(1);
    } finally {
      await hung.close();
    }
    // Temporal is back: reconcile starts the process (its start function) and the reconsideration task opens.
    const [stored] = await short.db.select().from(appeals).where(eq(appeals.decisionId, decision!.id));
    await ensureAppealStarted(short.ctx, stored!.id, stored!.workflowId);
    const reconsideration = await taskOf(short, member.memberId, 'expulsion-reconsideration');
    expect(reconsideration.workflowId).toBe(stored!.workflowId);
    await short.ctx.temporal.workflow.getHandle(stored!.workflowId).terminate('test over');
  });
});

describe("a member's year in seconds (durations shortened through the fund profile)", () => {
  it('join → billed → unpaid → hearing (explained in e-services) → expelled → appeal in e-services → corrected → reinstated; a second member pays during the hearing', async () => {
    const client = apiClient(short, { as: { token: eservices } });
    const cookie = await short.login('caseworker');
    const overview = async (memberId: string) => (await apiClient(short).api(`/api/v1/members/${memberId}/overview`, { cookie })).body;
    const identityCodeOf = async (memberId: string) =>
      ((await short.db.select({ code: persons.identityCode }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.id, memberId))) as [{ code: string }])[0].code;

    // Joined through the e-service, billed, and the invoice left unpaid.
    const { member, invoice } = await memberWithUnpaidInvoice(short, client, eservices);
    expect((await overview(member.memberId)).status).toBe('active');
    const before = (await overview(member.memberId)).membershipCondition.fullMonths as number;
    expect(before).toBeGreaterThan(0);
    // The second member: billed, unpaid, pays the whole amount in the hearing.
    const payer = await memberWithUnpaidInvoice(long, apiClient(long, { as: { token: eservices } }), eservices);

    const handle = await startHearing(short, member, invoice);
    const payerHandle = await startHearing(long, payer.member, payer.invoice);
    const hearing = await hearingOf(short, member.memberId);
    const code = await identityCodeOf(member.memberId);
    await client.api(`/api/v1/members/${member.memberId}/hearings/${hearing.id}/explanations`, { method: 'POST', token: eservices, body: JSON.stringify({ text: 'Maksan ensi kuussa.', subjectIdentityCode: code }) });
    await hearingOf(long, payer.member.memberId);
    await pay(apiClient(long, { as: { token: eservices } }), payer.invoice.reference, payer.invoice.amountCents);
    expect((await payerHandle.result()).outcome).toBe('paid');

    // The deadline passes (2 s); the caseworker expels.
    const task = await taskOf(short, member.memberId, 'expulsion-decision');
    expect((await decide(short, task.id, 'caseworker', 'approve', 'Ei maksua eikä hyväksyttävää syytä.')).status).toBe(200);
    expect((await handle.result()).outcome).toBe('expelled');
    const expelled = await overview(member.memberId);
    expect(expelled.status).toBe('ended');
    expect(expelled.periods[0]).toMatchObject({ endReason: 'expulsion', endDate: '2025-12-31' });
    // The accrued membership condition is lost with the expulsion.
    expect(expelled.membershipCondition.fullMonths).toBe(0);

    // The member appeals through the e-service; the fund corrects its decision.
    const decisionId = (await apiClient(short).api(`/api/v1/members/${member.memberId}/hearings`, { cookie })).body.items[0].decision.id as string;
    const appealed = await client.api(`/api/v1/members/${member.memberId}/expulsion-decisions/${decisionId}/appeals`, { method: 'POST', token: eservices, body: JSON.stringify({ text: 'Olen maksanut.', subjectIdentityCode: code }) });
    expect(appealed.status, appealed.text).toBe(201);
    expect(appealed.body.channel).toBe('e-services');
    const reconsideration = await taskOf(short, member.memberId, 'expulsion-reconsideration');
    expect((await decide(short, reconsideration.id, 'supervisor', 'approve', 'Oikaistaan.')).status).toBe(200);
    await short.ctx.temporal.workflow.getHandle(appealed.body.workflowId).result();

    const reinstated = await overview(member.memberId);
    expect(reinstated.status).toBe('active');
    expect(reinstated.periods[0]).toMatchObject({ startDate: '2025-01-01', endDate: null });
    expect(reinstated.membershipCondition.fullMonths).toBe(before);
    // Every letter of the year, in order: hearing letter, decision, corrected decision.
    expect(short.caseManagement.documentsOf(member.memberId).map((d) => d.kind)).toEqual(['hearing-letter', 'expulsion-decision', 'corrected-decision']);
    // The payer heard nothing after paying: a hearing letter only, no decision.
    expect(long.caseManagement.documentsOf(payer.member.memberId).map((d) => d.kind)).toEqual(['hearing-letter']);
  });
});
