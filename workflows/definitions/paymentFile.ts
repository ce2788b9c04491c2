import type { BankFileFormat } from '../../domain/payments/entries';
import type { QueueKind } from './taskQueues';

/** One bank file's booking process; the same bytes are the same process. */
export const paymentFileWorkflowId = (sha256: string) => `payment-file/${sha256}`;
/** The workflow type, for starting it without importing workflow code. */
export const paymentFileWorkflowType = 'paymentFile';
export const paymentFileQueue: QueueKind = 'payments';

export interface PaymentFileInput {
  fileId: string;
}

export interface PaymentFileResult {
  entries: number;
  skipped: number;
  booked: number;
  duplicates: number;
  allocated: number;
  overpaid: number;
  unmatched: number;
  reversed: number;
  /** Unidentified payments the file's reversals undid (their tasks are withdrawn). */
  withdrawn: number;
  unmatchedProcesses: number;
}

/** A file fetched from the bank, as handed to the register's import (the bank-file fetch's starter). */
export interface FetchedPaymentFile {
  /** The bank's id of the file (named in the audit record of a refused file). */
  reference: string;
  bytes: Uint8Array;
  format: BankFileFormat;
  filename: string;
}

/** What the register made of a fetched file: stored and its process started, known already, or refused (and audited). */
export type PaymentFileReceipt = { outcome: 'imported' } | { outcome: 'repeated' } | { outcome: 'refused'; reason: string };
