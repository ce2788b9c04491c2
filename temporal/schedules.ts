import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type CalendarSpec, type Client, type ScheduleOptions } from '@temporalio/client';
import type { ScheduleTimes } from '../domain/scheduleTimes';
import { bankFileFetch } from '../workflows/bankFileFetch';
import { scheduledBillingRun } from '../workflows/billingRun';
import { scheduledCollectionRun } from '../workflows/collectionRun';
import { collectionRunQueue, collectionScheduleId } from '../workflows/definitions/collectionRun';
import { scheduledTaxReport } from '../workflows/taxReport';
import { scheduledUnionMemberLists } from '../workflows/unionMemberLists';
import { scheduledBiExtract, scheduledFinanceJournalPush } from '../workflows/financeJournal';
import { biExtractQueue, biExtractScheduleId, financeJournalQueue, financeJournalScheduleId } from '../workflows/definitions/financeJournal';
import { unionMemberListsQueue, unionMemberListsScheduleId } from '../workflows/definitions/unionRemittanceMismatch';
import { taxCorrectionScheduleId, taxReportQueue, taxReportScheduleId } from '../workflows/definitions/taxReport';
import { membershipDailySweep } from '../workflows/membershipDailySweep';
import { populationRegisterSync } from '../workflows/populationRegisterSync';
import { reconcile } from '../workflows/reconcile';
import { bankFileFetchQueue, bankFileFetchWorkflowId } from '../workflows/definitions/bankFileFetch';
import { membershipDailyScheduleId, membershipDailySweepQueue, membershipDailySweepWorkflowId } from '../workflows/definitions/membershipDailySweep';
import { populationRegisterSyncQueue, populationRegisterSyncWorkflowId, populationSyncScheduleId } from '../workflows/definitions/populationRegisterSync';
import { reconcileQueue, reconcileScheduleId, reconcileWorkflowId } from '../workflows/definitions/reconcile';
import { bankFilesScheduleId, billingYearlyScheduleId, scheduledTimeOf, scheduleMonths, type RegisterScheduleId, type ScheduledTime } from '../workflows/definitions/schedules';
import type { TaskQueueNames } from '../workflows/definitions/taskQueues';

export interface ScheduleSpecOptions {
  taskQueues: TaskQueueNames;
  /** Whether to start the population-register sync; only when a change source is configured. */
  populationSync?: { every: string } | null;
  /** When the calendar schedules run: the fund's `scheduleTimes` setting in force (default: the shipped times). */
  times?: ScheduleTimes;
}

/** A calendar spec in Helsinki time from a setting's clock time (and day, and month). */
function specOf(t: ScheduledTime): { calendars: CalendarSpec[]; timezone: string } {
  const calendar: CalendarSpec = { hour: t.hour, minute: t.minute, ...(t.day !== undefined ? { dayOfMonth: t.day } : {}), ...(t.month !== undefined ? { month: scheduleMonths[t.month - 1]! } : {}) };
  return { calendars: [calendar], timezone: 'Europe/Helsinki' };
}

/**
 * The register's Temporal Schedules: the one place they are defined. The desk lists
 * `registerScheduleIds` (workflows/definitions/schedules.ts); tests/unit/schedules.test.ts checks
 * that every schedule built here is listed there and declares whether it may be backfilled.
 */
export function registerSchedules(opts: ScheduleSpecOptions): ScheduleOptions[] {
  const at = (id: RegisterScheduleId) => specOf(scheduledTimeOf(opts.times, id)!);
  const list: ScheduleOptions[] = [];
  list.push({
    scheduleId: membershipDailyScheduleId,
    spec: at(membershipDailyScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    action: { type: 'startWorkflow', workflowType: membershipDailySweep, workflowId: membershipDailySweepWorkflowId, taskQueue: opts.taskQueues[membershipDailySweepQueue], args: [{}] },
  });
  // Overdue collection: the day's reminders and hearing starts, after the night's payment files.
  // A missed day is caught up the next day (levels are never skipped, only sent a day later).
  list.push({
    scheduleId: collectionScheduleId,
    spec: at(collectionScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    action: { type: 'startWorkflow', workflowType: scheduledCollectionRun, workflowId: collectionScheduleId, taskQueue: opts.taskQueues[collectionRunQueue], args: [] },
  });
  // The yearly invoice run in the second week of January (KOKO sends e-invoices in week 2,
  // domain.md §2.1). Created paused: the fee year must be in the fund profile before it fires,
  // and the preview still waits for a billing user's approval.
  list.push({
    scheduleId: billingYearlyScheduleId,
    spec: at(billingYearlyScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    state: {
      paused: true,
      note: 'Paused on creation: check the fee year in the fund profile, then unpause. Each run waits for approval by a billing user.',
    },
    action: { type: 'startWorkflow', workflowType: scheduledBillingRun, workflowId: 'billing-yearly', taskQueue: opts.taskQueues.billing, args: [{ dueInDays: 30 }] },
  });
  // The annual report of fees paid, early in January so the preview, the approval and the
  // acknowledgement fit before the 31 January deadline (domain/tax/deadline.ts). The run waits
  // for a billing user's approval; nothing is sent without it.
  list.push({
    scheduleId: taxReportScheduleId,
    spec: at(taxReportScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '14 days' },
    action: { type: 'startWorkflow', workflowType: scheduledTaxReport, workflowId: taxReportScheduleId, taskQueue: opts.taskQueues[taxReportQueue], args: [{ mode: 'annual' }] },
  });
  // Corrections to reported years (payments, refunds or reversals booked later, corrected identity
  // codes), monthly; a run with nothing changed ends after its preview.
  list.push({
    scheduleId: taxCorrectionScheduleId,
    spec: at(taxCorrectionScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    action: { type: 'startWorkflow', workflowType: scheduledTaxReport, workflowId: taxCorrectionScheduleId, taskQueue: opts.taskQueues[taxReportQueue], args: [{ mode: 'corrections' }] },
  });
  // Each union's member list (status, paid-through dates, differences against what it reported),
  // monthly after the unions' statements of the 15th (domain.md §7), through the union-exchange adapter.
  list.push({
    scheduleId: unionMemberListsScheduleId,
    spec: at(unionMemberListsScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    action: { type: 'startWorkflow', workflowType: scheduledUnionMemberLists, workflowId: unionMemberListsScheduleId, taskQueue: opts.taskQueues[unionMemberListsQueue], args: [] },
  });
  // Yesterday's journal to the finance system, after the night's bank files and before office hours;
  // each day is its own process (`finance-journal/<day>`), so a missed day is caught up once.
  list.push({
    scheduleId: financeJournalScheduleId,
    spec: at(financeJournalScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    action: { type: 'startWorkflow', workflowType: scheduledFinanceJournalPush, workflowId: financeJournalScheduleId, taskQueue: opts.taskQueues[financeJournalQueue], args: [] },
  });
  // Yesterday's BI extract for every BI client (`bi-extract/<day>`), in the quiet of the night.
  list.push({
    scheduleId: biExtractScheduleId,
    spec: at(biExtractScheduleId),
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    action: { type: 'startWorkflow', workflowType: scheduledBiExtract, workflowId: biExtractScheduleId, taskQueue: opts.taskQueues[biExtractQueue], args: [] },
  });
  // Starts the processes of rows the API stored but could not start (a crash in between) and
  // closes tasks whose process has ended. A missed run needs no catching up: the next one does it.
  list.push({
    scheduleId: reconcileScheduleId,
    spec: { intervals: [{ every: '10 minutes' }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
    action: { type: 'startWorkflow', workflowType: reconcile, workflowId: reconcileWorkflowId, taskQueue: opts.taskQueues[reconcileQueue], args: [{}] },
  });
  // The bank's payment files (camt.054, KTL), fetched as they arrive: banks post reference
  // payments several times a day. A missed run needs no catching up: the next fetch takes them all.
  list.push({
    scheduleId: bankFilesScheduleId,
    spec: { intervals: [{ every: '15 minutes' }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '15 minutes' },
    action: { type: 'startWorkflow', workflowType: bankFileFetch, workflowId: bankFileFetchWorkflowId, taskQueue: opts.taskQueues[bankFileFetchQueue], args: [] },
  });
  if (opts.populationSync) {
    list.push({
      scheduleId: populationSyncScheduleId,
      spec: { intervals: [{ every: opts.populationSync!.every }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      action: { type: 'startWorkflow', workflowType: populationRegisterSync, workflowId: populationRegisterSyncWorkflowId, taskQueue: opts.taskQueues[populationRegisterSyncQueue], args: [] },
    });
  }
  return list;
}

/**
 * Creates the register's Temporal Schedules once; administrators pause, trigger and backfill them
 * at the desk (/admin/schedules) or in the Temporal UI. An existing schedule is left as the
 * administrators set it.
 */
export async function ensureSchedules(client: Client, opts: ScheduleSpecOptions): Promise<string[]> {
  const created: string[] = [];
  for (const options of registerSchedules(opts)) {
    try {
      await client.schedule.create(options);
      created.push(options.scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  }
  return created;
}

/**
 * Brings the existing calendar schedules to the times in force (decision 040): each one's spec is
 * replaced, its state (paused, note) and policies kept. The worker calls it at start and whenever
 * the `scheduleTimes` setting in force changes; running it twice changes nothing more. A schedule
 * that does not exist is left to `ensureSchedules`; interval schedules are not a setting. `only`
 * limits it to some schedules (a test's own, in a Temporal other tests share).
 */
export async function applyScheduleTimes(client: Client, opts: ScheduleSpecOptions, only?: readonly string[]): Promise<string[]> {
  const updated: string[] = [];
  for (const options of registerSchedules(opts)) {
    if (!options.spec.calendars?.length || (only && !only.includes(options.scheduleId))) continue;
    try {
      await client.schedule.getHandle(options.scheduleId).update((prev) => ({ ...prev, spec: options.spec }));
      updated.push(options.scheduleId);
    } catch (error) {
      if (!(error instanceof ScheduleNotFoundError)) throw error;
    }
  }
  return updated;
}
