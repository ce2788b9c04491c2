/**
 * One place that decides whether an activity's failure can mend by retrying (docs/decisions/017).
 * Activities retry without a bound only for what may pass (a database or Temporal that is down, a
 * bank that does not answer). A failure that retrying cannot mend (the input itself is wrong) is
 * made non-retryable here, so the process sees it at once and gives it to a person or fails
 * visibly; and a failure that keeps coming back past ALERT_AFTER_ATTEMPTS is logged as an alert
 * on every further attempt, so no retry goes on silently.
 */
import { ApplicationFailure } from '@temporalio/common';
import { isGrpcServiceError } from '@temporalio/client';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, ActivityInterceptorsFactory, Next } from '@temporalio/worker';
import { TransformError } from '../integrations/transforms/errors';

/** Attempts after which each further failure of the same activity is logged as an alert. */
export const ALERT_AFTER_ATTEMPTS = 10;

/** gRPC INVALID_ARGUMENT: Temporal refused the request itself (a workflow id too long, say). */
const INVALID_ARGUMENT = 3;

function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && seen.length < 8; e = (e as { cause?: unknown }).cause) seen.push(e);
  return seen;
}

/** Why retrying cannot mend this failure, or null when it might. */
export function unmendable(error: unknown): string | null {
  if (error instanceof ApplicationFailure) return null; // the activity classified it itself
  for (const e of chain(error)) {
    if (e instanceof TransformError) return 'malformed-input';
    if (isGrpcServiceError(e) && e.code === INVALID_ARGUMENT) return 'temporal-invalid-argument';
    // PostgreSQL class 22 (data exception: a value too long, out of range, not valid for its type).
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return 'database-data-exception';
  }
  return null;
}

class ActivityFaults implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Parameters<ActivityInterceptorsFactory>[0]) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (error) {
      const info = this.ctx.info;
      const reason = unmendable(error);
      const message = error instanceof Error ? error.message : String(error);
      // Workflow ids and activity types name processes, never people; the message is the error's own.
      const where = { activityType: info.activityType, workflowId: info.workflowExecution?.workflowId, attempt: info.attempt };
      if (reason) {
        this.ctx.log.error(`[alert] ${info.activityType} failed in a way retrying cannot mend (${reason}); not retried`, where);
        throw ApplicationFailure.create({ type: reason, message: message.slice(0, 2000), nonRetryable: true, cause: error instanceof Error ? error : undefined });
      }
      if (info.attempt >= ALERT_AFTER_ATTEMPTS) {
        this.ctx.log.error(`[alert] ${info.activityType} has failed ${info.attempt} times and is retried: ${message.slice(0, 500)}`, where);
      }
      throw error;
    }
  }
}

/** For Worker.create({ interceptors: { activity: [activityFaults] } }). */
export const activityFaults: ActivityInterceptorsFactory = (ctx) => ({ inbound: new ActivityFaults(ctx) });
