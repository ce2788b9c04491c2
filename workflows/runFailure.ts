import { ActivityFailure, ApplicationFailure, CancelledFailure, TimeoutFailure } from '@temporalio/common';

/**
 * What a run's failure is made of, for the activity that records it (decision 071): its words
 * (an activity's own message rather than Temporal's wrapper around it) and its type — the
 * ApplicationFailure's `type` (the activities name theirs with the run's failure codes),
 * `timeout` or `cancelled`. The activity turns the type into the stored code
 * (domain/runFailure.ts). Passing it changes the activity's input, not the workflow's commands.
 */
export function runFailure(error: ActivityFailure | ApplicationFailure): { error: string; type: string | null } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  const type = cause instanceof ApplicationFailure ? (cause.type ?? null) : cause instanceof TimeoutFailure ? 'timeout' : cause instanceof CancelledFailure ? 'cancelled' : null;
  return { error: error.cause?.message ?? error.message, type };
}
