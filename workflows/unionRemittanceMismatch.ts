import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { UnionRemittanceActivities } from '../activities/unionRemittance';
import type { UnionRemittanceMismatchInput, UnionRemittanceMismatchResult } from './definitions/unionRemittanceMismatch';
import { awaitTaskDecision } from './humanDecision';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyLocalActivities<UnionRemittanceActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' } });

/**
 * A union remittance that did not match (`union-remittance/<mismatchId>`: unknown member, amount
 * off, no fee for the month): a billing user's task. "approve" books it as the union remitted it
 * (only for a known member), "reject" returns it to the union (a reason needed); the same decide
 * Update as every task.
 */
export async function unionRemittanceMismatch(input: UnionRemittanceMismatchInput): Promise<UnionRemittanceMismatchResult> {
  markProcess('union-remittance-mismatch', { key: input.mismatchId, status: 'awaiting-decision' });
  const { memberKnown } = await acts.unionMismatchFacts({ mismatchId: input.mismatchId });
  const decision = await awaitTaskDecision({
    openTask: () => acts.openUnionMismatchTask({ mismatchId: input.mismatchId, workflowId: workflowInfo().workflowId }),
    apply: async (d, taskId) => {
      if (d.decision === 'approve') await acts.bookUnionMismatch({ mismatchId: input.mismatchId, taskId, by: d.decidedBy.id });
      else await acts.returnUnionMismatch({ mismatchId: input.mismatchId, taskId, by: d.decidedBy.id, reason: d.reason ?? '' });
    },
    rejectionNeedsReason: { code: 'remittance_return_reason_required', message: 'Returning a remittance to the union needs a reason.' },
    alreadyDecided: { code: 'remittance_already_decided', message: 'This remittance was already dealt with.' },
    refuse: (r) => (r.decision === 'approve' && !memberKnown ? { code: 'remittance_member_unknown', message: 'The union named no member of the register: return the remittance to the union.' } : undefined),
  });
  const outcome = decision.decision === 'approve' ? 'booked' : 'returned';
  processStatus(outcome);
  return { outcome };
}
