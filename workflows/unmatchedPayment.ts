import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { allHandlersFinished, condition, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { UnmatchedPaymentActivities } from '../activities/unmatchedPayment';
import { decideUpdate } from './definitions/humanDecision';
import { refusal, refusalOf } from './definitions/refusal';
import {
  allocateUpdate,
  unmatchedPaymentStateQuery,
  withdrawSignal,
  type UnmatchedPaymentInput,
  type UnmatchedPaymentResult,
  type UnmatchedPaymentState,
} from './definitions/unmatchedPayment';
import { markProcess, updateProcess } from './processAttributes';

const local = proxyLocalActivities<UnmatchedPaymentActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
});

/** An activity's business refusal becomes the Update's failure, so the caller gets its words (HTTP 409). */
function passOnRefusal(error: unknown): never {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    const refused = refusalOf(error.cause);
    throw refused ? refusal(refused.code, error.cause.message, refused.params) : ApplicationFailure.create({ message: error.cause.message, nonRetryable: true });
  }
  throw error;
}

/**
 * A bank entry the import could not match (`unmatched-payment/<archiveId>`): a billing user's task
 * in the payments queue. The `allocate` Update books it to a member (and invoices); the shared
 * `decide` Update with 'reject' means "return to the payer": the entry becomes 'refund-needed'
 * and the money is sent back outside the member ledger, since the payer is nobody we know.
 */
export async function unmatchedPayment(input: UnmatchedPaymentInput): Promise<UnmatchedPaymentResult> {
  const state: UnmatchedPaymentState = { taskId: null, result: null };
  // Set synchronously by a handler, so a concurrent second action is refused by the validators.
  let busy = false;
  let withdrawal: string | null = null;

  setHandler(unmatchedPaymentStateQuery, () => state);
  markProcess('unmatched-payment', { key: input.entryId, status: 'opening' });

  const refuseUnlessOpen = (taskId: string) => {
    if (state.result) throw refusal('payment_already_handled', `This payment was already dealt with (${state.result.outcome}).`, { outcome: state.result.outcome });
    if (busy) throw refusal('payment_busy', 'Another user is handling this payment right now; reload the task.');
    if (state.taskId === null || taskId !== state.taskId) throw refusal('task_not_current', 'This task is no longer current for the payment; reload the work queue.');
  };

  setHandler(
    allocateUpdate,
    async (request) => {
      busy = true;
      try {
        const outcome = await local.allocateUnmatchedPayment({
          entryId: input.entryId,
          taskId: request.taskId,
          memberId: request.memberId,
          invoiceIds: request.invoiceIds ?? null,
          note: request.note,
          by: request.allocatedBy.id,
        });
        state.result = { outcome: 'allocated', memberId: request.memberId, by: request.allocatedBy.name };
        return outcome;
      } catch (error) {
        passOnRefusal(error);
      } finally {
        busy = false;
      }
    },
    {
      validator: (request) => {
        refuseUnlessOpen(request.taskId);
        if (!request.note.trim()) throw refusal('allocation_note_required', 'A manual allocation needs a note saying how the payer was identified.');
      },
    },
  );

  setHandler(
    decideUpdate,
    async (request) => {
      busy = true;
      try {
        await local.returnUnmatchedPayment({ entryId: input.entryId, taskId: request.taskId, reason: request.reason ?? '', by: request.decidedBy.id });
        state.result = { outcome: 'returned-to-payer', by: request.decidedBy.name };
        return { outcome: 'rejected' as const };
      } catch (error) {
        passOnRefusal(error);
      } finally {
        busy = false;
      }
    },
    {
      validator: (request) => {
        refuseUnlessOpen(request.taskId);
        if (request.decision !== 'reject') throw refusal('payment_use_allocation', 'Allocate a payment with its allocation (POST /api/v1/payments/{entryId}/allocation); "reject" returns it to the payer.');
        if (!request.reason?.trim()) throw refusal('return_reason_required', 'Returning a payment to the payer needs a reason.');
      },
    },
  );

  setHandler(withdrawSignal, ({ reason }) => {
    withdrawal ??= reason;
  });

  ({ taskId: state.taskId } = await local.openUnmatchedPaymentTask({ entryId: input.entryId, workflowId: workflowInfo().workflowId }));
  updateProcess({ status: state.taskId === null ? 'withdrawn' : 'awaiting-allocation' });
  if (state.taskId === null) {
    // Already settled before the task could open (e.g. reversed in the same file).
    state.result = { outcome: 'withdrawn', reason: 'settled before the task opened' };
    return state.result;
  }
  await condition(() => state.result !== null || (withdrawal !== null && !busy));
  if (state.result === null) {
    await local.closeUnmatchedPaymentTask({ taskId: state.taskId, outcome: 'withdrawn' });
    state.result = { outcome: 'withdrawn', reason: withdrawal ?? '' };
  }
  updateProcess({ status: state.result.outcome, memberId: state.result.outcome === 'allocated' ? state.result.memberId : null });
  await condition(allHandlersFinished);
  return state.result;
}
