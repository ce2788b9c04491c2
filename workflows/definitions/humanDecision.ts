import { defineUpdate } from '@temporalio/workflow';

/** Who made a decision on a task, as the desk shows it. */
export interface Decider {
  id: string;
  name: string;
}

export interface DecisionRequest {
  taskId: string;
  decision: 'approve' | 'reject';
  reason?: string;
  decidedBy: Decider;
}

/** The caseworker's or billing user's decision on a task, shared by every process with human tasks. */
export const decideUpdate = defineUpdate<{ outcome: 'approved' | 'rejected' }, [DecisionRequest]>('decide');
