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
/** What a task's history records (task_history.event). */
export const taskHistoryEvents = ['created', 'claimed', 'assigned', 'released', 'follow-up-set', 'group-set', 'decided', 'closed'] as const;
export type TaskHistoryEvent = (typeof taskHistoryEvents)[number];

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
export type BillingCategory = 'invoice' | 'union' | 'exempt' | 'zero' | 'already-invoiced' | 'exception';
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
/** Who collected a payment: the fund reports only what it collected itself (domain.md §5). */
export type CollectedBy = 'fund' | 'union';

// The annual tax report of fees paid.

export type TaxRunKind = 'annual' | 'correction';
export type TaxRunStatus = 'previewing' | 'awaiting-approval' | 'generating' | 'sending' | 'awaiting-acknowledgement' | 'acknowledged' | 'partially-rejected' | 'rejected' | 'nothing-to-send' | 'failed';
export type TaxFileStatus = 'created' | 'sent' | 'acknowledged' | 'records-rejected';
/** 'new': a first record; 'replace': the same identifiers with a new figure; 'zero': old identifiers zeroed. */
export type TaxRecordKind = 'new' | 'replace' | 'zero';
export type TaxRecordStatus = 'sent' | 'accepted' | 'rejected';

// Overdue collection.

/** How a reminder went out: the member's invoice channel, as the level allows it. */
export type ReminderChannel = 'e-invoice' | 'email' | 'letter';
/**
 * `issued`: the daily step issued it (its level is taken) and the delivery has yet to send it
 * (decision 052); `sent`; `withdrawn`: the delivery found the invoice paid (or the member on hold)
 * at the moment of sending and sent nothing, so the level is free again; `failed`: the messaging
 * service or the bank refused it; the next day's run tries the level again.
 */
export type ReminderStatus = 'issued' | 'sent' | 'withdrawn' | 'failed' | 'suppressed';
/** Why an issued reminder was withdrawn at its send (decision 052). */
export type ReminderWithdrawal = 'paid' | 'on-hold';
/** The statuses that take a level: a reminder issued is on its way, one sent is out. */
export const levelTakingStatuses: readonly ReminderStatus[] = ['issued', 'sent'];
/** Everything a reminder's letter or message is made of besides its row's amounts, dates and key (decision 052). */
export interface IssuedLetter {
  firstNames: string;
  lastName: string;
  language: string;
  email: string | null;
  streetAddress: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  eInvoiceAddress: string | null;
  eInvoiceOperator: string | null;
  /** The message template (payment-reminder, payment-reminder-final) and its version at issue ('shipped' or a stored id). */
  template: string;
  templateVersion: string;
}
export type CollectionRunStatus = 'running' | 'done' | 'failed';
/**
 * What the daily step did with one staged invoice. Since decision 052 a reminder is `issued` by
 * the step and becomes `sent`, `withdrawn` or `failed` when the delivery gets to it.
 */
export type CollectionItemOutcome = 'issued' | 'sent' | 'withdrawn' | 'paid' | 'on-hold' | 'failed' | 'hearing' | 'not-due' | 'already-sent';
/** The daily step's outcome: counts per outcome and the reasons of the failed ones. */
export interface CollectionOutcome {
  staged: number;
  /** Issued and not yet delivered (decision 052); absent in runs before it. */
  issued?: number;
  /** Issued, then withdrawn at the send: the invoice was paid meanwhile, or the member put on hold. */
  withdrawn?: number;
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

// The audit trail, the change history and the ledger's own lines: codes the desk translates
// (web/lib/i18n: `audit.<action>`, `changedField.<field>`, `changeReason.<code>`, `ledgerLine.<code>`).

/** Every action the audit trail records; tests/unit/i18n/codes.test.ts checks each has a label in fi, sv and en. */
export const auditActions = [
  'appeal.corrected',
  'appeal.forwarded',
  'appeal.recorded',
  'appeal.samu-ruling-recorded',
  'application.approved',
  'application.completion-requested',
  'application.read',
  'application.rejected',
  'application.search',
  'application.submitted',
  'application.supplemented',
  'audit-log.exported',
  'audit-log.read',
  'bank-entry.read',
  'bank-file.refused',
  'billing-run.approved',
  'billing-run.committed',
  'billing-run.delivered',
  'billing-run.e-invoices-sent',
  'billing-run.failed',
  'billing-run.held-back',
  'billing-run.read',
  'billing-run.rejected',
  'billing-run.started',
  'bi.extract-sent',
  'bookkeeping.exported',
  'bookkeeping.journal-mismatch',
  'bookkeeping.journal-sent',
  'bookkeeping.mismatch-resolved',
  'case-document.read',
  'collection.hearing-started',
  'collection.hold-set',
  'collection.overview-read',
  'collection.resumed',
  'collection.run-failed',
  'collection.run-finished',
  'expulsion.proposed',
  'fee-year.set',
  'fund-config.exported',
  'fund-config.imported',
  'fund-config.reset',
  'fund-config.set',
  'hearing.explanation-recorded',
  'hearing.not-expelled',
  'hearing.opened',
  'hearing.paid',
  'invoice.credited',
  'invoice.pdf-read',
  'invoice.written-off',
  'message-template.reset',
  'message-template.saved',
  'member.age-limit',
  'member.changed',
  'member.collection-read',
  'member.death-recorded',
  'member.eligibility-ended',
  'member.exemption-ended',
  'member.exemption-granted',
  'member.expelled',
  'member.fee-statement-read',
  'member.fund-switch',
  'member.fund-switch-received',
  'member.hearings-read',
  'member.migrated',
  'member.ledger-read',
  'member.read',
  'member.refund-requested',
  'member.reinstated',
  'member.resignation',
  'member.resignation-confirmation-sent',
  'member.resignation-received',
  'member.resignation-request-confirmed',
  'member.resignation-request-confirmed-note',
  'member.resignation-request-expired',
  'member.resignation-request-rejected',
  'member.resignation-request-viewed',
  'member.resignation-requested',
  'member.resignation-withdrawn',
  'member.search',
  'member.template-preview',
  'member.transfer-recorded',
  'member.union-remittance-booked',
  'member.union-reported',
  'membership.batch-read',
  'migration.approved',
  'migration.difference-accepted',
  'migration.loaded',
  'migration.processes-started',
  'migration.read',
  'migration.rejected-exported',
  'migration.started',
  'migration.uploaded',
  'outbox.dead-letter-retried',
  'outbox.replayed',
  'payment-file.received',
  'payment.allocated',
  'payment.return-to-payer',
  'population.rejected',
  'reconcile.repaired',
  'refunds.payment-file',
  'schedule.backfilled',
  'schedule.paused',
  'schedule.resumed',
  'schedule.triggered',
  'session.ended',
  'session.started',
  'task-group.members-set',
  'task.assigned',
  'task.claimed',
  'task.decided',
  'task.filter-deleted',
  'task.filter-saved',
  'task.follow-up-set',
  'task.group-set',
  'task.listed',
  'task.opened',
  'task.orphaned',
  'task.unclaimed',
  'tax-report.acknowledged',
  'tax-report.approved',
  'tax-report.file-created',
  'tax-report.file-downloaded',
  'tax-report.rejected',
  'tax-report.rejection-closed',
  'tax-report.sent',
  'tax-report.started',
  'tax-report.viewed',
  'temporal.payloads-decoded',
  'union.batch-read',
  'union.batch-received',
  'union.members-listed',
  'union.remittance-returned',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The fields of a person's change history (member_changes.field). */
export const changedFields = ['name', 'address', 'contact', 'non-disclosure', 'death', 'identity-code', 'membership', 'address-conflict', 'municipality'] as const;
export type ChangedField = (typeof changedFields)[number];

/** Why the system changed a person or membership (member_changes.reason_code); a caseworker's own reason has none. */
export const changeReasonCodes = ['resignation_notice', 'fund_switch', 'resignation_withdrawn', 'resignation_withdrawn_because', 'membership_application', 'population_register', 'address_conflict_register'] as const;
export type ChangeReasonCode = (typeof changeReasonCodes)[number];

/** What a ledger line the system wrote is (ledger_entries.description_code); a billing user's own reason has none. */
export const ledgerLineCodes = ['invoice', 'reference_payment', 'suspense', 'suspense_cleared', 'allocated_by_hand', 'reversal', 'union_fee', 'union_remittance'] as const;
export type LedgerLineCode = (typeof ledgerLineCodes)[number];

/** Why a billing run could not invoice a member (billing_run_items.exception_code). */
export const runExceptionCodes = ['unknown_channel', 'no_fee_for_year', 'membership_data_invalid', 'no_reference_number', 'no_postal_address', 'no_delivery_channel', 'reference_in_use'] as const;
export type RunExceptionCode = (typeof runExceptionCodes)[number];

/**
 * Why a message could not go (decision 070), stored beside the service's own words
 * (`messages.failure_code`, `failure_reason`): the desk shows the code in the reader's language.
 */
export const messageFailureCodes = ['messaging-refused', 'letter-unprintable'] as const;
export type MessageFailureCode = (typeof messageFailureCodes)[number];

/**
 * Why a webhook delivery failed (decision 070), stored beside the sender's own words
 * (`outbox_deliveries.last_error_code`, `last_error`); `http-status` has the status in `last_status`.
 */
export const webhookFailureCodes = ['http-status', 'timeout', 'unreachable', 'subscriber-not-configured'] as const;
export type WebhookFailureCode = (typeof webhookFailureCodes)[number];

/**
 * Why a tax-report run failed (decision 071), stored beside the failure's own words
 * (`tax_report_runs.error_code`, `error`): the `type` of the ApplicationFailure that ended it, as
 * domain/runFailure.ts reads it; `timeout` and `cancelled` for an activity that timed out or was
 * cancelled, `unexpected` for anything else.
 */
export const taxRunFailureCodes = ['tax-run-missing', 'tax-file-exists', 'tax-file-missing', 'tax-file-not-sent', 'tax-file-refused', 'tax-acknowledgement-missing', 'timeout', 'cancelled', 'unexpected'] as const;
export type TaxRunFailureCode = (typeof taxRunFailureCodes)[number];

/** Why a migration run failed (decision 071; `migration_runs.error_code`), as `taxRunFailureCodes`. */
export const migrationRunFailureCodes = ['migration-run-missing', 'migration-files-changed', 'migration-not-approved', 'migration-run-ended', 'migration-lanes-invalid', 'migration-test-schema-emptied', 'timeout', 'cancelled', 'unexpected'] as const;
export type MigrationRunFailureCode = (typeof migrationRunFailureCodes)[number];

/** Who did something when it was not a desk user: `public:<id>` is a person using a public form. */
export const actorKinds = ['system', 'schedule', 'public', 'population-register'] as const;
export type ActorKind = (typeof actorKinds)[number];
