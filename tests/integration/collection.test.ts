import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollectionActivities } from '../../activities/collection';
import type { MessagingAdapter } from '../../integrations/adapters/messaging';
import { bookChunk } from '../../activities/paymentFile';
import { insertBankFileOnce } from '../../db/repositories/payments';
import { auditLog, collectionHearingStarts, collectionReminders, collectionRunItems, hearings, ledgerEntries, members, messages, persons } from '../../db/schema';
import { addDays } from '../../domain/dates';
import { invoiceDelivery } from '../../domain/billing/invoiceDelivery';
import { collectionStep, reminderChannel } from '../../domain/collection/rules';
import type { DeliveryPreference } from '../../domain/vocabulary';
import { readBankFile } from '../../integrations/transforms/bankFile';
import { collectionHearingWorkflowId } from '../../workflows/definitions/collectionHearing';
import { collectionRunQueue, collectionRunWorkflowId } from '../../workflows/definitions/collectionRun';
import { collectionRun } from '../../workflows/collectionRun';
import { apiClient, type ApiClient } from '../support/api';
import { newKey } from '../support/applications';
import { archiveId, camt054, invoiceById, newInvoice, newMember, postFile, waitFor, waitProcessed, type TestMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let eservices: string;
let bank: string;
let client: ApiClient;
let acts: ReturnType<typeof createCollectionActivities>;

beforeAll(async () => {
  // A reminder fee on the second level, so the ledger line is shown to follow the configuration.
  stack = await startStack({
    collection: {
      levels: [
        { waitDays: 14, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder', newDueDays: 14, feeCents: 0 },
        { waitDays: 30, from: 'due-date', channels: ['e-invoice', 'email', 'letter'], template: 'payment-reminder-final', newDueDays: 14, feeCents: 500 },
      ],
    },
  });
  [eservices, bank] = await Promise.all([stack.token('eservices'), stack.token('bank-gateway')]);
  client = apiClient(stack, { as: { token: eservices } });
  acts = createCollectionActivities(stack.activityDeps);
});
afterAll(async () => stack?.close());

/** The daily step for `today` as the schedule runs it (a workflow id of its own per call), and the delivery of what it issued. */
async function run(today: string, opts: { chunkSize?: number; workflowId?: string } = {}) {
  const result = await stack.ctx.temporal.workflow.execute(collectionRun, {
    taskQueue: stack.ctx.taskQueues[collectionRunQueue],
    workflowId: opts.workflowId ?? `${collectionRunWorkflowId(today)}/${newKey()}`,
    args: [{ today, ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}) }],
  });
  expect(result.deliveryWorkflowId).toMatch(new RegExp(`^collection-delivery/${today}/`));
  const delivery = await stack.ctx.temporal.workflow.getHandle(result.deliveryWorkflowId!).result();
  return { ...result, delivery };
}

/** The messaging service as the activities see it, counting every send per key; `failAfter` sends, the worker "dies" (a non-refusal error). */
function countingMessaging(failAfter = Infinity) {
  const sends: string[] = [];
  const messaging: MessagingAdapter = {
    async send(message) {
      if (sends.length >= failAfter) throw new Error('worker died mid-batch');
      sends.push(message.key);
      return stack.messaging.send(message);
    },
  };
  return { sends, messaging };
}

/** The reminder's status and the run item's outcome. */
async function itemOf(day: string, invoiceId: string) {
  const [item] = await stack.db.select().from(collectionRunItems).where(and(eq(collectionRunItems.runDate, day), eq(collectionRunItems.invoiceId, invoiceId)));
  return item;
}

async function remindersOf(invoiceId: string) {
  return stack.db.select().from(collectionReminders).where(eq(collectionReminders.invoiceId, invoiceId)).orderBy(collectionReminders.level);
}

/** Everything the messaging service was handed for the invoice's reminders. */
function delivered(invoiceId: string) {
  return [...stack.messaging.delivered.entries()].filter(([k]) => k.startsWith(`reminder/${invoiceId}/`)).map(([, m]) => m);
}

async function pay(invoice: { reference: string }, amountCents: number) {
  const xml = camt054([{ archiveId: archiveId('C'), amountCents, ref: invoice.reference, bookingDate: '2030-02-01' }], { iban: stack.profile.iban });
  const res = await postFile(client, xml, 'application/xml', { token: bank });
  expect(res.status, res.text).toBe(202);
  await waitProcessed(client, res.body.id, { token: bank });
}

const DUE = '2030-01-15';
// Level 1: due + 14 = 29.1. Level 2: due + 30 = 14.2, and after level 1's new due date. Hearing:
// level 2's new due date + 14.
const L1_DAY = '2030-02-01';
const L2_DAY = '2030-02-20';

describe('reminders never misfire', () => {
  it('sends level 1 then level 2 in order, once each, with the letter PDF and the fee as configured; then starts the hearing', async () => {
    const m = await newMember(stack, client, eservices);
    // A member who wants paper: the reminder is a letter with the bank transfer form.
    await stack.db.execute(sql`update persons set delivery_channel = 'letter' where id = (select person_id from members where id = ${m.memberId}::uuid)`);
    const inv = await newInvoice(stack, m, 2030, 9600, { dueDate: DUE });

    await run('2030-01-28');
    expect(await remindersOf(inv.id)).toEqual([]);

    await run(L1_DAY);
    // The same day again: nothing new.
    await run(L1_DAY);
    let sent = await remindersOf(inv.id);
    expect(sent.map((r) => [r.level, r.status, r.sentOn, r.newDueDate, r.openCents, r.channel])).toEqual([[1, 'sent', L1_DAY, '2030-02-15', 9600, 'letter']]);
    const [letter] = delivered(inv.id);
    expect(letter?.attachments?.[0]).toMatchObject({ contentType: 'application/pdf', filename: `maksumuistutus-${inv.invoiceNumber}-1.pdf` });
    expect(letter?.subject).toMatch(/^Maksumuistutus/);
    expect(letter?.body).toContain('96,00');

    // Before level 1's new due date has passed: no level 2, however late the due date + 30 is.
    await run('2030-02-15');
    expect(await remindersOf(inv.id)).toHaveLength(1);
    await run(L2_DAY);
    sent = await remindersOf(inv.id);
    expect(sent.map((r) => [r.level, r.feeCents])).toEqual([[1, 0], [2, 500]]);
    expect(delivered(inv.id)).toHaveLength(2);
    expect(delivered(inv.id)[1]?.body).toContain('101,00');
    const fees = await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.invoiceId, inv.id));
    expect(fees.filter((f) => f.kind === 'reminder-fee').map((f) => f.amountCents)).toEqual([500]);
    const recorded = await stack.db.select().from(messages).where(eq(messages.memberId, m.memberId));
    expect(recorded.filter((r) => r.kind.startsWith('payment-reminder')).map((r) => r.kind).sort()).toEqual(['payment-reminder', 'payment-reminder-final']);

    // Level 2 gave until 6.3.; the hearing 14 days after that, started once, by name.
    await run('2030-03-19');
    await expect(stack.ctx.temporal.workflow.getHandle(collectionHearingWorkflowId(m.memberId)).describe()).rejects.toThrow();
    await run('2030-03-20');
    // Started apart from the run, by `collection-hearing-starts/<date>` (decision 043), moments after.
    const hearing = await waitFor(
      () => stack.ctx.temporal.workflow.getHandle(collectionHearingWorkflowId(m.memberId)).describe().catch(() => null),
      (d) => d !== null,
    );
    expect(hearing!.type).toBe('collectionHearing');
    await run('2030-03-21');
    expect(await remindersOf(inv.id)).toHaveLength(2);
    // The hearing is another engineer's process; this test only shows that it was started.
    await stack.ctx.temporal.workflow.getHandle(collectionHearingWorkflowId(m.memberId)).terminate('collection test: only the start is under test');
  });

  it('never skips a level: an invoice first seen months late gets level 1', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2030, 9600, { dueDate: DUE });
    await run('2030-06-01');
    expect((await remindersOf(inv.id)).map((r) => r.level)).toEqual([1]);
  });

  it('a level issued and not yet sent holds the next one back: level 2 only after level 1 has gone out', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2031, 9600, { dueDate: '2031-03-01' });
    const issueOn = async (day: string) => {
      await acts.openCollectionRun({ runDate: day, workflowId: `held-back/${day}` });
      await acts.issueCollection({ runDate: day, chunkSize: 1000 });
      await acts.finishCollectionRun({ runDate: day });
    };
    await issueOn('2031-03-20');
    // Due + 30 and level 1's new due date have both passed, but level 1 has not been sent.
    await issueOn('2031-04-10');
    expect((await remindersOf(inv.id)).map((r) => [r.level, r.status])).toEqual([[1, 'issued']]);
    await acts.deliverIssuedReminders({ runDate: '2031-04-10' });
    await issueOn('2031-04-11');
    await acts.deliverIssuedReminders({ runDate: '2031-04-11' });
    expect((await remindersOf(inv.id)).map((r) => [r.level, r.status])).toEqual([[1, 'sent'], [2, 'sent']]);
  });

  it('a crash mid-delivery, a re-run of the day and two deliveries at once issue and send every level once', async () => {
    const members = await Promise.all([1, 2, 3, 4].map(() => newMember(stack, client, eservices)));
    const invs = await Promise.all(members.map((m) => newInvoice(stack, m, 2030, 9600, { dueDate: '2030-04-01' })));
    const ids = new Set(invs.map((i) => i.id));
    const day = '2030-04-20';
    // The first run issues the day, then its delivery "dies" after handing two messages over,
    // before its transaction commits: nothing of that batch is recorded as sent.
    await acts.openCollectionRun({ runDate: day, workflowId: 'crashed' });
    await acts.issueCollection({ runDate: day, chunkSize: 1 });
    for (const inv of invs) expect((await remindersOf(inv.id)).map((r) => [r.level, r.status])).toEqual([[1, 'issued']]);
    const crashing = countingMessaging(2);
    await expect(createCollectionActivities({ ...stack.activityDeps, messaging: crashing.messaging }).deliverIssuedReminders({ runDate: day })).rejects.toThrow('worker died');
    expect(crashing.sends.length).toBe(2);
    for (const inv of invs) expect((await remindersOf(inv.id))[0]?.status).toBe('issued');

    // Two deliveries at once (the retry and a re-run's): each reminder is settled once, under its invoice's lock.
    const [a, b] = [countingMessaging(), countingMessaging()];
    const both = await Promise.all([a, b].map((c) => createCollectionActivities({ ...stack.activityDeps, messaging: c.messaging }).deliverIssuedReminders({ runDate: day })));
    const mine = [...a.sends, ...b.sends].filter((k) => ids.has(k.split('/')[1]!));
    expect(mine.sort()).toEqual(invs.map((i) => `reminder/${i.id}/1`).sort());
    expect(both.reduce((n, r) => n + r.sent, 0)).toBeGreaterThanOrEqual(4);
    // The run is started again, and once more: nothing is issued or sent again.
    await run(day, { chunkSize: 1 });
    await run(day, { chunkSize: 1 });
    for (const inv of invs) {
      expect((await remindersOf(inv.id)).map((r) => [r.level, r.status])).toEqual([[1, 'sent']]);
      expect(delivered(inv.id)).toHaveLength(1);
      expect((await itemOf(day, inv.id))?.outcome).toBe('sent');
    }
    const messageRows = await stack.db.select().from(messages).where(inArray(messages.messageKey, invs.map((i) => `reminder/${i.id}/1`)));
    expect(messageRows).toHaveLength(4);
  });
});

describe('channels', () => {
  it('an e-invoice member gets the reminder as a Finvoice to the bank; a member with no address nor e-mail fails with a reason', async () => {
    const [einv, nowhere] = (await Promise.all([1, 2].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember];
    await stack.db.execute(sql`update persons set delivery_channel = 'e-invoice', e_invoice_address = 'FI4950009420028730', e_invoice_operator = 'OKOYFIHH', e_invoice_consent = true
      where id = (select person_id from members where id = ${einv.memberId}::uuid)`);
    await stack.db.execute(sql`update persons set delivery_channel = 'letter', email = null, street_address = null, postal_code = null, city = null
      where id = (select person_id from members where id = ${nowhere.memberId}::uuid)`);
    const invE = await newInvoice(stack, einv, 2030, 9600, { dueDate: '2030-07-01' });
    const invN = await newInvoice(stack, nowhere, 2030, 9600, { dueDate: '2030-07-01' });
    const day = '2030-07-20';
    await run(day);
    expect((await remindersOf(invE.id)).map((r) => [r.level, r.channel, r.status])).toEqual([[1, 'e-invoice', 'sent']]);
    const batch = [...stack.bank.batches.values()].find((b) => b.xml.includes(`rem-${invE.id}-1`));
    // A file of its own, keyed by the reminder: a retry sends the same file whatever else its batch holds then.
    expect(batch?.meta.batchKey).toBe(`collection-delivery/${(await remindersOf(invE.id))[0]!.messageKey}/finvoice`);
    expect(batch?.meta.invoiceCount).toBe(1);
    expect(batch?.xml).toContain(invE.reference);
    expect(delivered(invE.id)).toEqual([]);
    expect(await remindersOf(invN.id)).toEqual([]);
    const [item] = await stack.db.select().from(collectionRunItems).where(eq(collectionRunItems.invoiceId, invN.id));
    expect(item).toMatchObject({ outcome: 'failed', reason: 'no-delivery-channel' });
  });
});

describe('a reminder no message can be made of', () => {
  it('fails alone with its reason; the other reminders of its delivery go', async () => {
    const [big, fine] = (await Promise.all([1, 2].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember];
    const invB = await newInvoice(stack, big, 2030, 9600, { dueDate: '2030-08-01' });
    const invF = await newInvoice(stack, fine, 2030, 9600, { dueDate: '2030-08-01' });
    // An amount the virtual barcode cannot carry (€1,000,000 or more): the reminder's message throws.
    await stack.db.execute(sql`update invoices set amount_cents = 100000000, open_cents = 100000000 where id = ${invB.id}::uuid`);
    const day = '2030-08-20';
    try {
      await run(day);
      expect((await remindersOf(invB.id)).map((r) => [r.level, r.status])).toEqual([[1, 'failed']]);
      expect(await itemOf(day, invB.id)).toMatchObject({ outcome: 'failed', reason: 'message-unrenderable' });
      expect(delivered(invB.id)).toEqual([]);
      expect((await remindersOf(invF.id)).map((r) => [r.level, r.status])).toEqual([[1, 'sent']]);
      expect(delivered(invF.id)).toHaveLength(1);
    } finally {
      // Later days' runs (this file's and others') leave it alone.
      await stack.db.execute(sql`update invoices set status = 'paid', open_cents = 0 where id = ${invB.id}::uuid`);
    }
  });
});

describe('the issue statement and the pure rules agree', () => {
  it('on the channel (invoiceDelivery, reminderChannel) or its absence, the level, the new due date, the fee and the template version', async () => {
    type Facts = { delivery_channel: string; email: string | null; street_address: string | null; e_invoice_consent: boolean };
    const cases: Facts[] = [
      { delivery_channel: 'e-invoice', email: null, street_address: 'Katu 1', e_invoice_consent: true },
      { delivery_channel: 'e-invoice', email: 'a@example.org', street_address: 'Katu 1', e_invoice_consent: false },
      { delivery_channel: 'email', email: 'a@example.org', street_address: null, e_invoice_consent: false },
      { delivery_channel: 'email', email: '', street_address: 'Katu 1', e_invoice_consent: false },
      { delivery_channel: 'sms', email: null, street_address: 'Katu 1', e_invoice_consent: false },
      { delivery_channel: 'letter', email: 'a@example.org', street_address: 'Katu 1', e_invoice_consent: false },
      { delivery_channel: 'letter', email: 'a@example.org', street_address: '   ', e_invoice_consent: false },
      { delivery_channel: 'sms', email: null, street_address: null, e_invoice_consent: false },
    ];
    const day = '2030-10-20';
    const invs = [];
    for (const c of cases) {
      const m = await newMember(stack, client, eservices);
      await stack.db.execute(sql`update persons set delivery_channel = ${c.delivery_channel}, email = ${c.email}, street_address = ${c.street_address}, postal_code = '00100', city = 'Helsinki',
        e_invoice_address = 'FI4950009420028730', e_invoice_operator = 'OKOYFIHH', e_invoice_consent = ${c.e_invoice_consent} where id = (select person_id from members where id = ${m.memberId}::uuid)`);
      invs.push(await newInvoice(stack, m, 2030, 9600, { dueDate: '2030-10-01' }));
    }
    await acts.openCollectionRun({ runDate: day, workflowId: 'agree' });
    await acts.issueCollection({ runDate: day, chunkSize: 1000 });
    await acts.finishCollectionRun({ runDate: day });
    const level = stack.profile.collection.levels[0]!;
    for (const [i, c] of cases.entries()) {
      const inv = invs[i]!;
      const facts = { deliveryChannel: c.delivery_channel as DeliveryPreference, email: c.email, streetAddress: c.street_address, postalCode: '00100', city: 'Helsinki', eInvoiceAddress: 'FI4950009420028730', eInvoiceOperator: 'OKOYFIHH', eInvoiceConsent: c.e_invoice_consent };
      const chosen = invoiceDelivery(facts);
      const step = collectionStep(stack.profile.collection, { dueDate: '2030-10-01', openCents: 9600, reminders: [], onHold: false, hearingStarted: false }, day);
      const [r] = await remindersOf(inv.id);
      if ('exception' in chosen) {
        expect(r, JSON.stringify(c)).toBeUndefined();
        expect((await itemOf(day, inv.id))).toMatchObject({ outcome: 'failed', reason: 'no-delivery-channel' });
      } else {
        expect(step.kind).toBe('reminder');
        expect([r?.level, r?.channel, r?.newDueDate, r?.feeCents, r?.status], JSON.stringify(c)).toEqual([1, reminderChannel(level, chosen.channel), step.kind === 'reminder' ? step.newDueDate : null, level.feeCents, 'issued']);
      }
    }
    await acts.deliverIssuedReminders({ runDate: day });
    // What each letter was made of, recorded as it went (decision 061): the recipient as the person's row says, the template and its version.
    for (const [i, c] of cases.entries()) {
      const [r] = await remindersOf(invs[i]!.id);
      if (r) expect(r.letter, JSON.stringify(c)).toMatchObject({ template: level.template, templateVersion: 'shipped', streetAddress: c.street_address, postalCode: '00100', city: 'Helsinki', language: 'fi' });
    }
  });
});

describe('never after payment', () => {
  it('a payment booked before the run: no reminder; one landing between issuing and sending: withdrawn, nothing sent', async () => {
    const [early, between, partial] = (await Promise.all([1, 2, 3].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember, TestMember];
    const due = '2030-05-01';
    const day = '2030-05-20';
    const invEarly = await newInvoice(stack, early, 2030, 9600, { dueDate: due });
    const invBetween = await newInvoice(stack, between, 2030, 9600, { dueDate: due });
    const invPartial = await newInvoice(stack, partial, 2030, 9600, { dueDate: due });
    await pay(invEarly, 9600);

    await acts.openCollectionRun({ runDate: day, workflowId: 'between' });
    await acts.issueCollection({ runDate: day, chunkSize: 1000 });
    // Issued: the reminder rows are the day's record, without their letter; no run item until the delivery settles them (decision 061).
    for (const inv of [invBetween, invPartial]) expect((await remindersOf(inv.id)).map((r) => [r.level, r.status, r.runDate, r.letter])).toEqual([[1, 'issued', day, null]]);
    expect(await stack.db.select().from(collectionRunItems).where(inArray(collectionRunItems.invoiceId, [invEarly.id, invBetween.id, invPartial.id]))).toEqual([]);
    // Issued; now the payment lands, and a partial one for the third member.
    await pay(invBetween, 9600);
    await pay(invPartial, 5000);
    const finished = await acts.finishCollectionRun({ runDate: day });
    // The day's outcome counts them issued, from the reminders.
    expect(finished.issued).toBeGreaterThanOrEqual(2);
    expect(finished.staged).toBeGreaterThanOrEqual(2);
    const result = await acts.deliverIssuedReminders({ runDate: day });
    expect(result.withdrawn).toBeGreaterThanOrEqual(1);

    expect(await remindersOf(invEarly.id)).toEqual([]);
    // Withdrawn at the moment of sending: nothing went, no message, no fee, no event; the level is free again.
    expect((await remindersOf(invBetween.id)).map((r) => [r.level, r.status, r.failureReason, r.sentAt])).toEqual([[1, 'withdrawn', 'paid', null]]);
    expect(delivered(invBetween.id)).toEqual([]);
    expect(await stack.db.select().from(messages).where(eq(messages.messageKey, `reminder/${invBetween.id}/1`))).toEqual([]);
    expect((await itemOf(day, invBetween.id))).toMatchObject({ outcome: 'withdrawn', reason: 'paid' });
    const [stored] = await stack.db.execute<{ outcome: { withdrawn?: number } }>(sql`select outcome from collection_runs where run_date = ${day}::date`);
    expect(stored?.outcome.withdrawn).toBeGreaterThanOrEqual(1);
    // Partial payment: collection goes on for the rest, the letter rendered again for what is open at the send.
    expect((await remindersOf(invPartial.id)).map((r) => [r.level, r.status, r.openCents])).toEqual([[1, 'sent', 4600]]);
    expect(delivered(invPartial.id)[0]?.body).toContain('46,00');
    expect((await invoiceById(stack, invPartial.id)).status).toBe('partially-paid');
  });

  it('a payment booked after the delivery rendered its letters ahead, before it locks: withdrawn if paid, a letter for what is left if partly', async () => {
    const [full, part] = (await Promise.all([1, 2].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember];
    for (const m of [full, part]) await stack.db.execute(sql`update persons set delivery_channel = 'letter' where id = (select person_id from members where id = ${m.memberId}::uuid)`);
    const day = '2030-08-20';
    const invFull = await newInvoice(stack, full, 2030, 9600, { dueDate: '2030-08-01' });
    const invPart = await newInvoice(stack, part, 2030, 9600, { dueDate: '2030-08-01' });
    await acts.openCollectionRun({ runDate: day, workflowId: 'ahead' });
    await acts.issueCollection({ runDate: day, chunkSize: 1000 });
    await acts.finishCollectionRun({ runDate: day });

    // A payment file being booked: its transaction holds both invoices while the delivery renders
    // ahead (which takes no lock), and books the payments once the delivery waits for the locks.
    const xml = camt054(
      [
        { archiveId: archiveId('AH'), amountCents: 9600, ref: invFull.reference, bookingDate: day },
        { archiveId: archiveId('AH'), amountCents: 5000, ref: invPart.reference, bookingDate: day },
      ],
      { iban: stack.profile.iban },
    );
    let holding!: () => void;
    let release!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const released = new Promise<void>((r) => (release = r));
    let holder = 0;
    const booking = stack.db.transaction(async (tx) => {
      await tx.execute(sql`select id from invoices where id in (${invFull.id}::uuid, ${invPart.id}::uuid) order by id for update`);
      holder = (await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`))[0]!.pid;
      holding();
      await released;
      const sha256 = createHash('sha256').update(xml).digest('hex');
      const { row } = await insertBankFileOnce(tx, { format: 'camt054', sha256, filename: 'ahead.xml', content: xml, receivedBy: 'test', entryCount: 2, totalCents: 14600, workflowId: `payment-file/${sha256}` });
      await bookChunk(tx, row.id, readBankFile('camt054', xml).entries);
    });
    await held;
    const working = acts.deliverIssuedReminders({ runDate: day });
    // The delivery waits for the booking's locks: it has read and rendered ahead by then.
    await waitFor(
      async () => (await stack.db.execute<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity where ${holder}::int = any(pg_blocking_pids(pid))`))[0]!.n,
      (n) => n > 0,
    );
    release();
    await booking;
    const result = await working;

    // The paid one: withdrawn, nothing sent. The partly paid one: its letter rendered again for what is open now.
    expect((await remindersOf(invFull.id)).map((r) => r.status)).toEqual(['withdrawn']);
    expect(delivered(invFull.id)).toEqual([]);
    expect((await itemOf(day, invFull.id))?.outcome).toBe('withdrawn');
    expect((await remindersOf(invPart.id)).map((r) => [r.level, r.openCents])).toEqual([[1, 4600]]);
    const [letter] = delivered(invPart.id);
    expect(letter?.body).toContain('46,00');
    expect(letter?.body).not.toContain('96,00');
    expect(letter?.attachments?.[0]).toMatchObject({ contentType: 'application/pdf' });
    expect(result.ms.rerendered).toBeGreaterThanOrEqual(1);
  });

  it('a hold set between issuing and sending withdraws the reminder; after the resume the next run issues the same level again, under a key of its own', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2030, 9600, { dueDate: '2030-09-01' });
    const day = '2030-09-20';
    await acts.openCollectionRun({ runDate: day, workflowId: 'held' });
    await acts.issueCollection({ runDate: day, chunkSize: 1000 });
    await acts.finishCollectionRun({ runDate: day });
    const hold = await stack.db.execute<{ id: string }>(sql`insert into collection_holds (member_id, reason, until, set_by) values (${m.memberId}::uuid, 'payment-plan', '2099-01-01', 'test') returning id`);
    await acts.deliverIssuedReminders({ runDate: day });
    expect((await remindersOf(inv.id)).map((r) => [r.level, r.status, r.failureReason])).toEqual([[1, 'withdrawn', 'on-hold']]);
    expect(delivered(inv.id)).toEqual([]);
    // The desk shows it withdrawn, and why.
    const caseworker = await stack.login('caseworker');
    const state = await client.api(`/api/v1/members/${m.memberId}/collection`, { cookie: caseworker });
    expect(state.body.reminders).toEqual([expect.objectContaining({ level: 1, status: 'withdrawn', withdrawnBecause: 'on-hold' })]);
    await stack.db.execute(sql`update collection_holds set resumed_at = now(), resumed_by = 'test' where id = ${hold[0]!.id}::uuid`);
    const next = addDays(day, 1);
    await run(next);
    expect((await remindersOf(inv.id)).map((r) => [r.level, r.status, r.messageKey])).toEqual([[1, 'sent', `reminder/${inv.id}/1/retry-${next}`]]);
    expect(delivered(inv.id)).toHaveLength(1);
  });

  it('a reminder goes to the address the member has at its send, and its letter records it (decision 061)', async () => {
    const m = await newMember(stack, client, eservices);
    await stack.db.execute(sql`update persons set delivery_channel = 'letter', street_address = 'Vanha katu 1', postal_code = '00100', city = 'Helsinki' where id = (select person_id from members where id = ${m.memberId}::uuid)`);
    const inv = await newInvoice(stack, m, 2030, 9600, { dueDate: '2030-11-01' });
    const day = '2030-11-20';
    await acts.openCollectionRun({ runDate: day, workflowId: 'moved' });
    await acts.issueCollection({ runDate: day, chunkSize: 1000 });
    await acts.finishCollectionRun({ runDate: day });
    expect((await remindersOf(inv.id)).map((r) => [r.status, r.channel, r.letter])).toEqual([['issued', 'letter', null]]);
    // The member moves between the issue and the send.
    await stack.db.execute(sql`update persons set street_address = 'Uusi katu 2', postal_code = '00200' where id = (select person_id from members where id = ${m.memberId}::uuid)`);
    await acts.deliverIssuedReminders({ runDate: day });
    const [r] = await remindersOf(inv.id);
    expect([r?.status, r?.letter?.streetAddress, r?.letter?.postalCode, r?.letter?.template]).toEqual(['sent', 'Uusi katu 2', '00200', stack.profile.collection.levels[0]!.template]);
    expect(delivered(inv.id).map((d) => d.recipient)).toEqual([expect.objectContaining({ address: expect.objectContaining({ street: 'Uusi katu 2', postalCode: '00200' }) })]);
    expect(await itemOf(day, inv.id)).toMatchObject({ outcome: 'sent', level: 1, memberId: m.memberId });
  });

  it('a payment after reminder 1 stops the member’s collection: nothing more', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2030, 9600, { dueDate: DUE });
    await run(L1_DAY);
    expect(await remindersOf(inv.id)).toHaveLength(1);
    await pay(inv, 9600);
    await run(L2_DAY);
    await run('2030-04-01');
    expect(await remindersOf(inv.id)).toHaveLength(1);
    expect(delivered(inv.id)).toHaveLength(1);
  });
});

describe('hold and resume', () => {
  it('a hold stops reminders until resumed; the member’s collection shows state, reminders and holds; each change is audited', async () => {
    const caseworker = await stack.login('caseworker');
    const m = await newMember(stack, client, eservices);

    // The hold's dates are checked against the register's today.
    const today = stack.ctx.today();
    const past = await client.api(`/api/v1/members/${m.memberId}/collection/hold`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'payment-plan', until: '2000-01-01' }) });
    expect(past.status).toBe(400);
    expect(past.body.code).toBe('hold_until_past');
    const tooLong = await client.api(`/api/v1/members/${m.memberId}/collection/hold`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'payment-plan', until: '2099-01-01' }) });
    expect(tooLong.body.code).toBe('hold_too_long');
    const notOnHold = await client.api(`/api/v1/members/${m.memberId}/collection/resume`, { method: 'POST', cookie: caseworker });
    expect(notOnHold.status).toBe(409);
    expect(notOnHold.body.code).toBe('collection_not_on_hold');

    const held = await client.api(`/api/v1/members/${m.memberId}/collection/hold`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'dispute', until: today }) });
    expect(held.status, held.text).toBe(200);
    expect(held.body).toMatchObject({ reason: 'dispute', until: today, active: true, setBy: expect.any(String) });

    // An invoice 20 days overdue today: level 1 is due, but the hold is in force.
    const inv = await newInvoice(stack, m, 2029, 9600, { dueDate: addDays(today, -20) });
    const heldDay = today;
    await run(heldDay);
    const [item] = await stack.db.select().from(collectionRunItems).where(eq(collectionRunItems.invoiceId, inv.id));
    expect(item?.outcome).toBe('on-hold');
    let state = await client.api(`/api/v1/members/${m.memberId}/collection`, { cookie: caseworker });
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({ state: 'on-hold', level: 0, hold: { reason: 'dispute' } });

    const resumed = await client.api(`/api/v1/members/${m.memberId}/collection/resume`, { method: 'POST', cookie: caseworker });
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body).toMatchObject({ active: false, resumedBy: expect.any(String) });
    // The next day's run sends level 1.
    await run(addDays(heldDay, 1));
    state = await client.api(`/api/v1/members/${m.memberId}/collection`, { cookie: caseworker });
    expect(state.body).toMatchObject({ state: 'reminded', level: 1, hold: null });
    expect(state.body.reminders.map((r: { level: number }) => r.level)).toEqual([1]);
    expect(state.body.holds).toHaveLength(1);

    const audit = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, m.memberId));
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['collection.hold-set', 'collection.resumed', 'member.collection-read']));

    const overview = await client.api('/api/v1/collection?bucket=level-1&limit=200', { cookie: caseworker });
    expect(overview.status, overview.text).toBe(200);
    expect(overview.body.members.map((x: { memberId: string }) => x.memberId)).toContain(m.memberId);
    expect(overview.body.runs[0]).toMatchObject({ status: 'done' });
  });

  it('the e-service reads and holds its own member’s collection, for self-service reasons only, and no other member’s', async () => {
    const m = await newMember(stack, client, eservices);
    const other = await newMember(stack, client, eservices);
    const identityCodeOf = async (memberId: string) =>
      (await stack.db.select({ code: persons.identityCode }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.id, memberId)))[0]!.code;
    const as = { 'subject-identity-code': await identityCodeOf(m.memberId) };
    const today = stack.ctx.today();
    const path = `/api/v1/members/${m.memberId}/collection`;

    const read = await client.api(path, { token: eservices, headers: as });
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ memberId: m.memberId, state: 'clear', hold: null });
    // Naming no member, or another member than the one in the path: refused, nothing read.
    expect((await client.api(path, { token: eservices })).body.code).toBe('subject_required');
    const mismatch = await client.api(`/api/v1/members/${other.memberId}/collection`, { token: eservices, headers: as });
    expect([mismatch.status, mismatch.body.code]).toEqual([403, 'subject_mismatch']);
    // A client without the scope: refused whatever it names.
    const ekj = await stack.token('ekj');
    expect((await client.api(path, { token: ekj, headers: as })).status).toBe(403);

    // The member proposes a payment plan; a benefit-deduction agreement is the fund's to record.
    const hold = (reason: string) => client.api(`${path}/hold`, { method: 'POST', token: eservices, headers: as, body: JSON.stringify({ reason, until: today }) });
    const refused = await hold('benefit-deduction');
    expect([refused.status, refused.body.code]).toEqual([400, 'hold_reason_not_self_service']);
    const held = await hold('payment-plan');
    expect(held.status, held.text).toBe(200);
    expect(held.body).toMatchObject({ reason: 'payment-plan', active: true, setBy: 'eservices' });
    expect((await client.api(path, { token: eservices, headers: as })).body).toMatchObject({ hold: { reason: 'payment-plan', active: true } });
    const resumed = await client.api(`${path}/resume`, { method: 'POST', token: eservices, headers: as });
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body).toMatchObject({ active: false, resumedBy: 'eservices' });

    // Every read and change is audited with the e-service as the actor; the refused reads are not reads.
    const audit = await stack.db.select().from(auditLog).where(eq(auditLog.entityId, m.memberId));
    const byService = audit.filter((a) => a.actor === 'eservices').map((a) => a.action);
    expect(byService.filter((a) => a === 'member.collection-read')).toHaveLength(2);
    expect(byService).toEqual(expect.arrayContaining(['collection.hold-set', 'collection.resumed']));
    expect((await stack.db.select().from(auditLog).where(eq(auditLog.entityId, other.memberId))).some((a) => a.action === 'member.collection-read')).toBe(false);
  });
});

describe('the collection page’s groups (decision 070)', () => {
  it('a hearing’s status sorts its member: open and starting in hearing, awaiting decision, expelled apart, not expelled back at the level; a group is read a page at a time with its total', async () => {
    const caseworker = await stack.login('caseworker');
    const today = stack.ctx.today();
    // Open sums far above any other test's, so these members head their groups' first pages.
    const kinds = ['open', 'awaiting-decision', 'expelled', 'not-expelled', 'starting'] as const;
    const made = await Promise.all(
      kinds.map(async (kind, i) => {
        const m = await newMember(stack, client, eservices);
        const inv = await newInvoice(stack, m, 2027, 90_000_000 + i * 1000, { dueDate: addDays(today, -120) });
        const startedOn = addDays(today, -40);
        await stack.db.insert(collectionReminders).values({
          invoiceId: inv.id, memberId: m.memberId, level: 2, runDate: addDays(today, -60), sentOn: addDays(today, -60), newDueDate: addDays(today, -46),
          openCents: inv.openCents, channel: 'letter', messageKey: `reminder/${inv.id}/2`, status: 'sent',
        });
        await stack.db.insert(collectionHearingStarts).values({ invoiceId: inv.id, memberId: m.memberId, workflowId: collectionHearingWorkflowId(m.memberId), startedOn, overdueCents: inv.openCents, startedAt: new Date() });
        if (kind !== 'starting') {
          await stack.db.insert(hearings).values({ memberId: m.memberId, workflowId: collectionHearingWorkflowId(m.memberId), invoiceIds: [inv.id], overdueCents: inv.openCents, startedOn, deadline: addDays(startedOn, 21), status: kind });
        }
        return { kind, memberId: m.memberId };
      }),
    );
    const groupOf = async (bucket: string) => {
      const res = await client.api(`/api/v1/collection?bucket=${bucket}&limit=200`, { cookie: caseworker });
      expect(res.status, res.text).toBe(200);
      return res.body.members.map((x: { memberId: string }) => x.memberId) as string[];
    };
    const id = (kind: (typeof kinds)[number]) => made.find((x) => x.kind === kind)!.memberId;
    const [hearing, awaiting, expelled, level2] = await Promise.all(['hearing', 'awaiting-decision', 'expelled', 'level-2'].map(groupOf));
    expect(hearing).toEqual(expect.arrayContaining([id('open'), id('starting')]));
    expect(hearing).not.toContain(id('awaiting-decision'));
    expect(hearing).not.toContain(id('expelled'));
    expect(hearing).not.toContain(id('not-expelled'));
    expect(awaiting).toContain(id('awaiting-decision'));
    expect(awaiting).not.toContain(id('open'));
    expect(expelled).toContain(id('expelled'));
    expect(expelled).not.toContain(id('not-expelled'));
    expect(level2).toContain(id('not-expelled'));
    expect(level2).not.toContain(id('expelled'));

    // The overview counts each member once, in their group.
    const all = await client.api('/api/v1/collection', { cookie: caseworker });
    const bucketNames = all.body.buckets.map((b: { bucket: string }) => b.bucket);
    expect(bucketNames).toEqual(expect.arrayContaining(['hearing', 'awaiting-decision', 'expelled', 'level-2']));
    expect(all.body).toMatchObject({ members: [], membersTotal: 0 });

    // Paging: the in-hearing group a member at a time, the larger sum first, the total on every page.
    const first = await client.api('/api/v1/collection?bucket=hearing&limit=1', { cookie: caseworker });
    const second = await client.api('/api/v1/collection?bucket=hearing&limit=1&offset=1', { cookie: caseworker });
    expect(first.body.members.map((x: { memberId: string }) => x.memberId)).toEqual([id('starting')]);
    expect(second.body.members.map((x: { memberId: string }) => x.memberId)).toEqual([id('open')]);
    expect(first.body).toMatchObject({ offset: 0, limit: 1 });
    expect(second.body).toMatchObject({ offset: 1, limit: 1, membersTotal: first.body.membersTotal });
    expect(first.body.membersTotal).toBeGreaterThanOrEqual(2);
    expect(first.body.membersTotal).toBe(all.body.buckets.find((b: { bucket: string }) => b.bucket === 'hearing').members);
    // Past the end: no members, the total still told.
    const past = await client.api(`/api/v1/collection?bucket=hearing&limit=1&offset=${first.body.membersTotal}`, { cookie: caseworker });
    expect(past.body).toMatchObject({ members: [], membersTotal: first.body.membersTotal });
    const bad = await client.api('/api/v1/collection?bucket=paid&limit=500', { cookie: caseworker });
    expect(bad.status).toBe(400);
  });
});
