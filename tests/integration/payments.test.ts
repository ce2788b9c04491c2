import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { allocations, bankEntries, ledgerEntries, tasks } from '../../db/schema';
import { createReferenceNumber, invoiceReference, memberReferenceBase } from '../../domain/billing/referenceNumber';
import { toRfReference, formatRfReference } from '../../domain/billing/rfReference';
import { ibanToFinnishBban } from '../../domain/billing/iban';
import { buildKtl } from '../../integrations/transforms/ktl';
import { apiClient, type ApiClient } from '../support/api';
import { archiveId, camt054, invoiceById, moneyCounts, newInvoice, newMember, postFile, waitProcessed, type TestMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';
import { MAX_PAYMENT_FILE_BYTES } from '../../services/payments';
import { bookChunk } from '../../activities/paymentFile';
import * as paymentsRepo from '../../db/repositories/payments';
import type { BankFileEntry } from '../../integrations/transforms/bankFile';

let stack: Stack;
let eservices: string;
let bank: string;
let billing: string;
let caseworker: string;
let client: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  [eservices, bank] = await Promise.all([stack.token('eservices'), stack.token('bank-gateway')]);
  [billing, caseworker] = await Promise.all([stack.login('billing'), stack.login('caseworker')]);
  client = apiClient(stack, { as: { token: eservices } });
});
afterAll(async () => stack?.close());

const XML = 'application/xml';

async function entry(archive: string) {
  const [row] = await stack.db.select().from(bankEntries).where(eq(bankEntries.archiveId, archive));
  return row!;
}

async function ledgerOf(memberId: string) {
  return stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.memberId, memberId)).orderBy(ledgerEntries.id);
}

async function taskOf(entryId: string) {
  return vi.waitFor(
    async () => {
      const [task] = await stack.db.select().from(tasks).where(and(eq(tasks.subjectId, entryId), eq(tasks.kind, 'unmatched-payment')));
      expect(task).toBeDefined();
      return task!;
    },
    { timeout: 20_000, interval: 100 },
  );
}

async function importFile(body: string, contentType = XML) {
  const res = await postFile(client, body, contentType, { token: bank });
  expect(res.status, res.text).toBe(202);
  return waitProcessed(client, res.body.id, { token: bank });
}

describe('camt.054 import', () => {
  it('books exact, partial, over- and reversed payments, and queues what it cannot match', async () => {
    const [a, b, c, d] = (await Promise.all([1, 2, 3, 4].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember, TestMember, TestMember];
    const invA = await newInvoice(stack, a, 2019, 9600);
    const invB = await newInvoice(stack, b, 2019, 9600);
    const invC2018 = await newInvoice(stack, c, 2018, 6300);
    const invC2019 = await newInvoice(stack, c, 2019, 6300);
    const invD = await newInvoice(stack, d, 2019, 9600);
    const unknownMemberRef = createReferenceNumber(memberReferenceBase(987654321, 2019));
    const ids = {
      exact: archiveId(), partial: archiveId(), over: archiveId(), invalid: archiveId(), freeText: archiveId(),
      unknown: archiveId(), paidD: archiveId(), reversalD: archiveId(), debit: archiveId(),
    };
    const xml = camt054(
      [
        // The national reference as printed, in groups of five.
        { archiveId: ids.exact, amountCents: 9600, ref: invA.reference.replace(/(\d)(?=(\d{5})+$)/g, '$1 ') },
        // The RF form, printed in groups of four.
        { archiveId: ids.partial, amountCents: 5000, ref: formatRfReference(toRfReference(invB.reference)) },
        // C quotes the 2019 invoice: that one first, then the older open one, and 24 € left over.
        { archiveId: ids.over, amountCents: 15000, ref: invC2019.reference },
        { archiveId: ids.invalid, amountCents: 9600, ref: '12345' },
        { archiveId: ids.freeText, amountCents: 9600, ustrd: `jäsenmaksu ${a.memberNumber}` },
        { archiveId: ids.unknown, amountCents: 9600, ref: unknownMemberRef },
        { archiveId: ids.paidD, amountCents: 9600, ref: invD.reference },
        { archiveId: ids.reversalD, amountCents: 9600, ref: invD.reference, debit: true, reversal: true, bookingDate: '2019-03-04' },
        { archiveId: ids.debit, amountCents: 1250, debit: true, ustrd: 'Palvelumaksu' },
      ],
      { iban: stack.profile.iban },
    );
    const file = await importFile(xml);
    expect(file.entryCount).toBe(9);

    // Exact.
    expect(await invoiceById(stack, invA.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await entry(ids.exact)).toMatchObject({ status: 'allocated', memberId: a.memberId, unallocatedCents: 0 });
    // Partial, through the RF form.
    expect(await invoiceById(stack, invB.id)).toMatchObject({ status: 'partially-paid', openCents: 4600 });
    expect(await entry(ids.partial)).toMatchObject({ status: 'allocated', memberId: b.memberId });
    // Over-payment: both invoices paid, the rest stays on the entry and is the member's credit.
    expect(await invoiceById(stack, invC2019.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await invoiceById(stack, invC2018.id)).toMatchObject({ status: 'paid', openCents: 0 });
    const over = await entry(ids.over);
    expect(over).toMatchObject({ status: 'overpaid', memberId: c.memberId, unallocatedCents: 2400 });
    const overAllocations = await stack.db.select().from(allocations).where(eq(allocations.bankEntryId, over.id));
    expect(overAllocations.map((x) => [x.invoiceId, x.amountCents]).sort()).toEqual([[invC2018.id, 6300], [invC2019.id, 6300]].sort());
    const ledgerC = await ledgerOf(c.memberId);
    expect(ledgerC.reduce((s, r) => s + r.amountCents, 0)).toBe(-2400);
    expect(ledgerC.find((r) => r.kind === 'payment')).toMatchObject({ amountCents: -15000, sourceKey: `payment/${ids.over}`, occurredOn: '2019-03-01' });

    // Reversal: D's payment is taken back, the invoice is open again, the ledger shows both.
    expect(await invoiceById(stack, invD.id)).toMatchObject({ status: 'open', openCents: 9600 });
    expect(await entry(ids.paidD)).toMatchObject({ status: 'reversed', unallocatedCents: 0 });
    expect(await entry(ids.reversalD)).toMatchObject({ status: 'reversed', memberId: d.memberId, amountCents: -9600 });
    const ledgerD = await ledgerOf(d.memberId);
    expect(ledgerD.map((r) => [r.kind, r.amountCents])).toEqual([['invoice', 9600], ['payment', -9600], ['reversal', 9600]]);
    const allocD = await stack.db.select({ sum: sql<string>`sum(${allocations.amountCents})` }).from(allocations).where(eq(allocations.invoiceId, invD.id));
    expect(Number(allocD[0]!.sum)).toBe(0);

    // Unmatched: an invalid reference, only free text, an unknown member, a debit. Each is in
    // suspense (a ledger row without a member) and gets a task in the payments queue.
    for (const id of [ids.invalid, ids.freeText, ids.unknown, ids.debit]) {
      const e = await entry(id);
      expect(e.status).toBe('unmatched');
      expect(e.memberId).toBeNull();
      const [suspense] = await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.sourceKey, `suspense/${id}`));
      expect(suspense).toMatchObject({ memberId: null, amountCents: -e.amountCents });
      const task = await taskOf(e.id);
      expect(task).toMatchObject({ kind: 'unmatched-payment', queue: 'payments', requiredRole: 'billing', subjectType: 'bank-entry', subjectId: e.id, status: 'open' });
    }
    expect((await entry(ids.invalid)).unstructured).toBe('12345');
    expect((await taskOf((await entry(ids.debit)).id)).title).toBe('debit');
    expect((await taskOf((await entry(ids.unknown)).id)).title).toBe('unknown-reference');

    // The same file again: the stored file, nothing booked twice.
    const before = await moneyCounts(stack);
    const again = await postFile(client, xml, XML, { token: bank });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(file.id);
    await waitProcessed(client, file.id, { token: bank });
    expect(await moneyCounts(stack)).toEqual(before);
  });

  it('finds the member from a quarterly reference that no open invoice carries', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const id = archiveId();
    await importFile(camt054([{ archiveId: id, amountCents: 2400, ref: invoiceReference(m.memberNumber, 2019, '2019-Q2') }], { iban: stack.profile.iban }));
    expect(await entry(id)).toMatchObject({ status: 'allocated', memberId: m.memberId, unallocatedCents: 0 });
    expect(await invoiceById(stack, inv.id)).toMatchObject({ status: 'partially-paid', openCents: 7200 });
  });

  it('imports the legacy KTL file, corrections included', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const [paid, corrected, correction] = [archiveId('K'), archiveId('K'), archiveId('K')];
    const account = ibanToFinnishBban(stack.profile.iban);
    const ktl = buildKtl({
      header: { createdAt: '2019-03-02T06:30', bankGroup: '79', invoicerId: 'DEMO00001' },
      records: [
        { account, bookingDate: '2019-03-01', paymentDate: '2019-03-01', archiveId: paid, reference: inv.reference, payerName: 'Maksaja M', amountCents: 4000 },
        { account, bookingDate: '2019-03-01', paymentDate: '2019-03-01', archiveId: corrected, reference: inv.reference, payerName: 'Maksaja M', amountCents: 1000 },
        { account, bookingDate: '2019-03-02', paymentDate: '2019-03-02', archiveId: correction, reference: inv.reference, payerName: 'Maksaja M', amountCents: 1000, correction: true },
      ],
    });
    const file = await importFile(ktl, 'text/plain');
    expect(file.format).toBe('ktl');
    expect(await entry(paid)).toMatchObject({ status: 'allocated', memberId: m.memberId, amountCents: 4000 });
    expect(await entry(corrected)).toMatchObject({ status: 'reversed' });
    expect(await entry(correction)).toMatchObject({ status: 'reversed', reversal: true, amountCents: -1000 });
    expect(await invoiceById(stack, inv.id)).toMatchObject({ status: 'partially-paid', openCents: 5600 });
    const ledger = await ledgerOf(m.memberId);
    expect(ledger.map((r) => [r.kind, r.amountCents]).sort()).toEqual([['invoice', 9600], ['payment', -4000], ['payment', -1000], ['reversal', 1000]].sort());
  });
});

/** A transfer quoting several structured references (one RmtInf/Strd each, as camt.054 allows). */
function withReferences(xml: string, refs: string[]) {
  const strd = (ref: string) => `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${ref}</Ref></CdtrRefInf></Strd>`;
  return xml.replace(/<RmtInf>.*?<\/RmtInf>/, `<RmtInf>${refs.map(strd).join('')}</RmtInf>`);
}

describe('a transfer with several references', () => {
  it('books every invoice the references point to, in the payer’s order, across members', async () => {
    const [a, b] = (await Promise.all([1, 2].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember];
    const invA = await newInvoice(stack, a, 2019, 9600);
    const invB = await newInvoice(stack, b, 2019, 9600);
    const olderA = await newInvoice(stack, a, 2018, 6300);
    const id = archiveId();
    const transfer: BankFileEntry = {
      archiveId: id, bookingDate: '2019-03-01', valueDate: '2019-03-01', amountCents: 20000, reversal: false,
      reference: invA.reference, references: [invA.reference, toRfReference(invB.reference)], unstructured: null, debtorName: 'Maksaja',
    };
    const { row: file } = await paymentsRepo.insertBankFileOnce(stack.db, {
      format: 'camt054', sha256: `test-${id}`, filename: `${id}.xml`, content: '', receivedBy: 'test', workflowId: `test/${id}`,
    });
    expect(await stack.db.transaction((tx) => bookChunk(tx, file.id, [transfer]))).toBe(1);
    await paymentsRepo.setBankFileStatus(stack.db, file.id, 'processed');

    // Both quoted invoices are paid; the rest settles the payer's older invoice in part.
    expect(await invoiceById(stack, invA.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await invoiceById(stack, invB.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await invoiceById(stack, olderA.id)).toMatchObject({ status: 'partially-paid', openCents: 6300 - 800 });
    expect(await entry(id)).toMatchObject({ status: 'allocated', memberId: a.memberId, unallocatedCents: 0, reference: invA.reference });
    // Each member's ledger shows what settled their invoices.
    expect((await ledgerOf(a.memberId)).filter((r) => r.kind === 'payment').map((r) => [r.amountCents, r.sourceKey])).toEqual([[-10400, `payment/${id}`]]);
    expect((await ledgerOf(b.memberId)).filter((r) => r.kind === 'payment').map((r) => [r.amountCents, r.sourceKey])).toEqual([[-9600, `payment/${id}/${b.memberId}`]]);
    expect((await ledgerOf(b.memberId)).reduce((s, r) => s + r.amountCents, 0)).toBe(0);
  });

  it('a camt.054 transfer paying one member’s two invoices books both, before an older one', async () => {
    const m = await newMember(stack, client, eservices);
    const [inv2017, inv2018, inv2019] = [await newInvoice(stack, m, 2017, 6300), await newInvoice(stack, m, 2018, 6300), await newInvoice(stack, m, 2019, 6300)];
    const id = archiveId();
    const xml = withReferences(camt054([{ archiveId: id, amountCents: 12600, ref: inv2019.reference }], { iban: stack.profile.iban }), [inv2019.reference, inv2018.reference]);
    await importFile(xml);
    expect(await invoiceById(stack, inv2019.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await invoiceById(stack, inv2018.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await invoiceById(stack, inv2017.id)).toMatchObject({ status: 'open', openCents: 6300 });
    expect(await entry(id)).toMatchObject({ status: 'allocated', memberId: m.memberId, reference: inv2019.reference });
  });

  it('a camt.054 transfer paying two members’ invoices books both; its reversal reopens both', async () => {
    const [a, b] = (await Promise.all([1, 2].map(() => newMember(stack, client, eservices)))) as [TestMember, TestMember];
    const invA = await newInvoice(stack, a, 2019, 9600);
    const invB = await newInvoice(stack, b, 2019, 9600);
    const [paid, reversal] = [archiveId(), archiveId()];
    const refs = [invA.reference, invB.reference];
    await importFile(withReferences(camt054([{ archiveId: paid, amountCents: 19200, ref: invA.reference }], { iban: stack.profile.iban }), refs));
    expect(await invoiceById(stack, invA.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await invoiceById(stack, invB.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await entry(paid)).toMatchObject({ status: 'allocated', memberId: a.memberId });
    // The second reference stays with the entry's text, for a person reading it.
    expect((await entry(paid)).unstructured).toBe(invB.reference);

    await importFile(withReferences(camt054([{ archiveId: reversal, amountCents: 19200, ref: invA.reference, debit: true, reversal: true, bookingDate: '2019-03-04' }], { iban: stack.profile.iban }), refs));
    expect(await invoiceById(stack, invA.id)).toMatchObject({ status: 'open', openCents: 9600 });
    expect(await invoiceById(stack, invB.id)).toMatchObject({ status: 'open', openCents: 9600 });
    for (const m of [a, b]) {
      expect((await ledgerOf(m.memberId)).map((r) => [r.kind, r.amountCents])).toEqual([['invoice', 9600], ['payment', -9600], ['reversal', 9600]]);
    }
  });
});

describe('malformed files', () => {
  it('refuses a camt.054 with an unclosed element, naming its line and element, and books nothing', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const good = camt054([{ archiveId: archiveId(), amountCents: 9600, ref: inv.reference }], { iban: stack.profile.iban });
    const broken = good.replace('</Ntry>', '');
    const before = await moneyCounts(stack);
    const res = await postFile(client, broken, XML, { token: bank });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.body.element).toBe('Ntry');
    const lines = broken.split('\n');
    const ntryLine = lines.findIndex((l) => l.includes('<Ntry>')) + 1;
    // The reader notices where the next closing tag does not fit, and says where <Ntry> opened.
    expect(res.body.line).toBe(lines.findIndex((l) => l.includes('</Ntfctn>')) + 1);
    expect(res.body.detail).toMatch(new RegExp(`<Ntry> opened on line ${ntryLine} is not closed`));
    expect(await moneyCounts(stack)).toEqual(before);
    expect(await invoiceById(stack, inv.id)).toMatchObject({ status: 'open', openCents: 9600 });
  });

  it('refuses a KTL file with a wrong line length or a wrong sum, naming the line', async () => {
    const account = ibanToFinnishBban(stack.profile.iban);
    const ktl = buildKtl({
      header: { createdAt: '2019-03-02T06:30', bankGroup: '79', invoicerId: 'DEMO00001' },
      records: [{ account, bookingDate: '2019-03-01', paymentDate: '2019-03-01', archiveId: archiveId('K'), reference: '12345672', payerName: 'Maksaja', amountCents: 9600 }],
    });
    const lines = ktl.split('\r\n');
    const before = await moneyCounts(stack);

    const short = [lines[0], lines[1]!.slice(0, 89), ...lines.slice(2)].join('\r\n');
    const res = await postFile(client, short, 'text/plain', { token: bank });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ line: 2, element: 'record 3' });
    expect(res.body.detail).toMatch(/^line 2, record 3: every line must be exactly 90 characters, this one has 89/);

    const sumLine = lines[2]!;
    const wrongSum = [lines[0], lines[1], `${sumLine.slice(0, 7)}${'00000009700'}${sumLine.slice(18)}`, ''].join('\r\n');
    const res2 = await postFile(client, wrongSum, 'text/plain', { token: bank });
    expect(res2.status).toBe(400);
    expect(res2.body).toMatchObject({ line: 3, element: 'sum record' });
    expect(res2.body.detail).toMatch(/sum record says 1 payments totalling 97\.00/);
    expect(await moneyCounts(stack)).toEqual(before);
  });

  it('refuses other media types with 415', async () => {
    const res = await postFile(client, '{}', 'application/json', { token: bank });
    expect(res.status).toBe(415);
  });
});

describe('exactly once under races', () => {
  it('takes the same file posted twice at once as one file and books it once', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const ids = Array.from({ length: 10 }, () => archiveId());
    const xml = camt054(ids.map((id) => ({ archiveId: id, amountCents: 500, ref: inv.reference })), { iban: stack.profile.iban });
    const [r1, r2] = await Promise.all([postFile(client, xml, XML, { token: bank }), postFile(client, xml, XML, { cookie: billing })]);
    expect([r1.status, r2.status].sort()).toEqual([200, 202]);
    expect(r1.body.id).toBe(r2.body.id);
    await waitProcessed(client, r1.body.id, { token: bank });
    const payments = await stack.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.memberId, m.memberId), eq(ledgerEntries.kind, 'payment')));
    expect(payments).toHaveLength(10);
    expect(await invoiceById(stack, inv.id)).toMatchObject({ openCents: 9600 - 10 * 500, status: 'partially-paid' });
  });

  it('books a small file by the time its upload answers; its process finds it booked and books nothing twice', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const res = await postFile(client, camt054([{ archiveId: archiveId(), amountCents: 9600, ref: inv.reference }], { iban: stack.profile.iban }), XML, { token: bank });
    expect(res.status, res.text).toBe(202);
    // Paid as the upload answers, whatever its process has done yet (decision 043).
    expect(await invoiceById(stack, inv.id)).toMatchObject({ openCents: 0, status: 'paid' });
    await waitProcessed(client, res.body.id, { token: bank });
    expect((await ledgerOf(m.memberId)).filter((l) => l.kind === 'payment')).toHaveLength(1);
    const allocated = await stack.db.select().from(allocations).where(eq(allocations.invoiceId, inv.id));
    expect(allocated.map((a) => a.amountCents)).toEqual([9600]);
  });

  it('books an entry that two different files bring at once only once', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const shared = Array.from({ length: 30 }, () => archiveId());
    const entries = shared.map((id) => ({ archiveId: id, amountCents: 100, ref: inv.reference }));
    // Different messages (so different bytes), the shared entries in opposite orders.
    const own1 = archiveId();
    const own2 = archiveId();
    const f1 = camt054([...entries, { archiveId: own1, amountCents: 100, ref: inv.reference }], { iban: stack.profile.iban });
    const f2 = camt054([{ archiveId: own2, amountCents: 100, ref: inv.reference }, ...[...entries].reverse()], { iban: stack.profile.iban });
    const [r1, r2] = await Promise.all([postFile(client, f1, XML, { token: bank }), postFile(client, f2, XML, { token: bank })]);
    expect([r1.status, r2.status]).toEqual([202, 202]);
    await Promise.all([waitProcessed(client, r1.body.id, { token: bank }), waitProcessed(client, r2.body.id, { token: bank })]);
    const rows = await stack.db.select().from(bankEntries).where(inArray(bankEntries.archiveId, [...shared, own1, own2]));
    expect(rows).toHaveLength(32);
    const keys = await stack.db.select().from(ledgerEntries).where(and(eq(ledgerEntries.memberId, m.memberId), eq(ledgerEntries.kind, 'payment')));
    expect(keys).toHaveLength(32);
    const allocated = await stack.db.select({ sum: sql<string>`sum(${allocations.amountCents})`, n: sql<number>`count(*)::int` }).from(allocations).where(eq(allocations.invoiceId, inv.id));
    expect(allocated[0]).toMatchObject({ n: 32 });
    expect(Number(allocated[0]!.sum)).toBe(3200);
    expect(await invoiceById(stack, inv.id)).toMatchObject({ openCents: 9600 - 3200 });
  });
});

describe('unmatched payments', () => {
  it('a billing user allocates one by hand: the ledger is updated, the task closed, a second allocation refused', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const id = archiveId();
    await importFile(camt054([{ archiveId: id, amountCents: 12000, ustrd: `Jäsenmaksu, jäsen ${m.memberNumber}` }], { iban: stack.profile.iban }));
    const e = await entry(id);
    expect(e.status).toBe('unmatched');
    const task = await taskOf(e.id);

    const view = await client.api(`/api/v1/payments/${e.id}`, { cookie: billing });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'unmatched', amountCents: 12000, task: { id: task.id } });

    const denied = await client.api(`/api/v1/payments/${e.id}/allocation`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ memberId: m.memberId, note: 'x' }) });
    expect(denied.status).toBe(403);
    const stale = await client.api(`/api/v1/payments/${e.id}/allocation`, {
      method: 'POST',
      cookie: billing,
      body: JSON.stringify({ taskId: '00000000-0000-4000-8000-000000000000', memberId: m.memberId, note: 'x' }),
    });
    expect(stale.status).toBe(409);
    // A workflow's refusal carries its code, for the desk to translate.
    expect(stale.body.code).toBe('task_not_current');

    const res = await client.api(`/api/v1/payments/${e.id}/allocation`, {
      method: 'POST',
      cookie: billing,
      body: JSON.stringify({ taskId: task.id, memberId: m.memberId, invoiceIds: [inv.id], note: 'Member number in the message' }),
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'overpaid', allocatedCents: 9600, unallocatedCents: 2400, allocations: [{ invoiceId: inv.id, amountCents: 9600 }] });

    expect(await invoiceById(stack, inv.id)).toMatchObject({ status: 'paid', openCents: 0 });
    expect(await entry(id)).toMatchObject({ status: 'overpaid', memberId: m.memberId, unallocatedCents: 2400 });
    const [closed] = await stack.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(closed).toMatchObject({ status: 'closed', outcome: 'allocated' });
    const ledger = await ledgerOf(m.memberId);
    expect(ledger.map((r) => [r.kind, r.amountCents, r.sourceKey])).toEqual([
      ['invoice', 9600, `invoice/${inv.id}`],
      ['payment', -12000, `payment/${id}`],
    ]);
    // Out of suspense: the unidentified rows of the entry net to zero.
    const suspense = await stack.db.select().from(ledgerEntries).where(like(ledgerEntries.sourceKey, `suspense/${id}%`));
    expect(suspense.reduce((s, r) => s + r.amountCents, 0)).toBe(0);
    expect(suspense).toHaveLength(2);

    const second = await client.api(`/api/v1/payments/${e.id}/allocation`, { method: 'POST', cookie: billing, body: JSON.stringify({ taskId: task.id, memberId: m.memberId, note: 'again' }) });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('payment_not_unmatched');
    expect(await ledgerOf(m.memberId)).toHaveLength(2);
    // The ledger's own lines carry their code and params; the English stays for integrators.
    const lines = await client.api(`/api/v1/members/${m.memberId}/ledger`, { cookie: billing });
    expect(lines.body.entries.find((r: { kind: string }) => r.kind === 'payment')).toMatchObject({ descriptionCode: 'allocated_by_hand', descriptionParams: { note: 'Member number in the message' } });
  });

  it('two billing users allocating at once: one wins, the other gets 409', async () => {
    const m = await newMember(stack, client, eservices);
    await newInvoice(stack, m, 2019, 9600);
    const id = archiveId();
    await importFile(camt054([{ archiveId: id, amountCents: 9600 }], { iban: stack.profile.iban }));
    const e = await entry(id);
    const task = await taskOf(e.id);
    const body = JSON.stringify({ taskId: task.id, memberId: m.memberId, note: 'Phoned the payer' });
    const results = await Promise.all([1, 2].map(() => client.api(`/api/v1/payments/${e.id}/allocation`, { method: 'POST', cookie: billing, body })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await stack.db.select().from(ledgerEntries).where(eq(ledgerEntries.sourceKey, `payment/${id}`))).toHaveLength(1);
  });

  it('a later reversal of an unidentified payment settles it in suspense and withdraws its task', async () => {
    const ref = createReferenceNumber(memberReferenceBase(987654322, 2019));
    const [paid, reversal] = [archiveId(), archiveId()];
    await importFile(camt054([{ archiveId: paid, amountCents: 4200, ref }], { iban: stack.profile.iban }));
    const original = await entry(paid);
    const task = await taskOf(original.id);
    expect(task.status).toBe('open');
    await importFile(camt054([{ archiveId: reversal, amountCents: 4200, ref, debit: true, reversal: true, bookingDate: '2019-03-05' }], { iban: stack.profile.iban }));
    expect(await entry(paid)).toMatchObject({ status: 'reversed', memberId: null });
    expect(await entry(reversal)).toMatchObject({ status: 'reversed', memberId: null });
    const [closed] = await stack.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(closed).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    const result = await stack.ctx.temporal.workflow.getHandle(`unmatched-payment/${paid}`).result();
    expect(result).toMatchObject({ outcome: 'withdrawn' });
    const rows = await stack.db.select().from(ledgerEntries).where(inArray(ledgerEntries.sourceKey, [`suspense/${paid}`, `reversal/${reversal}`]));
    expect(rows.map((r) => [r.kind, r.amountCents, r.memberId]).sort()).toEqual([['payment', -4200, null], ['reversal', 4200, null]]);
  });

  it('returning a payment to the payer leaves it as refund-needed and closes the task', async () => {
    const id = archiveId();
    await importFile(camt054([{ archiveId: id, amountCents: 3300, ustrd: 'väärä maksu' }], { iban: stack.profile.iban }));
    const e = await entry(id);
    const task = await taskOf(e.id);
    const res = await client.api(`/api/v1/payments/${e.id}/return-to-payer`, { method: 'POST', cookie: billing, body: JSON.stringify({ taskId: task.id, reason: 'Not a member of this fund' }) });
    expect(res.status, res.text).toBe(200);
    expect((await entry(id)).status).toBe('refund-needed');
    const [closed] = await stack.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(closed).toMatchObject({ status: 'closed', outcome: 'returned-to-payer' });
    const again = await client.api(`/api/v1/payments/${e.id}/return-to-payer`, { method: 'POST', cookie: billing, body: JSON.stringify({ reason: 'again' }) });
    expect(again.status).toBe(409);
  });
});

describe('unmatched payments through the work queue', () => {
  it('a billing user sees the task in the payments queue; "reject" there returns the payment, "approve" is refused', async () => {
    const id = archiveId();
    await importFile(camt054([{ archiveId: id, amountCents: 2500, ustrd: 'tuntematon' }], { iban: stack.profile.iban }));
    const e = await entry(id);
    const task = await taskOf(e.id);
    const queue = await client.api('/api/v1/tasks?queue=payments&limit=200', { cookie: billing });
    expect(queue.status, queue.text).toBe(200);
    expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(task.id);
    expect((await client.api('/api/v1/tasks?queue=payments', { cookie: caseworker })).body.items.map((t: { id: string }) => t.id)).not.toContain(task.id);
    const approve = await client.api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: billing, body: JSON.stringify({ decision: 'approve' }) });
    expect(approve.status).toBe(409);
    expect(approve.body.detail).toMatch(/allocation/);
    expect(approve.body.code).toBe('payment_use_allocation');
    const reject = await client.api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: billing, body: JSON.stringify({ decision: 'reject', reason: 'Maksaja ei ole jäsen' }) });
    expect(reject.status, reject.text).toBe(200);
    expect((await entry(id)).status).toBe('refund-needed');
  });
});

describe('who may send payment files', () => {
  it('refuses a caseworker and a client without payments:write; accepts billing and the bank gateway', async () => {
    const xml = camt054([{ archiveId: archiveId(), amountCents: 100 }], { iban: stack.profile.iban });
    expect((await postFile(client, xml, XML, { cookie: caseworker })).status).toBe(403);
    const noScope = await postFile(client, xml, XML, { token: eservices });
    expect(noScope.status).toBe(403);
    expect(noScope.body.detail).toMatch(/payments:write/);
    const ok = await postFile(client, xml, XML, { cookie: billing });
    expect(ok.status).toBe(202);
    expect(ok.headers.get('location')).toBe(`/api/v1/payment-files/${ok.body.id}`);
    expect((await postFile(client, xml, XML, { token: bank })).status).toBe(200);
    await waitProcessed(client, ok.body.id, { cookie: billing });
  });

  it('refuses a file over the upload limit with 413 before reading it all', async () => {
    const before = await moneyCounts(stack);
    const res = await postFile(client, 'x'.repeat(MAX_PAYMENT_FILE_BYTES + 1), XML, { token: bank });
    expect(res.status).toBe(413);
    expect(await moneyCounts(stack)).toEqual(before);
  });

  it('takes files larger than the general 256 KiB API limit', async () => {
    const m = await newMember(stack, client, eservices);
    const inv = await newInvoice(stack, m, 2019, 9600);
    const entries = Array.from({ length: 700 }, () => ({ archiveId: archiveId('L'), amountCents: 100, ref: inv.reference }));
    const xml = camt054(entries, { iban: stack.profile.iban });
    expect(xml.length).toBeGreaterThan(256 * 1024);
    const res = await postFile(client, xml, XML, { token: bank });
    expect(res.status, res.text).toBe(202);
    const file = await waitProcessed(client, res.body.id, { token: bank });
    expect(file.entries.allocated.count + file.entries.overpaid.count).toBe(700);
    expect(await invoiceById(stack, inv.id)).toMatchObject({ status: 'paid', openCents: 0 });
  });
});
