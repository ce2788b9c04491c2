import { WorkflowNotFoundError } from '@temporalio/client';
import type { Stack } from './stack';

/** Whether Temporal knows a process of this id (running or closed); false once it was never started or was deleted. */
export async function processExists(stack: Stack, workflowId: string): Promise<boolean> {
  try {
    await stack.ctx.temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
