/**
 * The business's vocabularies: the statuses, kinds and shapes that the register's processes, the
 * API and the database share. They are domain words, so they live here; `db/schema.ts` types its
 * columns with them, never the other way round.
 */

// Persons and contact data.

/** Where an address (or name) came from; the population register wins over the others. */
export type AddressSource = 'population-register' | 'member' | 'application';
/** How a member wants letters and invoices delivered. */
export type DeliveryPreference = 'letter' | 'email' | 'sms' | 'e-invoice';
/** The kinds of address the population register keeps. */
export type AddressKind = 'permanent' | 'postal' | 'temporary-foreign' | 'permanent-foreign';
/** How precisely a date (of death, say) is known. */
export type DatePrecision = 'day' | 'month' | 'year';

// Membership.

/** Why a membership period ended. */
export type PeriodEndReason = 'resignation' | 'fund-switch' | 'death' | 'age-limit' | 'expulsion' | 'eligibility' | 'correction';
/**
 * A notice of resignation or fund switch, from receipt to effect. A notice from the public form
 * starts as 'requested' and becomes 'pending' only when confirmed through a channel the member
 * already has on record, or by a caseworker; unconfirmed it ends 'expired' or 'rejected'.
 */
export type ResignationStatus = 'requested' | 'pending' | 'effective' | 'withdrawn' | 'cancelled' | 'expired' | 'rejected';
export type ResignationKind = 'resignation' | 'fund-switch';

// Applications.

export type ApplicationStatus = 'received' | 'awaiting-supplement' | 'in-review' | 'approved' | 'rejected';

export interface ApplicationDecision {
  outcome: 'approved' | 'rejected';
  decidedBy: string;
  reason: string | null;
  decidedAt: string;
  automatic: boolean;
}

// The work queue and messages.

export type TaskStatus = 'open' | 'closed';

/** Who a message goes to, as it was addressed when it was queued. */
export interface MessageRecipient {
  name: string;
  email?: string;
  phone?: string;
  address?: { street: string; postalCode: string; city: string; country?: string };
}

// Billing.

export type BillingRunStatus = 'previewing' | 'awaiting-approval' | 'committing' | 'committed' | 'rejected' | 'failed';

/** A billing run's figures, from its preview or its commit. */
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

/** Where a billing run is: which phase, how far. */
export interface BillingProgress {
  phase: string;
  done: number;
  total: number;
}

/** How a member falls in a billing run's preview. */
export type BillingCategory = 'invoice' | 'union' | 'zero' | 'already-invoiced' | 'exception';
/** One billed month of an invoice. */
export interface InvoiceLine {
  month: string;
  cents: number;
}

export type InvoiceStatus = 'open' | 'partially-paid' | 'paid' | 'credited' | 'written-off';

// Payments and the ledger.

export type PaymentFileFormat = 'camt054' | 'ktl';
export type PaymentFileStatus = 'received' | 'processed' | 'failed';
export type BankEntryStatus = 'allocated' | 'partially-allocated' | 'unmatched' | 'reversed' | 'overpaid' | 'refund-needed';
export type AllocationKind = 'automatic' | 'manual';
export type LedgerKind = 'invoice' | 'payment' | 'credit-note' | 'refund' | 'write-off' | 'reversal';
export type RefundStatus = 'pending' | 'in-file' | 'sent';
/** Who collected a payment: the fund reports only what it collected itself (domain.md §5). */
export type CollectedBy = 'fund' | 'union';

// The annual tax report of fees paid.

export type TaxRunKind = 'annual' | 'correction';
export type TaxRunStatus = 'previewing' | 'awaiting-approval' | 'generating' | 'sending' | 'awaiting-acknowledgement' | 'acknowledged' | 'partially-rejected' | 'rejected' | 'nothing-to-send' | 'failed';
export type TaxFileStatus = 'created' | 'sent' | 'acknowledged' | 'records-rejected';
/** 'new': a first record; 'replace': the same identifiers with a new figure; 'zero': old identifiers zeroed. */
export type TaxRecordKind = 'new' | 'replace' | 'zero';
export type TaxRecordStatus = 'sent' | 'accepted' | 'rejected';

// Desk sessions.

/**
 * Why a desk session ended: the user logged out, it was unused longer than the idle timeout or
 * reached its maximum age, the IdP answered the periodic check with other roles or not at all,
 * or an administrator ended it.
 */
export type SessionEndReason = 'logout' | 'idle' | 'expired' | 'roles-changed' | 'refresh-failed' | 'ended-by-admin';
