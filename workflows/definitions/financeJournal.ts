import type { QueueKind } from './taskQueues';

/** A day's journal sent to the finance system and checked against the ledger: one process per day. */
export const financeJournalWorkflowId = (day: string) => `finance-journal/${day}`;
export const financeJournalScheduleId = 'finance-journal';
export const financeJournalQueue: QueueKind = 'payments';
/** How many days back each run checks the days it sent (a row booked later with an earlier date). */
export const reconciliationLookbackDays = 31;

export interface FinanceJournalInput {
  /** The day to send; the schedule's run takes yesterday (Helsinki). */
  day?: string;
}

export interface FinanceJournalResult {
  day: string;
  /** False when this run found the day already sent (a re-run): nothing was sent again. */
  sent: boolean;
  deliveryId: string;
  lines: number;
  checkedDays: number;
  mismatchDays: string[];
}

/** A journal day that differs from the ledger: a billing user's task (`journal-mismatch/<reconciliationId>`). */
export const journalMismatchWorkflowId = (reconciliationId: string) => `journal-mismatch/${reconciliationId}`;

export interface JournalMismatchInput {
  reconciliationId: string;
}

/** The nightly BI extract of a day, to every configured BI client (`bi-extract/<day>`). */
export const biExtractWorkflowId = (day: string) => `bi-extract/${day}`;
export const biExtractScheduleId = 'bi-extract';
export const biExtractQueue: QueueKind = 'register';

export interface BiExtractInput {
  /** The day the extract is of; the schedule's run takes yesterday (Helsinki). */
  day?: string;
}

export interface BiExtractResult {
  day: string;
  clients: { clientId: string; files: { file: string; rows: number }[] }[];
}
