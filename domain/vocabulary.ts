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
/** `reminder-fee`: a payment reminder's fee, only when the fund's collection rules charge one. */
export type LedgerKind = 'invoice' | 'payment' | 'credit-note' | 'refund' | 'write-off' | 'reversal' | 'reminder-fee';
export type RefundStatus = 'pending' | 'in-file' | 'sent';

// Overdue collection.

/** How a reminder went out: the member's invoice channel, as the level allows it. */
export type ReminderChannel = 'e-invoice' | 'email' | 'letter';
/** `failed`: the messaging service or the bank refused it; the next day's run tries the level again. */
export type ReminderStatus = 'sent' | 'failed' | 'suppressed';
export type CollectionRunStatus = 'running' | 'done' | 'failed';
/** What the daily step did with one staged invoice. */
export type CollectionItemOutcome = 'sent' | 'paid' | 'on-hold' | 'failed' | 'hearing' | 'not-due' | 'already-sent';
/** The daily step's outcome: counts per outcome and the reasons of the failed ones. */
export interface CollectionOutcome {
  staged: number;
  sent: number;
  skippedPaid: number;
  onHold: number;
  failed: number;
  hearings: number;
  /** Sent per level, e.g. { "1": 1200, "2": 800 }. */
  byLevel: Record<string, number>;
  /** Failure reasons and how many items each (the messaging service's refusal, a letter that cannot be printed). */
  failures: Record<string, number>;
}

// Desk sessions.

/**
 * Why a desk session ended: the user logged out, it was unused longer than the idle timeout or
 * reached its maximum age, the IdP answered the periodic check with other roles or not at all,
 * or an administrator ended it.
 */
export type SessionEndReason = 'logout' | 'idle' | 'expired' | 'roles-changed' | 'refresh-failed' | 'ended-by-admin';
