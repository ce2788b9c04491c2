import { ActivityFailure, ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CancellationScope, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, startChild, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { CollectionActivities } from '../activities/collection';
import { todayInHelsinki } from '../domain/dates';
import {
  collectionDeliveryWorkflowId,
  collectionHearingStartsWorkflowId,
  type CollectionDeliveryInput,
  type CollectionDeliveryResult,
  collectionRunWorkflowId,
  type CollectionHearingStartsInput,
  type CollectionHearingStartsResult,
  type CollectionRunInput,
  type CollectionRunResult,
  type ScheduledCollectionRunResult,
} from './definitions/collectionRun';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyActivities<CollectionActivities>({ startToCloseTimeout: '10 minutes', retry: { maximumInterval: '1 minute' } });
// A chunk heartbeats; a worker that died mid-chunk is noticed within a minute and its transaction rolled back.
const chunks = proxyActivities<CollectionActivities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });
// Starting a day's hearings (≈1,350 at 270,000 members) heartbeats per batch; a retry starts what is left.
const starts = proxyActivities<CollectionActivities>({ startToCloseTimeout: '1 hour', heartbeatTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

/** The chunks only record the hearings; a process of its own starts them after the chunks (decision 043). */
const HEARINGS_STARTED_APART = 'collection-hearings-started-apart';
/** The step issues the reminders in one statement; a process of its own sends them (decision 052). */
const ISSUE_THEN_DELIVER = 'collection-issue-then-deliver';
/** Open, issue, finish and the two processes' starts in one activity (decision 061). */
const STEP_IN_ONE_ACTIVITY = 'collection-step-in-one-activity';
/** The same activity run as a local activity, in the run's first workflow task (decision 065). */
const STEP_AS_LOCAL_ACTIVITY = 'collection-step-as-local-activity';
// The step's one activity in the run's workflow task (decision 065): a second or two at 270,000
// members; the worker keeps the task alive past its timeout while it runs, and a crash or a
// failure runs it again, which is safe (decision 061 point 5: a retry issues nothing twice).
const step = proxyLocalActivities<CollectionActivities>({ startToCloseTimeout: '10 minutes', localRetryThreshold: '1 minute', retry: { maximumInterval: '1 minute' } });
// The delivery renders and sends a whole day's letters (≈12,000 at 270,000 members) a batch per transaction, the next rendered meanwhile (decision 056), heartbeating per batch.
const delivery = proxyActivities<CollectionActivities>({ startToCloseTimeout: '2 hours', heartbeatTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

/**
 * The daily collection step (`collection-run/<date>`): one activity opens the day's run, issues
 * what is due in one SQL statement, stores the outcome and starts the processes that start the
 * day's hearings and send what it issued (decision 061). Runs started before took it in three
 * activities and two child starts (decision 052), or staged the day and worked it in chunks,
 * `concurrency` at a time, each in one transaction (decision 013). Running the same day again
 * issues and sends nothing twice.
 */
export async function collectionRun(input: CollectionRunInput = {}): Promise<CollectionRunResult> {
  const runDate = input.today ?? todayInHelsinki(new Date());
  const chunkSize = input.chunkSize ?? 1_000;
  const concurrency = input.concurrency ?? 2;
  markProcess('collection-run', { key: runDate, status: 'staging' });
  try {
    if (patched(STEP_AS_LOCAL_ACTIVITY) || patched(STEP_IN_ONE_ACTIVITY)) {
      const { workflowId, runId, taskQueue } = workflowInfo();
      // Runs started before decision 065 replay their activity; the first patched() is false for them.
      const run = patched(STEP_AS_LOCAL_ACTIVITY) ? step.runCollectionStep : acts.runCollectionStep;
      const { outcome, deliveryWorkflowId } = await run({ runDate, workflowId, runId, taskQueue });
      processStatus('finished');
      return { runDate, outcome, deliveryWorkflowId };
    }
    await acts.openCollectionRun({ runDate, workflowId: workflowInfo().workflowId });
    if (patched(ISSUE_THEN_DELIVER)) {
      // Select, decide, issue, record the hearings and stage the outcomes: one statement.
      await acts.issueCollection({ runDate, chunkSize });
      // The day's outcome is stored before the processes that start the hearings and send the
      // reminders are started (they refresh it as they settle the reminders).
      const outcome = await acts.finishCollectionRun({ runDate });
      await startHearingsApart(runDate);
      const deliveryWorkflowId = collectionDeliveryWorkflowId(runDate, workflowInfo().runId);
      await startChild(collectionDelivery, { workflowId: deliveryWorkflowId, args: [{ runDate }], parentClosePolicy: ParentClosePolicy.ABANDON });
      processStatus('finished');
      return { runDate, outcome, deliveryWorkflowId };
    }
    const { chunks: todo } = await acts.stageCollection({ runDate, chunkSize });
    processStatus('working');
    // Before the patch each chunk started its hearings after its commit, holding up its lane.
    const apart = patched(HEARINGS_STARTED_APART);
    let next = 0;
    const lane = async () => {
      while (next < todo.length) await chunks.collectionChunk({ runDate, chunk: todo[next++]!, ...(apart ? { startHearings: false } : {}) });
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, todo.length)) }, lane));
    if (apart) await startHearingsApart(runDate);
    const outcome = await acts.finishCollectionRun({ runDate });
    processStatus('finished');
    return { runDate, outcome };
  } catch (error) {
    if (error instanceof ActivityFailure || error instanceof ApplicationFailure) {
      const message = error.cause?.message ?? error.message;
      await CancellationScope.nonCancellable(() => acts.failCollectionRun({ runDate, message }));
      processStatus('failed');
    }
    throw error;
  }
}

/**
 * Hands the day's recorded hearings to `collection-hearing-starts/<date>`, which outlives the run
 * (abandoned child). One already running for the day (a re-run while it works) is left to it: it
 * drains until nothing is left unstarted, and each run's staging starts what any crash left.
 */
async function startHearingsApart(runDate: string): Promise<void> {
  try {
    await startChild(collectionHearingStarts, { workflowId: collectionHearingStartsWorkflowId(runDate), args: [{ runDate }], parentClosePolicy: ParentClosePolicy.ABANDON });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Starts the hearing processes the day's collection recorded (`collection_hearing_starts` rows
 * not yet marked started), many at a time, apart from the run: the run's chunks and invoice locks
 * never wait for Temporal, and a hearing starts seconds after its chunk committed (decision 043).
 */
export async function collectionHearingStarts(input: CollectionHearingStartsInput): Promise<CollectionHearingStartsResult> {
  markProcess('collection-hearing-starts', { key: input.runDate, status: 'starting' });
  const { started } = await starts.startRecordedHearings({});
  processStatus('finished');
  return { runDate: input.runDate, started };
}

/**
 * Sends what the day's run issued (decision 052), apart from the run: every issued reminder,
 * rendered before the lock and sent, or withdrawn because its invoice was paid (or its member put
 * on hold) by the moment of sending. Drains what earlier runs left issued too.
 */
export async function collectionDelivery(input: CollectionDeliveryInput): Promise<CollectionDeliveryResult> {
  markProcess('collection-delivery', { key: input.runDate, status: 'sending' });
  const { sent, withdrawn, failed } = await delivery.deliverIssuedReminders({ runDate: input.runDate });
  processStatus('finished');
  return { runDate: input.runDate, sent, withdrawn, failed };
}

/** Started by the `collection-daily` schedule: today's run, unless it is running already. */
export async function scheduledCollectionRun(): Promise<ScheduledCollectionRunResult> {
  const today = todayInHelsinki(new Date());
  const workflowId = collectionRunWorkflowId(today);
  markProcess('scheduled-collection-run', { key: today });
  try {
    await startChild(collectionRun, { workflowId, args: [{ today }], parentClosePolicy: ParentClosePolicy.ABANDON });
    processStatus('started');
    return { workflowId, started: true };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    processStatus('already-started');
    return { workflowId, started: false };
  }
}
