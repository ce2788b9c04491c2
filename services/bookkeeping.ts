import * as ledgerRepo from '../db/repositories/ledger';
import type { LedgerKind } from '../db/schema';
import { addMonths, compareDates, daysBetween } from '../domain/dates';
import { recordAudit } from '../db/repositories/audit';
import type { ServiceContext } from './context';
import { forbidden, ServiceError } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

/**
 * The finance system's accounts the journal posts to.
 *
 * These are fund configuration, not law: the defaults below follow the common Finnish chart of
 * accounts layout (assets 1xxx, liabilities 2xxx, income 3xxx, expenses 4xxx–8xxx) and must be
 * set to the fund's own numbers. Fund profiles (domain/profiles) are not the place, since they
 * ship as code for every fund; until the admin desk stores configuration, set them with the
 * environment variable BOOKKEEPING_ACCOUNTS, a JSON object overriding any of the keys, e.g.
 * `{"bank":"1911","feeIncome":"3010"}`.
 */
export const defaultAccounts = {
  /** Membership fees the members owe (and, below zero, the credits they have paid in advance). */
  feesReceivable: { number: '1700', name: 'Jäsenmaksusaamiset / Fees receivable' },
  /** Membership-fee income; credit notes reduce it. */
  feeIncome: { number: '3000', name: 'Jäsenmaksutuotot / Fee income' },
  /** The fund's account that reference payments come into. */
  bank: { number: '1910', name: 'Pankkitili / Bank' },
  /** Money on the bank account not yet identified to a member (suspense). */
  unidentifiedPayments: { number: '2890', name: 'Selvittämättömät suoritukset / Unidentified payments' },
  /** Refunds granted to members and not yet paid out. */
  refundsPayable: { number: '2880', name: 'Palautettavat jäsenmaksut / Refunds payable' },
  /** Fees written off as uncollectable. */
  creditLosses: { number: '8550', name: 'Luottotappiot / Credit losses' },
} as const;

export type AccountKey = keyof typeof defaultAccounts;
export type Accounts = Record<AccountKey, { number: string; name: string }>;

export function bookkeepingAccounts(env: Record<string, string | undefined> = process.env): Accounts {
  const accounts: Accounts = { ...defaultAccounts };
  const raw = env.BOOKKEEPING_ACCOUNTS;
  if (!raw) return accounts;
  let overrides: unknown;
  try {
    overrides = JSON.parse(raw);
  } catch {
    throw new Error('BOOKKEEPING_ACCOUNTS must be a JSON object such as {"bank":"1911"}');
  }
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (!(key in accounts)) throw new Error(`BOOKKEEPING_ACCOUNTS: unknown account "${key}" (known: ${Object.keys(accounts).join(', ')})`);
    if (typeof value !== 'string' || !/^\w{1,20}$/.test(value)) throw new Error(`BOOKKEEPING_ACCOUNTS: account "${key}" must be a number such as "1910"`);
    accounts[key as AccountKey] = { ...accounts[key as AccountKey], number: value };
  }
  return accounts;
}

/**
 * The counter account of each ledger kind. Every ledger row of amount x (+ = the member owes more)
 * posts x to fees receivable (or to unidentified payments when it has no member) and −x here, so
 * each row, and therefore each day, balances.
 */
const counterAccount: Record<LedgerKind, AccountKey> = {
  invoice: 'feeIncome',
  'credit-note': 'feeIncome',
  payment: 'bank',
  reversal: 'bank',
  'write-off': 'creditLosses',
  refund: 'refundsPayable',
};

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

const MAX_JOURNAL_DAYS = 366;

function requireFinance(p: Principal) {
  if (!hasRole(p, 'billing', 'admin')) throw forbidden('The bookkeeping export is for billing users and administrators.');
}

function checkRange(from: string, to: string, maxDays: number) {
  if (compareDates(from, to) > 0) throw new ServiceError(400, 'Invalid request', '"from" must not be after "to".', { invalidParams: [{ name: 'from', reason: 'must not be after to' }] });
  if (daysBetween(from, to) > maxDays) {
    throw new ServiceError(400, 'Invalid request', `The range may span at most ${maxDays} days; ask for it in parts.`, { invalidParams: [{ name: 'to', reason: `at most ${maxDays} days after from` }] });
  }
}

/**
 * Journal entries per day and account over [from, to], double-entry, straight from the ledger:
 * a line per (day, account, ledger kind) with the net movement on its debit or credit side.
 */
export async function journal(ctx: ServiceContext, p: Principal, from: string, to: string) {
  requireFinance(p);
  checkRange(from, to, MAX_JOURNAL_DAYS);
  const accounts = bookkeepingAccounts();
  const groups = await ledgerRepo.ledgerGroups(ctx.db, from, to);
  const net = new Map<string, { date: string; account: AccountKey; source: LedgerKind; cents: number }>();
  const add = (date: string, account: AccountKey, source: LedgerKind, cents: number) => {
    const key = `${date}|${account}|${source}`;
    const line = net.get(key) ?? { date, account, source, cents: 0 };
    line.cents += cents;
    net.set(key, line);
  };
  for (const g of groups) {
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
  await recordAudit(ctx.db, { ...actorOf(p), action: 'bookkeeping.exported', entityType: 'journal', entityId: `${from}/${to}`, details: { days: sorted.length } });
  return {
    from,
    to,
    currency: 'EUR',
    accounts: Object.fromEntries(Object.entries(accounts).map(([key, a]) => [key, a])) as Accounts,
    days: sorted,
    totals: { debitCents: sorted.reduce((s, d) => s + d.debitCents, 0), creditCents: sorted.reduce((s, d) => s + d.creditCents, 0) },
  };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function decimal(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** RFC 4180 CSV: one line per journal line; amounts in euros with a point, empty on the other side. */
export function journalCsv(j: Awaited<ReturnType<typeof journal>>): string {
  const lines = ['date,account,account_name,source,debit,credit'];
  for (const day of j.days) {
    for (const l of day.lines) {
      lines.push([l.date, l.account, l.accountName, l.source, l.debitCents ? decimal(l.debitCents) : '', l.creditCents ? decimal(l.creditCents) : ''].map(csvField).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

function requireReports(p: Principal) {
  if (!hasRole(p, 'billing', 'supervisor', 'admin')) throw forbidden('Fee reports are for billing users, supervisors and administrators.');
}

/**
 * Invoiced against paid per month over [from, to], from the member ledger: invoiced net of credit
 * notes, paid net of reversals, plus write-offs and refunds. Months without movement are zeros,
 * so a chart has every month.
 */
export async function feeIncomeReport(ctx: ServiceContext, p: Principal, from: string, to: string, granularity: 'month' = 'month') {
  requireReports(p);
  checkRange(from, to, 3660);
  const sums = await ledgerRepo.memberLedgerByMonth(ctx.db, from, to);
  const periods: { period: string; invoicedCents: number; creditedCents: number; paidCents: number; writtenOffCents: number; refundedCents: number }[] = [];
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
  return { from, to, granularity, periods };
}

const agingOrder: ledgerRepo.AgingBucket[] = ['not-due', '1-30', '31-90', '91-180', 'over-180'];

/** Open invoices by days overdue on `on`: not due, 1–30, 31–90, 91–180, over 180 days. */
export async function receivablesAging(ctx: ServiceContext, p: Principal, on: string) {
  requireReports(p);
  const rows = await ledgerRepo.agingBuckets(ctx.db, on);
  const buckets = agingOrder.map((bucket) => {
    const row = rows.find((r) => r.bucket === bucket);
    return { bucket, count: row?.count ?? 0, cents: row?.cents ?? 0 };
  });
  return { on, buckets, total: { count: buckets.reduce((s, b) => s + b.count, 0), cents: buckets.reduce((s, b) => s + b.cents, 0) } };
}
