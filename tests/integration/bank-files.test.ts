import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBankFileFetchActivities } from '../../activities/bankFileFetch';
import { auditLog, bankEntries, bankFiles } from '../../db/schema';
import { BankUnavailableError } from '../../integrations/adapters/bank';
import { FakeBank } from '../../integrations/adapters/bank/fakeBank';
import { bankFileFetch } from '../../workflows/bankFileFetch';
import { apiClient } from '../support/api';
import { archiveId, camt054, invoiceById, newInvoice, newMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

/** The fetch as its schedule starts it. */
const fetchFromBank = () => stack.ctx.temporal.workflow.execute(bankFileFetch, { taskQueue: stack.ctx.taskQueues.payments, workflowId: `test-bank-files-${randomUUID()}` });

const deposit = (name: string, xml: string) => stack.bank.depositPaymentFile({ name, format: 'camt054', bytes: new TextEncoder().encode(xml) });

describe('payment files fetched from the bank', () => {
  it('imports what the bank holds, books it, confirms it, and never books the same bytes twice', async () => {
    // Files other tests left at the (shared) fake bank are taken first, so this test counts only its own.
    await fetchFromBank();
    const member = await newMember(stack, apiClient(stack), await stack.token('eservices'));
    const invoice = await newInvoice(stack, member, 2026, 9600);
    const entry = archiveId('F');
    const xml = camt054([{ archiveId: entry, amountCents: 9600, ref: invoice.reference }], { iban: stack.profile.iban });
    const reference = deposit('camt054-morning.xml', xml);

    expect(await fetchFromBank()).toEqual({ listed: 1, imported: 1, repeated: 0, refused: [] });
    expect(stack.bank.paymentFileStatus(reference)).toBe('DLD');
    const [file] = await stack.db.select().from(bankFiles).where(eq(bankFiles.filename, 'camt054-morning.xml'));
    expect(file).toMatchObject({ receivedBy: 'bank-adapter', format: 'camt054', entryCount: 1 });
    await expect.poll(async () => (await invoiceById(stack, invoice.id)).status, { timeout: 20_000 }).toBe('paid');

    // Nothing new: nothing listed. The same bytes again (resent by the bank under another name): recognised, not booked again.
    expect(await fetchFromBank()).toEqual({ listed: 0, imported: 0, repeated: 0, refused: [] });
    deposit('camt054-morning-resent.xml', xml);
    expect(await fetchFromBank()).toEqual({ listed: 1, imported: 0, repeated: 1, refused: [] });
    expect(await stack.db.select().from(bankEntries).where(eq(bankEntries.archiveId, entry))).toHaveLength(1);
  });

  it('refuses an unreadable file naming where, confirms it so it is not fetched forever, and audits it', async () => {
    await fetchFromBank();
    const broken = camt054([{ archiveId: archiveId('B'), amountCents: 800, ustrd: 'x' }], { iban: stack.profile.iban }).replace('<Amt Ccy="EUR">8.00</Amt>', '<Amt Ccy="EUR">8,00</Amt>');
    const reference = deposit('camt054-broken.xml', broken);
    const result = await fetchFromBank();
    expect(result).toMatchObject({ listed: 1, imported: 0, repeated: 0, refused: [{ reference, name: 'camt054-broken.xml', reason: expect.stringMatching(/Amt|amount/) }] });
    expect(stack.bank.paymentFileStatus(reference)).toBe('DLD');
    expect(await stack.db.select().from(bankFiles).where(eq(bankFiles.filename, 'camt054-broken.xml'))).toEqual([]);
    const [audit] = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'bank-file.refused'), eq(auditLog.entityId, reference)));
    expect(audit).toMatchObject({ actor: 'bank-adapter', details: expect.objectContaining({ name: 'camt054-broken.xml', line: expect.any(Number) }) });
  });

  // RECORD_HISTORIES=1 keeps a fetch that imported a file for tests/replay/replay.test.ts.
  it.runIf(process.env.RECORD_HISTORIES === '1')('records a bank-file fetch history for the replay test', async () => {
    deposit('camt054-replay.xml', camt054([{ archiveId: archiveId('R'), amountCents: 500, ustrd: 'replay' }], { iban: stack.profile.iban }));
    const handle = await stack.ctx.temporal.workflow.start(bankFileFetch, { taskQueue: stack.ctx.taskQueues.payments, workflowId: `test-bank-files-${randomUUID()}` });
    await handle.result();
    writeFileSync(path.resolve('tests/replay/histories', 'bank-file-fetch.json'), `${historyToJSON(await handle.fetchHistory())}\n`);
  });

  it('a bank that does not answer fails the attempt (Temporal retries it) and confirms nothing', async () => {
    const down = new FakeBank({ unavailableRate: 1 });
    const acts = createBankFileFetchActivities({ ...stack.activityDeps, bank: down });
    await expect(acts.fetchBankPaymentFiles()).rejects.toBeInstanceOf(BankUnavailableError);
  });
});
