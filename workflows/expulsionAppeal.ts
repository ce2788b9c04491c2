import { ApplicationFailure } from '@temporalio/common';
import { allHandlersFinished, condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { ExpulsionAppealActivities } from '../activities/expulsionAppeal';
import type { AppealStatus } from '../domain/expulsion/status';
import { samuRulingUpdate, type ExpulsionAppealInput, type ExpulsionAppealResult, type SamuRuling } from './definitions/expulsionAppeal';
import { awaitTaskDecisionUnless } from './humanDecision';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyActivities<ExpulsionAppealActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/**
 * An appeal against an expulsion (`expulsion-appeal/<decisionId>`): a reconsideration task through
 * the same `decide` Update as every task. "approve" corrects the fund's own decision (the member is
 * reinstated from the original date and gets a new decision letter); "reject" forwards the appeal
 * to SAMU with the fund's statement (the reason), filed in case management and sent to the member.
 * A forwarded appeal waits, durably, for SAMU's ruling (`samuRuling`); an overturn reinstates.
 */
export async function expulsionAppeal(input: ExpulsionAppealInput): Promise<ExpulsionAppealResult> {
  let status: AppealStatus = 'received';
  let ruling: SamuRuling | null = null;
  const setStatus = (next: AppealStatus) => {
    status = next;
    processStatus(next);
  };
  markProcess('expulsion-appeal', { key: input.appealId, status });
  setHandler(
    samuRulingUpdate,
    async (r) => {
      ruling = r;
      await acts.recordSamuRuling({ appealId: input.appealId, ...r });
      setStatus(r.outcome);
      return { status };
    },
    {
      validator: (_ruling) => {
        if (ruling !== null) throw new Error("SAMU's ruling on this appeal was already recorded.");
        if (status !== 'forwarded') throw new Error('The appeal has not been forwarded to SAMU; the fund reconsiders it first.');
      },
    },
  );

  // A re-run (history lost, or a second start) whose reconsideration task is closed already goes on
  // from the appeal's recorded status instead of waiting on that task (decision 069).
  const rerunAware = patched('appeal-rerun-recognised');
  let recorded: AppealStatus | null = null;
  const decision = await awaitTaskDecisionUnless({
    openTask: async () => {
      const task = await acts.openReconsiderationTask({ appealId: input.appealId, workflowId: workflowInfo().workflowId });
      if (rerunAware && task.open === false) recorded = task.appealStatus;
      return task;
    },
    apply: async (d, taskId) => {
      if (d.decision === 'approve') await acts.correctExpulsion({ appealId: input.appealId, taskId, decidedBy: d.decidedBy.id, reason: d.reason ?? '' });
      else await acts.forwardAppealToSamu({ appealId: input.appealId, taskId, decidedBy: d.decidedBy.id, statement: d.reason ?? '' });
    },
    rejectionNeedsReason: { code: 'fund_statement_required', message: "Forwarding the appeal to SAMU needs the fund's statement." },
    refuse: (request) =>
      request.decision === 'approve' && !request.reason?.trim() ? { code: 'correction_reason_required', message: 'Correcting the decision needs a reason for the member.' } : undefined,
    alreadyDecided: { code: 'appeal_already_reconsidered', message: 'This appeal was already reconsidered.' },
  }, () => recorded !== null);
  if (decision === null) {
    const was = recorded as AppealStatus | null;
    if (was === null || was === 'received') throw ApplicationFailure.nonRetryable(`appeal ${input.appealId}: its reconsideration task was closed without a decision`, 'AppealTaskClosed');
    if (was !== 'forwarded') {
      setStatus(was);
      return { status: was };
    }
  } else if (decision.decision === 'approve') {
    processStatus('corrected');
    return { status: 'corrected' };
  }
  setStatus('forwarded');
  await condition(() => ruling !== null && status !== 'forwarded');
  await condition(allHandlersFinished);
  return { status };
}
