/**
 * The fund's bank connection (Web Services / host-to-host file transfer): outgoing e-invoice
 * batches now; incoming payment files can be fetched through the same connection later.
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

export interface PaymentFile {
  name: string;
  content: string;
}

export interface BankAdapter {
  /** Hands a Finvoice transmission file (see buildFinvoiceBatch) to the bank. */
  sendEInvoiceBatch(xml: string, meta: EInvoiceBatchMeta): Promise<{ batchId: string }>;
  /** Payment files (camt.054, KTL) waiting at the bank; optional until the payments slice uses it. */
  listPaymentFiles?(): Promise<PaymentFile[]>;
}

/** The bank refused the file itself; sending the same bytes again will not help. */
export class BankRejectedError extends Error {
  override name = 'BankRejectedError';
}
