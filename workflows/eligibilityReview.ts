import { allHandlersFinished, condition, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { SweepActivities } from '../activities/sweeps';
import { decideUpdate, type DecisionRequest } from './applicationIntake';

const acts = proxyLocalActivities<SweepActivities>({ startToCloseTimeout: '1 minute' });

function finnishToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/**
 * A doubt about a member's eligibility (`eligibility-review/<memberId>/<reason>`): a caseworker task;
 * "approve" keeps the membership, "reject" ends it today. Same decision Update as intake reviews.
 */
export async function eligibilityReview(input: { memberId: string; reason: string }): Promise<{ outcome: 'approved' | 'rejected' }> {
  let decision: DecisionRequest | null = null;
  let taskId: string | null = null;
  let done = false;
  setHandler(
    decideUpdate,
    async (request) => {
      decision = request;
      await condition(() => done);
      return { outcome: request.decision === 'approve' ? ('approved' as const) : ('rejected' as const) };
    },
    {
      validator: (request) => {
        if (decision) throw new Error('This review was already decided.');
        if (taskId === null || request.taskId !== taskId) throw new Error('This task is no longer current; reload the work queue.');
        if (request.decision === 'reject' && !request.reason?.trim()) throw new Error('Ending a membership needs a reason.');
      },
    },
  );
  ({ taskId } = await acts.openEligibilityTask({ memberId: input.memberId, workflowId: workflowInfo().workflowId, reason: input.reason }));
  await condition(() => decision !== null);
  const d = decision as unknown as DecisionRequest;
  if (d.decision === 'reject') {
    await acts.endForEligibility({ memberId: input.memberId, taskId: taskId!, decidedBy: d.decidedBy.id, today: finnishToday() });
  } else {
    await acts.closeReviewTask({ taskId: taskId! });
  }
  done = true;
  await condition(allHandlersFinished);
  return { outcome: d.decision === 'approve' ? 'approved' : 'rejected' };
}
