import { addDays, compareDates, daysBetween } from '../dates';
import { requireDate, requirePeriod } from './checks';
import { monthAnniversary } from './months';
import { activePeriod, mergeIntervals, type Interval } from './periods';

/** Months of membership needed for earnings-related allowance, from 2.9.2024 (domain.md §1.5). */
export const MEMBERSHIP_CONDITION_MONTHS = 12;

export interface MembershipConditionResult {
  /** Whole months of membership up to and including onDate. */
  fullMonths: number;
  /** Days beyond the whole months (0–30). */
  days: number;
  /** Every day of membership up to and including onDate, each day once. */
  totalDays: number;
  /**
   * The day the 12-month condition was met; or, if not yet met and the person is a member on
   * onDate, the day it will be met if the membership continues without a break (a later known
   * end date is ignored: the question is "when, if they stay"); otherwise null.
   */
  metOn12: string | null;
}

/**
 * The membership condition, counted day by day in months (domain.md §1.5): joined 15 Apr 2024 →
 * one month on 14 May, twelve months on 14 Apr 2025. A month runs from a day to the day before
 * the same day number next month, or to the end of next month if it has no such day
 * (monthAnniversary): joined 31 Jan 2025 → one month on 28 Feb; joined 29 Feb 2024 → twelve
 * months on 28 Feb 2025.
 *
 * `periods` are this fund's periods plus transferred ones; the caller includes only periods that
 * count (transferEligible, no expulsion). Overlapping periods count each day once, and adjacent
 * ones are continuous membership.
 *
 * [U] With gaps, the sources say only "each day counted". Here the member's days are laid end to
 * end from the first start date and counted as one continuous stretch, so the single-stretch
 * case is exact, the count never goes down as days are added, and no "30-day month" convention
 * is invented. Confirm with the fund how broken periods are summed.
 */
export function membershipConditionMonths(periods: readonly Interval[], onDate: string): MembershipConditionResult {
  requireDate(onDate, 'onDate');
  periods.forEach((p, i) => requirePeriod(p, `periods[${i}]`));

  const counted = mergeIntervals(
    periods
      .filter((p) => compareDates(p.startDate, onDate) <= 0)
      .map((p) => ({ startDate: p.startDate, endDate: p.endDate === null || compareDates(p.endDate, onDate) > 0 ? onDate : p.endDate })),
  );
  const lengths = counted.map((p) => daysBetween(p.startDate, p.endDate ?? onDate) + 1);
  const totalDays = lengths.reduce((sum, n) => sum + n, 0);
  const anchor = counted[0]?.startDate;
  const memberOnDate = activePeriod(periods.map((p) => ({ startDate: p.startDate, endDate: p.endDate })), onDate) !== undefined;

  if (anchor === undefined) return { fullMonths: 0, days: 0, totalDays: 0, metOn12: null };

  // The day after the last membership day, on the end-to-end timeline that starts at `anchor`.
  const virtualNext = addDays(anchor, totalDays);
  const fullMonths = wholeMonthsBetween(anchor, virtualNext);
  const days = daysBetween(monthAnniversary(anchor, fullMonths), virtualNext);

  const needed = daysBetween(anchor, monthAnniversary(anchor, MEMBERSHIP_CONDITION_MONTHS));
  let metOn12: string | null = null;
  if (totalDays >= needed) {
    let before = 0;
    for (const [i, p] of counted.entries()) {
      const length = lengths[i] ?? 0;
      if (before + length >= needed) {
        metOn12 = addDays(p.startDate, needed - before - 1);
        break;
      }
      before += length;
    }
  } else if (memberOnDate) {
    metOn12 = addDays(onDate, needed - totalDays);
  }
  return { fullMonths, days, totalDays, metOn12 };
}

/** The largest k with monthAnniversary(from, k) ≤ to; `to` is after `from`. */
function wholeMonthsBetween(from: string, to: string): number {
  const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
  const k = monthIndex(to) - monthIndex(from);
  // The k-th anniversary is in to's month or, overflowing, the 1st of the next; k - 1 never is.
  return compareDates(monthAnniversary(from, k), to) > 0 ? k - 1 : k;
}
