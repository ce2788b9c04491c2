import { allHandlersFinished, condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
// Only import the activity types
import type { MembershipEndActivities } from '../activities/membershipEnd';
import type { MessageActivities } from '../activities/messages';
import { refusal } from './definitions/refusal';
import {
  resignationStateQuery,
  withdrawResignationUpdate,
  type MembershipEndInput,
  type MembershipEndResult,
  type ResignationProcessStatus,
} from './definitions/membershipEnd';

const acts = proxyLocalActivities<MembershipEndActivities & MessageActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/**
 * A resignation or a new fund's resignation authorisation (`resignation/<id>`): the period ends on
 * the computed date at once (status is derived from dates), the member is told, and a withdrawal
 * inside the fund's window restores the membership.
 */
export async function membershipEnd(input: MembershipEndInput): Promise<MembershipEndResult> {
  let status: ResignationProcessStatus = 'pending';
  let withdrawnBy: string | null = null;
  setHandler(resignationStateQuery, () => ({ status }));
  setHandler(
    withdrawResignationUpdate,
    async ({ by }) => {
      withdrawnBy = by;
      await acts.withdrawResignation({ resignationId: input.resignationId, by });
      status = 'withdrawn';
      return { status: 'withdrawn' as const };
    },
    {
      validator: (_request) => {
        if (withdrawnBy !== null || status === 'withdrawn') throw refusal('resignation_already_withdrawn', 'This resignation was already withdrawn.');
        if (status !== 'pending') throw refusal('withdrawal_window_passed', 'The withdrawal window of this resignation has passed.');
      },
    },
  );

  const applied = await acts.applyResignation({ resignationId: input.resignationId });
  if (applied.messageKey) await acts.deliverMessage({ messageKey: applied.messageKey });
  const withdrawn = await condition(() => withdrawnBy !== null, input.withdrawalWindowMs);
  if (withdrawn) {
    await condition(allHandlersFinished);
    return { status: 'withdrawn' };
  }
  status = 'effective';
  await acts.markResignationEffective({ resignationId: input.resignationId });
  return { status: 'effective' };
}
