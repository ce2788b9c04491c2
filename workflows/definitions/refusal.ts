import { ApplicationFailure } from '@temporalio/common';

/** The values a refusal's translation needs (`{status}`, `{outcome}`, …). */
export type RefusalParams = Record<string, string | number>;

/**
 * A business refusal from a workflow's Update (validator or handler) or an activity, carrying a
 * stable code (the failure's `type`) and its params (the failure's first detail). The API turns it
 * into a 409 problem with that code (services/temporalErrors.ts), so the desk can translate it;
 * the message stays English, for the developer or integrator.
 * @example throw refusal('task_not_current', 'This task is no longer current; reload the work queue.')
 */
export function refusal(code: string, message: string, params: RefusalParams = {}): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, details: [params], nonRetryable: true });
}

/** A refusal's code and params, if `failure` is one (a snake_case type); otherwise null. */
export function refusalOf(failure: unknown): { code: string; params: RefusalParams } | null {
  if (!(failure instanceof ApplicationFailure) || !failure.type || !/^[a-z][a-z0-9_]*$/.test(failure.type)) return null;
  const first = failure.details?.[0];
  const params: RefusalParams = {};
  if (first && typeof first === 'object') {
    for (const [k, v] of Object.entries(first as Record<string, unknown>)) if (typeof v === 'string' || typeof v === 'number') params[k] = v;
  }
  return { code: failure.type, params };
}
