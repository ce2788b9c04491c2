import { allHandlersFinished, condition, patched, proxyLocalActivities, setHandler } from '@temporalio/workflow';
// Only import the activity types
import type { MembershipEndActivities } from '../activities/membershipEnd';
import type { MessageActivities } from '../activities/messages';
import { refusal } from './definitions/refusal';
import {
  confirmResignationUpdate,
  rejectResignationUpdate,
  resignationStateQuery,
  withdrawResignationUpdate,
  type MembershipEndInput,
  type MembershipEndResult,
  type ResignationProcessStatus,
} from './definitions/membershipEnd';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyLocalActivities<MembershipEndActivities & MessageActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/** Sends a queued message; a refusal (no usable contact details) must not stop the process. */
async function tryDeliver(messageKey: string): Promise<void> {
  try {
    await acts.deliverMessage({ messageKey });
  } catch {
    // The message stays 'failed' in the outbox, visible in the member's message history.
  }
}

/**
 * A resignation or a new fund's resignation authorisation (`resignation/<id>`): the period ends on
 * the computed date at once (status is derived from dates), the member is told, and a withdrawal
 * inside the fund's window restores the membership. A request from the public form first waits for
 * its confirmation (the member's link or a caseworker), a caseworker's rejection, or expiry.
 */
export async function membershipEnd(input: MembershipEndInput): Promise<MembershipEndResult> {
  let status: ResignationProcessStatus = 'pending';
  let withdrawnBy: string | null = null;
  let withdrawalMessageKey: string | null = null;
  setHandler(resignationStateQuery, () => ({ status }));
  markProcess('membership-end', { key: input.resignationId, status });
  setHandler(
    withdrawResignationUpdate,
    async ({ by, reason, actorKind }) => {
      withdrawnBy = by;
      const withdrawn = await acts.withdrawResignation({ resignationId: input.resignationId, by, ...(reason !== undefined ? { reason } : {}), ...(actorKind ? { actorKind } : {}) });
      withdrawalMessageKey = withdrawn?.messageKey ?? null;
      status = 'withdrawn';
      processStatus(status);
      return { status: 'withdrawn' as const };
    },
    {
      validator: (_request) => {
        if (withdrawnBy !== null || status === 'withdrawn') throw refusal('resignation_already_withdrawn', 'This resignation was already withdrawn.');
        if (status !== 'pending') throw refusal('withdrawal_window_passed', 'The withdrawal window of this resignation has passed.');
      },
    },
  );

  if (input.confirmation && patched('resignation-request')) {
    status = 'requested';
    processStatus(status);
    let decided = false;
    setHandler(
      confirmResignationUpdate,
      async ({ by }) => {
        decided = true;
        await acts.confirmResignationRequest({ resignationId: input.resignationId, by });
        status = 'pending';
        processStatus(status);
        return { status: 'pending' as const };
      },
      { validator: (_request) => requireOpenRequest(status, decided) },
    );
    setHandler(
      rejectResignationUpdate,
      async ({ by, reason }) => {
        decided = true;
        await acts.rejectResignationRequest({ resignationId: input.resignationId, by, reason });
        status = 'rejected';
        processStatus(status);
        return { status: 'rejected' as const };
      },
      { validator: (_request) => requireOpenRequest(status, decided) },
    );
    const request = await acts.requestResignationConfirmation({ resignationId: input.resignationId });
    if (request.messageKey) await tryDeliver(request.messageKey);
    if (!(await condition(() => decided, input.confirmation.validityMs))) {
      status = 'expired';
      processStatus(status);
      await acts.expireResignationRequest({ resignationId: input.resignationId });
      return { status: 'expired' };
    }
    await condition(() => status !== 'requested');
    if ((status as ResignationProcessStatus) === 'rejected') {
      await condition(allHandlersFinished);
      return { status: 'rejected' };
    }
  }

  const applied = await acts.applyResignation({ resignationId: input.resignationId });
  if (applied.messageKey) await acts.deliverMessage({ messageKey: applied.messageKey });
  const withdrawn = await condition(() => withdrawnBy !== null, input.withdrawalWindowMs);
  if (withdrawn) {
    await condition(allHandlersFinished);
    if (withdrawalMessageKey !== null && patched('resignation-withdrawn-message')) await tryDeliver(withdrawalMessageKey);
    return { status: 'withdrawn' };
  }
  status = 'effective';
  processStatus(status);
  await acts.markResignationEffective({ resignationId: input.resignationId });
  return { status: 'effective' };
}

function requireOpenRequest(status: ResignationProcessStatus, decided: boolean): void {
  if (decided || status !== 'requested') throw new Error(`This resignation request is no longer open (status: ${status}).`);
}
