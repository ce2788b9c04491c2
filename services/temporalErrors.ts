import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { refusalOf } from '../workflows/definitions/refusal';
import { failure } from './errors';

/**
 * Runs a Temporal Update and turns a refused one into a 409 carrying the validator's words and,
 * when the workflow refused with a code (workflows/definitions/refusal.ts), that code and params.
 */
export async function asConflictOnRefusal<T>(run: () => Promise<T>, what: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      const refused = refusalOf(error.cause);
      const detail = error.cause?.message ?? `${what} was refused.`;
      throw refused ? failure(409, refused.code, detail, { params: refused.params }) : failure(409, 'update_refused', detail);
    }
    if (error instanceof WorkflowNotFoundError) {
      throw failure(409, 'process_ended', `${what} is no longer possible: the process has ended.`);
    }
    throw error;
  }
}

/** A Temporal call that failed for want of Temporal (unreachable, timed out), not for what it asked. */
export function isTemporalUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return [1, 4, 8, 13, 14].includes(e.code); // CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE
    if (e instanceof ServiceError && /deadline|unavailable|connect/i.test(e.message)) return true;
  }
  return false;
}
