import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { SweepActivities } from '../activities/sweeps';
import { awaitTaskDecision } from './humanDecision';
import { todayInHelsinki } from '../domain/dates';

const acts = proxyLocalActivities<SweepActivities>({ startToCloseTimeout: '1 minute' });


/**
 * A doubt about a member's eligibility (`eligibility-review/<memberId>/<reason>`): a caseworker task;
 * "approve" keeps the membership, "reject" ends it today. Same decision Update as intake reviews.
 */
export async function eligibilityReview(input: { memberId: string; reason: string }): Promise<{ outcome: 'approved' | 'rejected' }> {
  const decision = await awaitTaskDecision({
    openTask: () => acts.openEligibilityTask({ memberId: input.memberId, workflowId: workflowInfo().workflowId, reason: input.reason }),
    apply: async (d, taskId) => {
      if (d.decision === 'reject') await acts.endForEligibility({ memberId: input.memberId, taskId, decidedBy: d.decidedBy.id, today: todayInHelsinki(new Date()) });
      else await acts.closeReviewTask({ taskId });
    },
    rejectionNeedsReason: 'Ending a membership needs a reason.',
    alreadyDecided: 'This review was already decided.',
  });
  return { outcome: decision.decision === 'approve' ? 'approved' : 'rejected' };
}
