import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hearings, membershipPeriods } from '../../db/schema';
import { collectionHearingQueue, collectionHearingWorkflowId } from '../../workflows/definitions/collectionHearing';
import type { collectionHearing } from '../../workflows/collectionHearing';
import { apiClient, type ApiClient } from '../support/api';
import { taskOf } from '../support/hearings';
import { archiveId, camt054, newInvoice, newMember, postFile, waitProcessed, type TestMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

/**
 * Records one finished history of each hearing and appeal path for replay.test.ts (four eyes on,
 * so the confirmation task is in the history too). Like the other recorders it runs only on
 * purpose (RECORD_HISTORIES=1).
 */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');

let stack: Stack;
let eservices: string;
let bank: string;
let client: ApiClient;

beforeAll(async () => {
  if (!recording) return;
  stack = await startStack({ expulsion: { hearingDeadline: '2s', fourEyes: true } });
  [eservices, bank] = await Promise.all([stack.token('eservices'), stack.token('bank-gateway')]);
  client = apiClient(stack, { as: { token: eservices } });
  mkdirSync(historiesDir, { recursive: true });
});
afterAll(async () => stack?.close());

async function record(name: string, workflowId: string) {
  const handle = stack.ctx.temporal.workflow.getHandle(workflowId);
  await handle.result();
  writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
}

async function unpaid() {
  const member = await newMember(stack, client, eservices);
  await stack.db.update(membershipPeriods).set({ startDate: '2025-01-01' }).where(eq(membershipPeriods.memberId, member.memberId));
  const invoice = await newInvoice(stack, member, 2026, 9600, { issuedOn: '2025-12-10', dueDate: '2026-01-31' });
  return { member, invoice };
}

async function start(member: TestMember, invoice: { id: string; amountCents: number }) {
  await stack.ctx.temporal.workflow.start<typeof collectionHearing>('collectionHearing', {
    taskQueue: stack.ctx.taskQueues[collectionHearingQueue],
    workflowId: collectionHearingWorkflowId(member.memberId),
    args: [{ memberId: member.memberId, invoiceIds: [invoice.id], overdueCents: invoice.amountCents, startedOn: stack.ctx.today() }],
  });
  return collectionHearingWorkflowId(member.memberId);
}

async function decide(taskId: string, user: string, decision: 'approve' | 'reject', reason: string) {
  const res = await client.api(`/api/v1/tasks/${taskId}/decision`, { method: 'POST', cookie: await stack.login(user), body: JSON.stringify({ decision, reason }) });
  expect(res.status, res.text).toBe(200);
}

async function expel(member: TestMember) {
  await decide((await taskOf(stack, member.memberId, 'expulsion-decision')).id, 'caseworker', 'approve', 'Maksamatta.');
  await decide((await taskOf(stack, member.memberId, 'expulsion-confirmation')).id, 'supervisor', 'approve', 'Vahvistan.');
  const view = await client.api(`/api/v1/members/${member.memberId}/hearings`, { cookie: await stack.login('caseworker') });
  return view.body.items[0].decision.id as string;
}

async function appeal(member: TestMember, decisionId: string) {
  const res = await client.api(`/api/v1/members/${member.memberId}/expulsion-decisions/${decisionId}/appeals`, { method: 'POST', cookie: await stack.login('caseworker'), body: JSON.stringify({ text: 'Valitan.' }) });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; workflowId: string };
}

describe('record hearing and appeal histories', () => {
  it.runIf(recording)('a hearing ended by payments (partial, then the rest), and the payment file that told it', async () => {
    const { member, invoice } = await unpaid();
    const workflowId = await start(member, invoice);
    await vi.waitFor(async () => {
      const [h] = await stack.db.select().from(hearings).where(eq(hearings.memberId, member.memberId));
      if (!h?.letterDocumentId) throw new Error('no letter yet');
    });
    let file: { id: string; workflowId: string } | null = null;
    for (const cents of [4000, 5600]) {
      const res = await postFile(client, camt054([{ archiveId: archiveId('R'), amountCents: cents, ref: invoice.reference }], { iban: stack.profile.iban }), 'application/xml', { token: bank });
      await waitProcessed(client, res.body.id, { token: bank });
      file = res.body;
    }
    await record('collection-hearing-paid', workflowId);
    await record('payment-file-tells-hearings', file!.workflowId);
  });

  it.runIf(recording)('a hearing that ends without an expulsion', async () => {
    const { member, invoice } = await unpaid();
    const workflowId = await start(member, invoice);
    await decide((await taskOf(stack, member.memberId, 'expulsion-decision')).id, 'caseworker', 'reject', 'Maksusuunnitelma.');
    await record('collection-hearing-not-expelled', workflowId);
  });

  it.runIf(recording)('a hearing paused at its deadline by a hold, resumed, then not expelled', async () => {
    const { member, invoice } = await unpaid();
    const caseworker = await stack.login('caseworker');
    const until = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const held = await client.api(`/api/v1/members/${member.memberId}/collection/hold`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'dispute', until }) });
    expect(held.status, held.text).toBe(200);
    const workflowId = await start(member, invoice);
    await new Promise((r) => setTimeout(r, 4000));
    const resumed = await client.api(`/api/v1/members/${member.memberId}/collection/resume`, { method: 'POST', cookie: caseworker });
    expect(resumed.status, resumed.text).toBe(200);
    await decide((await taskOf(stack, member.memberId, 'expulsion-decision')).id, 'caseworker', 'reject', 'Riita ratkaistu.');
    await record('collection-hearing-held-then-resumed', workflowId);
  });

  it.runIf(recording)('an expulsion under four eyes; the appeal corrected by the fund', async () => {
    const { member, invoice } = await unpaid();
    const workflowId = await start(member, invoice);
    const decisionId = await expel(member);
    await record('collection-hearing-expelled-four-eyes', workflowId);
    const a = await appeal(member, decisionId);
    await decide((await taskOf(stack, member.memberId, 'expulsion-reconsideration')).id, 'caseworker', 'approve', 'Oikaistaan.');
    await record('expulsion-appeal-corrected', a.workflowId);
  });

  it.runIf(recording)('an appeal forwarded to SAMU, which overturns', async () => {
    const { member, invoice } = await unpaid();
    await start(member, invoice);
    const decisionId = await expel(member);
    const a = await appeal(member, decisionId);
    await decide((await taskOf(stack, member.memberId, 'expulsion-reconsideration')).id, 'caseworker', 'reject', 'Lausunto: päätös pysyy.');
    const ruling = await vi.waitFor(async () => {
      const res = await client.api(`/api/v1/members/${member.memberId}/appeals/${a.id}/samu-ruling`, { method: 'POST', cookie: await stack.login('caseworker'), body: JSON.stringify({ outcome: 'overturned', ruledOn: stack.ctx.today() }) });
      if (res.status !== 200) throw new Error(res.text);
      return res;
    });
    expect(ruling.body.status).toBe('overturned');
    await record('expulsion-appeal-samu-overturned', a.workflowId);
  });
});
