import { addDays, addMonths, compareDates, endOfMonth } from '../dates';
import { parseDuration } from '../duration';
import { requireDate, requireWholeNumber } from './checks';
import { monthAnniversary } from './months';

const DAY_MS = 86_400_000;

/**
 * The day the member reaches `age`: the birthday, or 1 March for a 29 February birth in a common
 * year. That follows ageOn (dates.ts), which the intake already uses for "under 68 on the start
 * date", so the register never holds two answers to "how old is this person"; it is also the
 * month convention of the whole module (monthAnniversary).
 */
export function birthdayOfAge(birthDate: string, age: number): string {
  requireDate(birthDate, 'birthDate');
  requireWholeNumber(age, 'age');
  return monthAnniversary(birthDate, age * 12);
}

/**
 * Membership ends automatically at the end of the calendar month in which the member turns
 * `ageLimit` (domain.md §1.1): born 15 May 1958 → 31 May 2026.
 *
 * 29 February births reach the age on 1 March in a common year (see birthdayOfAge), so their
 * membership runs to the end of March. With the legal 68 this only happens when birth year + 68
 * is a common year despite the birth year being a leap year, i.e. births on 29.2.2032 (2100 is
 * not a leap year); other configured ages hit it more often. [P] The 1 March reading is the
 * usual Finnish one; confirm with the fund if such a member ever appears.
 */
export function ageLimitEndDate(birthDate: string, ageLimit = 68): string {
  return endOfMonth(birthdayOfAge(birthDate, ageLimit));
}

/**
 * The day to send the advance notice: `noticeBefore` (e.g. '30d') before the end date. A date has
 * no time of day, so a window that is not whole days is rounded up: the notice goes at least
 * that long before, never less.
 */
export function ageLimitNoticeDate(endDate: string, noticeBefore: string): string {
  requireDate(endDate, 'endDate');
  return addDays(endDate, -Math.ceil(parseDuration(noticeBefore) / DAY_MS));
}

/**
 * True from the last day of membership under the age rule onwards: a daily job that ends such
 * memberships (end date = ageLimitEndDate, reason 'age-limit') picks the member up on that day
 * at the latest, and still does if it missed a run.
 */
export function isAgeLimitDue(birthDate: string, today: string, ageLimit = 68): boolean {
  requireDate(today, 'today');
  return compareDates(today, ageLimitEndDate(birthDate, ageLimit)) >= 0;
}

/** True from the notice date onwards (until the end date passes); the caller sends it once. */
export function isAgeLimitNoticeDue(birthDate: string, today: string, ageLimit: number, noticeBefore: string): boolean {
  requireDate(today, 'today');
  const endDate = ageLimitEndDate(birthDate, ageLimit);
  return compareDates(today, ageLimitNoticeDate(endDate, noticeBefore)) >= 0 && compareDates(today, endDate) <= 0;
}

/** What the daily sweep does for one period on a day: send the notice, or end it and say so. */
export interface AgeLimitStep {
  /** The period's end date under the age rule (ageLimitEndDate). */
  endDate: string;
  /** 'age-limit-notice' up to and including the end date, 'membership-ended-age' after it. */
  message: 'age-limit-notice' | 'membership-ended-age';
}

/**
 * The daily sweep's rule for one membership period of a member born on `birthDate`: nothing
 * before the notice date; nothing while the period already ends by the age-limit date and that
 * date has not passed; otherwise the period ends on the age-limit date (unless it ends earlier)
 * with a notice, or, once the date has passed, the message that the membership has ended.
 * Repeating a step is harmless: the caller ends periods and queues messages idempotently.
 */
export function ageLimitSweepStep(period: { birthDate: string; endDate: string | null }, today: string, ageLimit: number, noticeBefore: string): AgeLimitStep | null {
  requireDate(today, 'today');
  const endDate = ageLimitEndDate(period.birthDate, ageLimit);
  if (compareDates(today, ageLimitNoticeDate(endDate, noticeBefore)) < 0) return null;
  if (period.endDate !== null && compareDates(period.endDate, endDate) <= 0 && compareDates(today, endDate) <= 0) return null;
  return { endDate, message: compareDates(today, endDate) > 0 ? 'membership-ended-age' : 'age-limit-notice' };
}

/**
 * The latest birth date that can have an age-limit step within a month after `today`'s notice
 * window: the sweep reads only members born on or before it (a cheap bound for SQL; the exact
 * dates come from ageLimitSweepStep). A 29 February that the year `ageLimit` back lacks becomes
 * 28 February, which bounds the same people.
 */
export function ageLimitSweepBornBy(today: string, ageLimit: number, noticeBefore: string): string {
  requireDate(today, 'today');
  requireWholeNumber(ageLimit, 'ageLimit');
  const horizon = addDays(today, Math.ceil(parseDuration(noticeBefore) / DAY_MS) + 31);
  return addMonths(horizon, -12 * ageLimit);
}
