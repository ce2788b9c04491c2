import { and, between, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, bankEntries, ledgerEntries, refunds, tasks } from '../../db/schema';
import { addDays } from '../../domain/dates';
import { parseXml, child, path, textOf } from '../../integrations/transforms/xml';
import { apiClient, type ApiClient } from '../support/api';
import { newKey } from '../support/applications';
import { archiveId, camt054, invoiceById, newInvoice, newMember, postFile, waitFor, waitProcessed, type TestMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let eservices: string;
let bank: string;
let billing: string;
let caseworker: string;
let auditor: string;
let admin: string;
let client: ApiClient;

beforeAll(async () => {
  stack = await startStack();
  [eservices, bank] = await Promise.all([stack.token('eservices'), stack.token('bank-gateway')]);
  [billing, caseworker, auditor, admin] = await Promise.all([stack.login('billing'), stack.login('caseworker'), stack.login('auditor'), stack.login('admin')]);
  client = apiClient(stack, { as: { token: eservices } });
});
afterAll(async () => stack?.close());

async function importCamt(entries: Parameters<typeof camt054>[0]) {
  const res = await postFile(client, camt054(entries, { iban: stack.profile.iban }), 'application/xml', { token: bank });
  expect(res.status, res.text).toBe(202);
  return waitProcessed(client, res.body.id, { token: bank });
}

const member = () => newMember(stack, client, eservices);
const ledger = (m: TestMember, cookie = billing) => client.api(`/api/v1/members/${m.memberId}/ledger`, { cookie });
const post = (url: string, body: unknown, cookie = billing, headers: Record<string, string> = {}) => client.api(url, { method: 'POST', cookie, headers, body: JSON.stringify(body) });

describe('member ledger', () => {
  it('shows invoices, payments and allocations with the running balance, the balance and the paid-through date', async () => {
    const m = await member();
    const i2015 = await newInvoice(stack, m, 2015, 9600);
    const i2016 = await newInvoice(stack, m, 2016, 9600);
    const i2017 = await newInvoice(stack, m, 2017, 9600);
    const [p1, p2] = [archiveId(), archiveId()];
    await importCamt([
      { archiveId: p1, amountCents: 9600, ref: i2015.reference, bookingDate: '2015-03-02' },
      { archiveId: p2, amountCents: 9600, ref: i2016.reference, bookingDate: '2016-03-01' },
    ]);

    const res = await ledger(m);
    expect(res.status).toBe(200);
    const l = res.body;
    expect(l).toMatchObject({ memberId: m.memberId, memberNumber: m.memberNumber, balanceCents: 9600, creditCents: 0, paidThrough: '2016-12-31', openInvoices: 1, openCents: 9600 });
    expect(l.invoices.map((i: any) => [i.id, i.status, i.openCents])).toEqual([
      [i2015.id, 'paid', 0],
      [i2016.id, 'paid', 0],
      [i2017.id, 'open', 9600],
    ]);
    expect(l.payments.map((p: any) => [p.archiveId, p.amountCents, p.status])).toEqual([
      [p1, 9600, 'allocated'],
      [p2, 9600, 'allocated'],
    ]);
    expect(l.allocations.map((a: any) => [a.archiveId, a.invoiceId, a.amountCents])).toEqual(
      expect.arrayContaining([
        [p1, i2015.id, 9600],
        [p2, i2016.id, 9600],
      ]),
    );
    expect(l.entries.map((e: any) => [e.occurredOn, e.kind, e.amountCents, e.runningBalanceCents])).toEqual([
      ['2015-01-10', 'invoice', 9600, 9600],
      ['2015-03-02', 'payment', -9600, 0],
      ['2016-01-10', 'invoice', 9600, 9600],
      ['2016-03-01', 'payment', -9600, 0],
      ['2017-01-10', 'invoice', 9600, 9600],
    ]);

    // The overall view carries the same summary.
    const overview = await client.api(`/api/v1/members/${m.memberId}/overview`, { cookie: caseworker });
    expect(overview.body.fees).toMatchObject({ status: 'overdue', balanceCents: 9600, paidThrough: '2016-12-31', openInvoices: 1 });

    // Readers and the audit trail.
    expect((await ledger(m, caseworker)).status).toBe(200);
    expect((await ledger(m, auditor)).status).toBe(403);
    const reads = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.ledger-read'), eq(auditLog.entityId, m.memberId)));
    expect(reads.length).toBeGreaterThanOrEqual(2);
  });

  it('has no paid-through date while an earlier invoice is open', async () => {
    const m = await member();
    await newInvoice(stack, m, 2015, 9600);
    const later = await newInvoice(stack, m, 2016, 9600);
    await importCamt([{ archiveId: archiveId(), amountCents: 9600, ref: later.reference, bookingDate: '2016-03-01' }]);
    const l = (await ledger(m)).body;
    expect(l.invoices.map((i: any) => i.status)).toEqual(['open', 'paid']);
    expect(l.paidThrough).toBeNull();
    const fresh = await member();
    expect((await client.api(`/api/v1/members/${fresh.memberId}/overview`, { cookie: billing })).body.fees).toMatchObject({ status: 'not-billed-yet', balanceCents: 0, paidThrough: null, openInvoices: 0 });
  });
});

describe('ledger actions', () => {
  it('credit notes up to the open amount, idempotent with a key; a write-off closes an invoice once', async () => {
    const m = await member();
    const inv = await newInvoice(stack, m, 2015, 9600);
    const other = await newInvoice(stack, m, 2016, 9600);

    const tooMuch = await post(`/api/v1/invoices/${inv.id}/credit-note`, { amountCents: 9601, reason: 'Liian suuri' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.invalidParams[0]).toMatchObject({ name: 'amountCents' });
    // Stable codes the desk translates, with the figures its text needs.
    expect(tooMuch.body).toMatchObject({ code: 'credit_note_exceeds_open', params: { limitCents: 9600 } });
    const byCaseworker = await post(`/api/v1/invoices/${inv.id}/credit-note`, { amountCents: 100, reason: 'x' }, caseworker);
    expect(byCaseworker.status).toBe(403);
    expect(byCaseworker.body.code).toBe('forbidden');

    const key = newKey();
    const first = await post(`/api/v1/invoices/${inv.id}/credit-note`, { amountCents: 2000, reason: 'Jäsenyys alkoi maaliskuussa' }, billing, { 'idempotency-key': key });
    expect(first.status, first.text).toBe(201);
    expect(first.body.invoice).toMatchObject({ openCents: 7600, status: 'open' });
    const repeat = await post(`/api/v1/invoices/${inv.id}/credit-note`, { amountCents: 2000, reason: 'Jäsenyys alkoi maaliskuussa' }, billing, { 'idempotency-key': key });
    expect(repeat.status).toBe(200);
    expect((await invoiceById(stack, inv.id)).openCents).toBe(7600);

    const rest = await post(`/api/v1/invoices/${inv.id}/credit-note`, { amountCents: 7600, reason: 'Ero takautuvasti' });
    expect(rest.status).toBe(201);
    expect(await invoiceById(stack, inv.id)).toMatchObject({ status: 'credited', openCents: 0 });
    const credited = await post(`/api/v1/invoices/${inv.id}/credit-note`, { amountCents: 1, reason: 'x' });
    expect(credited.status).toBe(409);
    expect(credited.body).toMatchObject({ code: 'invoice_not_open', params: { invoiceNumber: inv.invoiceNumber, status: 'credited' } });

    const off = await post(`/api/v1/invoices/${other.id}/write-off`, { reason: 'Perintä lopetettu' });
    expect(off.status, off.text).toBe(201);
    expect(off.body).toMatchObject({ amountCents: 9600, status: 'written-off' });
    expect(await invoiceById(stack, other.id)).toMatchObject({ status: 'written-off', openCents: 0 });
    const again = await post(`/api/v1/invoices/${other.id}/write-off`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'invoice_already_written_off', params: { invoiceNumber: other.invoiceNumber } });

    const l = (await ledger(m)).body;
    expect(l.balanceCents).toBe(0);
    expect(l.creditNotes.map((c: any) => c.amountCents)).toEqual([-2000, -7600]);
    expect(l.writeOffs).toEqual([expect.objectContaining({ amountCents: -9600, invoiceId: other.id, description: 'Perintä lopetettu' })]);
    // A credited invoice counts as settled; a written-off one was never paid.
    expect(l.paidThrough).toBe('2015-12-31');
  });

  it('refunds at most the credit, to a valid IBAN, once per key; the SEPA file carries them once', async () => {
    const m = await member();
    const inv = await newInvoice(stack, m, 2015, 9600);
    const pay = archiveId();
    await importCamt([{ archiveId: pay, amountCents: 12000, ref: inv.reference, bookingDate: '2015-03-02' }]);
    expect((await ledger(m)).body).toMatchObject({ balanceCents: -2400, creditCents: 2400 });

    const url = `/api/v1/members/${m.memberId}/refunds`;
    const iban = 'FI21 1234 5600 0007 85';
    const overCredit = await post(url, { amountCents: 2401, iban, reason: 'Liikaa maksettu', idempotencyKey: newKey() });
    expect(overCredit.status).toBe(422);
    expect(overCredit.body).toMatchObject({ code: 'refund_exceeds_credit', params: { limitCents: 2400 } });
    const badIban = await post(url, { amountCents: 2400, iban: 'FI21 1234 5600 0007 86', reason: 'Liikaa maksettu', idempotencyKey: newKey() });
    expect(badIban.status).toBe(400);
    expect(badIban.body.invalidParams).toEqual([{ name: 'iban', reason: 'is not a valid IBAN' }]);
    expect(badIban.body.code).toBe('invalid_iban');
    expect((await post(url, { amountCents: 2400, iban, reason: 'x', idempotencyKey: newKey() }, caseworker)).status).toBe(403);

    const key = newKey();
    const refund = await post(url, { amountCents: 2400, iban, reason: 'Liikaa maksettu', idempotencyKey: key });
    expect(refund.status, refund.text).toBe(201);
    expect(refund.body).toMatchObject({ amountCents: 2400, iban: 'FI2112345600000785', status: 'pending' });
    const again = await post(url, { amountCents: 2400, iban, reason: 'Liikaa maksettu', idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(refund.body.id);
    const reused = await post(url, { amountCents: 1000, iban, reason: 'x', idempotencyKey: key });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'idempotency_key_reused', refundId: refund.body.id });
    // The credit is used up: nothing more to refund, and the over-payment has nothing left.
    expect((await post(url, { amountCents: 1, iban, reason: 'x', idempotencyKey: newKey() })).status).toBe(422);
    expect((await ledger(m)).body).toMatchObject({ balanceCents: 0, refunds: [expect.objectContaining({ id: refund.body.id, status: 'pending' })] });
    const [entry] = await stack.db.select().from(bankEntries).where(eq(bankEntries.archiveId, pay));
    expect(entry!.unallocatedCents).toBe(0);

    const file = await client.api('/api/v1/refunds/payment-file', { method: 'POST', cookie: billing });
    expect(file.status, file.text).toBe(201);
    expect(file.headers.get('content-type')).toMatch(/application\/xml/);
    const doc = parseXml(file.text);
    const info = path(doc, 'CstmrCdtTrfInitn', 'PmtInf')!;
    const messageId = textOf(path(doc, 'CstmrCdtTrfInitn', 'GrpHdr', 'MsgId')!);
    expect(messageId).toBe(file.headers.get('x-message-id'));
    const tx = info.children.filter((c) => c.localName === 'CdtTrfTxInf').find((t) => textOf(path(t, 'CdtrAcct', 'Id', 'IBAN')!) === 'FI2112345600000785' && textOf(path(t, 'PmtId', 'EndToEndId')!) === refund.body.id.replace(/-/g, ''));
    expect(tx).toBeDefined();
    expect(textOf(path(tx!, 'Amt', 'InstdAmt')!)).toBe('24.00');
    expect(textOf(child(path(info, 'DbtrAcct', 'Id')!, 'IBAN')!)).toBe(stack.profile.iban);
    const [row] = await stack.db.select().from(refunds).where(eq(refunds.id, refund.body.id));
    expect(row).toMatchObject({ status: 'in-file' });

    // Asked again (a lost answer, say): the same file, nothing new marked.
    const repeat = await client.api('/api/v1/refunds/payment-file', { method: 'POST', cookie: billing });
    expect(repeat.status).toBe(200);
    expect(repeat.text).toBe(file.text);
    expect(repeat.headers.get('x-message-id')).toBe(messageId);
  });
});

interface Line {
  date: string;
  account: string;
  source: string;
  debitCents: number;
  creditCents: number;
}

async function ledgerSums(from: string, to: string) {
  const rows = await stack.db
    .select({ kind: ledgerEntries.kind, identified: sql<boolean>`${ledgerEntries.memberId} IS NOT NULL`, cents: sql<string>`sum(${ledgerEntries.amountCents})` })
    .from(ledgerEntries)
    .where(between(ledgerEntries.occurredOn, from, to))
    .groupBy(ledgerEntries.kind, sql`${ledgerEntries.memberId} IS NOT NULL`);
  return rows.map((r) => ({ kind: r.kind, identified: r.identified, cents: Number(r.cents) }));
}

function parseCsv(text: string): Line[] {
  const [header, ...rows] = text.trim().split('\r\n');
  expect(header).toBe('date,account,account_name,source,debit,credit');
  const cents = (s: string) => (s === '' ? 0 : Math.round(Number(s) * 100));
  return rows.map((row) => {
    // Account names hold no commas or quotes in the defaults, so a plain split is enough here.
    const [date, account, , source, debit, credit] = row.split(',');
    return { date: date!, account: account!, source: source!, debitCents: cents(debit!), creditCents: cents(credit!) };
  });
}

/** The export's sums per ledger kind equal the ledger's sums over the same range, per account role. */
function expectReconciles(lines: Line[], accounts: Record<string, { number: string }>, sums: Awaited<ReturnType<typeof ledgerSums>>) {
  const net = (account: string, source?: string) =>
    lines.filter((l) => l.account === accounts[account]!.number && (source === undefined || l.source === source)).reduce((s, l) => s + l.debitCents - l.creditCents, 0);
  const ledgerSum = (kinds: string[], identified?: boolean) => sums.filter((s) => kinds.includes(s.kind) && (identified === undefined || s.identified === identified)).reduce((t, s) => t + s.cents, 0);
  for (const kind of ['invoice', 'payment', 'credit-note', 'write-off', 'refund', 'reversal']) {
    expect(net('feesReceivable', kind), `receivables from ${kind}`).toBe(ledgerSum([kind], true));
    expect(net('unidentifiedPayments', kind), `suspense from ${kind}`).toBe(ledgerSum([kind], false));
  }
  expect(net('bank')).toBe(0 - ledgerSum(['payment', 'reversal']));
  expect(net('feeIncome')).toBe(0 - ledgerSum(['invoice', 'credit-note']));
  expect(net('creditLosses')).toBe(0 - ledgerSum(['write-off']));
  expect(net('refundsPayable')).toBe(0 - ledgerSum(['refund']));
  // Double entry: every day balances.
  for (const date of new Set(lines.map((l) => l.date))) {
    const day = lines.filter((l) => l.date === date);
    expect(day.reduce((s, l) => s + l.debitCents, 0), `debits = credits on ${date}`).toBe(day.reduce((s, l) => s + l.creditCents, 0));
  }
}

describe('bookkeeping export', () => {
  it('journal sums per account equal the ledger sums, as JSON and CSV, and every day balances', async () => {
    // A year with every kind of event: invoices, exact and over-payments, a reversal, an
    // unidentified payment later placed by hand, a credit note, a write-off and a refund.
    const [a, b, c] = await Promise.all([member(), member(), member()]);
    const ia = await newInvoice(stack, a, 2016, 9600, { issuedOn: '2016-01-11' });
    const ib = await newInvoice(stack, b, 2016, 9600, { issuedOn: '2016-01-11' });
    const ic = await newInvoice(stack, c, 2016, 9600, { issuedOn: '2016-01-12' });
    const lost = archiveId();
    const reversedPay = archiveId();
    await importCamt([
      { archiveId: archiveId(), amountCents: 10000, ref: ia.reference, bookingDate: '2016-02-01' },
      { archiveId: reversedPay, amountCents: 9600, ref: ib.reference, bookingDate: '2016-02-01' },
      { archiveId: archiveId(), amountCents: 9600, ref: ib.reference, debit: true, reversal: true, bookingDate: '2016-02-03' },
      { archiveId: lost, amountCents: 4000, ustrd: 'maksu', bookingDate: '2016-02-03' },
    ]);
    await post(`/api/v1/invoices/${ib.id}/credit-note`, { amountCents: 1600, reason: 'Hyvitys' });
    await post(`/api/v1/invoices/${ib.id}/write-off`, { reason: 'Poisto' });
    const refund = await post(`/api/v1/members/${a.memberId}/refunds`, { amountCents: 400, iban: 'FI2112345600000785', reason: 'Palautus', idempotencyKey: newKey() });
    expect(refund.status).toBe(201);
    const [lostEntry] = await stack.db.select().from(bankEntries).where(eq(bankEntries.archiveId, lost));
    const task = await waitFor(async () => (await stack.db.select().from(tasks).where(eq(tasks.subjectId, lostEntry!.id)))[0], (t) => t !== undefined);
    const placed = await post(`/api/v1/payments/${lostEntry!.id}/allocation`, { taskId: task!.id, memberId: c.memberId, note: 'Soitettu maksajalle' });
    expect(placed.status, placed.text).toBe(200);
    expect(await invoiceById(stack, ic.id)).toMatchObject({ openCents: 5600, status: 'partially-paid' });

    const today = stack.ctx.today();
    for (const [from, to] of [
      ['2016-01-01', '2016-12-31'],
      [addDays(today, -30), today],
    ] as const) {
      const json = await client.api(`/api/v1/bookkeeping/journal?from=${from}&to=${to}&format=json`, { cookie: billing });
      expect(json.status, json.text).toBe(200);
      const lines: Line[] = json.body.days.flatMap((d: any) => {
        expect(d.debitCents).toBe(d.creditCents);
        return d.lines;
      });
      expect(lines.length).toBeGreaterThan(0);
      const sums = await ledgerSums(from, to);
      expectReconciles(lines, json.body.accounts, sums);
      expect(json.body.totals.debitCents).toBe(json.body.totals.creditCents);

      const csv = await client.api(`/api/v1/bookkeeping/journal?from=${from}&to=${to}&format=csv`, { cookie: billing });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
      const csvLines = parseCsv(csv.text);
      expect(csvLines).toHaveLength(lines.length);
      expectReconciles(csvLines, json.body.accounts, sums);
    }

    // 2016-02-01: a's 100 € and b's 96 € came into the bank; receivables fell by the same.
    const day = (await client.api('/api/v1/bookkeeping/journal?from=2016-02-01&to=2016-02-01', { cookie: admin })).body.days[0];
    const bankLine = day.lines.find((l: any) => l.account === '1910' && l.source === 'payment');
    expect(bankLine.debitCents).toBeGreaterThanOrEqual(19600);

    expect((await client.api('/api/v1/bookkeeping/journal?from=2016-01-01&to=2016-12-31', { cookie: caseworker })).status).toBe(403);
    expect((await client.api('/api/v1/bookkeeping/journal?from=2016-12-31&to=2016-01-01', { cookie: billing })).status).toBe(400);
  });
});

describe('reports', () => {
  it('fee income per month: invoiced against paid', async () => {
    const m = await member();
    const inv = await newInvoice(stack, m, 2014, 9600, { issuedOn: '2014-01-10' });
    await importCamt([
      { archiveId: archiveId(), amountCents: 5000, ref: inv.reference, bookingDate: '2014-02-03' },
      { archiveId: archiveId(), amountCents: 4600, ref: inv.reference, bookingDate: '2014-03-05' },
    ]);
    const res = await client.api('/api/v1/reports/fee-income?from=2014-01-01&to=2014-04-30&granularity=month', { cookie: billing });
    expect(res.status, res.text).toBe(200);
    expect(res.body.periods).toEqual([
      { period: '2014-01', invoicedCents: 9600, creditedCents: 0, paidCents: 0, writtenOffCents: 0, refundedCents: 0 },
      { period: '2014-02', invoicedCents: 0, creditedCents: 0, paidCents: 5000, writtenOffCents: 0, refundedCents: 0 },
      { period: '2014-03', invoicedCents: 0, creditedCents: 0, paidCents: 4600, writtenOffCents: 0, refundedCents: 0 },
      { period: '2014-04', invoicedCents: 0, creditedCents: 0, paidCents: 0, writtenOffCents: 0, refundedCents: 0 },
    ]);
  });

  it('receivables aging in buckets of days overdue', async () => {
    const m = await member();
    const on = '2013-06-30';
    await newInvoice(stack, m, 2013, 9600, { issuedOn: '2013-06-01', dueDate: '2013-07-15' }); // not due
    await newInvoice(stack, m, 2012, 9600, { issuedOn: '2013-05-01', dueDate: '2013-06-10' }); // 20 days
    await newInvoice(stack, m, 2011, 9600, { issuedOn: '2013-03-01', dueDate: '2013-05-01' }); // 60 days
    await newInvoice(stack, m, 2010, 9600, { issuedOn: '2013-01-01', dueDate: '2013-02-15' }); // 135 days
    const old = await newInvoice(stack, m, 2009, 9600, { issuedOn: '2010-01-01', dueDate: '2010-02-15' }); // > 180 days
    await newInvoice(stack, m, 2008, 9600, { issuedOn: '2013-07-01', dueDate: '2013-08-15' }); // issued after `on`: not counted
    await importCamt([{ archiveId: archiveId(), amountCents: 1000, ref: old.reference, bookingDate: '2010-03-01' }]);
    const res = await client.api(`/api/v1/reports/receivables-aging?on=${on}`, { cookie: billing });
    expect(res.status, res.text).toBe(200);
    expect(res.body.buckets).toEqual([
      { bucket: 'not-due', count: 1, cents: 9600 },
      { bucket: '1-30', count: 1, cents: 9600 },
      { bucket: '31-90', count: 1, cents: 9600 },
      { bucket: '91-180', count: 1, cents: 9600 },
      { bucket: 'over-180', count: 1, cents: 8600 },
    ]);
    expect(res.body.total).toEqual({ count: 5, cents: 9600 * 4 + 8600 });
    expect((await client.api(`/api/v1/reports/receivables-aging?on=2013-02-30`, { cookie: billing })).status).toBe(400);
  });
});
