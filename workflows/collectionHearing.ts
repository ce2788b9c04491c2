import { ApplicationFailure } from '@temporalio/common';
import { condition, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { CollectionHearingActivities } from '../activities/collectionHearing';
import type { HearingStatus } from '../domain/expulsion/status';
import { collectionHoldChangedSignal, hearingStateQuery, paymentBookedSignal, type CollectionHearingInput, type CollectionHearingResult } from './definitions/collectionHearing';
import type { DecisionRequest } from './definitions/humanDecision';
import { awaitTaskDecisionUnless } from './humanDecision';
import { markProcess, processStatus, updateProcess } from './processAttributes';

const acts = proxyActivities<CollectionHearingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

const reasonNeeded = (request: DecisionRequest) =>
  request.reason?.trim() ? undefined : { code: 'decision_reason_required', message: 'An expulsion decision needs a reason, whichever the answer.' };

/**
 * The hearing before an expulsion for unpaid fees (`collection-hearing/<memberId>`): the hearing
 * letter with its deadline, a durable wait in which a payment of the overdue amount ends the
 * process at once (a partial one does not), then a caseworker task: expel or not, with a reason,
 * through the same `decide` Update as every task; with four eyes a second desk user confirms an
 * expulsion. An expulsion is a decision letter archived in case management and the period ending
 * on the fund's effective date. Appeals are processes of their own (`expulsion-appeal/<decisionId>`).
 */
export async function collectionHearing(input: CollectionHearingInput): Promise<CollectionHearingResult> {
  let status: HearingStatus = 'open';
  let hearingId: string | null = null;
  let paymentsSignalled = 0;
  let paymentsChecked = 0;
  setHandler(paymentBookedSignal, () => void paymentsSignalled++);
  let holdChanges = 0;
  setHandler(collectionHoldChangedSignal, () => void holdChanges++);
  setHandler(hearingStateQuery, () => ({ status, hearingId }));
  const setStatus = (next: HearingStatus) => {
    status = next;
    processStatus(next);
  };
  markProcess('collection-hearing', { memberId: input.memberId, status });

  const opened = await acts.openHearing({ ...input, workflowId: workflowInfo().workflowId });
  const id = opened.hearingId;
  hearingId = id;
  updateProcess({ key: id });
  // A re-run of a hearing (its history lost, or a second start of a decided one) takes up where the
  // register says it stands: a decided hearing ends with its recorded outcome, one that awaits its
  // decision goes straight to it (decision 069). Histories from before take none of these branches.
  const rerunAware = patched('hearing-rerun-recognised');
  // Only a status named as decided ends it: during a rolling upgrade an older worker's openHearing
  // answers without a status, and that hearing must run, not end at once with none.
  if (rerunAware && (opened.status === 'paid' || opened.status === 'not-expelled' || opened.status === 'expelled')) {
    setStatus(opened.status);
    return { outcome: opened.status, hearingId: id };
  }
  const resumeDecision = rerunAware && opened.status === 'awaiting-decision';
  const finish = async (outcome: 'paid', taskOutcome = 'paid'): Promise<CollectionHearingResult> => {
    setStatus('paid');
    await acts.closeHearingAsPaid({ hearingId: id, taskOutcome });
    return { outcome, hearingId: id };
  };
  /** True when nothing of the hearing's invoices is open any more. */
  const settled = async () => {
    paymentsChecked = paymentsSignalled;
    return (await acts.hearingOpenCents({ hearingId: id })) === 0;
  };
  if (await settled()) return finish('paid');
  if (!resumeDecision) {
    // A hearing a migration brought over from the old register had its letter from there (decision 047).
    if (!(input.migrated && patched('collection-hearing-migrated'))) await acts.sendHearingLetter({ hearingId: id });

    // The deadline: a durable timer, woken early by each payment booked for the member.
    const deadlineAt = Date.now() + opened.deadlineMs;
    for (;;) {
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0 || !(await condition(() => paymentsSignalled > paymentsChecked, remaining))) break;
      if (await settled()) return finish('paid');
    }
    if (await settled()) return finish('paid');

    // A hold in force at the deadline (payment plan, dispute, benefit deduction) pauses the hearing
    // until it ends or is resumed; a payment still ends the hearing meanwhile.
    if (patched('collection-hold-pauses-hearing')) {
      for (;;) {
        const checked = holdChanges;
        const heldForMs = await acts.collectionHeldForMs({ memberId: input.memberId });
        if (heldForMs === null) break;
        await condition(() => holdChanges > checked || paymentsSignalled > paymentsChecked, heldForMs);
        if (await settled()) return finish('paid');
      }
    }
  }

  setStatus('awaiting-decision');
  await acts.markAwaitingDecision({ hearingId: id });

  // While the caseworker decides, a payment still ends the hearing (the open task is closed).
  let paidMeanwhile = false;
  let deciding = true;
  const watchPayments = async () => {
    while (deciding && !paidMeanwhile) {
      await condition(() => !deciding || paymentsSignalled > paymentsChecked);
      if (!deciding) return;
      if (await settled()) paidMeanwhile = true;
    }
  };
  void watchPayments();

  let outcome: CollectionHearingResult['outcome'] | null = null;
  // A task found closed on a re-run is never waited on: the process ends with what was recorded.
  let closedTask: { hearingStatus: HearingStatus } | null = null;
  const openTask = async (kind: 'expulsion-decision' | 'expulsion-confirmation') => {
    const task = await acts.openExpulsionTask({ hearingId: id, workflowId: workflowInfo().workflowId, kind });
    if (rerunAware && task.open === false) closedTask = { hearingStatus: task.hearingStatus };
    return task;
  };
  // Four eyes, re-run after the first caseworker proposed the expulsion: the proposal stands and the confirmation is next.
  const proposed = resumeDecision && opened.fourEyes && opened.proposed ? ({ taskId: '', decision: 'approve', decidedBy: { id: opened.proposed.by, name: opened.proposed.by }, reason: opened.proposed.reason } satisfies DecisionRequest) : null;
  const first = proposed ?? await awaitTaskDecisionUnless(
    {
      openTask: () => openTask('expulsion-decision'),
      apply: async (d, taskId) => {
        if (d.decision === 'reject') {
          await acts.decideNotToExpel({ hearingId: id, taskId, decidedBy: d.decidedBy.id, reason: d.reason ?? '' });
          outcome = 'not-expelled';
        } else if (opened.fourEyes) {
          await acts.proposeExpulsion({ hearingId: id, taskId, proposedBy: d.decidedBy.id, reason: d.reason ?? '' });
        } else {
          outcome = (await acts.issueExpulsionDecision({ hearingId: id, taskId, decidedBy: d.decidedBy.id, reason: d.reason ?? '', confirmedBy: null })).outcome;
        }
      },
      refuse: reasonNeeded,
      alreadyDecided: { code: 'expulsion_already_decided', message: 'This expulsion was already decided.' },
    },
    () => paidMeanwhile || closedTask !== null,
  );
  if (first && outcome === null) {
    // Four eyes: a second desk user confirms the expulsion, or overrules it with a reason.
    await awaitTaskDecisionUnless(
      {
        openTask: () => openTask('expulsion-confirmation'),
        apply: async (d, taskId) => {
          if (d.decision === 'reject') {
            await acts.decideNotToExpel({ hearingId: id, taskId, decidedBy: d.decidedBy.id, reason: d.reason ?? '' });
            outcome = 'not-expelled';
          } else {
            outcome = (await acts.issueExpulsionDecision({ hearingId: id, taskId, decidedBy: first.decidedBy.id, reason: first.reason ?? '', confirmedBy: d.decidedBy.id })).outcome;
          }
        },
        refuse: (request) =>
          request.decidedBy.id === first.decidedBy.id
            ? { code: 'expulsion_four_eyes_required', message: 'Four eyes: the expulsion is confirmed by another desk user than the one who decided it.' }
            : reasonNeeded(request),
        alreadyDecided: { code: 'expulsion_already_decided', message: 'This expulsion was already confirmed or overruled.' },
      },
      () => paidMeanwhile || closedTask !== null,
    );
  }
  deciding = false;
  if (closedTask !== null && outcome === null && !paidMeanwhile) {
    const { hearingStatus } = closedTask as { hearingStatus: HearingStatus };
    if (hearingStatus === 'open' || hearingStatus === 'awaiting-decision') {
      // Closed by something other than a decision (the member died): no decision will come through it.
      throw ApplicationFailure.nonRetryable(`hearing ${id}: its decision task was closed without a decision`, 'HearingTaskClosed');
    }
    setStatus(hearingStatus);
    return { outcome: hearingStatus, hearingId: id };
  }
  if (outcome === null) return finish('paid', 'paid-before-decision');
  setStatus(outcome === 'paid' ? 'paid' : outcome);
  return { outcome, hearingId: id };
}
