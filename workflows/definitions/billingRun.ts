/**
 * Everything others need to talk to a billing run: its workflow id, its queue, its query and
 * its input and result. The decision is the shared `decide` Update of human tasks.
 */
import { defineQuery } from '@temporalio/workflow';
import type { BillingPeriod } from '../../domain/billing/billingPeriod';
import type { BillingRunStatus, BillingTotals } from '../../domain/vocabulary';
import type { QueueKind } from './taskQueues';

export type { BillingPeriod } from '../../domain/billing/billingPeriod';

/** Billing runs and the schedule's starter run on the billing queue. */
export const billingRunQueue: QueueKind = 'billing';

/** The workflow id (and run id) of an attempt: the first is `billing-run/<fund>/<period>`, later ones add `-r2`, `-r3`… */
export function billingRunWorkflowId(fundId: string, period: string, attempt = 1): string {
  return `billing-run/${fundId}/${period}${attempt > 1 ? `-r${attempt}` : ''}`;
}

/** The attempt number of a billing run id (1 for the first). */
export function billingRunAttempt(runId: string): number {
  return Number(/-r(\d+)$/.exec(runId)?.[1] ?? 1);
}

export interface BillingRunInput extends BillingPeriod {
  /** Also the workflow id: `billing-run/<fundId>/<period>`, with `-r2`, `-r3`… for later attempts. */
  runId: string;
  dueDate: string;
  /** User id, or 'schedule'. */
  startedBy: string;
  /** Members per chunk activity (default 5,000). */
  chunkSize?: number;
  /** Chunk activities running at once (default 3). */
  concurrency?: number;
}

export interface BillingRunResult {
  status: 'committed' | 'rejected';
  previewTotals: BillingTotals;
  commitTotals: BillingTotals | null;
}

export interface BillingRunState {
  status: BillingRunStatus;
  taskId: string | null;
  decision: { outcome: 'approved' | 'rejected'; decidedBy: string } | null;
}

export const billingRunStateQuery = defineQuery<BillingRunState>('billingRunState');

/** The `billing-yearly` schedule's input to scheduledBillingRun. */
export interface ScheduledBillingRunInput {
  /** Days from the start to the due date (default 30). */
  dueInDays?: number;
  chunkSize?: number;
  concurrency?: number;
}

export interface ScheduledBillingRunResult {
  runId: string;
  /** False when the year's run existed already. */
  started: boolean;
}
