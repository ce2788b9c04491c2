/**
 * Fee exemptions in billing (decision 031). A union reports when a member's fee exemption starts
 * and ends (domain.md §7: union members apply for exemptions through their union); the fund bills
 * no day of an exemption. With the month rule of fees.ts (a month is billable when membership
 * touches it on one day), that makes a month billable when at least one day of membership in it
 * is not exempt: an exemption from the 10th of a month to the end of the next bills the first
 * month and not the second.
 */
import { addDays, compareDates, isIsoDate } from '../dates';
import { billableMonths, type MembershipPeriod } from './fees';

/** One exemption; endDate is its last exempt day (inclusive), null while it is open. */
export interface FeeExemption {
  startDate: string;
  endDate: string | null;
}

/** The membership periods with every exempt day taken out: what the fee rules bill. */
export function periodsLessExemptions(periods: readonly MembershipPeriod[], exemptions: readonly FeeExemption[]): MembershipPeriod[] {
  for (const e of exemptions) requireExemption(e);
  let pieces: MembershipPeriod[] = periods.map((p) => ({ ...p }));
  for (const e of exemptions) pieces = pieces.flatMap((p) => subtract(p, e));
  return pieces.sort((a, b) => compareDates(a.startDate, b.startDate));
}

/**
 * The months (1–12) of the invoice period [fromDate, toDate] (whole months within one year) that
 * membership touches and that exemptions take off the bill: every membership day of them is exempt.
 */
export function exemptMonths(periods: readonly MembershipPeriod[], exemptions: readonly FeeExemption[], fromDate: string, toDate: string): number[] {
  if (!isIsoDate(fromDate) || !isIsoDate(toDate) || fromDate.slice(0, 4) !== toDate.slice(0, 4) || compareDates(fromDate, toDate) > 0) {
    throw new Error(`an invoice period must be two dates within one year, got ${fromDate}..${toDate}`);
  }
  if (exemptions.length === 0) return [];
  const year = Number(fromDate.slice(0, 4));
  const inPeriod = (m: number) => m >= Number(fromDate.slice(5, 7)) && m <= Number(toDate.slice(5, 7));
  const paying = new Set(billableMonths(periodsLessExemptions(periods, exemptions), year));
  return billableMonths(periods, year).filter((m) => inPeriod(m) && !paying.has(m));
}

/** The invoice period is exempt as a whole: membership touches it, yet no month of it is billable. */
export function exemptForPeriod(periods: readonly MembershipPeriod[], exemptions: readonly FeeExemption[], fromDate: string, toDate: string): boolean {
  const exempt = exemptMonths(periods, exemptions, fromDate, toDate);
  if (exempt.length === 0) return false;
  const year = Number(fromDate.slice(0, 4));
  const from = Number(fromDate.slice(5, 7));
  const to = Number(toDate.slice(5, 7));
  const touched = billableMonths(periods, year).filter((m) => m >= from && m <= to);
  return touched.length === exempt.length;
}

function subtract(p: MembershipPeriod, e: FeeExemption): MembershipPeriod[] {
  const disjoint = (p.endDate !== null && compareDates(p.endDate, e.startDate) < 0) || (e.endDate !== null && compareDates(e.endDate, p.startDate) < 0);
  if (disjoint) return [p];
  const out: MembershipPeriod[] = [];
  if (compareDates(p.startDate, e.startDate) < 0) out.push({ startDate: p.startDate, endDate: addDays(e.startDate, -1) });
  if (e.endDate !== null && (p.endDate === null || compareDates(p.endDate, e.endDate) > 0)) out.push({ startDate: addDays(e.endDate, 1), endDate: p.endDate });
  return out;
}

function requireExemption(e: FeeExemption): void {
  if (!isIsoDate(e.startDate)) throw new Error(`exemption start "${e.startDate}" is not a date YYYY-MM-DD`);
  if (e.endDate !== null) {
    if (!isIsoDate(e.endDate)) throw new Error(`exemption end "${e.endDate}" is not a date YYYY-MM-DD`);
    if (compareDates(e.endDate, e.startDate) < 0) throw new Error(`exemption ends (${e.endDate}) before it starts (${e.startDate})`);
  }
}
