import { Context } from '@temporalio/activity';

/** Tells Temporal the activity is alive; outside an activity (a test or bench calling the function) there is no one to tell. */
export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Not in an activity.
  }
}

/** How often a short step tells Temporal it is alive (the SDK throttles what it sends to 0.8 × the heartbeat timeout). */
const ALIVE_EVERY_MS = 5_000;

/**
 * Runs a step that has no progress to report (one query or transaction) heartbeating all the
 * while, so that when its worker dies Temporal notices within the step's heartbeat timeout and
 * retries it on another worker, instead of after its start-to-close timeout. A step that is merely
 * slow on a live worker keeps heartbeating and is not cut short.
 */
export async function alive<T>(work: () => Promise<T>): Promise<T> {
  heartbeat(undefined);
  const timer = setInterval(() => heartbeat(undefined), ALIVE_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * The same activities with `steps` run under `alive`: the workflow gives them a short heartbeat
 * timeout, so a step of a dead worker is retried elsewhere within it.
 */
export function keptAlive<A extends Record<string, unknown>>(activities: A, steps: readonly (keyof A & string)[]): A {
  const wrapped: Record<string, unknown> = { ...activities };
  for (const name of steps) {
    const step = activities[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) => alive(() => step(...args));
  }
  return wrapped as A;
}
