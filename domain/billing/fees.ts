/**
 * Membership fees per fund and year (domain.md §2). All amounts are integer cents.
 *
 * A month is billable when membership touches it on at least one day: joiners pay from the
 * joining month (KOKO "starting from the joining month") and leavers until the end of the month
 * of leaving (domain.md §1.3), so a partial month costs a full month.
 */
import type { FundProfile } from '../fundProfile';
import { compareDates, endOfMonth, isIsoDate } from '../dates';
import type { FeeYear, InvoiceRhythm } from './feeRules';

export type { FeeModel, FeeRules, FeeYear, InvoiceRhythm } from './feeRules';

/** One stretch of membership; endDate is the last day of membership (inclusive), null if open. */
export interface MembershipPeriod {
  startDate: string;
  endDate: string | null;
}

/** 'direct': the fund invoices the member; 'union': the union collects and remits the fee. */
export type FeeChannel = 'direct' | 'union';

export interface FeeLine {
  month: number;
  cents: number;
}

export interface FeeResult {
  year: number;
  /** Billable months 1–12, ascending. */
  months: number[];
  /** Sum of `lines`. */
  amountCents: number;
  /** One line per billable month; cents are 0 for union-channel members. */
  lines: FeeLine[];
  /** False while the year's fee is provisional in the fund profile; always true for union members (0 is certain). */
  confirmed: boolean;
}

/** The parts of a profile the fee rules read, so tests and tools can pass a trimmed profile. */
export type FeeProfile = Pick<FundProfile, 'id' | 'fees'>;

/**
 * The fee rule for `year`. An unknown year throws rather than reusing last year's fee, because
 * each year's fee is a separate decision confirmed by Finanssivalvonta.
 */
export function feeRuleForYear(profile: FeeProfile, year: number): FeeYear {
  requireYear(year);
  const rule = profile.fees.years[String(year)];
  if (rule === undefined) {
    const known = Object.keys(profile.fees.years).sort().join(', ') || 'none';
    throw new Error(
      `no membership fee for ${year} in fund profile "${profile.id}" (years configured: ${known}): ` +
        `add fees.years["${year}"] to the fund profile once the fund has set the fee`,
    );
  }
  if (rule.model === 'per-month') requireCents(rule.monthlyCents, `${profile.id} ${year} monthlyCents`);
  else requireCents(rule.yearlyCents, `${profile.id} ${year} yearlyCents`);
  return rule;
}

/**
 * The profile with the fee years a fund has set in its register laid over the shipped ones: a
 * year set in the register wins, the other years stay as shipped. Pure, so every reader of fees
 * (the billing run, its start, the desk) computes with the same figures.
 */
export function withFeeYears<P extends FeeProfile>(profile: P, years: Readonly<Record<string, FeeYear>>): P {
  if (Object.keys(years).length === 0) return profile;
  return { ...profile, fees: { ...profile.fees, years: { ...profile.fees.years, ...years } } };
}

/**
 * The fee for calendar month `month` (1–12) under `rule`.
 *
 * For 'per-year-by-month' the yearly fee is split by cumulative rounding: month m gets
 * floor(Y·m/12) − floor(Y·(m−1)/12). The twelve shares always add up to exactly Y, differ by at
 * most one cent, and any remainder lands on fixed months (the later ones), so the same month
 * always costs the same. KOKO's 6300 divides evenly: 525 every month.
 */
export function monthlyFeeCents(rule: FeeYear, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new Error(`a month must be 1–12, got ${month}`);
  if (rule.model === 'per-month') return requireCents(rule.monthlyCents, 'monthlyCents');
  const yearly = requireCents(rule.yearlyCents, 'yearlyCents');
  return Math.floor((yearly * month) / 12) - Math.floor((yearly * (month - 1)) / 12);
}

/** What a member pays for a whole year under `rule`: the twelve monthly fees. */
export function fullYearFeeCents(rule: FeeYear): number {
  let cents = 0;
  for (let month = 1; month <= 12; month++) cents += monthlyFeeCents(rule, month);
  return cents;
}

/** The months (1–12) of `year` that any membership period touches, ascending. */
export function billableMonths(periods: readonly MembershipPeriod[], year: number): number[] {
  requireYear(year);
  for (const period of periods) requirePeriod(period);
  const months: number[] = [];
  for (let month = 1; month <= 12; month++) {
    const first = monthStart(year, month);
    const last = endOfMonth(first);
    const touched = periods.some(
      (p) => compareDates(p.startDate, last) <= 0 && (p.endDate === null || compareDates(p.endDate, first) >= 0),
    );
    if (touched) months.push(month);
  }
  return months;
}

/**
 * The fee for the whole of `year`. Union-channel members owe the fund nothing directly (their
 * union remits), so they get zero lines and need no fee entry for the year; direct members need
 * one even when no month is billable, so a missing year is noticed before the invoice run.
 */
export function feeForYear(
  profile: FeeProfile,
  periods: readonly MembershipPeriod[],
  year: number,
  channel: FeeChannel,
): FeeResult {
  return feeForMonths(profile, periods, year, 1, 12, channel);
}

/**
 * The fee for an invoice period of whole months within one year, e.g. a quarter 2025-04-01..
 * 2025-06-30. Whole months, because a month split over two invoices would be billed twice; one
 * year, because each year has its own fee (split a longer period per year).
 */
export function feeForPeriod(
  profile: FeeProfile,
  periods: readonly MembershipPeriod[],
  fromDate: string,
  toDate: string,
  channel: FeeChannel,
): FeeResult {
  if (!isIsoDate(fromDate) || !fromDate.endsWith('-01')) {
    throw new Error(`an invoice period must start on the first day of a month, got "${fromDate}"`);
  }
  if (!isIsoDate(toDate) || endOfMonth(toDate) !== toDate) {
    throw new Error(`an invoice period must end on the last day of a month, got "${toDate}"`);
  }
  if (compareDates(fromDate, toDate) > 0) throw new Error(`an invoice period must not end (${toDate}) before it starts (${fromDate})`);
  const year = Number(fromDate.slice(0, 4));
  if (Number(toDate.slice(0, 4)) !== year) {
    throw new Error(`an invoice period must stay within one year (fees are set per year): split ${fromDate}..${toDate} at the year end`);
  }
  return feeForMonths(profile, periods, year, Number(fromDate.slice(5, 7)), Number(toDate.slice(5, 7)), channel);
}

/** The invoice periods of `year` for a rhythm: 1 year, 4 quarters or 12 months. */
export function invoicePeriods(year: number, rhythm: InvoiceRhythm): { fromDate: string; toDate: string }[] {
  requireYear(year);
  const span = rhythm === 'yearly' ? 12 : rhythm === 'quarterly' ? 3 : 1;
  const periods: { fromDate: string; toDate: string }[] = [];
  for (let month = 1; month <= 12; month += span) {
    periods.push({ fromDate: monthStart(year, month), toDate: endOfMonth(monthStart(year, month + span - 1)) });
  }
  return periods;
}

function feeForMonths(
  profile: FeeProfile,
  periods: readonly MembershipPeriod[],
  year: number,
  fromMonth: number,
  toMonth: number,
  channel: FeeChannel,
): FeeResult {
  if (channel !== 'direct' && channel !== 'union') throw new Error(`unknown fee channel "${String(channel)}": use 'direct' or 'union'`);
  const months = billableMonths(periods, year).filter((m) => m >= fromMonth && m <= toMonth);
  // profile.fees.unionMembersBilledByFund is false by type: the union remits, the fund bills 0.
  if (channel === 'union') {
    return { year, months, amountCents: 0, lines: months.map((month) => ({ month, cents: 0 })), confirmed: true };
  }
  const rule = feeRuleForYear(profile, year);
  const lines = months.map((month) => ({ month, cents: monthlyFeeCents(rule, month) }));
  return { year, months, amountCents: lines.reduce((sum, line) => sum + line.cents, 0), lines, confirmed: rule.confirmed };
}

function monthStart(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

function requireYear(year: number): void {
  if (!Number.isInteger(year) || year < 1 || year > 9999) throw new Error(`a fee year must be a whole year 1–9999, got ${year}`);
}

function requirePeriod(period: MembershipPeriod): void {
  if (!isIsoDate(period.startDate)) throw new Error(`membership start "${period.startDate}" is not a date YYYY-MM-DD`);
  if (period.endDate !== null) {
    if (!isIsoDate(period.endDate)) throw new Error(`membership end "${period.endDate}" is not a date YYYY-MM-DD`);
    if (compareDates(period.endDate, period.startDate) < 0) {
      throw new Error(`membership ends (${period.endDate}) before it starts (${period.startDate})`);
    }
  }
}

function requireCents(value: number | undefined, what: string): number {
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`fee configuration: ${what} must be a whole number of cents, 0 or more, got ${String(value)}`);
  }
  return value;
}
