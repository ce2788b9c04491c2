/**
 * The fund's bank connection (Web Services / host-to-host file transfer): outgoing e-invoice
 * batches, and the incoming payment files (camt.054, KTL) the bank keeps for the fund to fetch.
 * The interface stays small so a real bank channel and the fake are easy to swap.
 */

export interface EInvoiceBatchMeta {
  /**
   * Idempotency key of the batch, e.g. `billing-run/a-kassa/2026/finvoice/1`: the bank channel
   * sends a key once, however often it is handed over (retries, worker restarts).
   */
  batchKey: string;
  runId: string;
  invoiceCount: number;
  totalCents: number;
}

/** A payment file waiting at the bank, as its file list names it (Web Services DownloadFileList). */
export interface BankPaymentFileRef {
  /** The bank's file reference: what download and confirm take. */
  reference: string;
  name: string;
  format: 'camt054' | 'ktl';
  createdAt: string;
}

export interface BankAdapter {
  /**
   * Resolves when the system answers, rejects when it does not (for the worker's /readyz; it never
   * changes anything). Optional: an adapter that cannot be asked is not listed.
   */
  ready?(): Promise<void>;
  /** Hands a Finvoice transmission file (see buildFinvoiceBatch) to the bank. */
  sendEInvoiceBatch(xml: string, meta: EInvoiceBatchMeta): Promise<{ batchId: string }>;
  /** Payment files the fund has not confirmed yet (status NEW at the bank), oldest first. */
  listPaymentFiles(): Promise<BankPaymentFileRef[]>;
  /** The file's bytes as the bank keeps them; downloading again gives the same bytes. */
  downloadPaymentFile(reference: string): Promise<Uint8Array>;
  /** Tells the bank the fund has the file, so it is not listed again (status DLD). */
  confirmPaymentFile(reference: string): Promise<void>;
}

/** The bank is unreachable or busy (a 5xx, a timeout): try again later. */
export class BankUnavailableError extends Error {
  override name = 'BankUnavailableError';
}

/** The bank refused the file itself; sending the same bytes again will not help. */
export class BankRejectedError extends Error {
  override name = 'BankRejectedError';
}
