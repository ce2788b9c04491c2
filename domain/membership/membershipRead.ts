/**
 * What other systems read of a membership (EKJ's benefit decisions, e-services, unions): the
 * status on a date, the membership condition as of that date, and the membership days over an
 * interval. Pure: the service loads the periods, this decides what they mean on the date asked.
 */
import { compareDates, daysBetween, maxDate } from '../dates';
import { requireDate } from './checks';
import { MEMBERSHIP_CONDITION_MONTHS, membershipConditionMonths } from './membershipCondition';
import { activePeriod, mergeIntervals, storedMembershipStatus, type Interval, type MembershipStatus, type Period } from './periods';

export interface StoredPeriod extends Period {
  endReason: string | null;
}

/**
 * The periods that count towards the membership condition: an expelled member loses the accrued
 * membership (domain.md §1.4), so every period that began on or before the last day of a period
 * ended by expulsion is left out, and so are transferred periods from before it. Only periods
 * after the last expulsion (a later rejoining) count. Transferred periods are recorded only when
 * the one-month rule allowed them (services/membershipEvents.ts), so they are taken as they are.
 */
export function countingPeriods(periods: readonly StoredPeriod[], transferred: readonly Interval[]): Interval[] {
  const expelledThrough = lastExpulsion(periods);
  const all: Interval[] = [...periods.filter(holdsDays).map((p) => ({ startDate: p.startDate, endDate: p.endDate })), ...transferred.map((t) => ({ startDate: t.startDate, endDate: t.endDate }))];
  return expelledThrough === null ? all : all.filter((p) => compareDates(p.startDate, expelledThrough) > 0);
}

/** The last day of membership of the latest period ended by expulsion, or null. */
export function lastExpulsion(periods: readonly StoredPeriod[]): string | null {
  let through: string | null = null;
  for (const p of periods) {
    if (p.endReason === 'expulsion' && p.endDate !== null) through = through === null ? p.endDate : maxDate(through, p.endDate);
  }
  return through;
}

export interface MembershipOnDate {
  status: MembershipStatus;
  /** The period in force on the date, or null. */
  periodOnDate: StoredPeriod | null;
  membershipCondition: {
    asOf: string;
    fullMonths: number;
    days: number;
    totalDays: number;
    /** True when the 12 months were complete on or before the date. */
    met: boolean;
    /** When the 12 months were (or, staying a member, will be) complete; null when neither. */
    metOn: string | null;
  };
  /** The last day of membership before the latest recorded expulsion (whatever the date asked), or null. */
  expelledThrough: string | null;
}

/**
 * Whether a stored period holds any day: an ending recorded before a future start date (a death,
 * an eligibility decision) cuts the period to nothing, end before start (storedMembershipStatus).
 */
export function holdsDays(p: Interval): boolean {
  return p.endDate === null || compareDates(p.endDate, p.startDate) >= 0;
}

/** The membership on `on`: its status, the period in force, and the membership condition as of that day. */
export function membershipOnDate(stored: readonly StoredPeriod[], transferred: readonly Interval[], on: string): MembershipOnDate {
  requireDate(on, 'on');
  const status = storedMembershipStatus(stored, on);
  const periods = stored.filter(holdsDays);
  const periodOnDate = activePeriod(periods, on) ?? null;
  // The register's knowledge today applied to the date asked: an expulsion recorded since still
  // wipes the months before it, as the fund may recover benefits paid on them (domain.md §1.4).
  const condition = membershipConditionMonths(countingPeriods(stored, transferred), on);
  const expelled = lastExpulsion(stored);
  return {
    status,
    periodOnDate,
    membershipCondition: {
      asOf: on,
      fullMonths: condition.fullMonths,
      days: condition.days,
      totalDays: condition.totalDays,
      met: condition.fullMonths >= MEMBERSHIP_CONDITION_MONTHS,
      metOn: condition.metOn12,
    },
    expelledThrough: expelled,
  };
}

export interface MembershipOverInterval {
  from: string;
  to: string;
  /** Days in the interval, both ends included. */
  days: number;
  /** Days of the interval on which the person was a member of this fund. */
  memberDays: number;
  /** True when every day of the interval was a membership day. */
  wholeInterval: boolean;
  /** The membership stretches inside the interval, clipped to it (adjacent periods joined). */
  stretches: { startDate: string; endDate: string }[];
}

/** Membership of this fund over `from`–`to` (both included): which days, how many, any gap. */
export function membershipOverInterval(periods: readonly Interval[], from: string, to: string): MembershipOverInterval {
  requireDate(from, 'from');
  requireDate(to, 'to');
  if (compareDates(from, to) > 0) throw new RangeError(`from ${from} is after to ${to}`);
  const stretches = mergeIntervals(periods.filter(holdsDays))
    .filter((p) => compareDates(p.startDate, to) <= 0 && (p.endDate === null || compareDates(p.endDate, from) >= 0))
    .map((p) => ({
      startDate: maxDate(p.startDate, from),
      endDate: p.endDate === null || compareDates(p.endDate, to) > 0 ? to : p.endDate,
    }));
  const days = daysBetween(from, to) + 1;
  const memberDays = stretches.reduce((sum, s) => sum + daysBetween(s.startDate, s.endDate) + 1, 0);
  return { from, to, days, memberDays, wholeInterval: memberDays === days, stretches };
}
