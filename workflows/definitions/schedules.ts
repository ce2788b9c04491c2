import { shippedScheduleTimes, type ClockTime, type ScheduleTimes } from '../../domain/scheduleTimes';
import { collectionScheduleId } from './collectionRun';
import { biExtractScheduleId, financeJournalScheduleId } from './financeJournal';
import { membershipDailyScheduleId } from './membershipDailySweep';
import { populationSyncScheduleId } from './populationRegisterSync';
import { reconcileScheduleId } from './reconcile';
import { taxCorrectionScheduleId, taxReportScheduleId } from './taxReport';
import { unionMemberListsScheduleId } from './unionRemittanceMismatch';

export const billingYearlyScheduleId = 'billing-yearly';
export const bankFilesScheduleId = 'bank-files';

/**
 * Every Temporal Schedule the register creates (temporal/schedules.ts builds exactly these, checked by
 * tests/unit/schedules.test.ts), in the order the desk lists them.
 */
export const registerScheduleIds = [
  billingYearlyScheduleId,
  taxReportScheduleId,
  taxCorrectionScheduleId,
  collectionScheduleId,
  unionMemberListsScheduleId,
  populationSyncScheduleId,
  bankFilesScheduleId,
  reconcileScheduleId,
  membershipDailyScheduleId,
  financeJournalScheduleId,
  biExtractScheduleId,
] as const;
export type RegisterScheduleId = (typeof registerScheduleIds)[number];

/**
 * Whether a schedule may be backfilled (decision 030): only where each scheduled time is its own
 * period with its own deterministic process id, so a backfilled time runs that period once and a
 * period already done is not done again. `maxDays` bounds one backfill's range.
 */
export type ScheduleBackfill = { allowed: true; maxDays: number } | { allowed: false; why: 'state-based' | 'current-state' };

export const scheduleBackfill: Record<RegisterScheduleId, ScheduleBackfill> = {
  // The year of the scheduled time; `billing-run/<fund>/<year>` is started once (REJECT_DUPLICATE).
  [billingYearlyScheduleId]: { allowed: true, maxDays: 400 },
  // The year before the scheduled time; `tax-report/<year>` is started once, and not when one exists.
  [taxReportScheduleId]: { allowed: true, maxDays: 400 },
  // Corrects every reported year up to now: a missed month is covered by the next run or a trigger.
  [taxCorrectionScheduleId]: { allowed: false, why: 'state-based' },
  // Sends each level that is due by today: a missed day's levels go out on the next run (never skipped).
  [collectionScheduleId]: { allowed: false, why: 'state-based' },
  // A union's list is of the register's state now; a list "as of" a past day would be sent stale.
  [unionMemberListsScheduleId]: { allowed: false, why: 'current-state' },
  // Reads the change feed from its stored cursor: the next run takes every change it missed.
  [populationSyncScheduleId]: { allowed: false, why: 'state-based' },
  // Fetches every file the bank has: the next fetch takes what a missed one would have.
  [bankFilesScheduleId]: { allowed: false, why: 'state-based' },
  // Starts what is not started and closes what ended, whenever it runs.
  [reconcileScheduleId]: { allowed: false, why: 'state-based' },
  // Ends memberships past the age limit by today: today's sweep includes every missed day.
  [membershipDailyScheduleId]: { allowed: false, why: 'state-based' },
  // The day before the scheduled time; `finance-journal/<day>` runs once per day.
  [financeJournalScheduleId]: { allowed: true, maxDays: 62 },
  // The day before the scheduled time; `bi-extract/<day>` runs once per day.
  [biExtractScheduleId]: { allowed: true, maxDays: 62 },
};

/** A calendar schedule's time in Helsinki: every day, every month on `day`, or every year on `day` of `month`. */
export type ScheduledTime = ClockTime & { day?: number; month?: number };

/** Which field of the fund's `scheduleTimes` setting (decision 040) times each calendar schedule; the others run at intervals set by the installation. */
export const scheduleTimeField: Partial<Record<RegisterScheduleId, keyof ScheduleTimes>> = {
  [billingYearlyScheduleId]: 'billingYearly',
  [taxReportScheduleId]: 'taxReport',
  [taxCorrectionScheduleId]: 'taxCorrections',
  [collectionScheduleId]: 'collectionDaily',
  [unionMemberListsScheduleId]: 'unionMemberLists',
  [membershipDailyScheduleId]: 'membershipDaily',
  [financeJournalScheduleId]: 'financeJournal',
  [biExtractScheduleId]: 'biExtract',
};

/**
 * The time the setting gives a calendar schedule (the annual tax report's day is in January), or
 * null for an interval schedule; `times` absent: the shipped times.
 */
export function scheduledTimeOf(times: ScheduleTimes | undefined, id: RegisterScheduleId): ScheduledTime | null {
  const field = scheduleTimeField[id];
  if (!field) return null;
  const t = times ?? shippedScheduleTimes;
  return field === 'taxReport' ? { ...t.taxReport, month: 1 } : { ...t[field] };
}

/** Temporal's month names, January first. */
export const scheduleMonths = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
