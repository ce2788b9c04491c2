/**
 * Reconciliation of a migration batch: the same figures counted from the source files and from
 * the register after the load, side by side; every figure that differs is a difference an
 * administrator must see (and accept with a reason) before the batch is done.
 */
import { isIsoDate } from '../dates';
import { storedMembershipStatus, type Interval } from '../membership/periods';
import { parseEuros } from '../money';
import type { MigrationEntity, SourceRow } from './records';

export type MigrationMode = 'test' | 'real';
export type MigrationRunStatus = 'running' | 'passed' | 'failed' | 'differences' | 'done';
export type MigrationBatchStatus = 'uploaded' | 'testing' | 'tested' | 'approved' | 'loading' | 'differences' | 'done' | 'failed';
export type MigrationOutcome = 'pending' | 'rejected' | 'migrated' | 'updated' | 'unchanged';

/**
 * Figure keys: `persons`, `members.<status>`, `periods`, `invoices`, `invoices.amount`,
 * `open.total`, `open.member.<membership legacy id>`, `payments.<year>`, `payments.<year>.amount`
 * (amounts in cents).
 */
export type Figures = Record<string, number>;

export interface Difference {
  key: string;
  source: number;
  register: number;
}

export interface MigrationReport {
  outcomes: Record<MigrationEntity, Record<Exclude<MigrationOutcome, 'pending'>, number>>;
  source: Figures;
  register: Figures;
  differences: Difference[];
  /** Records whose register value was kept over the batch's (changed in the register since the last load). */
  kept: number;
}

const add = (f: Figures, key: string, n: number) => {
  f[key] = (f[key] ?? 0) + n;
};

/**
 * The source side, from every row of the files (rejected ones too: a rejected record is a
 * difference until the fund resends it or an administrator accepts it). Members' statuses come
 * from the periods the files give them, on `today`.
 */
export function sourceFigures(source: Partial<Record<MigrationEntity, readonly SourceRow[]>>, today: string): Figures {
  const f: Figures = { persons: (source.persons ?? []).length, periods: (source.periods ?? []).length, invoices: 0, 'invoices.amount': 0, 'open.total': 0 };
  const periods = new Map<string, Interval[]>();
  for (const p of source.periods ?? []) {
    const start = (p.start_date ?? '').trim();
    const end = (p.end_date ?? '').trim();
    if (!isIsoDate(start) || (end && !isIsoDate(end))) continue;
    const list = periods.get(p.membership_legacy_id ?? '') ?? [];
    list.push({ startDate: start, endDate: end || null });
    periods.set(p.membership_legacy_id ?? '', list);
  }
  for (const m of source.memberships ?? []) add(f, `members.${storedMembershipStatus(periods.get((m.legacy_id ?? '').trim()) ?? [], today)}`, 1);
  for (const i of source.invoices ?? []) {
    add(f, 'invoices', 1);
    add(f, 'invoices.amount', parseEuros(i.amount ?? '') ?? 0);
    const open = parseEuros(i.open_amount ?? '') ?? 0;
    add(f, 'open.total', open);
    if (open !== 0) add(f, `open.member.${(i.membership_legacy_id ?? '').trim()}`, open);
  }
  for (const p of source.payments ?? []) {
    const year = (p.paid_on ?? '').trim().slice(0, 4);
    add(f, `payments.${year}`, 1);
    add(f, `payments.${year}.amount`, parseEuros(p.amount ?? '') ?? 0);
  }
  if (source.transferred_periods) f.transferred_periods = source.transferred_periods.length;
  if (source.messages) f.messages = source.messages.length;
  if (source.applications) f.applications = source.applications.length;
  for (const t of source.tax_reports ?? []) {
    const year = (t.year ?? '').trim();
    add(f, `tax_reports.${year}`, 1);
    add(f, `tax_reports.${year}.amount`, parseEuros(t.amount ?? '') ?? 0);
  }
  for (const c of source.collection ?? []) {
    const level = (c.reminder_level ?? '').trim();
    if (level) add(f, `collection.reminders.${level}`, 1);
    if ((c.hearing_started_on ?? '').trim()) add(f, 'collection.hearings', 1);
    if ((c.hold_reason ?? '').trim()) add(f, 'collection.holds', 1);
  }
  return f;
}

/** Every key whose figures differ (a key missing on one side counts as 0 there), in key order. */
export function differences(source: Figures, register: Figures): Difference[] {
  const keys = [...new Set([...Object.keys(source), ...Object.keys(register)])].sort();
  return keys.map((key) => ({ key, source: source[key] ?? 0, register: register[key] ?? 0 })).filter((d) => d.source !== d.register);
}

const MEMBER_BALANCE = 'open.member.';

/** The report as the desk reads it (`reportForReading`): aggregate figures, and the members' balances counted. */
export type ReadableReport = MigrationReport & { memberBalances: { compared: number; differing: number } };

/**
 * The report as a person reads it: the figures without the one-per-member open balances (tens of
 * thousands at a fund's size, which no table should list), and instead how many members' balances
 * were compared and how many differ. Every differing balance stays in `differences`, where it is
 * accepted one by one.
 */
export function reportForReading(report: MigrationReport): ReadableReport {
  const aggregate = (f: Figures) => Object.fromEntries(Object.entries(f).filter(([key]) => !key.startsWith(MEMBER_BALANCE)));
  const members = new Set([...Object.keys(report.source), ...Object.keys(report.register)].filter((key) => key.startsWith(MEMBER_BALANCE)));
  const differing = report.differences.filter((d) => d.key.startsWith(MEMBER_BALANCE)).length;
  return { ...report, source: aggregate(report.source), register: aggregate(report.register), memberBalances: { compared: members.size, differing } };
}

/** Done when there is no difference, or every one has been accepted. */
export function reconciled(report: Pick<MigrationReport, 'differences'>, accepted: Readonly<Record<string, unknown>>): boolean {
  return report.differences.every((d) => d.key in accepted);
}
