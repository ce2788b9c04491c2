import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { conflict } from './errors';

/** Runs a Temporal Update and turns a refused one into a 409 carrying the validator's words. */
export async function asConflictOnRefusal<T>(run: () => Promise<T>, what: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw conflict(error.cause?.message ?? `${what} was refused.`);
    }
    if (error instanceof WorkflowNotFoundError) {
      throw conflict(`${what} is no longer possible: the process has ended.`);
    }
    throw error;
  }
}
