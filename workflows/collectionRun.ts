import { ActivityFailure, ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CancellationScope, ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { CollectionActivities } from '../activities/collection';
import { todayInHelsinki } from '../domain/dates';
import { collectionRunWorkflowId, type CollectionRunInput, type CollectionRunResult, type ScheduledCollectionRunResult } from './definitions/collectionRun';
import { markProcess, processStatus } from './processAttributes';

const acts = proxyActivities<CollectionActivities>({ startToCloseTimeout: '10 minutes', retry: { maximumInterval: '1 minute' } });
// A chunk heartbeats; a worker that died mid-chunk is noticed within a minute and its transaction rolled back.
const chunks = proxyActivities<CollectionActivities>({ startToCloseTimeout: '15 minutes', heartbeatTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });

/**
 * The daily collection step (`collection-run/<date>`): stage what is due in one SQL statement,
 * then work the chunks, `concurrency` at a time, each in one transaction (activities/collection.ts).
 * Running the same day again stages and sends nothing twice.
 */
export async function collectionRun(input: CollectionRunInput = {}): Promise<CollectionRunResult> {
  const runDate = input.today ?? todayInHelsinki(new Date());
  const chunkSize = input.chunkSize ?? 1_000;
  const concurrency = input.concurrency ?? 2;
  markProcess('collection-run', { key: runDate, status: 'staging' });
  try {
    await acts.openCollectionRun({ runDate, workflowId: workflowInfo().workflowId });
    const { chunks: todo } = await acts.stageCollection({ runDate, chunkSize });
    processStatus('working');
    let next = 0;
    const lane = async () => {
      while (next < todo.length) await chunks.collectionChunk({ runDate, chunk: todo[next++]! });
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, todo.length)) }, lane));
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
