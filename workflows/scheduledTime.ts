import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { patched, workflowInfo } from '@temporalio/workflow';

/** Set by Temporal on every run a schedule starts, a backfilled one included: the time the run is for. */
const scheduledStartTimeKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * Runs before this patch took "now" as the time they were for; a history recorded then replays
 * with that (decision 030). Every run started since takes the schedule's time.
 */
export const SCHEDULED_TIME = 'scheduled-time';

/**
 * The schedule's time when a schedule started this run (a backfill's past time too); undefined when
 * it was started by hand, or before the patch.
 */
export function scheduleStartTime(): Date | undefined {
  if (!patched(SCHEDULED_TIME)) return undefined;
  return workflowInfo().typedSearchAttributes.get(scheduledStartTimeKey);
}

/**
 * The time a scheduled run is for: the schedule's time (a backfill's past time too), or the
 * workflow's now when it was started by hand. A backfill of 3 March therefore works on 3 March's
 * period, not on today's.
 */
export function scheduledTime(): Date {
  return scheduleStartTime() ?? new Date();
}
