import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { EligibilityReviewActivities } from '../activities/eligibilityReview';
import { todayInHelsinki } from '../domain/dates';
import type { EligibilityReviewInput, EligibilityReviewResult } from './definitions/eligibilityReview';
import { awaitTaskDecision } from './humanDecision';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyLocalActivities<EligibilityReviewActivities>({ startToCloseTimeout: '1 minute' });

/**
 * A doubt about a member's eligibility (`eligibility-review/<memberId>/<ground>`): a caseworker task;
 * "approve" keeps the membership, "reject" ends it today. Same decision Update as intake reviews.
 */
export async function eligibilityReview(input: EligibilityReviewInput): Promise<EligibilityReviewResult> {
  markProcess('eligibility-review', { key: input.reason, memberId: input.memberId, status: 'awaiting-decision' });
  const decision = await awaitTaskDecision({
    openTask: () => acts.openEligibilityTask({ memberId: input.memberId, workflowId: workflowInfo().workflowId, reason: input.reason }),
    apply: async (d, taskId) => {
      if (d.decision === 'reject') await acts.endForEligibility({ memberId: input.memberId, taskId, decidedBy: d.decidedBy.id, today: todayInHelsinki(new Date()) });
      else await acts.closeReviewTask({ taskId });
    },
    rejectionNeedsReason: { code: 'ending_membership_reason_required', message: 'Ending a membership needs a reason.' },
    alreadyDecided: { code: 'review_already_decided', message: 'This review was already decided.' },
  });
  const outcome = decision.decision === 'approve' ? 'approved' : 'rejected';
  processStatus(outcome);
  return { outcome };
}
