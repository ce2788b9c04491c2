import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import { decideUpdate, type DecisionRequest } from './definitions/humanDecision';
import { refusal } from './definitions/refusal';

/**
 * A caseworker decision on one task, through the same `decide` Update as application reviews:
 * the validator refuses a decision for another task or a second decision. `openTask` writes the
 * task row; `apply` carries the decision out before the Update answers.
 */
export async function awaitTaskDecision(opts: {
  openTask: () => Promise<{ taskId: string }>;
  apply: (decision: DecisionRequest, taskId: string) => Promise<void>;
  /** When set, a rejection without a reason is refused with this code and message. */
  rejectionNeedsReason?: { code: string; message: string };
  alreadyDecided: { code: string; message: string };
}): Promise<DecisionRequest> {
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
        if (decision) throw refusal(opts.alreadyDecided.code, opts.alreadyDecided.message);
        if (taskId === null || request.taskId !== taskId) throw refusal('task_not_current', 'This task is no longer current; reload the work queue.');
        if (opts.rejectionNeedsReason && request.decision === 'reject' && !request.reason?.trim()) throw refusal(opts.rejectionNeedsReason.code, opts.rejectionNeedsReason.message);
      },
    },
  );
  ({ taskId } = await opts.openTask());
  await condition(() => decision !== null);
  const d = decision as unknown as DecisionRequest;
  await opts.apply(d, taskId);
  done = true;
  await condition(allHandlersFinished);
  return d;
}
