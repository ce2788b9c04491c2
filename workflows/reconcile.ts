import { proxyActivities, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { ReconcileActivities } from '../activities/reconcile';
import { todayInHelsinki } from '../domain/dates';
import type { ReconcileCounts, ReconcileInput, ReconcileResult } from './definitions/reconcile';
import { markProcess, processStatus } from './processAttributes';

const DEFAULT_OLDER_THAN_MS = 5 * 60 * 1000;

// Each activity works in pages and heartbeats after each; a failing run fails after a few attempts
// and the schedule's next run (10 minutes later) starts over.
const acts = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * Started every 10 minutes by the `reconcile` schedule. The API stores a row and then starts its
 * process; a crash in between, with no retry by the client, leaves the row with no process. This
 * starts such applications, payment files, billing runs and resignations through the service's
 * own start function (same id, same arguments), and closes as 'orphaned' the open tasks whose
 * process has ended, so the work queue shows only work someone can finish.
 */
export async function reconcile(input: ReconcileInput = {}): Promise<ReconcileResult> {
  markProcess('reconcile', { key: todayInHelsinki(new Date()), status: 'reconciling' });
  const { lookbackMs } = await acts.reconcileLookback(input.lookbackMs !== undefined ? { lookbackMs: input.lookbackMs } : {});
  const options = { olderThanMs: input.olderThanMs ?? DEFAULT_OLDER_THAN_MS, lookbackMs, pageSize: input.pageSize ?? 200 };
  const counts: ReconcileCounts = {
    applications: await acts.startStrandedApplications(options),
    paymentFiles: await acts.startStrandedPaymentFiles(options),
    billingRuns: await acts.startStrandedBillingRuns(options),
    resignations: await acts.startStrandedResignations(options),
    tasks: await acts.closeOrphanedTasks({ olderThanMs: options.olderThanMs, pageSize: options.pageSize }),
  };
  const changed = counts.applications.started + counts.paymentFiles.started + counts.billingRuns.started + counts.resignations.started + counts.tasks.closed;
  if (changed > 0) {
    const info = workflowInfo();
    await acts.recordReconcileRun({ runId: info.runId, workflowId: info.workflowId, counts });
  }
  processStatus(changed > 0 ? 'changed' : 'nothing-to-do');
  return { ...counts, lookbackMs, changed };
}
