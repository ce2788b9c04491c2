import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
// Only import the activity types
import type { SweepActivities } from '../activities/sweeps';
import { eligibilityReview } from './eligibilityReview';
import { todayInHelsinki } from '../domain/dates';

const acts = proxyActivities<SweepActivities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { maximumInterval: '5 minutes' } });


/** Started daily by the `membership-daily` schedule: age-limit endings and entrepreneur reviews. */
export async function membershipDailySweep(input: { today?: string } = {}) {
  const today = input.today ?? todayInHelsinki(new Date());
  const age = await acts.sweepAgeLimit({ today });
  const { memberIds } = await acts.findEntrepreneursOverLimit({ today });
  for (const memberId of memberIds) {
    // Started, not awaited: the review waits for a caseworker. One review per member, ever.
    try {
      await startChild(eligibilityReview, {
        workflowId: `eligibility-review/${memberId}/entrepreneur`,
        args: [{ memberId, reason: 'entrepreneur-over-limit' }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return { today, ...age, eligibilityReviews: memberIds.length };
}
