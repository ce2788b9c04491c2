import { addDays, addMonths } from '../dates';

/**
 * The day on which the `n`-th month counted from `start` begins: the same day number `n` months
 * later or, when that month is too short to have it, the 1st of the month after.
 *
 *   15 Apr 2024 + 12 → 15 Apr 2025, so 12 months of membership from 15 Apr are complete on 14 Apr
 *   (the example of domain.md §1.5);
 *   31 Jan 2025 + 1 → 1 Mar 2025: a month from 31 Jan covers all of February;
 *   29 Feb 2024 + 12 → 1 Mar 2025, as ageOn has a leap-day child turn one on 1 March.
 *
 * Every month-counting rule of the membership module uses this one convention, so a month of
 * membership, of a transfer gap, of entrepreneurship and of age all end on the same day. It
 * differs from addMonths only where addMonths clamps: addMonths('2025-01-31', 1) is 28 Feb,
 * which would end "a month from 31 Jan" on 27 Feb and leave out the last day of February.
 */
export function monthAnniversary(start: string, n: number): string {
  const clamped = addMonths(start, n);
  return clamped.slice(8) === start.slice(8) ? clamped : addDays(clamped, 1);
}
