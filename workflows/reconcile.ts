import { patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { ReconcileActivities } from '../activities/reconcile';
import { todayInHelsinki } from '../domain/dates';
import { noneStranded, reconcileAppealsAndTaxRunsPatch, reconcileUnionMismatchesPatch, type ReconcileCounts, type ReconcileInput, type ReconcileResult } from './definitions/reconcile';
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
 * starts such applications, payment files, billing runs, resignations, appeals, tax-report runs and
 * union remittance mismatches (decision 069, behind its own patch)
 * through the service's own start function (same id, same arguments), and closes as 'orphaned'
 * the open tasks whose process has ended, so the work queue shows only work someone can finish.
 * Appeals and tax-report runs came later (decision 033), behind a patch so that runs recorded
 * before it replay; they are judged before the tasks, so a restarted process's task stays open.
 */
export async function reconcile(input: ReconcileInput = {}): Promise<ReconcileResult> {
  markProcess('reconcile', { key: todayInHelsinki(new Date()), status: 'reconciling' });
  const { lookbackMs } = await acts.reconcileLookback(input.lookbackMs !== undefined ? { lookbackMs: input.lookbackMs } : {});
  const options = { olderThanMs: input.olderThanMs ?? DEFAULT_OLDER_THAN_MS, lookbackMs, pageSize: input.pageSize ?? 200 };
  const applications = await acts.startStrandedApplications(options);
  const paymentFiles = await acts.startStrandedPaymentFiles(options);
  const billingRuns = await acts.startStrandedBillingRuns(options);
  const resignations = await acts.startStrandedResignations(options);
  const later = patched(reconcileAppealsAndTaxRunsPatch);
  const appeals = later ? await acts.startStrandedAppeals(options) : noneStranded;
  const taxRuns = later ? await acts.startStrandedTaxRuns(options) : noneStranded;
  const unionMismatches = patched(reconcileUnionMismatchesPatch) ? await acts.startStrandedUnionMismatches(options) : noneStranded;
  const tasks = await acts.closeOrphanedTasks({ olderThanMs: options.olderThanMs, pageSize: options.pageSize });
  const counts: ReconcileCounts = { applications, paymentFiles, billingRuns, resignations, appeals, taxRuns, unionMismatches, tasks };
  const started = [applications, paymentFiles, billingRuns, resignations, appeals, taxRuns, unionMismatches].reduce((sum, c) => sum + c.started, 0);
  const changed = started + tasks.closed;
  if (changed > 0) {
    const info = workflowInfo();
    await acts.recordReconcileRun({ runId: info.runId, workflowId: info.workflowId, counts });
  }
  processStatus(changed > 0 ? 'changed' : 'nothing-to-do');
  return { ...counts, lookbackMs, changed };
}
