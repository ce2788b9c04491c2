import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { bankEntries, tasks } from '../../db/schema';
import { createReferenceNumber, memberReferenceBase } from '../../domain/billing/referenceNumber';
import { apiClient, type ApiClient } from '../support/api';
import { archiveId, camt054, newInvoice, newMember, postFile, waitFor, waitProcessed } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

/**
 * Records one finished history of each payments workflow path for replay.test.ts. Like the other
 * recorders it runs only on purpose (RECORD_HISTORIES=1).
 */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');

let stack: Stack;
let eservices: string;
let bank: string;
let billing: string;
let client: ApiClient;

beforeAll(async () => {
  if (!recording) return;
  stack = await startStack();
  [eservices, bank] = await Promise.all([stack.token('eservices'), stack.token('bank-gateway')]);
  billing = await stack.login('billing');
  client = apiClient(stack, { as: { token: eservices } });
  mkdirSync(historiesDir, { recursive: true });
});
afterAll(async () => stack?.close());

async function record(name: string, workflowId: string) {
  const handle = stack.ctx.temporal.workflow.getHandle(workflowId);
  await handle.result();
  writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
}

async function importFile(entries: Parameters<typeof camt054>[0]) {
  const res = await postFile(client, camt054(entries, { iban: stack.profile.iban }), 'application/xml', { token: bank });
  await waitProcessed(client, res.body.id, { token: bank });
  return res.body as { id: string; workflowId: string };
}

async function unmatchedTask(archive: string) {
  const [entry] = await stack.db.select().from(bankEntries).where(eq(bankEntries.archiveId, archive));
  const task = await waitFor(async () => (await stack.db.select().from(tasks).where(and(eq(tasks.subjectId, entry!.id), eq(tasks.kind, 'unmatched-payment'))))[0], (t) => t !== undefined);
  return { entry: entry!, task: task! };
}

describe('record payments histories', () => {
  it.runIf(recording)('a payment file with matched, unmatched and reversed entries; unmatched payments allocated, returned and withdrawn', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const unknown = createReferenceNumber(memberReferenceBase(987654323, 2019));
    const [paid, partial, allocated, returned, withdrawn] = [archiveId(), archiveId(), archiveId(), archiveId(), archiveId()];
    const file = await importFile([
      { archiveId: paid, amountCents: 5000, ref: inv.reference },
      { archiveId: partial, amountCents: 1000, ref: inv.reference },
      { archiveId: archiveId(), amountCents: 1000, ref: inv.reference, debit: true, reversal: true },
      { archiveId: allocated, amountCents: 4600, ustrd: `jäsen ${m.memberNumber}` },
      { archiveId: returned, amountCents: 300, ustrd: 'tuntematon' },
      { archiveId: withdrawn, amountCents: 700, ref: unknown },
    ]);
    await record('payment-file', file.workflowId);

    const a = await unmatchedTask(allocated);
    await client.api(`/api/v1/payments/${a.entry.id}/allocation`, { method: 'POST', cookie: billing, body: JSON.stringify({ taskId: a.task.id, memberId: m.memberId, note: 'Jäsennumero viestissä' }) });
    await record('unmatched-payment-allocated', a.task.workflowId);

    const r = await unmatchedTask(returned);
    await client.api(`/api/v1/payments/${r.entry.id}/return-to-payer`, { method: 'POST', cookie: billing, body: JSON.stringify({ taskId: r.task.id, reason: 'Ei jäsen' }) });
    await record('unmatched-payment-returned', r.task.workflowId);

    const w = await unmatchedTask(withdrawn);
    await importFile([{ archiveId: archiveId(), amountCents: 700, ref: unknown, debit: true, reversal: true }]);
    await record('unmatched-payment-withdrawn', w.task.workflowId);
  });
});
