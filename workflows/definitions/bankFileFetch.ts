import type { QueueKind } from './taskQueues';

/** The id the `bank-files` schedule gives its runs (Temporal appends the start time). */
export const bankFileFetchWorkflowId = 'bank-files';
export const bankFileFetchQueue: QueueKind = 'payments';

export interface BankFetchResult {
  /** Files the bank listed as new. */
  listed: number;
  /** Stored for the first time, each with its booking process started. */
  imported: number;
  /** Bytes the register had already (the same file under another name, or a fetch that crashed before confirming). */
  repeated: number;
  /** Files the register could not read: confirmed at the bank anyway, so they are not fetched forever; each is in the audit trail. */
  refused: { reference: string; name: string; reason: string }[];
}
