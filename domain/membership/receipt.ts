import { addDays, compareDates } from '../dates';
import { requireDate } from './checks';

/** How far back a stated date of receipt may reach: a year (366 days, a leap year's worth). */
export const RECEIVED_ON_LOOKBACK_DAYS = 366;

/**
 * Whether a date of receipt someone states (a union forwarding an application or a notice, a
 * caseworker entering paper mail) may be recorded: not in the future, and not before
 * RECEIVED_ON_LOOKBACK_DAYS ago. Without a stated date, today is the date of receipt.
 */
export function isAcceptableReceivedOn(receivedOn: string, today: string): boolean {
  requireDate(receivedOn, 'receivedOn');
  requireDate(today, 'today');
  return compareDates(receivedOn, today) <= 0 && compareDates(receivedOn, addDays(today, -RECEIVED_ON_LOOKBACK_DAYS)) >= 0;
}
