import { describe, expect, it } from 'vitest';
import { agingBucket, agingTable, feeIncomeByMonth, journalCsv, journalDays, journalTotals, type Accounts, type LedgerDaySum } from '../../../domain/billing/journal';

const accounts: Accounts = {
  feesReceivable: { number: '1700', name: 'Fees receivable' },
  feeIncome: { number: '3000', name: 'Fee income' },
  bank: { number: '1910', name: 'Bank' },
  unidentifiedPayments: { number: '2890', name: 'Unidentified, "suspense"' },
  refundsPayable: { number: '2880', name: 'Refunds payable' },
  creditLosses: { number: '8550', name: 'Credit losses' },
};
const sum = (day: string, kind: LedgerDaySum['kind'], cents: number, unidentified = false): LedgerDaySum => ({ day, kind, cents, unidentified });
const lines = (days: ReturnType<typeof journalDays>) => days.flatMap((d) => d.lines.map((l) => [l.date, l.account, l.source, l.debitCents, l.creditCents]));

describe('journalDays', () => {
  it('posts every ledger sum against its counter account, so each day balances', () => {
    const days = journalDays([sum('2026-02-01', 'invoice', 9600), sum('2026-02-01', 'payment', -5000), sum('2026-02-02', 'write-off', -4600)], accounts);
    expect(lines(days)).toEqual([
      ['2026-02-01', '1700', 'invoice', 9600, 0],
      ['2026-02-01', '1700', 'payment', 0, 5000],
      ['2026-02-01', '1910', 'payment', 5000, 0],
      ['2026-02-01', '3000', 'invoice', 0, 9600],
      ['2026-02-02', '1700', 'write-off', 0, 4600],
      ['2026-02-02', '8550', 'write-off', 4600, 0],
    ]);
    for (const day of days) expect(day.debitCents).toBe(day.creditCents);
    expect(journalTotals(days)).toEqual({ debitCents: 19200, creditCents: 19200 });
  });

  it('books payments without a member to suspense, and credit notes and refunds to their accounts', () => {
    const days = journalDays([sum('2026-03-01', 'payment', -1000, true), sum('2026-03-01', 'credit-note', -800), sum('2026-03-01', 'refund', 500)], accounts);
    expect(lines(days)).toEqual([
      ['2026-03-01', '1700', 'credit-note', 0, 800],
      ['2026-03-01', '1700', 'refund', 500, 0],
      ['2026-03-01', '1910', 'payment', 1000, 0],
      ['2026-03-01', '2880', 'refund', 0, 500],
      ['2026-03-01', '2890', 'payment', 0, 1000],
      ['2026-03-01', '3000', 'credit-note', 800, 0],
    ]);
  });

  it('nets a kind within a day and leaves out lines that net to zero, and days with nothing', () => {
    expect(journalDays([sum('2026-03-01', 'payment', -1000), sum('2026-03-01', 'payment', 1000, false)], accounts)).toEqual([]);
    expect(journalDays([], accounts)).toEqual([]);
    expect(journalTotals([])).toEqual({ debitCents: 0, creditCents: 0 });
  });

  it('writes CSV with point decimals, quoting what needs it', () => {
    const csv = journalCsv({ days: journalDays([sum('2026-03-01', 'payment', -123456, true)], accounts) });
    expect(csv).toBe(
      'date,account,account_name,source,debit,credit\r\n' +
        '2026-03-01,1910,Bank,payment,1234.56,\r\n' +
        '2026-03-01,2890,"Unidentified, ""suspense""",payment,,1234.56\r\n',
    );
    expect(journalCsv({ days: [] })).toBe('date,account,account_name,source,debit,credit\r\n');
  });

  it('keeps an account name a spreadsheet would run as a formula as text', () => {
    const csv = journalCsv({ days: journalDays([sum('2026-03-01', 'payment', -100)], { ...accounts, bank: { number: '1910', name: '=HYPERLINK("http://x")' } }) });
    expect(csv.split('\r\n')).toContain('2026-03-01,1910,"\'=HYPERLINK(""http://x"")",payment,1.00,');
  });
});

describe('feeIncomeByMonth', () => {
  it('has every month of the range, zeros where nothing moved', () => {
    const months = feeIncomeByMonth('2028-01-15', '2028-03-01', [
      { month: '2028-01', kind: 'invoice', cents: 9600 },
      { month: '2028-02', kind: 'payment', cents: -5000 },
      { month: '2028-02', kind: 'reversal', cents: 1000 },
      { month: '2028-03', kind: 'credit-note', cents: -800 },
      { month: '2028-03', kind: 'write-off', cents: -3800 },
      { month: '2028-03', kind: 'refund', cents: 200 },
      { month: '2028-04', kind: 'invoice', cents: 9600 },
    ]);
    expect(months).toEqual([
      { period: '2028-01', invoicedCents: 9600, creditedCents: 0, paidCents: 0, writtenOffCents: 0, refundedCents: 0 },
      { period: '2028-02', invoicedCents: 0, creditedCents: 0, paidCents: 4000, writtenOffCents: 0, refundedCents: 0 },
      { period: '2028-03', invoicedCents: 0, creditedCents: 800, paidCents: 0, writtenOffCents: 3800, refundedCents: 200 },
    ]);
  });

  it('crosses a year end and covers a one-month range', () => {
    expect(feeIncomeByMonth('2026-11-30', '2027-01-31', []).map((m) => m.period)).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(feeIncomeByMonth('2026-02-28', '2026-02-28', []).map((m) => m.period)).toEqual(['2026-02']);
  });
});

describe('receivables aging', () => {
  it('is not due up to and including the due day, then by days past it', () => {
    expect(agingBucket('2013-07-15', '2013-06-30')).toBe('not-due');
    expect(agingBucket('2013-06-30', '2013-06-30')).toBe('not-due');
    expect(agingBucket('2013-06-29', '2013-06-30')).toBe('1-30');
    expect(agingBucket('2013-05-31', '2013-06-30')).toBe('1-30');
    expect(agingBucket('2013-05-30', '2013-06-30')).toBe('31-90');
    expect(agingBucket('2013-04-01', '2013-06-30')).toBe('31-90');
    expect(agingBucket('2013-03-31', '2013-06-30')).toBe('91-180');
    expect(agingBucket('2013-01-01', '2013-06-30')).toBe('91-180');
    expect(agingBucket('2012-12-31', '2013-06-30')).toBe('over-180');
    // Across 29 February: 2028-01-31 + 30 days is 2028-03-01.
    expect(agingBucket('2028-01-31', '2028-03-01')).toBe('1-30');
    expect(agingBucket('2028-01-31', '2028-03-02')).toBe('31-90');
  });

  it('lists every bucket in order with the total', () => {
    expect(agingTable([], '2013-06-30')).toEqual({
      buckets: [
        { bucket: 'not-due', count: 0, cents: 0 },
        { bucket: '1-30', count: 0, cents: 0 },
        { bucket: '31-90', count: 0, cents: 0 },
        { bucket: '91-180', count: 0, cents: 0 },
        { bucket: 'over-180', count: 0, cents: 0 },
      ],
      total: { count: 0, cents: 0 },
    });
    const table = agingTable(
      [
        { dueDate: '2013-07-15', count: 2, cents: 19200 },
        { dueDate: '2013-06-10', count: 1, cents: 9600 },
        { dueDate: '2013-06-01', count: 1, cents: 100 },
        { dueDate: '2010-02-15', count: 1, cents: 8600 },
      ],
      '2013-06-30',
    );
    expect(table.buckets.map((b) => [b.bucket, b.count, b.cents])).toEqual([
      ['not-due', 2, 19200],
      ['1-30', 2, 9700],
      ['31-90', 0, 0],
      ['91-180', 0, 0],
      ['over-180', 1, 8600],
    ]);
    expect(table.total).toEqual({ count: 5, cents: 37500 });
  });
});
