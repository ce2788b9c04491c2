/**
 * Everything others need to talk to a tax-report run: its workflow id, its queue, its query, its
 * input and result. Approvals and rejected-record tasks use the shared `decide` Update.
 */
import type { Duration } from '@temporalio/common';
import { defineQuery } from '@temporalio/workflow';
import type { TaxRunKind, TaxRunStatus } from '../../domain/vocabulary';
import type { QueueKind } from './taskQueues';

/** Tax-report runs share the billing queue (finance work, the same workers). */
export const taxReportQueue: QueueKind = 'billing';

/** The year's report: `tax-report/<year>`. */
export function taxReportWorkflowId(year: number): string {
  return `tax-report/${year}`;
}

/** A correction run: `tax-report/<year>/correction-<n>`. */
export function taxCorrectionWorkflowId(year: number, n: number): string {
  return `tax-report/${year}/correction-${n}`;
}

export const taxReportScheduleId = 'tax-report-yearly';
export const taxCorrectionScheduleId = 'tax-report-corrections';

export interface TaxReportInput {
  /** Also the workflow id. */
  runId: string;
  year: number;
  kind: TaxRunKind;
  /** User id, or 'schedule'. */
  startedBy: string;
  /** Between acknowledgement polls (default '1 hour'; ms-style duration). */
  pollInterval?: Duration;
  /** Polls before the run gives up waiting and fails (default 240: ten days hourly). */
  maxPolls?: number;
}

export interface TaxReportResult {
  status: TaxRunStatus;
  records: number;
  rejected: number;
}

export interface TaxReportState {
  status: TaxRunStatus;
  taskId: string | null;
  decision: { outcome: 'approved' | 'rejected'; decidedBy: string } | null;
  /** Rejected-record tasks still open. */
  openRejections: string[];
}

export const taxReportStateQuery = defineQuery<TaxReportState>('taxReportState');

export interface ScheduledTaxReportInput {
  pollInterval?: Duration;
}

export interface ScheduledTaxReportResult {
  runIds: string[];
}
