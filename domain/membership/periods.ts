import { addDays, compareDates } from '../dates';
import { requireDate, requirePeriod } from './checks';

/**
 * One stretch of membership. Both dates are inclusive: `endDate` is the last day of membership,
 * null while the membership is open-ended. A one-day membership has startDate === endDate.
 */
export interface Period {
  startDate: string;
  endDate: string | null;
  endReason?: string | null;
}

/** A merged stretch of membership, without the reasons of the periods it was made from. */
export interface Interval {
  startDate: string;
  endDate: string | null;
}

/**
 * 'active': a member on that day; 'starting': not yet, but a period begins later (an approved
 * application with a future start); 'ended': was a member, no longer; 'none': never.
 */
export type MembershipStatus = 'active' | 'starting' | 'ended' | 'none';

/**
 * The member's status on `today`, derived from the periods every time: a stored status would go
 * stale at midnight when an end date passes, and the end dates are the legal facts.
 */
export function membershipStatus(periods: readonly Period[], today: string): MembershipStatus {
  requireDate(today, 'today');
  periods.forEach((p, i) => requirePeriod(p, `periods[${i}]`));
  return statusOn(periods, today);
}

/** What the register shows for a member: their membership status, or 'deceased' once a date of death is recorded. */
export type MemberStatus = MembershipStatus | 'deceased';

/**
 * The membership status of periods as the register stores them. Unlike membershipStatus it takes
 * a period that ends before it starts: an ending (a death, an eligibility decision) recorded
 * before a future start date cuts that period to nothing, so it is never active; it counts as
 * 'starting' until its start date and as 'ended' after it.
 */
export function storedMembershipStatus(periods: readonly Interval[], today: string): MembershipStatus {
  requireDate(today, 'today');
  return statusOn(periods, today);
}

/** The member's status on `today`: 'deceased' once a date of death is recorded, else storedMembershipStatus. */
export function memberStatus(member: { periods: readonly Interval[]; dateOfDeath: string | null }, today: string): MemberStatus {
  requireDate(today, 'today');
  return member.dateOfDeath ? 'deceased' : statusOn(member.periods, today);
}

function statusOn(periods: readonly Interval[], today: string): MembershipStatus {
  if (periods.some((p) => covers(p, today))) return 'active';
  if (periods.some((p) => compareDates(p.startDate, today) > 0)) return 'starting';
  return periods.length > 0 ? 'ended' : 'none';
}

/**
 * The period in force on `on`, or undefined. Periods should not overlap; if they do (a data
 * error), the one that started last wins, as a person in two funds is deemed a member of the one
 * joined last (domain.md §1.1).
 */
export function activePeriod<P extends Period>(periods: readonly P[], on: string): P | undefined {
  requireDate(on, 'on');
  let found: P | undefined;
  periods.forEach((p, i) => {
    requirePeriod(p, `periods[${i}]`);
    if (covers(p, on) && (found === undefined || compareDates(p.startDate, found.startDate) > 0)) found = p;
  });
  return found;
}

/** True when the two stretches share at least one day (ends are inclusive; null is open-ended). */
export function overlaps(a: Interval, b: Interval): boolean {
  requirePeriod(a, 'a');
  requirePeriod(b, 'b');
  return !endsBefore(a, b.startDate) && !endsBefore(b, a.startDate);
}

/**
 * The days covered by the periods as sorted, disjoint stretches. Overlapping periods are counted
 * once, and periods that follow each other without a day's gap (a fund switch ends the old
 * membership the day before the new one starts) become one continuous stretch, since for every
 * rule that counts membership time they are one.
 */
export function mergeIntervals(periods: readonly Interval[]): Interval[] {
  periods.forEach((p, i) => requirePeriod(p, `periods[${i}]`));
  const sorted = [...periods].sort((a, b) => compareDates(a.startDate, b.startDate));
  const merged: Interval[] = [];
  for (const p of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && (last.endDate === null || compareDates(p.startDate, addDays(last.endDate, 1)) <= 0)) {
      if (last.endDate !== null && (p.endDate === null || compareDates(p.endDate, last.endDate) > 0)) {
        last.endDate = p.endDate;
      }
    } else {
      merged.push({ startDate: p.startDate, endDate: p.endDate });
    }
  }
  return merged;
}

function covers(p: Interval, day: string): boolean {
  return compareDates(p.startDate, day) <= 0 && !endsBefore(p, day);
}

function endsBefore(p: Interval, day: string): boolean {
  return p.endDate !== null && compareDates(p.endDate, day) < 0;
}
