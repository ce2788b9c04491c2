import { ParentClosePolicy, WorkflowIdReusePolicy, executeChild, proxyActivities, proxyLocalActivities, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
// Only import the activity types
import type { BiExtractActivities } from '../activities/biExtract';
import type { FinanceActivities } from '../activities/finance';
import { biFileNames } from '../domain/bi';
import { addDays, todayInHelsinki } from '../domain/dates';
import {
  biExtractWorkflowId,
  financeJournalWorkflowId,
  journalMismatchWorkflowId,
  reconciliationLookbackDays,
  type BiExtractInput,
  type BiExtractResult,
  type FinanceJournalInput,
  type FinanceJournalResult,
  type JournalMismatchInput,
} from './definitions/financeJournal';
import { awaitTaskDecision } from './humanDecision';
import { markProcess, processStatus } from './processAttributes';
import { scheduledTime } from './scheduledTime';

const acts = proxyActivities<FinanceActivities & BiExtractActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' } });
const local = proxyLocalActivities<FinanceActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' } });

const yesterday = () => addDays(todayInHelsinki(new Date()), -1);
/** The day before the run's scheduled time (Helsinki): a backfilled time's own day, not today's. */
const dayBeforeScheduled = () => addDays(todayInHelsinki(scheduledTime()), -1);

/**
 * Sends a day's journal to the finance system (exactly once: the activity sends nothing for a day
 * already sent) and checks the days sent in the last month against the ledger; each new mismatch
 * becomes a billing user's task in a process of its own, which outlives this one.
 */
export async function financeJournalPush(input: FinanceJournalInput): Promise<FinanceJournalResult> {
  const day = input.day ?? yesterday();
  markProcess('finance-journal', { key: day, status: 'sending' });
  const pushed = await acts.pushJournalDay({ day, workflowId: workflowInfo().workflowId });
  const checked = await acts.reconcileJournalDays({ from: addDays(day, -reconciliationLookbackDays), to: day });
  for (const m of checked.newMismatches) {
    await startChild(journalMismatch, { workflowId: journalMismatchWorkflowId(m.reconciliationId), args: [{ reconciliationId: m.reconciliationId }], parentClosePolicy: ParentClosePolicy.ABANDON });
  }
  processStatus(checked.mismatches.length > 0 ? 'sent-with-mismatches' : 'sent');
  return { day, sent: !pushed.alreadySent, deliveryId: pushed.deliveryId, lines: pushed.lines, checkedDays: checked.checked, mismatchDays: checked.mismatches };
}

/** Starts `workflowId` as a child once: a day whose process already completed is not run again (a failed one is). */
async function oncePerDay<T>(run: () => Promise<T>, already: () => T): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return already();
    throw e;
  }
}

/** The schedule's entry: the journal of the day before the scheduled time (a backfill's too), in the day's own process `finance-journal/<day>`. */
export async function scheduledFinanceJournalPush(): Promise<FinanceJournalResult> {
  const day = dayBeforeScheduled();
  markProcess('scheduled-finance-journal', { key: day });
  const workflowId = financeJournalWorkflowId(day);
  return oncePerDay(
    () => executeChild(financeJournalPush, { workflowId, args: [{ day }], workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY }),
    () => ({ day, sent: false, deliveryId: '', lines: 0, checkedDays: 0, mismatchDays: [] }),
  );
}

/** A journal day that differs from the ledger: a billing user resolves it ("approve" corrected, "reject" explained with a reason). */
export async function journalMismatch(input: JournalMismatchInput): Promise<{ resolution: 'corrected' | 'explained' }> {
  markProcess('journal-mismatch', { key: input.reconciliationId, status: 'awaiting-decision' });
  const d = await awaitTaskDecision({
    openTask: () => local.openJournalMismatchTask({ reconciliationId: input.reconciliationId, workflowId: workflowInfo().workflowId }),
    apply: (decision, taskId) => local.resolveJournalMismatch({ reconciliationId: input.reconciliationId, taskId, by: decision.decidedBy.id, decision: decision.decision, reason: decision.reason ?? null }),
    rejectionNeedsReason: { code: 'journal_mismatch_reason_required', message: 'Explaining a journal difference needs the explanation.' },
    alreadyDecided: { code: 'journal_mismatch_already_resolved', message: 'This journal difference was already resolved.' },
  });
  const resolution = d.decision === 'approve' ? 'corrected' : 'explained';
  processStatus(resolution);
  return { resolution };
}

/** The nightly BI extract of a day: per BI client, one activity per file (each stored once per client, day and file). */
export async function biExtract(input: BiExtractInput): Promise<BiExtractResult> {
  const day = input.day ?? yesterday();
  markProcess('bi-extract', { key: day, status: 'extracting' });
  const clients: BiExtractResult['clients'] = [];
  for (const clientId of await acts.biClientIds()) {
    const files: { file: string; rows: number }[] = [];
    for (const file of biFileNames) files.push({ file, rows: (await acts.sendBiFile({ clientId, day, file })).rows });
    clients.push({ clientId, files });
  }
  processStatus('extracted');
  return { day, clients };
}

/** The schedule's entry: the extract of the day before the scheduled time (a backfill's too), in the day's own process `bi-extract/<day>`. */
export async function scheduledBiExtract(): Promise<BiExtractResult> {
  const day = dayBeforeScheduled();
  markProcess('scheduled-bi-extract', { key: day });
  const workflowId = biExtractWorkflowId(day);
  return oncePerDay(
    () => executeChild(biExtract, { workflowId, args: [{ day }], workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY }),
    () => ({ day, clients: [] }),
  );
}
