import { addDays, compareDates, endOfMonth } from '../dates';
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
