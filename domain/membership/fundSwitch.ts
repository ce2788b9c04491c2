import { addDays, compareDates, endOfMonth } from '../dates';
import { requireDate, requireWholeNumber } from './checks';
import { monthAnniversary } from './months';

/**
 * The old membership ends the day before the new fund's membership starts (domain.md §1.6,
 * erovaltuutus), so the two neither overlap nor leave a gap. This is the one case where a
 * resignation may reach back before the notice arrived.
 */
export function switchEndDate(newFundStartDate: string): string {
  requireDate(newFundStartDate, 'newFundStartDate');
  return addDays(newFundStartDate, -1);
}

/**
 * A fund switch's end of membership: the day before the new fund starts (switchEndDate), but not
 * before the period began (then a one-day membership, as resignationEndDate has it); the fee is
 * owed to the end of that month.
 */
export function fundSwitchEnd(input: { newFundStartDate: string; periodStart: string }): { endDate: string; feeOwedUntil: string } {
  requireDate(input.periodStart, 'periodStart');
  const day = switchEndDate(input.newFundStartDate);
  const endDate = compareDates(day, input.periodStart) < 0 ? input.periodStart : day;
  return { endDate, feeOwedUntil: endOfMonth(endDate) };
}

export interface TransferInput {
  /** Last day of membership in the previous fund. */
  previousEnd: string;
  /** First day of membership in the new fund. */
  newStart: string;
  /** Expelled members lose their periods (domain.md §1.4). */
  expelled: boolean;
  /** Fees paid up to this day in the previous fund; null when nothing is known to be paid. */
  feesPaidThrough: string | null;
  /** The previous fund granted an exemption from the unpaid fees, which counts as paid. */
  feeExemption?: boolean;
  /** MembershipRules.transferGapMax.months; the law's one month by default. */
  gapMaxMonths?: number;
}

export type TransferCode = 'within-gap' | 'gap-too-long' | 'expelled' | 'fees-unpaid';

export interface TransferResult {
  eligible: boolean;
  code: TransferCode;
  /** English, for logs and caseworker messages ("These periods do not transfer: <reason>."). */
  reason: string;
  /** The latest new start date that would still have been within the gap. */
  latestStart: string;
}

/**
 * The one-month rule (domain.md §1.6): periods transfer when the member joins the new fund within
 * one month of leaving the old one, fees were paid to the last day (or exempted), and the member
 * was not expelled.
 *
 * "Within one month" is read as: the time without any membership, from the day after
 * `previousEnd` to the day before `newStart`, is at most one month, counted as every month in
 * this module (monthAnniversary): to the day before the same day number next month, or to the
 * end of next month if it has no such day. So with g = previousEnd + 1 day, the new membership
 * must start on or before monthAnniversary(g, 1):
 *   left 15 Jan → start by 16 Feb (gap 16 Jan–15 Feb);
 *   left 31 Jan → start by 1 Mar (gap = all of February);
 *   left 28 Feb 2025 → start by 1 Apr (gap = all of March);
 *   left 30 Jan 2025 → start by 1 Mar (gap 31 Jan–28 Feb: February has no 31st).
 * Counting from g rather than from previousEnd keeps "left at the end of a month, joined at the
 * start of the month after next" a gap of exactly one whole month. (previousEnd + 1 month + 1 day
 * agrees except after a short month's last day: left 28 Feb 2025 it would demand a start by
 * 29 Mar although the gap of all of March is one month.)
 *
 * A new start on or before previousEnd (overlap) has no gap and is within the rule.
 */
export function transferEligible(input: TransferInput): TransferResult {
  const { previousEnd, newStart, expelled, feesPaidThrough } = input;
  const gapMaxMonths = input.gapMaxMonths ?? 1;
  requireDate(previousEnd, 'previousEnd');
  requireDate(newStart, 'newStart');
  if (feesPaidThrough !== null) requireDate(feesPaidThrough, 'feesPaidThrough');
  requireWholeNumber(gapMaxMonths, 'gapMaxMonths');

  const latestStart = monthAnniversary(addDays(previousEnd, 1), gapMaxMonths);
  const result = (eligible: boolean, code: TransferCode, reason: string): TransferResult => ({ eligible, code, reason, latestStart });

  if (expelled) return result(false, 'expelled', 'the member was expelled from the previous fund');
  if (compareDates(newStart, latestStart) > 0) {
    return result(
      false,
      'gap-too-long',
      `the new membership started on ${newStart}, more than ${monthsText(gapMaxMonths)} after the previous one ended on ${previousEnd} (latest start ${latestStart})`,
    );
  }
  const paid = feesPaidThrough !== null && compareDates(feesPaidThrough, previousEnd) >= 0;
  if (!paid && input.feeExemption !== true) {
    return result(
      false,
      'fees-unpaid',
      feesPaidThrough === null
        ? `the previous fund's fees are not known to be paid up to the last day of membership (${previousEnd})`
        : `the previous fund's fees were paid only through ${feesPaidThrough}, not up to the last day of membership (${previousEnd})`,
    );
  }
  return result(true, 'within-gap', `the new membership started within ${monthsText(gapMaxMonths)} of the previous one`);
}

function monthsText(n: number): string {
  return n === 1 ? 'one month' : `${n} months`;
}
