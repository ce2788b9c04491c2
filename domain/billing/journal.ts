/**
 * The bookkeeping journal and the fee reports, computed from the member ledger's sums: double
 * entry per day and account, income per month, receivables by age.
 */
import { addMonths, daysBetween } from '../dates';
import { decimalAmount } from '../money';
import type { LedgerKind } from '../vocabulary';
import { csvField } from '../csv';

export type AccountKey = 'feesReceivable' | 'feeIncome' | 'bank' | 'unidentifiedPayments' | 'refundsPayable' | 'creditLosses';
export type Accounts = Record<AccountKey, { number: string; name: string }>;

/**
 * The counter account of each ledger kind. Every ledger row of amount x (+ = the member owes more)
 * posts x to fees receivable (or to unidentified payments when it has no member) and −x here, so
 * each row, and therefore each day, balances.
 */
export const counterAccount: Readonly<Record<LedgerKind, AccountKey>> = {
  invoice: 'feeIncome',
  'credit-note': 'feeIncome',
  payment: 'bank',
  reversal: 'bank',
  'write-off': 'creditLosses',
  refund: 'refundsPayable',
  // A reminder fee is the fund's income like the fee it reminds of (only when the fund charges one).
  'reminder-fee': 'feeIncome',
};

/** Ledger rows summed per day, kind and whether they have a member. */
export interface LedgerDaySum {
  day: string;
  kind: LedgerKind;
  /** True for rows without a member: payments not yet identified (suspense). */
  unidentified: boolean;
  cents: number;
}

export interface JournalLine {
  date: string;
  account: string;
  accountName: string;
  /** The ledger kind the line comes from, so every sum can be traced back to the ledger. */
  source: LedgerKind;
  debitCents: number;
  creditCents: number;
}

export interface JournalDay {
  date: string;
  lines: JournalLine[];
  debitCents: number;
  creditCents: number;
}

/**
 * Journal days from the ledger's sums: a line per (day, account, ledger kind) with the net movement
 * on its debit or credit side, lines that net to zero left out; days by date, lines by account
 * and source.
 */
export function journalDays(sums: readonly LedgerDaySum[], accounts: Accounts): JournalDay[] {
  const net = new Map<string, { date: string; account: AccountKey; source: LedgerKind; cents: number }>();
  const add = (date: string, account: AccountKey, source: LedgerKind, cents: number) => {
    const key = `${date}|${account}|${source}`;
    const line = net.get(key) ?? { date, account, source, cents: 0 };
    line.cents += cents;
    net.set(key, line);
  };
  for (const g of sums) {
    add(g.day, g.unidentified ? 'unidentifiedPayments' : 'feesReceivable', g.kind, g.cents);
    add(g.day, counterAccount[g.kind], g.kind, -g.cents);
  }
  const days = new Map<string, JournalDay>();
  for (const line of net.values()) {
    if (line.cents === 0) continue;
    const day = days.get(line.date) ?? { date: line.date, lines: [], debitCents: 0, creditCents: 0 };
    const account = accounts[line.account];
    const debitCents = Math.max(0, line.cents);
    const creditCents = Math.max(0, -line.cents);
    day.lines.push({ date: line.date, account: account.number, accountName: account.name, source: line.source, debitCents, creditCents });
    day.debitCents += debitCents;
    day.creditCents += creditCents;
    days.set(line.date, day);
  }
  const sorted = [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
  for (const day of sorted) day.lines.sort((a, b) => a.account.localeCompare(b.account) || a.source.localeCompare(b.source));
  return sorted;
}

export function journalTotals(days: readonly JournalDay[]): { debitCents: number; creditCents: number } {
  return { debitCents: days.reduce((s, d) => s + d.debitCents, 0), creditCents: days.reduce((s, d) => s + d.creditCents, 0) };
}

/** RFC 4180 CSV: one line per journal line; amounts in euros with a point, empty on the other side. */
export function journalCsv(j: { days: readonly JournalDay[] }): string {
  const lines = ['date,account,account_name,source,debit,credit'];
  for (const day of j.days) {
    for (const l of day.lines) {
      lines.push([l.date, l.account, l.accountName, l.source, l.debitCents ? decimalAmount(l.debitCents) : '', l.creditCents ? decimalAmount(l.creditCents) : ''].map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface FeeIncomeMonth {
  period: string;
  invoicedCents: number;
  creditedCents: number;
  paidCents: number;
  writtenOffCents: number;
  refundedCents: number;
}

/**
 * Invoiced against paid per month ('YYYY-MM') from the first month of `from` to the month of
 * `to`, from member-ledger sums per month and kind: invoiced and credited, paid net of
 * reversals, written off and refunded, each as a positive figure. Months without movement are
 * zeros, so a chart has every month; sums outside the range are ignored.
 */
export function feeIncomeByMonth(from: string, to: string, sums: readonly { month: string; kind: LedgerKind; cents: number }[]): FeeIncomeMonth[] {
  const periods: FeeIncomeMonth[] = [];
  for (let month = `${from.slice(0, 7)}-01`; month.slice(0, 7) <= to.slice(0, 7); month = addMonths(month, 1)) {
    periods.push({ period: month.slice(0, 7), invoicedCents: 0, creditedCents: 0, paidCents: 0, writtenOffCents: 0, refundedCents: 0 });
  }
  const byPeriod = new Map(periods.map((x) => [x.period, x]));
  for (const s of sums) {
    const row = byPeriod.get(s.month);
    if (!row) continue;
    if (s.kind === 'invoice') row.invoicedCents += s.cents;
    else if (s.kind === 'credit-note') row.creditedCents -= s.cents;
    else if (s.kind === 'payment' || s.kind === 'reversal') row.paidCents -= s.cents;
    else if (s.kind === 'write-off') row.writtenOffCents -= s.cents;
    else if (s.kind === 'refund') row.refundedCents += s.cents;
  }
  return periods;
}

export type AgingBucket = 'not-due' | '1-30' | '31-90' | '91-180' | 'over-180';
export const agingBuckets: readonly AgingBucket[] = ['not-due', '1-30', '31-90', '91-180', 'over-180'];

/** The bucket of an invoice due on `dueDate`, by days past due on `on`: not due up to and including the due day. */
export function agingBucket(dueDate: string, on: string): AgingBucket {
  const overdue = daysBetween(dueDate, on);
  if (overdue <= 0) return 'not-due';
  if (overdue <= 30) return '1-30';
  if (overdue <= 90) return '31-90';
  if (overdue <= 180) return '91-180';
  return 'over-180';
}

/** Open invoices summed per due date, as buckets on `on`: every bucket in order (zeros where nothing is open) and the total. */
export function agingTable(byDueDate: readonly { dueDate: string; count: number; cents: number }[], on: string) {
  const buckets = agingBuckets.map((bucket) => ({ bucket, count: 0, cents: 0 }));
  for (const row of byDueDate) {
    const bucket = buckets[agingBuckets.indexOf(agingBucket(row.dueDate, on))]!;
    bucket.count += row.count;
    bucket.cents += row.cents;
  }
  return { buckets, total: { count: buckets.reduce((s, b) => s + b.count, 0), cents: buckets.reduce((s, b) => s + b.cents, 0) } };
}
