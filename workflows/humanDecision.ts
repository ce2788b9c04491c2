import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { decideUpdate, type DecisionRequest } from './definitions/humanDecision';
import { refusal } from './definitions/refusal';

export interface TaskDecisionOptions {
  openTask: () => Promise<{ taskId: string }>;
  apply: (decision: DecisionRequest, taskId: string) => Promise<void>;
  /** When set, a rejection without a reason is refused with this code and message. */
  rejectionNeedsReason?: { code: string; message: string };
  alreadyDecided: { code: string; message: string };
  /** Further refusals of the process's own (four eyes, a reason for either answer): its code and message, or undefined to accept. */
  refuse?: (request: DecisionRequest) => { code: string; message: string } | undefined;
}

/**
 * A caseworker decision on one task, through the same `decide` Update as application reviews:
 * the validator refuses a decision for another task or a second decision. `openTask` writes the
 * task row; `apply` carries the decision out before the Update answers.
 */
export async function awaitTaskDecision(opts: TaskDecisionOptions): Promise<DecisionRequest> {
  return (await awaitTaskDecisionUnless(opts, () => false))!;
}

/**
 * The same, but given up when `stop` turns true before a decision (the member paid while the
 * task waited): null then, and a decision sent after that is refused as no longer current.
 */
export async function awaitTaskDecisionUnless(opts: TaskDecisionOptions, stop: () => boolean): Promise<DecisionRequest | null> {
  let decision: DecisionRequest | null = null;
  let taskId: string | null = null;
  let done = false;
  let stopped = false;
  setHandler(
    decideUpdate,
    async (request) => {
      decision = request;
      await condition(() => done);
      return { outcome: request.decision === 'approve' ? ('approved' as const) : ('rejected' as const) };
    },
    {
      validator: (request) => {
        if (decision) throw refusal(opts.alreadyDecided.code, opts.alreadyDecided.message);
        if (stopped || taskId === null || request.taskId !== taskId) throw refusal('task_not_current', 'This task is no longer current; reload the work queue.');
        if (opts.rejectionNeedsReason && request.decision === 'reject' && !request.reason?.trim()) throw refusal(opts.rejectionNeedsReason.code, opts.rejectionNeedsReason.message);
        const refused = opts.refuse?.(request);
        if (refused) throw refusal(refused.code, refused.message);
      },
    },
  );
  ({ taskId } = await opts.openTask());
  await condition(() => decision !== null || stop());
  if (decision === null) {
    stopped = true;
    return null;
  }
  const d = decision as unknown as DecisionRequest;
  await opts.apply(d, taskId);
  done = true;
  await condition(allHandlersFinished);
  return d;
}
