import { defineUpdate } from '@temporalio/workflow';

/*
 * The caseworker's decision on a task, shared by every process that opens one (application
 * reviews, eligibility reviews, address conflicts, billing-run approvals, unmatched payments):
 * the desk sends it to the task's workflow as the `decide` Update.
 */

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

export type DecisionOutcome = 'approved' | 'rejected';

export const decideUpdate = defineUpdate<{ outcome: DecisionOutcome }, [DecisionRequest]>('decide');
