import { and, eq, inArray, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appeals, collectionReminders, expulsionDecisions, hearings, ledgerEntries, membershipPeriods, messages, tasks } from '../../db/schema';
import { todayInHelsinki } from '../../domain/dates';
import { collectionHearingWorkflowId } from '../../workflows/definitions/collectionHearing';
import { collectionRunQueue, collectionRunWorkflowId } from '../../workflows/definitions/collectionRun';
import { collectionRun } from '../../workflows/collectionRun';
import { apiClient, type ApiClient } from '../support/api';
import { newKey } from '../support/applications';
import { decide, hearingOf, periodsOf, taskOf } from '../support/hearings';
import { archiveId, camt054, invoiceById, newInvoice, newMember, postFile, waitProcessed, type TestMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

/**
 * A member's whole collection year in seconds (issue 11, decision 033): billed, unpaid, every
 * reminder level, a partial payment that keeps collection on the rest, the hearing, the expulsion
 * decision and an appeal inside its window, corrected; and a second member who pays after
 * reminder 1 and hears nothing more. The register's clock (`today`) is the test's: each daily
 * run, payment, letter date and the appeal window follow it; the hearing's wait is two seconds.
 *
 * The year is 2001 so that the daily runs select only this file's invoices (other files' invoices
 * fall due later), and the fund has three levels: reminder 1, reminder 2 with a fee, and the
 * notice of intended expulsion.
 */
let clock = todayInHelsinki();
let stack: Stack;
let eservices: string;
let bank: string;
let client: ApiClient;

beforeAll(async () => {
  stack = await startStack({
    today: () => clock,
    collection: {
      levels: [
        { waitDays: 14, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 0 },
        { waitDays: 30, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder-final', newDueDays: 14, feeCents: 500 },
        { waitDays: 14, from: 'previous', channels: ['letter'], template: 'payment-reminder-final', newDueDays: 14, feeCents: 0 },
      ],
      hearingAfterDays: 14,
    },
    expulsion: { hearingDeadline: '2s', notificationDelayDays: 7, appealWindowDays: 30 },
  });
  [eservices, bank] = await Promise.all([stack.token('eservices'), stack.token('bank-gateway')]);
  client = apiClient(stack, { as: { token: eservices } });
});
afterAll(async () => stack?.close());

/**
 * The daily step on `day`, with the register's clock there, as the schedule would run it that day,
 * and the delivery it started: the day's letters are out when this returns (the run itself ends
 * before they are sent, decision 052; since decision 065 no longer later than a tiny delivery).
 */
async function runDay(day: string) {
  clock = day;
  const result = await stack.ctx.temporal.workflow.execute(collectionRun, {
    taskQueue: stack.ctx.taskQueues[collectionRunQueue],
    workflowId: `${collectionRunWorkflowId(day)}/${newKey()}`,
    args: [{ today: day }],
  });
  if (result.deliveryWorkflowId) await stack.ctx.temporal.workflow.getHandle(result.deliveryWorkflowId).result();
  return result;
}

async function pay(reference: string, amountCents: number, day: string) {
  clock = day;
  const xml = camt054([{ archiveId: archiveId('Y'), amountCents, ref: reference, bookingDate: day }], { iban: stack.profile.iban });
  const res = await postFile(client, xml, 'application/xml', { token: bank });
  expect(res.status, res.text).toBe(202);
  await waitProcessed(client, res.body.id, { token: bank });
}

/** Reminder levels sent for the invoice, as [level, sentOn, openCents, feeCents]. */
async function reminders(invoiceId: string) {
  const rows = await stack.db.select().from(collectionReminders).where(eq(collectionReminders.invoiceId, invoiceId)).orderBy(collectionReminders.level);
  return rows.map((r) => [r.level, r.status, r.sentOn, r.openCents, r.feeCents]);
}

/** Every reminder the messaging service was handed for the invoice, by its message key. */
function lettersOf(invoiceId: string) {
  return [...stack.messaging.delivered.keys()].filter((k) => k.startsWith(`reminder/${invoiceId}/`)).sort();
}

async function ledgerOf(memberId: string) {
  const rows = await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.memberId, memberId)).orderBy(ledgerEntries.id);
  return rows.map((r) => [r.kind, r.amountCents]);
}

const DUE = '2001-01-15';

describe("a member's collection year in seconds", () => {
  let unpaid: TestMember;
  let payer: TestMember;
  let unpaidInvoice: Awaited<ReturnType<typeof newInvoice>>;
  let payerInvoice: Awaited<ReturnType<typeof newInvoice>>;
  let caseworker: string;
  const state = async (memberId: string) => (await apiClient(stack).api(`/api/v1/members/${memberId}/collection`, { cookie: caseworker })).body;
  const overview = async (memberId: string) => (await apiClient(stack).api(`/api/v1/members/${memberId}/overview`, { cookie: caseworker })).body;

  beforeAll(async () => {
    // Both join through the e-service today, and are dated back as members since 2000.
    [unpaid, payer] = (await Promise.all([1, 2].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember];
    caseworker = await stack.login('caseworker');
    await stack.db.update(membershipPeriods).set({ startDate: '2000-01-01' }).where(inArray(membershipPeriods.memberId, [unpaid.memberId, payer.memberId]));
    // Billed for 2001 on 10.12.2000, due 15.1.
    clock = '2000-12-10';
    unpaidInvoice = await newInvoice(stack, unpaid, 2001, 9600, { issuedOn: clock, dueDate: DUE });
    payerInvoice = await newInvoice(stack, payer, 2001, 9600, { issuedOn: clock, dueDate: DUE });
  }, 120_000);

  it('reminder 1 to both, once, on due date + 14; the payer pays in full and hears nothing more', async () => {
    await runDay('2001-01-28');
    expect(await reminders(unpaidInvoice.id)).toEqual([]);
    await runDay('2001-01-29');
    await runDay('2001-01-29');
    for (const inv of [unpaidInvoice, payerInvoice]) {
      expect(await reminders(inv.id)).toEqual([[1, 'sent', '2001-01-29', 9600, 0]]);
      expect(lettersOf(inv.id)).toHaveLength(1);
    }
    expect(await state(unpaid.memberId)).toMatchObject({ state: 'reminded', level: 1 });

    await pay(payerInvoice.reference, 9600, '2001-02-01');
    expect((await invoiceById(stack, payerInvoice.id)).status).toBe('paid');
    expect(await state(payer.memberId)).toMatchObject({ state: 'clear' });
  });

  it('a partial payment after reminder 1 keeps collection on the remainder: reminder 2 (with its fee) and the notice, each once', async () => {
    await pay(unpaidInvoice.reference, 4000, '2001-02-05');
    expect(await invoiceById(stack, unpaidInvoice.id)).toMatchObject({ status: 'partially-paid', openCents: 5600 });

    // Level 2: due + 30 (14.2.), after reminder 1's new due date (12.2.).
    await runDay('2001-02-13');
    expect(await reminders(unpaidInvoice.id)).toHaveLength(1);
    await runDay('2001-02-14');
    await runDay('2001-02-14');
    expect(await reminders(unpaidInvoice.id)).toEqual([
      [1, 'sent', '2001-01-29', 9600, 0],
      [2, 'sent', '2001-02-14', 5600, 500],
    ]);
    const [, second] = lettersOf(unpaidInvoice.id).map((k) => stack.messaging.delivered.get(k)!);
    // The remainder and the fee: 56,00 + 5,00.
    expect(second?.body).toContain('61,00');

    // The notice of intended expulsion: 14 days after reminder 2 and after its new due date (28.2.).
    await runDay('2001-02-28');
    expect(await reminders(unpaidInvoice.id)).toHaveLength(2);
    await runDay('2001-03-01');
    await runDay('2001-03-01');
    expect((await reminders(unpaidInvoice.id)).map((r) => r.slice(0, 3))).toEqual([
      [1, 'sent', '2001-01-29'],
      [2, 'sent', '2001-02-14'],
      [3, 'sent', '2001-03-01'],
    ]);
    expect(lettersOf(unpaidInvoice.id)).toEqual([1, 2, 3].map((l) => `reminder/${unpaidInvoice.id}/${l}`));
    expect(await state(unpaid.memberId)).toMatchObject({ state: 'reminded', level: 3 });

    // The payer got reminder 1 and nothing after it, however many days ran.
    expect(await reminders(payerInvoice.id)).toEqual([[1, 'sent', '2001-01-29', 9600, 0]]);
    expect(lettersOf(payerInvoice.id)).toHaveLength(1);
  });

  it('the hearing starts once, 14 days after the notice’s due date, on the remainder; at its deadline the caseworker expels', async () => {
    const hearingId = collectionHearingWorkflowId(unpaid.memberId);
    await runDay('2001-03-28');
    expect(await stack.db.select().from(hearings).where(eq(hearings.memberId, unpaid.memberId))).toEqual([]);
    await runDay('2001-03-29');
    await runDay('2001-03-30');
    const hearing = await hearingOf(stack, unpaid.memberId);
    expect(hearing).toMatchObject({ startedOn: '2001-03-29', invoiceIds: [unpaidInvoice.id] });
    expect((await state(unpaid.memberId)).state).toBe('hearing');
    const letter = stack.messaging.delivered.get(`hearing-letter/${hearing.id}`);
    expect(letter?.attachments[0]?.contentType).toBe('application/pdf');
    // No fourth reminder while the hearing runs.
    expect(lettersOf(unpaidInvoice.id)).toHaveLength(3);

    // The deadline (2 s) passes; the caseworker decides on 10.4.
    const task = await taskOf(stack, unpaid.memberId, 'expulsion-decision');
    clock = '2001-04-10';
    expect((await decide(stack, task.id, 'caseworker', 'approve', 'Jäsenmaksut maksamatta muistutuksista ja kuulemisesta huolimatta.')).status).toBe(200);
    expect((await stack.ctx.temporal.workflow.getHandle(hearingId).result()).outcome).toBe('expelled');

    const [decision] = await stack.db.select().from(expulsionDecisions).where(eq(expulsionDecisions.memberId, unpaid.memberId));
    // Mailed on the decision day, deemed known on the 7th day, appealable for 30 days from then.
    expect(decision).toMatchObject({ mailedOn: '2001-04-10', notifiedOn: '2001-04-17', appealDeadline: '2001-05-17', effectiveDate: '2001-01-01' });
    expect(await periodsOf(stack, unpaid.memberId)).toEqual([expect.objectContaining({ startDate: '2000-01-01', endDate: '2000-12-31', endReason: 'expulsion' })]);
    expect((await overview(unpaid.memberId)).status).toBe('ended');
    expect(stack.caseManagement.documentsOf(unpaid.memberId).map((d) => d.kind)).toEqual(['hearing-letter', 'expulsion-decision']);
  });

  it('an appeal on the last day of the window is in time; the fund corrects its decision and the member is reinstated', async () => {
    const [decision] = await stack.db.select().from(expulsionDecisions).where(eq(expulsionDecisions.memberId, unpaid.memberId));
    clock = '2001-05-17';
    const appealed = await apiClient(stack).api(`/api/v1/members/${unpaid.memberId}/expulsion-decisions/${decision!.id}/appeals`, {
      method: 'POST',
      cookie: caseworker,
      body: JSON.stringify({ text: 'Maksoin osan ja sovin loput.' }),
    });
    expect(appealed.status, appealed.text).toBe(201);
    expect(appealed.body).toMatchObject({ receivedOn: '2001-05-17', late: false, status: 'received' });
    const reconsideration = await taskOf(stack, unpaid.memberId, 'expulsion-reconsideration');
    expect(reconsideration.title).toBe('expulsion-appeal');
    clock = '2001-05-20';
    expect((await decide(stack, reconsideration.id, 'supervisor', 'approve', 'Maksusuunnitelma hyväksytty; päätös oikaistaan.')).status).toBe(200);
    expect((await stack.ctx.temporal.workflow.getHandle(appealed.body.workflowId).result()).status).toBe('corrected');

    expect(await periodsOf(stack, unpaid.memberId)).toEqual([expect.objectContaining({ startDate: '2000-01-01', endDate: null, endReason: null })]);
    expect((await overview(unpaid.memberId)).status).toBe('active');
    const [after] = await stack.db.select().from(expulsionDecisions).where(eq(expulsionDecisions.id, decision!.id));
    expect(after?.reinstatedOn).toBe('2001-05-20');
    const [appeal] = await stack.db.select().from(appeals).where(eq(appeals.decisionId, decision!.id));
    expect(appeal?.status).toBe('corrected');
  });

  it('the year in sum: each letter once, the ledger, and the states', async () => {
    // Letters per level exactly once, then the case letters, in order.
    expect(lettersOf(unpaidInvoice.id)).toEqual([1, 2, 3].map((l) => `reminder/${unpaidInvoice.id}/${l}`));
    expect(stack.caseManagement.documentsOf(unpaid.memberId).map((d) => d.kind)).toEqual(['hearing-letter', 'expulsion-decision', 'corrected-decision']);
    const sent = await stack.db.select({ kind: messages.kind }).from(messages).where(and(eq(messages.memberId, unpaid.memberId), like(messages.kind, 'payment-reminder%')));
    expect(sent.map((m) => m.kind).sort()).toEqual(['payment-reminder', 'payment-reminder-final', 'payment-reminder-final']);
    // The ledger: the fee invoiced, the partial payment, reminder 2's fee; the payer's invoice paid.
    expect(await ledgerOf(unpaid.memberId)).toEqual([
      ['invoice', 9600],
      ['payment', -4000],
      ['reminder-fee', 500],
    ]);
    expect(await ledgerOf(payer.memberId)).toEqual([
      ['invoice', 9600],
      ['payment', -9600],
    ]);
    expect(await invoiceById(stack, unpaidInvoice.id)).toMatchObject({ status: 'partially-paid', openCents: 5600 });
    // The payer: one reminder, no hearing, no case letters, still a member.
    expect(lettersOf(payerInvoice.id)).toEqual([`reminder/${payerInvoice.id}/1`]);
    expect(stack.caseManagement.documentsOf(payer.memberId)).toEqual([]);
    expect(await stack.db.select().from(hearings).where(eq(hearings.memberId, payer.memberId))).toEqual([]);
    expect((await overview(payer.memberId)).status).toBe('active');
    // No task is left open for either member.
    const open = await stack.db.select().from(tasks).where(and(inArray(tasks.subjectId, [unpaid.memberId, payer.memberId]), eq(tasks.status, 'open')));
    expect(open).toEqual([]);
  });
});
