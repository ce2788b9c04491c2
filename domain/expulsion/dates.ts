import { addDays, compareDates, isIsoDate } from '../dates';
import type { ExpulsionEffectiveDateRule } from './rules';

function requireDate(value: string, name: string): void {
  if (!isIsoDate(value)) throw new Error(`${name} "${value}" is not a date (YYYY-MM-DD)`);
}

/**
 * The first day the member is no longer a member after an expulsion. `unpaidFrom` is the first
 * day the unpaid fees cover (the start of the oldest unpaid invoice's period). 'unpaid_from'
 * takes that day (4 §, 99/1990); 'unpaid_year_start' the 1 January of its year (KOKO).
 */
export function expulsionEffectiveDate(rule: ExpulsionEffectiveDateRule, unpaidFrom: string): string {
  requireDate(unpaidFrom, 'unpaidFrom');
  return rule === 'unpaid_year_start' ? `${unpaidFrom.slice(0, 4)}-01-01` : unpaidFrom;
}

/** The last day of membership (inclusive, as periods store it) for an expulsion effective on `effectiveDate`. */
export function expulsionPeriodEnd(effectiveDate: string): string {
  requireDate(effectiveDate, 'effectiveDate');
  return addDays(effectiveDate, -1);
}

/** The day the member is deemed to know of a decision mailed on `mailedOn` (the 7th day after). */
export function notificationDate(mailedOn: string, notificationDelayDays: number): string {
  requireDate(mailedOn, 'mailedOn');
  return addDays(mailedOn, notificationDelayDays);
}

/** The last day an appeal reaches the fund in time: `appealWindowDays` after notification. */
export function appealDeadline(mailedOn: string, rules: { notificationDelayDays: number; appealWindowDays: number }): string {
  return addDays(notificationDate(mailedOn, rules.notificationDelayDays), rules.appealWindowDays);
}

/** True when an appeal received on `receivedOn` came after the deadline: flagged, never refused. */
export function isLateAppeal(receivedOn: string, deadline: string): boolean {
  requireDate(receivedOn, 'receivedOn');
  requireDate(deadline, 'deadline');
  return compareDates(receivedOn, deadline) > 0;
}

/** The hearing letter's deadline date: `startedOn` plus the configured wait, rounded up to whole days. */
export function hearingDeadlineDate(startedOn: string, deadlineMs: number): string {
  requireDate(startedOn, 'startedOn');
  return addDays(startedOn, Math.max(0, Math.ceil(deadlineMs / 86_400_000)));
}
