import { compareDates, endOfMonth } from '../dates';
import { parseDuration } from '../duration';
import { requireDate } from './checks';
import { elapsedMs } from './instant';

export interface ResignationInput {
  /** The day the written notice reached the fund (or the union, for union members). */
  receivedOn: string;
  /** A later end date stated in the notice, if any. */
  requestedEndDate?: string | null;
  /** Start of the membership period being resigned from. */
  periodStart: string;
}

/**
 * 'before-receipt': the notice asked for an earlier end date; resignation cannot be retroactive.
 * 'before-start': the notice came, or asked to end, before the membership even began.
 */
export type ResignationAdjustment = 'before-receipt' | 'before-start';

export interface ResignationEnd {
  /** The last day of membership. */
  endDate: string;
  /** The fee is owed until the end of the month of resignation (domain.md §1.3). */
  feeOwedUntil: string;
  /** True when the end date is not the one the notice asked for (or, without a request, the day of receipt). */
  adjusted: boolean;
  reason?: ResignationAdjustment;
}

/**
 * When a resignation takes effect (domain.md §1.3, KOKO rules §3): no earlier than the day the
 * notice is received, or on a later day stated in the notice. Retroactive resignation is not
 * possible here; a fund switch's retroactive end is switchEndDate's business.
 *
 * A notice that arrives (or asks to end) before the period has started cannot end the membership
 * before it exists, and deleting the period would erase the approval from the record. So the end
 * date becomes the start date: a one-day membership, reason 'before-start', for a caseworker to
 * see. [U] Whether the fund then waives that month's fee is its decision: feeOwedUntil still
 * follows the rule and the caller may waive it.
 */
export function resignationEndDate(input: ResignationInput): ResignationEnd {
  const { receivedOn, periodStart } = input;
  const requested = input.requestedEndDate ?? undefined;
  requireDate(receivedOn, 'receivedOn');
  requireDate(periodStart, 'periodStart');
  if (requested !== undefined) requireDate(requested, 'requestedEndDate');

  let endDate = requested ?? receivedOn;
  let reason: ResignationAdjustment | undefined;
  if (compareDates(endDate, receivedOn) < 0) {
    endDate = receivedOn;
    reason = 'before-receipt';
  }
  if (compareDates(endDate, periodStart) < 0) {
    endDate = periodStart;
    reason = 'before-start';
  }
  const result: ResignationEnd = { endDate, feeOwedUntil: endOfMonth(endDate), adjusted: reason !== undefined };
  if (reason !== undefined) result.reason = reason;
  return result;
}

export interface WithdrawalInput {
  /** When the resignation was received: a date, or a timestamp with an offset. */
  resignedAt: string;
  /** Now: the same form as resignedAt. */
  today: string;
  /** The fund's withdrawal window, e.g. '30d' (MembershipRules.resignationWithdrawalWindow). */
  window: string;
}

/**
 * A resignation may be withdrawn until the window has fully passed: with '30d', a notice of
 * 1 March can be withdrawn through 31 March. Dates count whole days; timestamps count exactly, so
 * tests can run with windows of seconds. A `today` before `resignedAt` (clock skew) is still
 * inside the window.
 */
export function canWithdrawResignation({ resignedAt, today, window }: WithdrawalInput): boolean {
  return elapsedMs(resignedAt, today, ['resignedAt', 'today']) <= parseDuration(window);
}
