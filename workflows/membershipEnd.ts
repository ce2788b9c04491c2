import { condition, defineQuery, defineUpdate, proxyLocalActivities, setHandler, allHandlersFinished } from '@temporalio/workflow';
// Only import the activity types
import type { MembershipActivities } from '../activities/membership';
import type { IntakeActivities } from '../activities/intake';

export interface MembershipEndInput {
  resignationId: string;
  /** The fund's withdrawal window (profile), in milliseconds. */
  withdrawalWindowMs: number;
}

export const withdrawResignationUpdate = defineUpdate<{ status: 'withdrawn' }, [{ by: string }]>('withdraw');
export const resignationStateQuery = defineQuery<{ status: 'pending' | 'withdrawn' | 'effective' }>('state');

const acts = proxyLocalActivities<MembershipActivities & Pick<IntakeActivities, 'deliverMessage'>>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/**
 * A resignation or a new fund's resignation authorisation (`resignation/<id>`): the period ends on
 * the computed date at once (status is derived from dates), the member is told, and a withdrawal
 * inside the fund's window restores the membership.
 */
export async function membershipEnd(input: MembershipEndInput): Promise<{ status: 'withdrawn' | 'effective' }> {
  let status: 'pending' | 'withdrawn' | 'effective' = 'pending';
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
        if (withdrawnBy !== null || status === 'withdrawn') throw new Error('This resignation was already withdrawn.');
        if (status !== 'pending') throw new Error('The withdrawal window of this resignation has passed.');
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
