import { ActivityFailure, ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
// Only import the activity types
import type { BillingActivities } from '../activities/billingRun';
import { parseBillingPeriod } from '../domain/billing/billingPeriod';
import { dueDatePassed, invoiceIssueDate } from '../domain/billing/billingRun';
import { addDays, todayInHelsinki } from '../domain/dates';
import { decideUpdate, type DecisionRequest } from './definitions/humanDecision';
import { refusal } from './definitions/refusal';
import {
  billingRunStateQuery,
  billingRunWorkflowId,
  type BillingRunInput,
  type BillingRunResult,
  type BillingRunState,
  type ScheduledBillingRunInput,
  type ScheduledBillingRunResult,
} from './definitions/billingRun';
import { markProcess, processStatus } from './processAttributes';

// The short steps (one query or transaction each) heartbeat while they run (activities/billingRun.ts
// `alive`): a worker that died in one is noticed within 20 s and the step retried on another, where
// a start-to-close timeout alone held the run for up to its length (docs/decisions/028). The
// start-to-close bound is for a step hung on a live worker (a query on a large register may take a minute).
const acts = proxyActivities<BillingActivities>({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '20 seconds', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });
// Chunks report progress by heartbeat (delivery after every message), so a worker that died
// mid-chunk is noticed within 20 s and the chunk runs again on another (docs/decisions/026).
const chunks = proxyActivities<BillingActivities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '20 seconds', retry: { maximumInterval: '1 minute' } });
const bankFiles = proxyActivities<BillingActivities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { maximumInterval: '5 minutes' } });

/** Delivery (messages, e-invoice files) after the commit instead of inside its chunks. */
const SEPARATE_DELIVERY = 'billing-separate-delivery';

/** Runs `work` for every item with at most `lanes` at a time (a concurrency cap, not fixed batches). */
async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
}

/**
 * One billing run (`billing-run/<fundId>/<period>`): the preview stages every member's fee in
 * chunks, a billing user approves or rejects it as a task (the `decide` Update), the commit
 * issues the staged invoices with their ledger entries in chunks and records the totals, and the
 * delivery sends the e-mails, the PDF letters and the e-invoice files. Every chunk is idempotent,
 * so retries and worker restarts issue and send nothing twice.
 */
export async function billingRun(input: BillingRunInput): Promise<BillingRunResult> {
  const { runId } = input;
  const chunkSize = input.chunkSize ?? 5_000;
  const concurrency = input.concurrency ?? 3;
  const state: BillingRunState = { status: 'previewing', taskId: null, decision: null };
  let pending: DecisionRequest | null = null;
  let decisionRecorded = false;

  setHandler(billingRunStateQuery, () => state);
  const setStatus = (status: BillingRunState['status']) => {
    state.status = status;
    processStatus(status);
  };
  markProcess('billing-run', { key: input.period, status: state.status });
  setHandler(
    decideUpdate,
    async (request) => {
      // The task row is written together with the preview totals, just before this workflow learns
      // the task id: a decision arriving in between waits for it instead of being refused.
      await condition(() => state.taskId !== null || state.status !== 'previewing');
      if (state.decision) throw refusal('billing_run_already_decided', `This billing run was already ${state.decision.outcome} by ${state.decision.decidedBy}.`, { outcome: state.decision.outcome, decidedBy: state.decision.decidedBy });
      if (state.status !== 'awaiting-approval' || request.taskId !== state.taskId) {
        throw refusal('task_not_current', 'This task is no longer current for the billing run; reload the work queue.');
      }
      // Set before any await so a concurrent second decision finds it.
      pending = request;
      state.decision = { outcome: request.decision === 'approve' ? 'approved' : 'rejected', decidedBy: request.decidedBy.name };
      // Answer once the decision is stored and the task closed, not after the whole commit.
      await condition(() => decisionRecorded);
      return { outcome: state.decision.outcome };
    },
    {
      validator: (request) => {
        if (state.decision) throw refusal('billing_run_already_decided', `This billing run was already ${state.decision.outcome} by ${state.decision.decidedBy}.`, { outcome: state.decision.outcome, decidedBy: state.decision.decidedBy });
        if (state.status !== 'awaiting-approval' && state.status !== 'previewing') {
          throw refusal('billing_run_not_awaiting_approval', `This billing run is not waiting for approval (status: ${state.status}).`, { status: state.status });
        }
        if (state.taskId !== null && request.taskId !== state.taskId) throw refusal('task_not_current', 'This task is no longer current for the billing run; reload the work queue.');
        if (request.decision === 'reject' && !request.reason?.trim()) {
          throw refusal('billing_rejection_reason_required', 'A rejection needs a reason, so whoever starts the next run knows what to fix.');
        }
        if (request.decision === 'approve' && dueDatePassed(input.dueDate, todayInHelsinki(new Date()))) {
          throw refusal('billing_due_date_passed', `The due date ${input.dueDate} has passed; reject this run and start a new one with a later due date.`, { dueDate: input.dueDate });
        }
      },
    },
  );

  const facts = { runId, period: input.period, periodStart: input.periodStart, periodEnd: input.periodEnd, feeYear: input.feeYear };
  try {
    await acts.openBillingRun({ ...facts, dueDate: input.dueDate, startedBy: input.startedBy });

    const preview = await acts.planBillingChunks({ runId, phase: 'preview', periodStart: input.periodStart, periodEnd: input.periodEnd, chunkSize });
    await inLanes(preview.ranges, concurrency, (range) => chunks.previewBillingChunk({ ...facts, range }));
    const { totals: previewTotals, taskId } = await acts.finishBillingPreview({ runId, workflowId: workflowInfo().workflowId });
    state.taskId = taskId;
    setStatus('awaiting-approval');
    await condition(() => pending !== null);
    const decision = pending as unknown as DecisionRequest;
    await acts.recordBillingDecision({ runId, taskId, decision: decision.decision, decidedBy: decision.decidedBy.id, reason: decision.reason ?? null });
    state.taskId = null;
    setStatus(decision.decision === 'approve' ? 'committing' : 'rejected');
    decisionRecorded = true;
    if (decision.decision === 'reject') {
      await condition(allHandlersFinished);
      return { status: 'rejected', previewTotals, commitTotals: null };
    }

    // One issue date for the whole run, fixed when it was approved (never after the due date, should
    // the approval have landed just before midnight of the due date).
    const issuedOn = invoiceIssueDate(todayInHelsinki(new Date()), input.dueDate);
    const commit = await acts.planBillingChunks({ runId, phase: 'commit', periodStart: input.periodStart, periodEnd: input.periodEnd, chunkSize });
    if (!patched(SEPARATE_DELIVERY)) {
      // Runs started before delivery became its own phase: each chunk also sent its messages.
      await inLanes(commit.ranges, concurrency, (range) => chunks.commitBillingChunk({ ...facts, range, dueDate: input.dueDate, issuedOn }));
      await bankFiles.sendBillingEInvoices({ runId });
      const commitTotals = await acts.finishBillingCommit({ runId });
      setStatus('committed');
      await condition(allHandlersFinished);
      return { status: 'committed', previewTotals, commitTotals };
    }
    // The money first: every invoice and its ledger entry. Then the delivery, which waits on the
    // messaging service and the bank and must not hold the invoices back.
    await inLanes(commit.ranges, concurrency, (range) => chunks.commitBillingChunk({ ...facts, range, dueDate: input.dueDate, issuedOn, deliver: false }));
    const commitTotals = await acts.finishBillingCommit({ runId, deliveryFollows: true });
    setStatus('committed');
    await inLanes(commit.ranges, concurrency, (range) => chunks.deliverBillingChunk({ ...facts, range, dueDate: input.dueDate }));
    const { batches } = await bankFiles.sendBillingEInvoices({ runId });
    await acts.finishBillingDelivery({ runId, eInvoiceFiles: batches.length });
    processStatus('delivered');
    await condition(allHandlersFinished);
    return { status: 'committed', previewTotals, commitTotals };
  } catch (error) {
    // Only failures that end the run (a non-retryable activity error); a bug in this code fails
    // the workflow task instead and is retried once fixed.
    if (error instanceof ActivityFailure || error instanceof ApplicationFailure) {
      const message = error.cause?.message ?? error.message;
      await CancellationScope.nonCancellable(() => acts.failBillingRun({ runId, message }));
      setStatus('failed');
      decisionRecorded = true;
    }
    throw error;
  }
}

/**
 * Started by the `billing-yearly` schedule: the run for the current year, due in `dueInDays`.
 * A run for the year that already exists (started by hand, or by an earlier trigger) is left alone.
 */
export async function scheduledBillingRun(input: ScheduledBillingRunInput = {}): Promise<ScheduledBillingRunResult> {
  const today = todayInHelsinki(new Date());
  const period = parseBillingPeriod(today.slice(0, 4))!;
  const { fundId } = await acts.billingFundId();
  const runId = billingRunWorkflowId(fundId, period.period);
  markProcess('scheduled-billing-run', { key: period.period });
  try {
    await startChild(billingRun, {
      workflowId: runId,
      args: [
        {
          runId,
          ...period,
          dueDate: addDays(today, input.dueInDays ?? 30),
          startedBy: 'schedule',
          ...(input.chunkSize ? { chunkSize: input.chunkSize } : {}),
          ...(input.concurrency ? { concurrency: input.concurrency } : {}),
        },
      ],
      // The run waits for a billing user; the schedule's workflow ends as soon as it started.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    processStatus('started');
    return { runId, started: true };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    processStatus('already-started');
    return { runId, started: false };
  }
}
