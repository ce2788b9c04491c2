import { ActivityFailure, ApplicationFailure, WorkflowExecutionAlreadyStartedError, type Duration } from '@temporalio/common';
import { allHandlersFinished, CancellationScope, condition, ParentClosePolicy, proxyActivities, setHandler, sleep, startChild, workflowInfo, WorkflowIdReusePolicy } from '@temporalio/workflow';
// Only import the activity types
import type { TaxReportActivities } from '../activities/taxReport';
import { decideUpdate, type DecisionRequest } from './definitions/humanDecision';
import {
  taxReportStateQuery,
  type ScheduledTaxReportInput,
  type ScheduledTaxReportResult,
  type TaxReportInput,
  type TaxReportResult,
  type TaxReportState,
} from './definitions/taxReport';
import { markProcess, processStatus } from './processAttributes';
import { runFailure } from './runFailure';
import type { TaxRunFailureCode } from '../domain/vocabulary';
import { scheduleStartTime } from './scheduledTime';
import { todayInHelsinki } from '../domain/dates';

const acts = proxyActivities<TaxReportActivities>({ startToCloseTimeout: '5 minutes', retry: { maximumInterval: '1 minute' } });
// The whole year's preview and file: long, so they heartbeat.
const long = proxyActivities<TaxReportActivities>({ startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry: { maximumInterval: '1 minute' } });

/**
 * One tax-report run (`tax-report/<year>` or `tax-report/<year>/correction-<n>`): the preview
 * stages every member's figure and the records to send; a billing user approves it as a task (four
 * eyes as in billing); the file is made from the staged records, sent through the filing channel,
 * and the acknowledgement polled. Rejected records become tasks, and the run ends when each is
 * closed (fixed, to go in the next correction run). A correction run with nothing changed ends
 * after its preview.
 */
export async function taxReport(input: TaxReportInput): Promise<TaxReportResult> {
  const { runId } = input;
  const state: TaxReportState = { status: 'previewing', taskId: null, decision: null, openRejections: [] };
  let pending: DecisionRequest | null = null;
  let decisionRecorded = false;
  setHandler(taxReportStateQuery, () => state);
  const setStatus = (status: TaxReportState['status']) => {
    state.status = status;
    processStatus(status);
  };
  markProcess('tax-report', { key: String(input.year), status: state.status });
  const refuse = (message: string) => ApplicationFailure.create({ message, nonRetryable: true });

  setHandler(
    decideUpdate,
    async (request) => {
      if (state.openRejections.includes(request.taskId)) {
        state.openRejections = state.openRejections.filter((t) => t !== request.taskId);
        await acts.closeTaxRejectionTask({ runId, taskId: request.taskId, decision: request.decision, decidedBy: request.decidedBy.id, reason: request.reason ?? null });
        return { outcome: request.decision === 'approve' ? 'approved' : 'rejected' };
      }
      await condition(() => state.taskId !== null || state.status !== 'previewing');
      if (state.decision) throw refuse(`This tax report was already ${state.decision.outcome} by ${state.decision.decidedBy}.`);
      if (state.status !== 'awaiting-approval' || request.taskId !== state.taskId) throw refuse('This task is no longer current for the tax report; reload the work queue.');
      pending = request;
      state.decision = { outcome: request.decision === 'approve' ? 'approved' : 'rejected', decidedBy: request.decidedBy.name };
      await condition(() => decisionRecorded);
      return { outcome: state.decision.outcome };
    },
    {
      validator: (request) => {
        if (state.openRejections.includes(request.taskId)) return;
        if (state.decision) throw new Error(`This tax report was already ${state.decision.outcome} by ${state.decision.decidedBy}.`);
        if (state.status !== 'awaiting-approval' && state.status !== 'previewing') throw new Error(`This tax report is not waiting for approval (status: ${state.status}).`);
        if (state.taskId !== null && request.taskId !== state.taskId) throw new Error('This task is no longer current for the tax report; reload the work queue.');
        if (request.decision === 'reject' && !request.reason?.trim()) throw new Error('A rejection needs a reason.');
      },
    },
  );

  try {
    await acts.openTaxRun({ runId, year: input.year, kind: input.kind, startedBy: input.startedBy, workflowId: workflowInfo().workflowId });
    const preview = await long.previewTaxRun({ runId, year: input.year });
    if (preview.outgoing === 0 && input.kind === 'correction') {
      setStatus('nothing-to-send');
      await acts.finishTaxRun({ runId, status: 'nothing-to-send' });
      return { status: 'nothing-to-send', records: 0, rejected: 0 };
    }
    const { taskId } = await acts.requestTaxApproval({ runId, workflowId: workflowInfo().workflowId });
    state.taskId = taskId;
    setStatus('awaiting-approval');
    await condition(() => pending !== null);
    const decision = pending as unknown as DecisionRequest;
    await acts.recordTaxDecision({ runId, taskId, decision: decision.decision, decidedBy: decision.decidedBy.id, reason: decision.reason ?? null });
    state.taskId = null;
    setStatus(decision.decision === 'approve' ? 'generating' : 'rejected');
    decisionRecorded = true;
    if (decision.decision === 'reject') {
      await condition(allHandlersFinished);
      return { status: 'rejected', records: 0, rejected: 0 };
    }

    const file = await long.generateTaxFile({ runId });
    setStatus('sending');
    await acts.sendTaxFile({ runId });
    setStatus('awaiting-acknowledgement');
    const maxPolls = input.maxPolls ?? 240;
    for (let poll = 1; ; poll++) {
      await sleep(input.pollInterval ?? '1 hour');
      const ack = await long.pollTaxAcknowledgement({ runId });
      if (ack.status === 'pending') {
        if (poll >= maxPolls) throw ApplicationFailure.create({ message: `No acknowledgement after ${maxPolls} polls.`, type: 'tax-acknowledgement-missing' satisfies TaxRunFailureCode, nonRetryable: true });
        continue;
      }
      setStatus(ack.runStatus);
      state.openRejections = ack.taskIds;
      await condition(() => state.openRejections.length === 0);
      await condition(allHandlersFinished);
      return { status: ack.runStatus, records: file.recordCount, rejected: ack.rejected };
    }
  } catch (error) {
    if (error instanceof ActivityFailure || error instanceof ApplicationFailure) {
      await CancellationScope.nonCancellable(() => acts.finishTaxRun({ runId, status: 'failed', ...runFailure(error) }));
      setStatus('failed');
      decisionRecorded = true;
    }
    throw error;
  }
}

/**
 * Started by the `tax-report-yearly` schedule in January: the previous year's report, if it has
 * not been started. Started by `tax-report-corrections` monthly: a correction run for every year
 * already reported (within the last five), which ends at once when nothing changed.
 */
export async function scheduledTaxReport(input: ScheduledTaxReportInput & { mode?: 'annual' | 'corrections' } = {}): Promise<ScheduledTaxReportResult> {
  markProcess('scheduled-tax-report', { key: input.mode ?? 'annual' });
  const mode = input.mode ?? 'annual';
  // The annual report is of the year before the scheduled time (a backfill's too); corrections cover every reported year up to now.
  // A run a schedule started (a backfill too) is for the schedule's day; one started by hand is for the register's today (the activity's).
  const at = mode === 'annual' ? scheduleStartTime() : undefined;
  const plan = await acts.planScheduledTaxRuns(at ? { mode, asOf: todayInHelsinki(at) } : { mode });
  const runIds: string[] = [];
  for (const run of plan) {
    try {
      await startChild(taxReport, {
        workflowId: run.runId,
        args: [{ runId: run.runId, year: run.year, kind: run.kind, startedBy: 'schedule', pollInterval: input.pollInterval ?? (run.pollInterval as Duration) }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      runIds.push(run.runId);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  processStatus(runIds.length > 0 ? 'started' : 'nothing-to-start');
  return { runIds };
}
