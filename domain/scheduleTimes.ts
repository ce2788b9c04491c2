/**
 * When the register's calendar schedules run (issue 15, decision 040): a fund setting, so an
 * administrator moves the billing run or the night's jobs without a release. Helsinki time. The
 * interval schedules (reconcile, bank files, population sync) are operations' matter and stay in
 * code. The worker brings the Temporal Schedules to the times in force (temporal/schedules.ts).
 */
import { daysInMonth } from './dates';

export interface ClockTime {
  hour: number;
  minute: number;
}

export interface ScheduleTimes {
  /** Every night: the membership sweep, the collection run, yesterday's journal and BI extract. */
  membershipDaily: ClockTime;
  collectionDaily: ClockTime;
  financeJournal: ClockTime;
  biExtract: ClockTime;
  /** The yearly invoice run: month and day. */
  billingYearly: ClockTime & { month: number; day: number };
  /** The annual tax report, a day in January. */
  taxReport: ClockTime & { day: number };
  /** Monthly: tax corrections and the unions' member lists, a day of the month. */
  taxCorrections: ClockTime & { day: number };
  unionMemberLists: ClockTime & { day: number };
}

/** The shipped times (what the register ran before they were a setting). */
export const shippedScheduleTimes: ScheduleTimes = {
  membershipDaily: { hour: 2, minute: 15 },
  collectionDaily: { hour: 5, minute: 30 },
  financeJournal: { hour: 3, minute: 30 },
  biExtract: { hour: 1, minute: 30 },
  billingYearly: { month: 1, day: 8, hour: 6, minute: 0 },
  taxReport: { day: 10, hour: 6, minute: 30 },
  taxCorrections: { day: 5, hour: 6, minute: 45 },
  unionMemberLists: { day: 20, hour: 7, minute: 0 },
};

/**
 * The last January day the annual tax report may start: a week before the 31 January deadline
 * leaves the preview, a billing user's approval and the acknowledgement time (domain/tax/deadline.ts).
 */
export const LAST_TAX_REPORT_DAY = 24;

/** The days a month has every year (those of a common year): a yearly run on 29 February would skip three years of four. */
const daysEveryYear = (month: number) => daysInMonth(2001, month);

export interface ScheduleTimesIssue {
  field: string;
  code: 'config_schedule_day_invalid' | 'config_tax_schedule_too_late';
  message: string;
  params: Record<string, string | number>;
}

/** Rules beyond the shape: a real day for the yearly run, the tax report early enough. */
export function scheduleTimesIssues(t: ScheduleTimes): ScheduleTimesIssue[] {
  const issues: ScheduleTimesIssue[] = [];
  const maxDay = daysEveryYear(t.billingYearly.month);
  if (t.billingYearly.day > maxDay) {
    issues.push({ field: 'billingYearly.day', code: 'config_schedule_day_invalid', message: `billingYearly.day: month ${t.billingYearly.month} has ${maxDay} days every year`, params: { max: maxDay } });
  }
  if (t.taxReport.day > LAST_TAX_REPORT_DAY) {
    issues.push({ field: 'taxReport.day', code: 'config_tax_schedule_too_late', message: `taxReport.day: at most ${LAST_TAX_REPORT_DAY} January, a week before the deadline`, params: { max: LAST_TAX_REPORT_DAY } });
  }
  return issues;
}
