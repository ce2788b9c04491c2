import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { allHandlersFinished, condition, patched, proxyLocalActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
// Only import the activity types
import type { ApplicationIntakeActivities } from '../activities/applicationIntake';
import type { MessageActivities } from '../activities/messages';
import type { ApplicationStatus } from '../domain/vocabulary';
import { intakeStateQuery, supplementUpdate, type ApplicationIntakeInput, type ApplicationIntakeResult, type IntakeState } from './definitions/applicationIntake';
import { decideUpdate, type DecisionRequest } from './definitions/humanDecision';
import { refusal } from './definitions/refusal';
import { applicationStatusKey } from './definitions/searchAttributes';
import { markProcessUnlessGivenAtStart, processPairs, processStatus, updateProcess } from './processAttributes';

const local = proxyLocalActivities<ApplicationIntakeActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
});
// Message delivery is a short call with its own idempotency key; as a local activity it costs no
// extra workflow task, which is most of the auto-approve path's price. Long outages back off to
// Temporal timers beyond the local retry threshold.
const delivery = proxyLocalActivities<MessageActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/** A refused completion request goes to review instead of failing the process (histories before the patch failed). */
const UNDELIVERABLE_TO_REVIEW = 'completion-undeliverable-to-review';
/**
 * A refused decision message ends the process with its decision; the message stays `failed` in the
 * outbox with the service's reason, for the fund to send by other means (histories before the patch failed).
 */
const DECISION_UNDELIVERABLE_ENDS = 'decision-undeliverable-ends';

/**
 * The automatic approval's status and member go to Temporal in one upsert instead of three (one
 * history event and one visibility write instead of three; histories before the patch upserted three times).
 */
const APPROVAL_ONE_UPSERT = 'intake-approval-one-upsert';

/**
 * Validation and the automatic approval in one local activity (`validateAndApprove`, one transaction)
 * instead of two, and the approval's attributes upserted without asking the older patches (this one
 * implies them): three history events and one workflow activation fewer on the auto-approve path
 * (decision 044; histories before the patch validated and approved in two local activities).
 */
const VALIDATE_AND_APPROVE = 'intake-validate-and-approve';

/**
 * A migrated application (input `migrated`, decision 047) is validated and goes to review without
 * an automatic approval or a completion request: nothing is sent by the migration's start. Histories
 * before the patch had no such input.
 */
const MIGRATED_TO_REVIEW = 'intake-migrated-to-review';

/** Delivers a message; true when it went out, false when the messaging service refused it for good. */
async function deliveredOrRefused(messageKey: string, patchId: string): Promise<boolean> {
  try {
    await delivery.deliverMessage({ messageKey });
    return true;
  } catch (error) {
    // A local activity's failure may arrive as the activity's own ApplicationFailure, unwrapped.
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const refused = cause instanceof ApplicationFailure && cause.nonRetryable;
    if (refused && patched(patchId)) return false;
    throw error;
  }
}

/** One application from receipt to a decision; the workflow id is `application/<applicationId>`. */
export async function applicationIntake(input: ApplicationIntakeInput): Promise<ApplicationIntakeResult> {
  const { applicationId } = input;
  const state: IntakeState = { status: 'received', round: 0, openTaskId: null, decision: null };
  let pendingDecision: DecisionRequest | null = null;
  let supplementArrived = false;
  let supplementStored = false;
  let finished = false;

  const setStatus = (status: ApplicationStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: applicationStatusKey, value: status }]);
    processStatus(status);
  };

  setHandler(intakeStateQuery, () => state);
  markProcessUnlessGivenAtStart('application-intake', { key: applicationId, status: state.status });

  setHandler(
    decideUpdate,
    async (request) => {
      // Set synchronously so a concurrent second decision is refused by the validator.
      pendingDecision = request;
      state.decision = {
        outcome: request.decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: request.decidedBy.name,
      };
      await condition(() => finished);
      return { outcome: state.decision.outcome };
    },
    {
      validator: (request) => {
        if (state.decision) {
          throw refusal('application_already_decided', `This application was already ${state.decision.outcome} by ${state.decision.decidedBy}.`, { outcome: state.decision.outcome, decidedBy: state.decision.decidedBy });
        }
        if (state.status !== 'in-review' || state.openTaskId === null) {
          throw refusal('application_not_awaiting_decision', `This application is not waiting for a decision (status: ${state.status}).`, { status: state.status });
        }
        if (request.taskId !== state.openTaskId) {
          throw refusal('task_not_current', 'This task is no longer current for the application; reload the work queue.');
        }
        if (request.decision === 'reject' && !request.reason?.trim()) {
          throw refusal('rejection_reason_required', 'A rejection needs a reason; it is sent to the applicant with the appeal instructions.');
        }
      },
    },
  );

  setHandler(
    supplementUpdate,
    async (request) => {
      supplementArrived = true;
      await local.applySupplement({ applicationId, round: request.round, data: request.data, submittedBy: request.submittedBy });
      supplementStored = true;
      return { accepted: true, round: request.round };
    },
    {
      validator: (request) => {
        if (state.status !== 'awaiting-supplement' || supplementArrived) {
          throw refusal('application_not_awaiting_supplement', `This application is not waiting for a supplement (status: ${state.status}).`, { status: state.status });
        }
        if (request.round !== state.round) {
          throw refusal('supplement_round_mismatch', `This supplement answers request ${request.round}, but the open request is ${state.round}.`, { round: request.round, openRound: state.round });
        }
      },
    },
  );

  let reviewReason: 'findings' | 'completion-expired' | 'completion-undeliverable' = 'findings';

  const migrated = input.migrated === true && patched(MIGRATED_TO_REVIEW);
  const validateAndApprove = !migrated && patched(VALIDATE_AND_APPROVE);
  for (;;) {
    const validation = validateAndApprove ? await local.validateAndApprove({ applicationId }) : { ...(await local.validateApplication({ applicationId })), approved: null };
    if (validation.decided) {
      // A re-run (history lost, or a second process for the same application): the register already
      // holds this application's decision, so the process ends with it instead of reviewing it again.
      state.decision = { outcome: validation.decided.outcome, decidedBy: validation.decided.decidedBy };
      setStatus(validation.decided.outcome);
      updateProcess({ memberId: validation.decided.memberId });
      finished = true;
      return { outcome: validation.decided.outcome, memberId: validation.decided.memberId };
    }
    // A migrated application is only validated, for the caseworker's findings: no automatic
    // approval and no completion request write to the applicant at the migration's start.
    if (migrated) break;
    if (validation.outcome === 'clean') {
      const approved = validation.approved ?? (await local.approveApplication({ applicationId, decidedBy: 'system', reason: null, automatic: true }));
      if (validateAndApprove) {
        state.status = 'approved';
        upsertSearchAttributes([{ key: applicationStatusKey, value: 'approved' }, ...processPairs({ status: 'approved', memberId: approved.memberId }, { patchedIn: true })]);
      } else if (patched(APPROVAL_ONE_UPSERT)) {
        state.status = 'approved';
        upsertSearchAttributes([{ key: applicationStatusKey, value: 'approved' }, ...processPairs({ status: 'approved', memberId: approved.memberId })]);
      } else {
        setStatus('approved');
        updateProcess({ memberId: approved.memberId });
      }
      await deliveredOrRefused(approved.messageKey, DECISION_UNDELIVERABLE_ENDS);
      finished = true;
      return { outcome: 'approved', memberId: approved.memberId };
    }
    if (validation.outcome === 'incomplete' && state.round < input.maxCompletionRounds) {
      state.round += 1;
      supplementArrived = false;
      supplementStored = false;
      const request = await local.requestCompletion({
        applicationId,
        round: state.round,
        deadlineMs: input.completionDeadlineMs,
      });
      setStatus('awaiting-supplement');
      if (!(await deliveredOrRefused(request.messageKey, UNDELIVERABLE_TO_REVIEW))) {
        // No channel reaches the applicant (or the messaging service refused the request for good):
        // waiting for a supplement nobody was asked for would never end, so a caseworker takes it.
        reviewReason = 'completion-undeliverable';
        break;
      }
      if (await condition(() => supplementArrived, input.completionDeadlineMs)) {
        await condition(() => supplementStored);
        setStatus('received');
        continue;
      }
      reviewReason = 'completion-expired';
    }
    break;
  }

  const task = await local.openReviewTask({ applicationId, reason: reviewReason });
  state.openTaskId = task.taskId;
  setStatus('in-review');
  await condition(() => pendingDecision !== null);
  const decision = pendingDecision as unknown as DecisionRequest;

  let result: ApplicationIntakeResult;
  let messageKey: string;
  if (decision.decision === 'approve') {
    const approved = await local.approveApplication({
      applicationId,
      decidedBy: decision.decidedBy.id,
      reason: decision.reason ?? null,
      automatic: false,
    });
    result = { outcome: 'approved', memberId: approved.memberId };
    messageKey = approved.messageKey;
  } else {
    const rejected = await local.rejectApplication({
      applicationId,
      decidedBy: decision.decidedBy.id,
      reason: decision.reason ?? '',
    });
    result = { outcome: 'rejected', memberId: null };
    messageKey = rejected.messageKey;
  }
  await local.closeTask({ taskId: task.taskId, outcome: result.outcome });
  setStatus(result.outcome);
  updateProcess({ memberId: result.memberId });
  state.openTaskId = null;
  finished = true;
  await deliveredOrRefused(messageKey, DECISION_UNDELIVERABLE_ENDS);
  await condition(allHandlersFinished);
  return result;
}
