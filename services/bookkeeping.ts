import { recordAudit } from '../db/repositories/audit';
import * as financeRepo from '../db/repositories/finance';
import * as ledgerRepo from '../db/repositories/ledger';
import { journalDayCsv, journalDayFile, type JournalDayFile } from '../domain/billing/journalReconciliation';
import { agingTable, feeIncomeByMonth, journalDays, journalTotals, type AccountKey, type Accounts } from '../domain/billing/journal';
import { compareDates, daysBetween } from '../domain/dates';
import type { ServiceContext } from './context';
import { dateRangeReversed, failure } from './errors';
import { actorOf, hasRole, hasScope, type Principal } from './principal';

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
export const defaultAccounts: Readonly<Accounts> = {
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
};

export { journalCsv } from '../domain/billing/journal';
export { journalDayCsv };

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

const MAX_JOURNAL_DAYS = 366;

function requireFinance(p: Principal) {
  if (!hasRole(p, 'billing', 'admin') && !hasScope(p, 'bookkeeping:read')) {
    throw failure(403, 'bookkeeping_role_required', 'The bookkeeping export is for billing users, administrators and clients with the scope bookkeeping:read.');
  }
}

function checkRange(from: string, to: string, maxDays: number) {
  if (compareDates(from, to) > 0) throw dateRangeReversed();
  if (daysBetween(from, to) > maxDays) {
    throw failure(400, 'range_too_long', `The range may span at most ${maxDays} days; ask for it in parts.`, { params: { maxDays }, extra: { invalidParams: [{ name: 'to', reason: `at most ${maxDays} days after from` }] } });
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
  const days = journalDays(await ledgerRepo.ledgerGroups(ctx.db, from, to), accounts);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'bookkeeping.exported', entityType: 'journal', entityId: `${from}/${to}`, details: { days: days.length } });
  return {
    from,
    to,
    currency: 'EUR',
    accounts: Object.fromEntries(Object.entries(accounts).map(([key, a]) => [key, a])) as Accounts,
    days,
    totals: journalTotals(days),
  };
}

/**
 * One day of the journal in the layout the finance system is sent every night
 * (docs/finance-journal-format.md): the same lines as the journal, with the format's name.
 */
export async function journalDay(ctx: ServiceContext, p: Principal, date: string): Promise<JournalDayFile> {
  requireFinance(p);
  const file = journalDayFile(date, journalDays(await ledgerRepo.ledgerGroups(ctx.db, date, date), bookkeepingAccounts()));
  await recordAudit(ctx.db, { ...actorOf(p), action: 'bookkeeping.exported', entityType: 'journal', entityId: date, details: { days: 1, lines: file.lines.length } });
  return file;
}

/**
 * Per day of [from, to] that was sent or checked: the file the finance system was sent and the
 * latest check of the journal against the ledger (decision 025). A mismatch names its task's process.
 */
export async function journalReconciliations(ctx: ServiceContext, p: Principal, from: string, to: string, status?: ReconciliationStatusFilter) {
  requireFinance(p);
  checkRange(from, to, MAX_JOURNAL_DAYS);
  const [pushes, checks] = await Promise.all([financeRepo.pushesBetween(ctx.db, from, to), financeRepo.latestReconciliations(ctx.db, from, to)]);
  const days = [...new Set([...pushes.map((x) => x.day), ...checks.map((x) => x.day)])].sort();
  const pushOf = new Map(pushes.map((x) => [x.day, x]));
  const checkOf = new Map(checks.map((x) => [x.day, x]));
  return {
    from,
    to,
    days: days.filter((date) => !status || dayMatches(checkOf.get(date) ?? null, status)).map((date) => {
      const push = pushOf.get(date);
      const check = checkOf.get(date);
      return {
        date,
        sent: push ? { deliveryId: push.deliveryId, sentAt: push.pushedAt.toISOString(), lines: push.lines, debitCents: push.debitCents, creditCents: push.creditCents, sha256: push.sha256 } : null,
        check: check
          ? {
              checkedAt: check.checkedAt.toISOString(),
              against: check.against,
              status: check.status,
              journalBalanced: check.journalBalanced,
              differences: check.differences,
              mismatchWorkflowId: check.mismatchWorkflowId,
              resolution: check.resolution,
            }
          : null,
      };
    }),
  };
}

export type ReconciliationStatusFilter = 'balanced' | 'mismatch' | 'open' | 'unchecked';

/** A day's latest state for the list's status filter: its check's status, 'open' for an unresolved mismatch, 'unchecked' when sent and not yet checked. */
function dayMatches(check: { status: 'balanced' | 'mismatch'; resolution: string | null } | null, status: ReconciliationStatusFilter): boolean {
  if (status === 'unchecked') return check === null;
  if (status === 'open') return check?.status === 'mismatch' && (check.resolution === null || check.resolution === 'open');
  return check?.status === status;
}

/**
 * One day of the journal's reconciliation: the file sent, and every check of it against the ledger
 * (newest first), each difference per account with its amount, and the task a mismatch became.
 * Aggregates only, no member data.
 */
export async function journalReconciliationDay(ctx: ServiceContext, p: Principal, day: string) {
  requireFinance(p);
  const [push, checks] = await Promise.all([financeRepo.findPush(ctx.db, day), financeRepo.reconciliationsOfDay(ctx.db, day)]);
  if (!push && checks.length === 0) throw failure(404, 'journal_day_not_found', `The journal of ${day} was neither sent to the finance system nor checked.`, { params: { day } });
  return {
    date: day,
    sent: push
      ? { deliveryId: push.deliveryId, fileKey: push.fileKey, sentAt: push.pushedAt.toISOString(), lines: push.lines, debitCents: push.debitCents, creditCents: push.creditCents, sha256: push.sha256, accountNets: push.accountNets, workflowId: push.workflowId }
      : null,
    checks: checks.map((c) => ({
      id: c.id,
      checkedAt: c.checkedAt.toISOString(),
      against: c.against,
      status: c.status,
      journalBalanced: c.journalBalanced,
      journalDebitCents: c.journalDebitCents,
      journalCreditCents: c.journalCreditCents,
      differences: c.differences.map((d) => ({ ...d, differenceCents: d.journalCents - d.ledgerCents })),
      mismatchWorkflowId: c.mismatchWorkflowId,
      resolution: c.resolution,
      taskId: c.taskId,
      taskStatus: c.taskStatus,
    })),
  };
}

function requireReports(p: Principal) {
  if (!hasRole(p, 'billing', 'supervisor', 'admin') && !hasScope(p, 'reports:read')) {
    throw failure(403, 'fee_reports_role_required', 'Fee reports are for billing users, supervisors, administrators and clients with the scope reports:read.');
  }
}

/**
 * Invoiced against paid per month over [from, to], from the member ledger: invoiced net of credit
 * notes, paid net of reversals, plus write-offs and refunds. Months without movement are zeros,
 * so a chart has every month.
 */
export async function feeIncomeReport(ctx: ServiceContext, p: Principal, from: string, to: string, granularity: 'month' = 'month') {
  requireReports(p);
  checkRange(from, to, 3660);
  const periods = feeIncomeByMonth(from, to, await ledgerRepo.memberLedgerByMonth(ctx.db, from, to));
  return { from, to, granularity, periods };
}

/** Open invoices by days overdue on `on`: not due, 1–30, 31–90, 91–180, over 180 days. */
export async function receivablesAging(ctx: ServiceContext, p: Principal, on: string) {
  requireReports(p);
  return { on, ...agingTable(await ledgerRepo.openInvoicesByDueDate(ctx.db, on), on) };
}
