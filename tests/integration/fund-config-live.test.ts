/**
 * Fund configuration reaches the running worker (docs/decisions/021-fund-configuration.md point 8):
 * a setting saved through the API applies to the next activity call of the worker that was already
 * running, without a restart. Runs as KOKO, like fund-config.test.ts, and removes its overrides.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionReminders, fundConfigOverrides, hearings, ledgerEntries, members, messages, persons } from '../../db/schema';
import { queueMemberMessage } from '../../activities/messages';
import { shippedDeliveryRules } from '../../domain/messageDelivery';
import { addDays } from '../../domain/dates';
import { hearingDeadlineDate } from '../../domain/expulsion/dates';
import { getFundProfile, parseDuration } from '../../domain/fundProfile';
import { collectionHearingWorkflowId } from '../../workflows/definitions/collectionHearing';
import { collectionRunQueue, collectionRunWorkflowId } from '../../workflows/definitions/collectionRun';
import { collectionRun } from '../../workflows/collectionRun';
import { apiClient, type ApiClient } from '../support/api';
import { newKey } from '../support/applications';
import { newInvoice, newMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ApiClient;
let admin: string;
let eservices: string;

const shipped = getFundProfile('koko');
const clean = () => stack.db.delete(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, 'koko'));
const put = (key: string, body: unknown) => client.api(`/api/v1/fund-config/${key}`, { method: 'PUT', cookie: admin, body: JSON.stringify(body) });

beforeAll(async () => {
  stack = await startStack({ fund: 'koko' });
  client = apiClient(stack);
  await clean();
  await stack.ctx.config.reload();
  [admin, eservices] = await Promise.all([stack.login('admin'), stack.token('eservices')]);
});

afterAll(async () => {
  if (stack) {
    await clean();
    await stack.ctx.config.reload();
  }
  await stack?.close();
});

/** The collection daily step for `runDate`, on the running stack's worker (a workflow id of its own per call), and the delivery of what it issued (decision 052). */
async function run(runDate: string) {
  const result = await stack.ctx.temporal.workflow.execute(collectionRun, {
    taskQueue: stack.ctx.taskQueues[collectionRunQueue],
    workflowId: `${collectionRunWorkflowId(runDate)}/${newKey()}`,
    args: [{ today: runDate }],
  });
  if (result.deliveryWorkflowId) await stack.ctx.temporal.workflow.getHandle(result.deliveryWorkflowId).result();
  return result;
}

const remindersOf = (invoiceId: string) => stack.db.select().from(collectionReminders).where(eq(collectionReminders.invoiceId, invoiceId)).orderBy(collectionReminders.level);

async function hearingOf(memberId: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await stack.db.select().from(hearings).where(eq(hearings.memberId, memberId));
    if (row) return row;
    if (Date.now() > until) throw new Error(`no hearing for ${memberId}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a saved setting reaches the running worker without a restart', () => {
  it("collection's wait days and reminder fee, and the expulsion hearing's deadline", async () => {
    const today = stack.ctx.today();
    const m = await newMember(stack, apiClient(stack, { as: { token: eservices } }), eservices);
    // Far in the future, so no other file's dates meet these.
    const due = '2041-03-10';
    const inv = await newInvoice(stack, m, 2041, 7700, { dueDate: due });

    // The shipped rules: the first reminder 14 days after the due date, so nothing on day 5.
    expect(shipped.collection.levels[0]!.waitDays).toBe(14);
    await run(addDays(due, 5));
    expect(await remindersOf(inv.id)).toEqual([]);

    // Saved through the API while the worker runs: one reminder 5 days after the due date with a
    // 2,50 € fee and 7 days to pay, the hearing 2 days after that; the hearing's deadline 9 days.
    const collection = {
      ...shipped.collection,
      levels: [{ ...shipped.collection.levels[0]!, waitDays: 5, newDueDays: 7, feeCents: 250 }],
      hearingAfterDays: 2,
    };
    const saved = await put('collection', { value: collection, effectiveFrom: today, reason: 'live config test' });
    expect(saved.status, saved.text).toBe(200);
    const expulsion = { ...shipped.expulsion, hearingDeadline: '9d' };
    const savedExpulsion = await put('expulsion', { value: expulsion, effectiveFrom: today, reason: 'live config test' });
    expect(savedExpulsion.status, savedExpulsion.text).toBe(200);

    // The same day again, same worker: the new wait and fee apply.
    await run(addDays(due, 5));
    const sent = await remindersOf(inv.id);
    expect(sent.map((r) => [r.level, r.status, r.feeCents, r.newDueDate])).toEqual([[1, 'sent', 250, addDays(due, 12)]]);
    const fees = await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.invoiceId, inv.id));
    expect(fees.filter((f) => f.kind === 'reminder-fee').map((f) => f.amountCents)).toEqual([250]);

    // The hearing after the one level (new due date + 2 days), opened with the saved deadline.
    const hearingDay = addDays(due, 14);
    await run(hearingDay);
    const hearing = await hearingOf(m.memberId);
    expect(hearing.startedOn).toBe(hearingDay);
    expect(hearing.deadline).toBe(hearingDeadlineDate(hearingDay, parseDuration('9d')));
    expect(hearing.deadline).not.toBe(hearingDeadlineDate(hearingDay, parseDuration(shipped.expulsion.hearingDeadline)));
    // The hearing itself is another test's subject.
    await stack.ctx.temporal.workflow.getHandle(collectionHearingWorkflowId(m.memberId)).terminate('fund-config-live test: only the deadline is under test');
  });

  it("delivery rules: a new member's preference, and a member's messages by it", async () => {
    const as = apiClient(stack, { as: { token: eservices } });
    const personOf = async (memberId: string) => (await stack.db.select({ person: persons }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.id, memberId)))[0]!.person;
    // KOKO ships paper as the default: letters, although the application gave an e-mail address.
    const paper = await newMember(stack, as, eservices);
    const first = await personOf(paper.memberId);
    expect(first.email).not.toBeNull();
    expect(first.deliveryChannel).toBe('letter');
    // A member's message goes the way they prefer, only that contact handed to the messaging service.
    const key = `delivery-rules-test/${newKey()}`;
    await queueMemberMessage(stack.db, stack.ctx.profile, paper.memberId, 'age-limit-notice', key, { endDate: '1.1.2060' });
    const [queued] = await stack.db.select().from(messages).where(eq(messages.messageKey, key));
    expect(queued!.recipient).toEqual({ name: `${first.firstNames} ${first.lastName}`, address: { street: first.streetAddress, postalCode: first.postalCode, city: first.city } });

    const saved = await put('deliveryRules', { value: { ...shippedDeliveryRules, newMemberPreference: 'email-if-given' }, effectiveFrom: stack.ctx.today(), reason: 'e-mail by default' });
    expect(saved.status, saved.text).toBe(200);
    const byEmail = await newMember(stack, as, eservices);
    expect((await personOf(byEmail.memberId)).deliveryChannel).toBe('email');
  });
});
