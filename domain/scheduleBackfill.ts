/**
 * The range of a schedule backfill (decision 030): whole Helsinki days `from`..`to`, both
 * included, not reaching past today and at most the schedule's `maxDays` long. Pure: the service
 * asks Temporal to run the schedule's times in the window this returns.
 */
import { compareDates, daysBetween, helsinkiDayStart, isIsoDate, addDays } from './dates';

export const backfillOverlaps = ['buffer-all', 'allow-all', 'skip'] as const;
export type BackfillOverlap = (typeof backfillOverlaps)[number];

export type BackfillRangeProblem =
  | { code: 'schedule_backfill_range_invalid'; params: Record<string, never> }
  | { code: 'schedule_backfill_in_future'; params: { today: string } }
  | { code: 'schedule_backfill_range_too_long'; params: { maxDays: number } };

/** Why a range cannot be backfilled, or null when it can. */
export function backfillRangeProblem(from: string, to: string, today: string, maxDays: number): BackfillRangeProblem | null {
  if (!isIsoDate(from) || !isIsoDate(to) || compareDates(from, to) > 0) return { code: 'schedule_backfill_range_invalid', params: {} };
  if (compareDates(to, today) > 0) return { code: 'schedule_backfill_in_future', params: { today } };
  if (daysBetween(from, to) + 1 > maxDays) return { code: 'schedule_backfill_range_too_long', params: { maxDays } };
  return null;
}

/**
 * The instants Temporal evaluates the schedule between: it runs the times after `start` and up to
 * `end` (start exclusive, end inclusive). From the first moment of `from` to the end of `to`, or to
 * `now` when `to` is today (a later time today is the schedule's own to run).
 */
export function backfillWindow(from: string, to: string, now: Date): { start: Date; end: Date } {
  const start = new Date(helsinkiDayStart(from).getTime() - 1);
  const endOfTo = new Date(helsinkiDayStart(addDays(to, 1)).getTime() - 1);
  return { start, end: endOfTo.getTime() > now.getTime() ? now : endOfTo };
}
