/**
 * The words of billing and the ledger, as the register stores them: db/schema.ts types its columns
 * with these, the rules here read them.
 */

/** How a member wants their invoices: the preference stored with the person. */
export type DeliveryPreference = 'letter' | 'email' | 'sms' | 'e-invoice';

/** One month of an invoice: `month` is 'YYYY-MM'. */
export interface InvoiceLine {
  month: string;
  cents: number;
}

export type InvoiceStatus = 'open' | 'partially-paid' | 'paid' | 'credited' | 'written-off';

/** What a ledger row records; signed from the fund's side (+ the member owes more). */
export type LedgerKind = 'invoice' | 'payment' | 'credit-note' | 'refund' | 'write-off' | 'reversal';

export type BillingRunStatus = 'previewing' | 'awaiting-approval' | 'committing' | 'committed' | 'rejected' | 'failed';

/** A billing run's figures, after the preview (staged) or the commit (issued). */
export interface BillingTotals {
  members: number;
  invoices: number;
  amountCents: number;
  byCategory: Record<string, { count: number; amountCents: number }>;
  byDelivery: Record<string, number>;
  exceptions: number;
}

/** A billing run's delivery: messages by outcome (e-mails and letters) and the e-invoices sent in files. */
export interface DeliveryTotals {
  sent: number;
  failed: number;
  suppressed: number;
  eInvoices: number;
  eInvoiceFiles: number;
}
