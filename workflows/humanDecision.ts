import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { decideUpdate, type DecisionRequest } from './definitions/humanDecision';

export interface TaskDecisionOptions {
  openTask: () => Promise<{ taskId: string }>;
  apply: (decision: DecisionRequest, taskId: string) => Promise<void>;
  /** When set, a rejection without a reason is refused with this message. */
  rejectionNeedsReason?: string;
  alreadyDecided: string;
  /** Further refusals of the process's own (four eyes, a reason for either answer): the message, or undefined to accept. */
  refuse?: (request: DecisionRequest) => string | undefined;
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
        if (decision) throw new Error(opts.alreadyDecided);
        if (stopped || taskId === null || request.taskId !== taskId) throw new Error('This task is no longer current; reload the work queue.');
        if (opts.rejectionNeedsReason && request.decision === 'reject' && !request.reason?.trim()) throw new Error(opts.rejectionNeedsReason);
        const refusal = opts.refuse?.(request);
        if (refusal) throw new Error(refusal);
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
