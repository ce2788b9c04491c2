import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
// Only import the activity types
import type { MembershipDailySweepActivities } from '../activities/membershipDailySweep';
import { todayInHelsinki } from '../domain/dates';
import { eligibilityReviewWorkflowId } from './definitions/eligibilityReview';
import type { MembershipDailySweepInput, MembershipDailySweepResult } from './definitions/membershipDailySweep';
import type { eligibilityReview } from './eligibilityReview';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyActivities<MembershipDailySweepActivities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { maximumInterval: '5 minutes' } });

/** Started daily by the `membership-daily` schedule: age-limit endings and entrepreneur reviews. */
export async function membershipDailySweep(input: MembershipDailySweepInput = {}): Promise<MembershipDailySweepResult> {
  const today = input.today ?? todayInHelsinki(new Date());
  markProcess('membership-daily-sweep', { key: today, status: 'sweeping' });
  const age = await acts.sweepAgeLimit({ today });
  const { memberIds } = await acts.findEntrepreneursOverLimit({ today });
  for (const memberId of memberIds) {
    // Started, not awaited: the review waits for a caseworker. One review per member, ever.
    try {
      await startChild<typeof eligibilityReview>('eligibilityReview', {
        workflowId: eligibilityReviewWorkflowId(memberId, 'entrepreneur'),
        args: [{ memberId, reason: 'entrepreneur-over-limit' }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  processStatus('finished');
  return { today, ...age, eligibilityReviews: memberIds.length };
}
