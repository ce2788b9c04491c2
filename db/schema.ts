import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  bigserial,
  date,
  index,
  integer,
  json,
  jsonb,
  pgSequence,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ApplicationData, Finding } from '../domain/application';
import type { FeeModel } from '../domain/billing/feeRules';
import type { HoldReason } from '../domain/collection/rules';
import type { AppealStatus, CaseChannel, HearingStatus } from '../domain/expulsion/status';
import type { SupplementData } from '../domain/supplement';
import type {
  AddressKind,
  AddressSource,
  AllocationKind,
  ApplicationDecision,
  ApplicationStatus,
  BankEntryStatus,
  BillingCategory,
  BillingProgress,
  BillingRunStatus,
  BillingTotals,
  ChangeReasonCode,
  CollectedBy,
  CollectionItemOutcome,
  CollectionOutcome,
  CollectionRunStatus,
  DatePrecision,
  DeliveryPreference,
  DeliveryTotals,
  InvoiceLine,
  InvoiceStatus,
  IssuedLetter,
  LedgerKind,
  LedgerLineCode,
  MessageFailureCode,
  MigrationRunFailureCode,
  MessageRecipient,
  PaymentFileFormat,
  PaymentFileStatus,
  PeriodEndReason,
  RefundStatus,
  ReminderChannel,
  ReminderStatus,
  ResignationKind,
  ResignationStatus,
  RunExceptionCode,
  SessionEndReason,
  TaskHistoryEvent,
  TaskStatus,
  TaxFileStatus,
  TaxRecordKind,
  TaxRecordStatus,
  TaxRunKind,
  TaxRunFailureCode,
  TaxRunStatus,
  WebhookFailureCode,
} from '../domain/vocabulary';
import type { ReportSummary, TaxReportException } from '../domain/tax/report';
import type { MigrationEntity, MigrationStaging, RejectReason, StagedSource } from '../domain/migration/records';
import type { Figures, MigrationBatchStatus, MigrationMode, MigrationOutcome, MigrationReport, MigrationRunStatus, ReadableReport } from '../domain/migration/report';
import type { RemittanceMismatch, UnionEventKind } from '../domain/unions/exchange';

/** Member numbers are public-facing and stable; they also seed reference numbers later. */
export const memberNumberSequence = pgSequence('member_number_seq', { startWith: 100001 });

/** A natural person known to the register; the identity code is stored whole (sign included). */
/** `reportName` (domain/tax/report.ts) over a person's row: nearly every name is its own report name. */
const reportNameSql = String.raw`CASE WHEN (last_name || ' ' || first_names) !~ '[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|  |^ | $' THEN last_name || ' ' || first_names ELSE btrim(regexp_replace(last_name || ' ' || first_names, '[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', ' ', 'g'), ' ') END`;

export const persons = pgTable('persons', {
  id: uuid('id').primaryKey().defaultRandom(),
  identityCode: text('identity_code').notNull().unique(),
  firstNames: text('first_names').notNull(),
  lastName: text('last_name').notNull(),
  birthDate: date('birth_date', { mode: 'string' }).notNull(),
  language: text('language').notNull(),
  email: text('email'),
  phone: text('phone'),
  streetAddress: text('street_address'),
  postalCode: text('postal_code'),
  city: text('city'),
  country: text('country'),
  addressSource: text('address_source').$type<AddressSource>(),
  municipality: text('municipality'),
  /** Turvakielto: the address is hidden from roles that do not need it and never printed for others. */
  nonDisclosure: boolean('non_disclosure').notNull().default(false),
  nonDisclosureUntil: date('non_disclosure_until', { mode: 'string' }),
  dateOfDeath: date('date_of_death', { mode: 'string' }),
  deathDatePrecision: text('death_date_precision').$type<DatePrecision>(),
  deliveryChannel: text('delivery_channel').$type<DeliveryPreference>().notNull().default('letter'),
  eInvoiceAddress: text('e_invoice_address'),
  eInvoiceOperator: text('e_invoice_operator'),
  eInvoiceConsent: boolean('e_invoice_consent').notNull().default(false),
  smsConsent: boolean('sms_consent').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /**
   * Kept with the row for the annual tax report (decision 041), which otherwise computed both for
   * 270,000 people per run: whether the identity code passes `parseIdentityCode`
   * (`identity_code_valid`, migration 0026), and the name as the report writes it (`reportName` in
   * domain/tax/report.ts: JavaScript's \s runs as one space, trimmed).
   */
  validIdentityCode: boolean('valid_identity_code').generatedAlwaysAs(sql`identity_code_valid(identity_code)`),
  reportName: text('report_name').generatedAlwaysAs(sql.raw(reportNameSql)),
}, (t) => [
  // Search as-you-type over 270,000 people: trigram on the lowercased full name.
  index('persons_name_trgm_idx').using('gin', sql`lower(${t.lastName} || ' ' || ${t.firstNames}) gin_trgm_ops`),
  // Surname prefix in name order, and identity-code prefix in code order: bytewise ("C") so one
  // index serves both the LIKE prefix and the ORDER BY, and the scan stops after the first page.
  // The names and the id as keys too (drizzle has no INCLUDE): the name search's fast path reads
  // its page by an index-only scan, testing the other words without a heap fetch per surname
  // (decision 058, migration 0042).
  index('persons_surname_c_idx').on(sql`(lower(${t.lastName}) collate "C")`, sql`(lower(${t.firstNames}) collate "C")`, t.lastName, t.firstNames, t.id),
  index('persons_identity_code_c_idx').on(sql`(${t.identityCode} collate "C")`),
]);

/** Every name a person has had; the current one is also kept on `persons` for search. */
export const personNames = pgTable(
  'person_names',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    firstNames: text('first_names').notNull(),
    lastName: text('last_name').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    source: text('source').$type<AddressSource | 'caseworker'>().notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [index('person_names_person_idx').on(t.personId, t.validFrom)],
);

/** Identity-code history: a corrected code keeps the old one findable. */
export const personIdentityCodes = pgTable(
  'person_identity_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    identityCode: text('identity_code').notNull().unique(),
    active: boolean('active').notNull(),
    source: text('source').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [index('person_identity_codes_person_idx').on(t.personId)],
);

/** Address history with its source; the current address is also kept on `persons`. */
export const personAddresses = pgTable(
  'person_addresses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    kind: text('kind').$type<AddressKind>().notNull(),
    street: text('street').notNull(),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    country: text('country'),
    source: text('source').$type<AddressSource>().notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [index('person_addresses_person_idx').on(t.personId, t.validFrom)],
);

/**
 * Effective-dated change log of a member's data: who changed what, why, and from when. The desk
 * highlights recent rows; the audit log keeps the access trail.
 */
export const memberChanges = pgTable(
  'member_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    memberId: uuid('member_id'),
    field: text('field').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    changedBy: text('changed_by').notNull(),
    reason: text('reason').notNull(),
    /** Why the system made the change (domain/vocabulary.ts changeReasonCodes); null for a caseworker's own reason. */
    reasonCode: text('reason_code').$type<ChangeReasonCode>(),
    reasonParams: jsonb('reason_params').$type<Record<string, string | number>>().notNull().default({}),
    before: jsonb('before').$type<unknown>(),
    after: jsonb('after').$type<unknown>(),
    /** Makes a re-applied external change (same DVV token, same resignation) a no-op. */
    sourceKey: text('source_key').unique(),
  },
  (t) => [index('member_changes_person_idx').on(t.personId, t.changedAt)],
);

/** Membership of one person in this fund (one fund per instance). */
export const members = pgTable('members', {
  id: uuid('id').primaryKey().defaultRandom(),
  personId: uuid('person_id')
    .notNull()
    .unique()
    .references(() => persons.id),
  memberNumber: bigint('member_number', { mode: 'number' })
    .notNull()
    .unique()
    .default(sql`nextval('member_number_seq')`),
  channel: text('channel').notNull(),
  unionCode: text('union_code'),
  eligibilityBasis: text('eligibility_basis'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const membershipPeriods = pgTable(
  'membership_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    endReason: text('end_reason').$type<PeriodEndReason>(),
    endedBy: text('ended_by'),
    sourceApplicationId: uuid('source_application_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('membership_periods_member_idx').on(t.memberId),
    // One approval opens at most one period, however often the activity is retried.
    uniqueIndex('membership_periods_source_application_uq').on(t.sourceApplicationId),
  ],
);

/** Periods in a previous fund that count towards the membership condition (one-month rule). */
export const transferredPeriods = pgTable(
  'transferred_periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    fundName: text('fund_name').notNull(),
    fundBusinessId: text('fund_business_id'),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    paidThrough: date('paid_through', { mode: 'string' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [uniqueIndex('transferred_periods_uq').on(t.memberId, t.fundName, t.startDate)],
);

/** A resignation notice or a new fund's resignation authorisation (fund switch). */
export const resignations = pgTable(
  'resignations',
  {
    id: uuid('id').primaryKey(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    kind: text('kind').$type<ResignationKind>().notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    submittedBy: text('submitted_by').notNull(),
    channel: text('channel').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    requestedEndDate: date('requested_end_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    feeOwedUntil: date('fee_owed_until', { mode: 'string' }).notNull(),
    newFund: text('new_fund'),
    newFundStartDate: date('new_fund_start_date', { mode: 'string' }),
    status: text('status').$type<ResignationStatus>().notNull().default('pending'),
    workflowId: text('workflow_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnBy: text('withdrawn_by'),
    withdrawalReason: text('withdrawal_reason'),
    /** A public request: when its confirmation link stops working (null: no confirmation needed). */
    confirmationExpiresAt: timestamp('confirmation_expires_at', { withTimezone: true }),
    /** Who confirmed or rejected a public request ('public' for the member's own link), when and why. */
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
  },
  (t) => [
    uniqueIndex('resignations_submitter_key_uq').on(t.submittedBy, t.idempotencyKey),
    index('resignations_member_idx').on(t.memberId),
  ],
);

/** The population-register change token, persisted after every batch. */
export const populationSyncState = pgTable('population_sync_state', {
  id: text('id').primaryKey(),
  token: bigint('token', { mode: 'number' }).notNull(),
  upToDate: boolean('up_to_date').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    channel: text('channel').notNull(),
    submittedBy: text('submitted_by').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    receivedBy: text('received_by').notNull(),
    unionCode: text('union_code'),
    identityCode: text('identity_code').notNull(),
    data: jsonb('data').$type<ApplicationData>().notNull(),
    status: text('status').$type<ApplicationStatus>().notNull().default('received'),
    outcome: text('outcome'),
    findings: jsonb('findings').$type<Finding[]>().notNull().default([]),
    startDate: date('start_date', { mode: 'string' }),
    completionRounds: integer('completion_rounds').notNull().default(0),
    completionDeadline: timestamp('completion_deadline', { withTimezone: true }),
    decision: jsonb('decision').$type<ApplicationDecision>(),
    memberId: uuid('member_id').references(() => members.id),
    workflowId: text('workflow_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The submitter's idempotency key: the same submission twice is the same application.
    uniqueIndex('applications_submitter_key_uq').on(t.submittedBy, t.idempotencyKey),
    index('applications_identity_code_idx').on(t.identityCode),
    index('applications_status_idx').on(t.status),
    // The desk's application search by name ("last first", any word anywhere).
    index('applications_name_trgm_idx').using('gin', sql`lower((${t.data}->>'lastName') || ' ' || (${t.data}->>'firstNames')) gin_trgm_ops`),
  ],
);

export const applicationSupplements = pgTable(
  'application_supplements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    round: integer('round').notNull(),
    data: jsonb('data').$type<SupplementData>().notNull(),
    submittedBy: text('submitted_by').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('application_supplements_round_uq').on(t.applicationId, t.round)],
);

/** The work queue: one row per human task, written only by workflow activities. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workflowId: text('workflow_id').notNull(),
    taskKey: text('task_key').notNull(),
    kind: text('kind').notNull(),
    queue: text('queue').notNull(),
    requiredRole: text('required_role').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    title: text('title').notNull(),
    priority: integer('priority').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: text('status').$type<TaskStatus>().notNull().default('open'),
    claimedBy: text('claimed_by'),
    claimedByName: text('claimed_by_name'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    outcome: text('outcome'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** A candidate group (docs/decisions/024-work-queue-for-a-team.md): only its members (and supervisors) work the task. */
    candidateGroup: text('candidate_group'),
    /** Hidden from the queue until this Helsinki date (a follow-up). */
    followUpOn: date('follow_up_on', { mode: 'string' }),
  },
  (t) => [
    uniqueIndex('tasks_workflow_task_uq').on(t.workflowId, t.taskKey),
    index('tasks_claimed_by_idx').on(t.claimedBy).where(sql`${t.status} = 'open'`),
    index('tasks_subject_idx').on(t.subjectId),
    index('tasks_queue_status_idx').on(t.queue, t.status, t.priority, t.dueAt),
  ],
);

/**
 * What happened to a task, by whom and when: written in the same transaction as the change
 * (created, claimed, assigned, released, follow-up set, group set, decided, closed).
 */
export const taskHistory = pgTable(
  'task_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    event: text('event').$type<TaskHistoryEvent>().notNull(),
    /** A desk user's id, or null when the process did it. */
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    /** The assignee, the follow-up date, the group or the outcome: ids and codes, never member data. */
    details: jsonb('details').$type<Record<string, string | null>>().notNull().default({}),
  },
  (t) => [index('task_history_task_idx').on(t.taskId, t.at)],
);

/** Candidate groups of the work queue: who belongs to each (set by supervisors). */
export const taskGroupMembers = pgTable(
  'task_group_members',
  {
    groupCode: text('group_code').notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('task_group_members_uq').on(t.groupCode, t.userId), index('task_group_members_user_idx').on(t.userId)],
);

/** A desk user's saved work-queue filters, by name. */
export const savedTaskFilters = pgTable(
  'saved_task_filters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    filter: jsonb('filter').$type<Record<string, string>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_task_filters_user_name_uq').on(t.userId, t.name)],
);

/** Every message sent to an applicant or member; the key makes a retried send a no-op. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageKey: text('message_key').notNull().unique(),
    kind: text('kind').notNull(),
    memberId: uuid('member_id').references(() => members.id),
    applicationId: uuid('application_id').references(() => applications.id),
    language: text('language').notNull(),
    recipient: jsonb('recipient').$type<MessageRecipient>().notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status').notNull().default('pending'),
    externalId: text('external_id'),
    channel: text('channel'),
    /** Why the message could not go (the messaging service's refusal, a letter that cannot be printed). */
    failureReason: text('failure_reason'),
    /** The same as a code the desk translates (decision 070); null for a message that went, and for failures recorded before it. */
    failureCode: text('failure_code').$type<MessageFailureCode>(),
    /** The template version the message was rendered from: 'shipped' or a message_template_versions id. */
    templateVersion: text('template_version'),
    /**
     * The message as rendered from the channels' own templates (decision 039), for the messaging
     * service to use on the channel it chooses; null when the kind has none in the language. On
     * delivery, subject, body and template_version become the variant of the channel used.
     */
    variants: jsonb('variants').$type<Partial<Record<'email' | 'sms' | 'letter', { subject: string; body: string; templateVersion: string }>>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('messages_member_idx').on(t.memberId),
    index('messages_application_idx').on(t.applicationId),
    // The few messages not yet sent: the batched intake decider finds its unsent decisions by it (decision 063).
    index('messages_pending_idx').on(t.kind).where(sql`${t.status} = 'pending'`),
  ],
);

/** Who did or read what, when and why. Holds ids, never personal data in free text. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    actorKind: text('actor_kind').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_entity_idx').on(t.entityType, t.entityId, t.at),
    // The auditor's views: everything in a time range, by user, by event.
    index('audit_log_at_idx').on(t.at),
    index('audit_log_actor_idx').on(t.actor, t.at),
    index('audit_log_action_idx').on(t.action, t.at),
  ],
);

/**
 * A desk user's signed-in session (docs/decisions/008-desk-sessions.md). The browser's cookie
 * holds only a random token; the row keeps its SHA-256, so a copy of the table signs no one in.
 * Every request checks the row, so ending it (logout, timeouts, a role change at the IdP, an
 * administrator) takes effect at once. The IdP's refresh token stays here, sealed with the
 * session secret, and is dropped when the session ends.
 */
export const deskSessions = pgTable(
  'desk_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The IdP's `sub`. */
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    roles: text('roles').array().notNull(),
    refreshToken: text('refresh_token'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the roles are next checked at the IdP (a refresh-token grant). */
    refreshAt: timestamp('refresh_at', { withTimezone: true }).notNull(),
    /** The absolute end, however busy the session is. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason').$type<SessionEndReason>(),
  },
  (t) => [index('desk_sessions_live_user_idx').on(t.userId).where(sql`${t.endedAt} is null`)],
);

// ---------------------------------------------------------------------------------------------
// Billing, payments and the ledger (reskontra).

export const invoiceNumberSequence = pgSequence('invoice_number_seq', { startWith: 1000001 });

/**
 * A fund's membership fee for one year as its administrators set it in the register: it overrides
 * the fund profile's shipped value for that year (or adds a year the profile does not know), and
 * lives in the database so it survives upgrades. One row per fund and year; changes are audited.
 */
export const feeYears = pgTable(
  'fee_years',
  {
    fundId: text('fund_id').notNull(),
    year: integer('year').notNull(),
    model: text('model').$type<FeeModel>().notNull(),
    monthlyCents: integer('monthly_cents'),
    yearlyCents: integer('yearly_cents'),
    confirmed: boolean('confirmed').notNull(),
    /** Where the figure comes from (the board's decision, Finanssivalvonta's confirmation). */
    note: text('note').notNull(),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('fee_years_pk').on(t.fundId, t.year),
    check('fee_years_amount', sql`(${t.model} = 'per-month' and ${t.monthlyCents} >= 0 and ${t.yearlyCents} is null) or (${t.model} = 'per-year-by-month' and ${t.yearlyCents} >= 0 and ${t.monthlyCents} is null)`),
  ],
);

/** One billing run per fee period; its id is deterministic (`billing-run/<fund>/<period>`). */
export const billingRuns = pgTable('billing_runs', {
  id: text('id').primaryKey(),
  period: text('period').notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  feeYear: integer('fee_year').notNull(),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  status: text('status').$type<BillingRunStatus>().notNull(),
  startedBy: text('started_by').notNull(),
  decidedBy: text('decided_by'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  previewTotals: jsonb('preview_totals').$type<BillingTotals>(),
  commitTotals: jsonb('commit_totals').$type<BillingTotals>(),
  progress: jsonb('progress').$type<BillingProgress>(),
  /** How the run's invoices went out, once its delivery phase has ended. */
  deliveryTotals: jsonb('delivery_totals').$type<DeliveryTotals>(),
  workflowId: text('workflow_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The preview's staging area: what each member would be invoiced, or why not. */
export const billingRunItems = pgTable(
  'billing_run_items',
  {
    runId: text('run_id')
      .notNull()
      .references(() => billingRuns.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    category: text('category').$type<BillingCategory>().notNull(),
    amountCents: integer('amount_cents').notNull(),
    lines: jsonb('lines').$type<InvoiceLine[]>().notNull(),
    delivery: text('delivery').$type<DeliveryPreference>(),
    exception: text('exception'),
    /** What the exception is, for the desk to translate (domain/vocabulary.ts runExceptionCodes), with its params. */
    exceptionCode: text('exception_code').$type<RunExceptionCode>(),
    exceptionParams: jsonb('exception_params').$type<Record<string, string | number>>().notNull().default({}),
  },
  (t) => [uniqueIndex('billing_run_items_pk').on(t.runId, t.memberId), index('billing_run_items_category_idx').on(t.runId, t.category)],
);

/** An issued membership-fee invoice. A member is invoiced for a fee period at most once. */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceNumber: bigint('invoice_number', { mode: 'number' })
      .notNull()
      .unique()
      .default(sql`nextval('invoice_number_seq')`),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    runId: text('run_id').references(() => billingRuns.id),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    feeYear: integer('fee_year').notNull(),
    amountCents: integer('amount_cents').notNull(),
    lines: jsonb('lines').$type<InvoiceLine[]>().notNull(),
    reference: text('reference').notNull().unique(),
    rfReference: text('rf_reference').notNull(),
    iban: text('iban').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    delivery: text('delivery').$type<DeliveryPreference>().notNull(),
    virtualBarcode: text('virtual_barcode').notNull(),
    /** The version-5 virtual barcode (the RF reference); null on invoices issued before it was added. */
    virtualBarcodeV5: text('virtual_barcode_v5'),
    status: text('status').$type<InvoiceStatus>().notNull().default('open'),
    openCents: integer('open_cents').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_member_period_uq').on(t.memberId, t.periodStart, t.periodEnd),
    index('invoices_member_idx').on(t.memberId),
    index('invoices_run_idx').on(t.runId),
  ],
);

/** A bank file (camt.054 or the legacy reference-payment file); the same bytes are one file. */
export const bankFiles = pgTable('bank_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  format: text('format').$type<PaymentFileFormat>().notNull(),
  sha256: text('sha256').notNull().unique(),
  filename: text('filename').notNull(),
  content: text('content').notNull(),
  receivedBy: text('received_by').notNull(),
  status: text('status').$type<PaymentFileStatus>().notNull().default('received'),
  entryCount: integer('entry_count'),
  totalCents: bigint('total_cents', { mode: 'number' }),
  error: text('error'),
  workflowId: text('workflow_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One incoming payment; the bank's archive id is its identity, whichever file brought it. */
export const bankEntries = pgTable(
  'bank_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    archiveId: text('archive_id').notNull().unique(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => bankFiles.id),
    bookingDate: date('booking_date', { mode: 'string' }).notNull(),
    valueDate: date('value_date', { mode: 'string' }),
    amountCents: integer('amount_cents').notNull(),
    reversal: boolean('reversal').notNull().default(false),
    reference: text('reference'),
    unstructured: text('unstructured'),
    debtorName: text('debtor_name'),
    memberId: uuid('member_id').references(() => members.id),
    status: text('status').$type<BankEntryStatus>().notNull(),
    unallocatedCents: integer('unallocated_cents').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('bank_entries_status_idx').on(t.status), index('bank_entries_member_idx').on(t.memberId)],
);

export const allocations = pgTable(
  'allocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bankEntryId: uuid('bank_entry_id')
      .notNull()
      .references(() => bankEntries.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amountCents: integer('amount_cents').notNull(),
    kind: text('kind').$type<AllocationKind>().notNull(),
    allocatedBy: text('allocated_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('allocations_entry_invoice_uq').on(t.bankEntryId, t.invoiceId)],
);

/**
 * The member ledger: every money event once (source key), signed from the fund's side: an invoice
 * raises what the member owes (+), a payment, credit note or write-off lowers it (−), a refund
 * or a reversed payment raises it again (+).
 */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    memberId: uuid('member_id').references(() => members.id),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    kind: text('kind').$type<LedgerKind>().notNull(),
    amountCents: integer('amount_cents').notNull(),
    invoiceId: uuid('invoice_id').references(() => invoices.id),
    bankEntryId: uuid('bank_entry_id').references(() => bankEntries.id),
    /** English, for integrators; the desk shows `descriptionCode` translated when the system wrote the line. */
    description: text('description'),
    /** What a line the system wrote is (domain/vocabulary.ts ledgerLineCodes); null for a billing user's own reason. */
    descriptionCode: text('description_code').$type<LedgerLineCode>(),
    descriptionParams: jsonb('description_params').$type<Record<string, string | number>>().notNull().default({}),
    sourceKey: text('source_key').notNull().unique(),
    createdBy: text('created_by').notNull(),
    /**
     * Who collected the money: the fund itself (its bank account) or a union that passed it on.
     * The fund reports to the Tax Administration only what it collected (domain.md §5).
     */
    collectedBy: text('collected_by').$type<CollectedBy>().notNull().default('fund'),
    /**
     * The bank's booking date of the row's bank entry where it differs from `occurredOn` (a payment
     * the bank booked on 30 December and a person placed by hand on 3 January); null where they
     * agree or there is no bank entry. Kept by the trigger `ledger_entries_booked_on` (migration
     * 0026), so the cash date of any row is `coalesce(booked_on, occurred_on)` without a join.
     */
    bookedOn: date('booked_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('ledger_entries_collected_by', sql`${t.collectedBy} in ('fund', 'union')`),
    index('ledger_entries_member_idx').on(t.memberId, t.occurredOn),
    index('ledger_entries_day_idx').on(t.occurredOn, t.kind),
    // Invoice → its ledger rows (credit notes, write-offs, reversals look them up).
    index('ledger_entries_invoice_idx').on(t.invoiceId),
  ],
);

/**
 * The year's money per member as the tax report counts it (decision 060): the ledger's
 * fund-collected payments, reversals and refunds of members, by the calendar year of their cash
 * date (`coalesce(booked_on, occurred_on)`). Kept by statement-level triggers on `ledger_entries`
 * (`member_year_money_*`, migration 0043) in the transaction of every ledger write, one upsert per
 * statement, so the annual report's preview reads one row per member instead of aggregating the
 * year's ledger. `entries` counts the ledger rows summed; a row whose count fell to 0 (its ledger
 * rows deleted or moved to another year) is kept and means no money: readers ask for `entries > 0`,
 * which is exactly the members the plain aggregate has a group for. Refunds are netted or not by
 * the reader (the report's setting), so the three sums stay apart.
 */
export const memberYearMoney = pgTable(
  'member_year_money',
  {
    year: integer('year').notNull(),
    memberId: uuid('member_id').notNull(),
    /** Payments, as a positive sum (the ledger books them negative). */
    paidCents: bigint('paid_cents', { mode: 'number' }).notNull(),
    reversedCents: bigint('reversed_cents', { mode: 'number' }).notNull(),
    refundedCents: bigint('refunded_cents', { mode: 'number' }).notNull(),
    entries: integer('entries').notNull(),
  },
  (t) => [primaryKey({ name: 'member_year_money_pk', columns: [t.year, t.memberId] })],
);

export const refunds = pgTable('refunds', {
  id: uuid('id').primaryKey().defaultRandom(),
  memberId: uuid('member_id')
    .notNull()
    .references(() => members.id),
  amountCents: integer('amount_cents').notNull(),
  iban: text('iban').notNull(),
  reason: text('reason').notNull(),
  status: text('status').$type<RefundStatus>().notNull().default('pending'),
  paymentFile: text('payment_file'),
  requestedBy: text('requested_by').notNull(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A hearing before an expulsion for unpaid fees (`collection-hearing/<memberId>`): the invoices it
 * is about, the letter and its deadline. One running hearing per member (partial unique index).
 */
export const hearings = pgTable(
  'hearings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    workflowId: text('workflow_id').notNull(),
    invoiceIds: jsonb('invoice_ids').$type<string[]>().notNull(),
    overdueCents: integer('overdue_cents').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    status: text('status').$type<HearingStatus>().notNull().default('open'),
    /** The hearing letter as archived in case management. */
    letterDocumentId: text('letter_document_id'),
    letterMessageKey: text('letter_message_key'),
    /** Four eyes: who decided to expel and why, awaiting a second desk user's confirmation. */
    proposedBy: text('proposed_by'),
    proposedReason: text('proposed_reason'),
    /** Why it ended without an expulsion (the caseworker's reason), or 'paid'. */
    outcomeReason: text('outcome_reason'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('hearings_member_started_uq').on(t.memberId, t.startedOn),
    uniqueIndex('hearings_member_running_uq').on(t.memberId).where(sql`status in ('open', 'awaiting-decision')`),
  ],
);

/** The member's explanation in a hearing: given in e-services or case management, or recorded by a caseworker. */
export const hearingExplanations = pgTable(
  'hearing_explanations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hearingId: uuid('hearing_id')
      .notNull()
      .references(() => hearings.id),
    text: text('text').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    channel: text('channel').$type<CaseChannel>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('hearing_explanations_hearing_idx').on(t.hearingId)],
);

/**
 * The expulsion decision of a hearing: reasons, effective date, the dates the appeal window runs
 * from, and the decision letter as archived in case management. One per hearing.
 */
export const expulsionDecisions = pgTable(
  'expulsion_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hearingId: uuid('hearing_id')
      .notNull()
      .unique()
      .references(() => hearings.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    reason: text('reason').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    decidedBy: text('decided_by').notNull(),
    /** The second desk user, when the fund asks for four eyes. */
    confirmedBy: text('confirmed_by'),
    mailedOn: date('mailed_on', { mode: 'string' }).notNull(),
    notifiedOn: date('notified_on', { mode: 'string' }).notNull(),
    appealDeadline: date('appeal_deadline', { mode: 'string' }).notNull(),
    documentId: text('document_id').notNull(),
    messageKey: text('message_key').notNull(),
    /** Set when the fund corrected its decision or SAMU overturned it: the membership was reinstated. */
    reinstatedOn: date('reinstated_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('expulsion_decisions_member_idx').on(t.memberId)],
);

/** An appeal against an expulsion decision; a late one is flagged, never refused. */
export const appeals = pgTable(
  'appeals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => expulsionDecisions.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    workflowId: text('workflow_id').notNull().unique(),
    text: text('text').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    late: boolean('late').notNull(),
    channel: text('channel').$type<CaseChannel>().notNull(),
    recordedBy: text('recorded_by').notNull(),
    status: text('status').$type<AppealStatus>().notNull().default('received'),
    /** The caseworker's reason for a correction, or the fund's statement to SAMU. */
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
    /** The corrected decision letter or the statement to SAMU, as archived in case management. */
    resolutionDocumentId: text('resolution_document_id'),
    samuRuledOn: date('samu_ruled_on', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // One appeal per decision: a second letter about the same decision joins the first.
  (t) => [uniqueIndex('appeals_decision_uq').on(t.decisionId), index('appeals_member_idx').on(t.memberId)],
);

// ---------------------------------------------------------------------------------------------
// Overdue collection (docs/decisions/013-collection.md).

/**
 * One reminder level of one invoice, at most once: the unique (invoice, level) is what makes a
 * re-run or a crash send no level twice. A failed send (refused by the messaging service) keeps its
 * row as `failed` and is tried again by the next day's run; only `sent` moves the invoice on.
 */
export const collectionReminders = pgTable(
  'collection_reminders',
  {
    // No surrogate id (decision 065): the key is (invoice_id, level), what "never two reminders of
    // one level" rests on; a random UUID and its index were written per reminder and read by nothing.
    // No foreign keys (decision 061): every writer takes both ids from the invoice row it read in
    // the same statement or transaction, and invoices and members are never deleted. The keys' checks
    // were a third of the daily step's statement, and locked each invoice FOR KEY SHARE until its
    // commit, which a payment's FOR UPDATE waited for.
    invoiceId: uuid('invoice_id').notNull(),
    memberId: uuid('member_id').notNull(),
    level: integer('level').notNull(),
    /** The daily run that sent it. */
    runDate: date('run_date', { mode: 'string' }).notNull(),
    sentOn: date('sent_on', { mode: 'string' }).notNull(),
    newDueDate: date('new_due_date', { mode: 'string' }).notNull(),
    /** What was open of the invoice when the reminder went. */
    openCents: integer('open_cents').notNull(),
    feeCents: integer('fee_cents').notNull().default(0),
    channel: text('channel').$type<ReminderChannel>().notNull(),
    messageKey: text('message_key').notNull(),
    status: text('status').$type<ReminderStatus>().notNull(),
    failureReason: text('failure_reason'),
    /**
     * What the letter or message was made of: the recipient (name, language, address, e-mail,
     * e-invoice address), the template and its version. With the amounts, dates, channel and key
     * above and the invoice's own fixed fields (number, period, reference, IBAN: the barcode's data)
     * it renders the same letter again. Written by the delivery as it sends (decision 061; the
     * step of decision 052 wrote it at issue, and the delivery renders such rows from it). Null
     * for an issued or withdrawn reminder and for rows sent before decision 052.
     */
    letter: jsonb('letter').$type<IssuedLetter>(),
    /** When the daily step issued it; the delivery sends it (`sent_at`) or withdraws it. */
    issuedAt: timestamp('issued_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'collection_reminders_pk', columns: [t.invoiceId, t.level] }),
    // No index by member (decision 061): a member's reminders are found through the member's invoices.
    // What the delivery has left to send (decision 052): a small partial index.
    index('collection_reminders_issued_idx').on(t.invoiceId, t.level).where(sql`${t.status} = 'issued'`),
  ],
);

/**
 * A caseworker's hold on a member's collection (payment plan, dispute, benefit-deduction agreement)
 * until an end date, or until resumed. At most one hold of a member is open (not resumed).
 */
export const collectionHolds = pgTable(
  'collection_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    reason: text('reason').$type<HoldReason>().notNull(),
    until: date('until', { mode: 'string' }).notNull(),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
    resumedAt: timestamp('resumed_at', { withTimezone: true }),
    resumedBy: text('resumed_by'),
  },
  (t) => [
    index('collection_holds_member_idx').on(t.memberId, t.setAt),
    uniqueIndex('collection_holds_open_uq').on(t.memberId).where(sql`${t.resumedAt} is null`),
  ],
);

/**
 * The invoices that reached the hearing (the hearing itself is its own process). Written in the
 * chunk's transaction; the process is started after the commit, and `started_at` set then, so a
 * crash in between leaves a row the next run starts (no lock is held while Temporal answers).
 */
export const collectionHearingStarts = pgTable('collection_hearing_starts', {
  invoiceId: uuid('invoice_id')
    .primaryKey()
    .references(() => invoices.id),
  memberId: uuid('member_id')
    .notNull()
    .references(() => members.id),
  workflowId: text('workflow_id').notNull(),
  startedOn: date('started_on', { mode: 'string' }).notNull(),
  overdueCents: integer('overdue_cents').notNull(),
  /**
   * A hearing open in the old register, loaded by a migration (decision 047): its letter went from
   * there, so whoever starts the process starts it `migrated` (no hearing letter, the loaded deadline).
   */
  migrated: boolean('migrated').notNull().default(false),
  startedAt: timestamp('started_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One daily collection step (`collection-run/<date>`): its outcome and progress for the desk. */
export const collectionRuns = pgTable('collection_runs', {
  runDate: date('run_date', { mode: 'string' }).primaryKey(),
  status: text('status').$type<CollectionRunStatus>().notNull(),
  workflowId: text('workflow_id').notNull(),
  /** Items staged for the day and how many have an outcome: the progress bar. */
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  outcome: jsonb('outcome').$type<CollectionOutcome>(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/**
 * The day's outcomes per invoice. The chunked step (decision 013) staged every invoice the
 * selection found due, with its chunk, and worked the items without an outcome. Since decision 061
 * the step writes an item only for an invoice it issued no reminder for (on hold, hearing, no
 * delivery channel, level already taken); an issued reminder (its `run_date`) stands for its
 * invoice until the delivery settles it and writes its item (sent, withdrawn, failed).
 */
export const collectionRunItems = pgTable(
  'collection_run_items',
  {
    runDate: date('run_date', { mode: 'string' }).notNull(),
    // No foreign keys (decision 061): written only by statements that take the ids from the invoice
    // rows they selected; invoices and members are never deleted.
    invoiceId: uuid('invoice_id').notNull(),
    memberId: uuid('member_id').notNull(),
    chunk: integer('chunk').notNull(),
    /** The level the selection found due (levels + 1: the hearing). */
    level: integer('level').notNull(),
    outcome: text('outcome').$type<CollectionItemOutcome>(),
    reason: text('reason'),
  },
  (t) => [uniqueIndex('collection_run_items_pk').on(t.runDate, t.invoiceId), index('collection_run_items_chunk_idx').on(t.runDate, t.chunk)],
);

// ---------------------------------------------------------------------------------------------
// The annual report of fees paid to the Tax Administration (docs/decisions/015-tax-report.md).

/** One run: the year's report (`tax-report/<year>`) or a correction run (`tax-report/<year>/correction-<n>`). */
export const taxReportRuns = pgTable(
  'tax_report_runs',
  {
    id: text('id').primaryKey(),
    year: integer('year').notNull(),
    kind: text('kind').$type<TaxRunKind>().notNull(),
    status: text('status').$type<TaxRunStatus>().notNull(),
    startedBy: text('started_by').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    summary: jsonb('summary').$type<ReportSummary & { outgoing: number; outgoingCents: number }>(),
    progress: jsonb('progress').$type<BillingProgress>(),
    error: text('error'),
    /** Why the run failed as a code the desk translates (decision 071); `error` has the failure's own words. */
    errorCode: text('error_code').$type<TaxRunFailureCode>(),
    workflowId: text('workflow_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('tax_report_runs_year_idx').on(t.year, t.createdAt)],
);

/**
 * The preview's staging: every member with money in the year (or reported before), the figure now,
 * the exceptions, and the records the run would send (`seq` orders them in the file; a member
 * whose code was corrected has two). The commit writes the file from these rows only, and once
 * the run has its file they are its reported records (`tax_reported_records`, decision 041).
 */
export const taxReportItems = pgTable(
  'tax_report_items',
  {
    // No foreign keys here (migration 0026): one statement writes a whole year's rows from a join of
    // the run's members, and their checks cost more than the rest of the write (decision 034).
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    memberId: uuid('member_id').notNull(),
    netCents: integer('net_cents').notNull(),
    exceptions: text('exceptions').array().$type<TaxReportException[]>().notNull(),
    /** Null: the member is listed (an exception) but gets no record in this run. */
    recordKind: text('record_kind').$type<TaxRecordKind>(),
    identityCode: text('identity_code'),
    name: text('name').notNull(),
    amountCents: integer('amount_cents'),
    /** The record's number in the run's file (1, 2, … in `seq` order); null for a row without a record. */
    recordNumber: integer('record_number'),
  },
  (t) => [uniqueIndex('tax_report_items_pk').on(t.runId, t.seq), index('tax_report_items_member_idx').on(t.memberId)],
);

/** Every file made for the Tax Administration, byte for byte (Latin-1 kept as text), with its channel state. */
export const taxReportFiles = pgTable('tax_report_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** One file per run. */
  runId: text('run_id')
    .notNull()
    .unique()
    .references(() => taxReportRuns.id),
  year: integer('year').notNull(),
  sha256: text('sha256').notNull(),
  content: text('content').notNull(),
  recordCount: integer('record_count').notNull(),
  totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
  transliterations: jsonb('transliterations').$type<unknown[]>().notNull().default([]),
  status: text('status').$type<TaxFileStatus>().notNull(),
  /** The filing channel's id of the submission. */
  submissionId: text('submission_id'),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The records of a file the Tax Administration rejected, with its reason (from the acknowledgement). */
export const taxRejectedRecords = pgTable(
  'tax_rejected_records',
  {
    fileId: uuid('file_id')
      .notNull()
      .references(() => taxReportFiles.id),
    recordNumber: integer('record_number').notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'tax_rejected_records_pk', columns: [t.fileId, t.recordNumber] })],
);

/**
 * A figure the previous register reported to the Tax Administration, brought in by a migration
 * (decision 047): one per member and year (the last one that stood there). `tax_reported_records`
 * lists it as an accepted 'new' record, so the year's correction runs replace it rather than
 * report the member twice.
 */
export const taxMigratedRecords = pgTable(
  'tax_migrated_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    year: integer('year').notNull(),
    identityCode: text('identity_code').notNull(),
    name: text('name').notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** The day the previous register's file went (the record's place in the member's history: before any of the register's own). */
    reportedOn: date('reported_on', { mode: 'string' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tax_migrated_records_member_year_uq').on(t.memberId, t.year), index('tax_migrated_records_year_idx').on(t.year)],
);

/**
 * Every member's figure as it went to the Tax Administration: the history a correction compares
 * against. A view (migration 0032, decision 041): a run's staged records (`tax_report_items`) are
 * its reported records once the run has its file, so the file step copies nothing; a record is
 * 'sent' until its file is acknowledged, then 'accepted' unless listed in `tax_rejected_records`.
 * The newest record of a member is the one of the latest file (`created_at`), then the highest
 * record number.
 */
export const taxReportedRecords = pgView('tax_reported_records', {
  fileId: uuid('file_id').notNull(),
  runId: text('run_id').notNull(),
  year: integer('year').notNull(),
  recordNumber: integer('record_number').notNull(),
  memberId: uuid('member_id').notNull(),
  kind: text('kind').$type<TaxRecordKind>().notNull(),
  identityCode: text('identity_code').notNull(),
  name: text('name').notNull(),
  amountCents: integer('amount_cents').notNull(),
  status: text('status').$type<TaxRecordStatus>().notNull(),
  rejectionReason: text('rejection_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}).existing();

// ---------------------------------------------------------------------------------------------
// Migration batches: a fund's old register brought in (docs/decisions/020-migration-batches.md).

/** One batch of legacy files under an administrator's name; the content hash covers every file. */
export const migrationBatches = pgTable('migration_batches', {
  id: text('id').primaryKey(),
  status: text('status').$type<MigrationBatchStatus>().notNull(),
  contentHash: text('content_hash').notNull(),
  createdBy: text('created_by').notNull(),
  /** The administrator who approved the real load, and the content hash the approval is for. */
  approvedBy: text('approved_by'),
  approvedHash: text('approved_hash'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The files of a batch, one per entity, decoded to text (the encoding they came in is kept). */
export const migrationFiles = pgTable(
  'migration_files',
  {
    batchId: text('batch_id')
      .notNull()
      .references(() => migrationBatches.id),
    entity: text('entity').$type<MigrationEntity>().notNull(),
    filename: text('filename').notNull(),
    format: text('format').$type<'csv' | 'jsonl'>().notNull(),
    encoding: text('encoding').notNull(),
    sha256: text('sha256').notNull(),
    content: text('content').notNull(),
  },
  (t) => [uniqueIndex('migration_files_pk').on(t.batchId, t.entity)],
);

/** One run of a batch, test or real; the id is the workflow id. */
export const migrationRuns = pgTable(
  'migration_runs',
  {
    id: text('id').primaryKey(),
    batchId: text('batch_id')
      .notNull()
      .references(() => migrationBatches.id),
    mode: text('mode').$type<MigrationMode>().notNull(),
    contentHash: text('content_hash').notNull(),
    status: text('status').$type<MigrationRunStatus>().notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    report: jsonb('report').$type<MigrationReport>(),
    /**
     * The report as a person reads it (`reportForReading`, decision 071), written with `report`:
     * without the one-per-member open balances, which make `report` megabytes at a fund's size,
     * so the desk's view of a batch reads this instead. Null for runs reconciled before it.
     */
    readableReport: jsonb('readable_report').$type<ReadableReport>(),
    /**
     * The source side of the reconciliation, counted from the batch's files when the run was
     * prepared, on the day it names (decision 064): the reconciliation takes it instead of reading
     * and parsing the files again, unless its day is another (members' statuses are of a day).
     */
    sourceFigures: jsonb('source_figures').$type<{ on: string; figures: Figures }>(),
    /**
     * What the run's records were validated against, and how many were staged per entity and
     * outcome (decision 073): written with the staged records. A real run whose passed test of the
     * same files was validated against the same register keys and fund settings loads that test's
     * staged records instead of validating and staging the files again.
     */
    staging: jsonb('staging').$type<MigrationStaging>(),
    /** The run whose staged records this run loads (decision 073): its passed test's; null for its own. */
    recordsRunId: text('records_run_id'),
    /** Differences an administrator accepted: key → who and why. */
    accepted: jsonb('accepted').$type<Record<string, { by: string; reason: string; at: string }>>().notNull().default({}),
    startedBy: text('started_by').notNull(),
    error: text('error'),
    /** Why the run failed as a code the desk translates (decision 071); `error` has the failure's own words. */
    errorCode: text('error_code').$type<MigrationRunFailureCode>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('migration_runs_batch_idx').on(t.batchId, t.createdAt)],
);

/** Every source record of a run as staged: `pending`, or `rejected` by validation; the load's outcomes are in `migration_outcomes` (decision 046). */
export const migrationRecords = pgTable(
  'migration_records',
  {
    /**
     * The run (no foreign key since decision 062: its check per staged row cost a fifth of the
     * staging `COPY`; the staging transaction locks the run's row once instead, and runs are never
     * deleted).
     */
    runId: text('run_id').notNull(),
    entity: text('entity').$type<MigrationEntity>().notNull(),
    seq: integer('seq').notNull(),
    legacyId: text('legacy_id').notNull(),
    outcome: text('outcome').$type<MigrationOutcome>().notNull(),
    reasons: jsonb('reasons').$type<RejectReason[]>().notNull().default([]),
    /**
     * The row as the source had it (the rejected-record file repeats it): since decision 073 its
     * values in the order of the entity's columns (domain/migration/records.ts `stagedSource`), a
     * row with fields of its own (and every row staged before) whole. `json`, not `jsonb`
     * (decision 062): stored as the text the `COPY` gave, without being taken apart per row; it is
     * read whole, and one value of it only for a run's collection records.
     */
    source: json('source').$type<StagedSource>().notNull(),
    data: jsonb('data').$type<unknown>(),
    /** Fields a later batch did not write because the register changed them since the last load. */
    kept: text('kept').array().notNull().default([]),
    /** The member a migrated or updated record belongs to, when it has one (the run's member audit, decision 036). */
    memberId: uuid('member_id'),
  },
  // No index on the outcome since decision 046: a chunk reads the pending records after its entity's cursor along the primary key.
  // Records an earlier loader settled in place (before decision 046) by run, for the reconciliation and the member audit: empty for every run since, so those reads scan nothing (decision 073).
  (t) => [uniqueIndex('migration_records_pk').on(t.runId, t.entity, t.seq), index('migration_records_settled_in_place_idx').on(t.runId).where(sql`${t.outcome} IN ('migrated', 'updated', 'unchanged')`)],
);

/**
 * The outcome of each record a run's load settled (decision 046): written once, in the chunk's
 * transaction, beside the staged record instead of over it (the staged row stays as staged:
 * `pending`, or `rejected` by validation). The highest `seq` of an entity is the load's cursor: a
 * chunk takes the pending records after it, so a crash loses the chunk and its outcomes together,
 * and a second execution of the same chunk fails on the primary key.
 */
export const migrationOutcomes = pgTable(
  'migration_outcomes',
  {
    runId: text('run_id').notNull(),
    entity: text('entity').$type<MigrationEntity>().notNull(),
    seq: integer('seq').notNull(),
    outcome: text('outcome').$type<Exclude<MigrationOutcome, 'pending'>>().notNull(),
    /** Reasons a record was rejected when loading, when it was. */
    reasons: jsonb('reasons').$type<RejectReason[]>(),
    /** Fields a later batch did not write because the register changed them since the last load. */
    kept: text('kept').array(),
    /** The member a migrated or updated record belongs to, when it has one (the run's member audit). */
    memberId: uuid('member_id'),
    /** The record's legacy id (decision 062: the member audit reads it here instead of joining the staged records); null in outcomes written before. */
    legacyId: text('legacy_id'),
  },
  (t) => [primaryKey({ name: 'migration_outcomes_pk', columns: [t.runId, t.entity, t.seq] })],
);

/**
 * What the migration has put in the register, by legacy id: the register row it became and the
 * values last loaded. A re-run finds the key and loads nothing twice; a later batch compares the
 * register against `loaded` to see what was changed there since (domain/migration/merge.ts).
 */
export const migrationKeys = pgTable(
  'migration_keys',
  {
    entity: text('entity').$type<MigrationEntity>().notNull(),
    legacyId: text('legacy_id').notNull(),
    /** A uuid, or a ledger entry's number for a payment. */
    registerId: text('register_id').notNull(),
    loaded: jsonb('loaded').$type<Record<string, unknown>>().notNull(),
    batchId: text('batch_id').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('migration_keys_pk').on(t.entity, t.legacyId)],
);

// ---------------------------------------------------------------------------------------------
// Events out: the transactional outbox and its deliveries (docs/decisions/018-outbox.md).

/**
 * One event, written in the transaction of the change it reports (db/repositories/outbox.ts). The
 * id is the receiver's idempotency key; `position` is the global order replay starts from;
 * `member_seq` numbers a member's events 1, 2, 3 … (per-member order, written under a per-member
 * advisory lock so a member's events commit in their sequence order).
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    position: bigserial('position', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique().defaultRandom(),
    type: text('type').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    memberSeq: integer('member_seq').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** Set when the delivery process has made this event's delivery rows (one per subscriber taking its type). */
    fannedOutAt: timestamp('fanned_out_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_events_member_seq_uq').on(t.memberId, t.memberSeq),
    index('outbox_events_unfanned_idx').on(t.position).where(sql`${t.fannedOutAt} is null`),
  ],
);

/**
 * One event to one subscriber: pending until the subscriber answers 2xx, then delivered; after the
 * configured number of failed attempts, dead (a dead letter administrators see and retry). A
 * member's later delivery waits while an earlier one to the same subscriber is not delivered.
 */
export const outboxDeliveries = pgTable(
  'outbox_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    subscriber: text('subscriber').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => outboxEvents.id),
    position: bigint('position', { mode: 'number' }).notNull(),
    memberId: uuid('member_id').notNull(),
    memberSeq: integer('member_seq').notNull(),
    status: text('status').$type<'pending' | 'delivered' | 'dead'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** The last failure as a code the desk translates (decision 070); `last_error` keeps the sender's own words. */
    lastErrorCode: text('last_error_code').$type<WebhookFailureCode>(),
    lastStatus: integer('last_status'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbox_deliveries_subscriber_event_uq').on(t.subscriber, t.eventId),
    index('outbox_deliveries_ready_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('outbox_deliveries_member_idx').on(t.subscriber, t.memberId, t.memberSeq).where(sql`${t.status} <> 'delivered'`),
    index('outbox_deliveries_dead_idx').on(t.subscriber, t.position).where(sql`${t.status} = 'dead'`),
    // Retention pruning (pruneDelivered): the delivered rows older than the cut-off, oldest first.
    index('outbox_deliveries_delivered_idx').on(t.deliveredAt).where(sql`${t.status} = 'delivered'`),
  ],
);

// ---------------------------------------------------------------------------------------------
// ── unions ── the union ↔ fund exchange (docs/decisions/019-union-exchange.md).

/** A batch of union events, a file or an API call; the union's own batch id names it once per union. */
export const unionBatches = pgTable(
  'union_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unionCode: text('union_code').notNull(),
    batchKey: text('batch_key').notNull(),
    /** Of the file's bytes, or of the API call's canonical JSON: the same id with other content is refused. */
    sha256: text('sha256').notNull(),
    /** 'union-default', 'union-015' (files) or 'api'. */
    format: text('format').notNull(),
    receivedBy: text('received_by').notNull(),
    eventCount: integer('event_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Set once every event has its line (decision 050): the lines counted per outcome and the
     * last line's time, so that the batch list reads a finished batch from its own row instead of
     * counting its lines again. Null while the batch is being processed (or was interrupted).
     */
    linesDone: integer('lines_done'),
    outcomes: jsonb('outcomes').$type<Record<string, number>>(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('union_batches_union_key_uq').on(t.unionCode, t.batchKey)],
);

/** What became of each event of a batch (its line in the file); a re-sent batch updates these, never adds. */
export const unionBatchLines = pgTable(
  'union_batch_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => unionBatches.id),
    lineNo: integer('line_no').notNull(),
    kind: text('kind').$type<UnionEventKind>().notNull(),
    memberId: uuid('member_id').references(() => members.id),
    /** e.g. 'application-started', 'resignation-started', 'booked', 'already-booked', 'mismatch', 'recorded', 'not_found'. */
    outcome: text('outcome').notNull(),
    /** The application, resignation, remittance or mismatch the event became. */
    ref: text('ref'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('union_batch_lines_batch_line_uq').on(t.batchId, t.lineNo)],
);

/** A union's remittance of one member's fund share for one month: booked once, whichever batch brings it. */
export const unionRemittances = pgTable(
  'union_remittances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unionCode: text('union_code').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    period: text('period').notNull(),
    amountCents: integer('amount_cents').notNull(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => unionBatches.id),
    lineNo: integer('line_no').notNull(),
    bookedBy: text('booked_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('union_remittances_member_period_uq').on(t.unionCode, t.memberId, t.period), index('union_remittances_member_idx').on(t.memberId, t.period)],
);

/** A remittance that could not be booked as it came (unknown member, amount off): a caseworker's task. */
export const unionRemittanceMismatches = pgTable(
  'union_remittance_mismatches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => unionBatches.id),
    lineNo: integer('line_no').notNull(),
    unionCode: text('union_code').notNull(),
    /** As the union sent it (the caseworker needs it to find the person); never logged. */
    identityCode: text('identity_code').notNull(),
    memberId: uuid('member_id').references(() => members.id),
    period: text('period').notNull(),
    amountCents: integer('amount_cents').notNull(),
    expectedCents: integer('expected_cents'),
    reason: text('reason').$type<RemittanceMismatch>().notNull(),
    /** 'open', 'booked' (as remitted, by the caseworker) or 'returned' (to the union). */
    status: text('status').notNull().default('open'),
    workflowId: text('workflow_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('union_remittance_mismatches_line_uq').on(t.batchId, t.lineNo)],
);

/** What a union last reported of a member (paid through, exemption), for the differences in the member list. */
export const unionReportedStates = pgTable(
  'union_reported_states',
  {
    unionCode: text('union_code').notNull(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    paidThrough: date('paid_through', { mode: 'string' }),
    exemptFrom: date('exempt_from', { mode: 'string' }),
    exemptUntil: date('exempt_until', { mode: 'string' }),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('union_reported_states_uq').on(t.unionCode, t.memberId)],
);

/**
 * Fee exemptions, one row per exemption: `end_date` is its last exempt day, null while open. The
 * billing run bills no month whose membership days are all exempt (domain/billing/exemptions.ts,
 * decision 031). `source` 'union': reported by the member's union (EXEMPTION_START / EXEMPTION_END),
 * unique per (member, union, start), so a re-sent batch opens nothing twice. `source` 'fund': granted
 * by the fund to a direct member at the desk with a reason (decision 038), no union, unique per
 * (member, start), and never overlapping another of the fund's.
 */
export const feeExemptions = pgTable(
  'fee_exemptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id),
    unionCode: text('union_code'),
    source: text('source').$type<'union' | 'fund'>().notNull().default('union'),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    /** The fund's reason for granting it, and who did; null for a union's. */
    reason: text('reason'),
    grantedBy: text('granted_by'),
    /** Why and by whom the fund ended it early. */
    endReason: text('end_reason'),
    endedBy: text('ended_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('fee_exemptions_member_union_start_uq').on(t.memberId, t.unionCode, t.startDate),
    uniqueIndex('fee_exemptions_fund_member_start_uq').on(t.memberId, t.startDate).where(sql`${t.source} = 'fund'`),
    check('fee_exemptions_source_ck', sql`(${t.source} = 'union' AND ${t.unionCode} IS NOT NULL) OR (${t.source} = 'fund' AND ${t.unionCode} IS NULL AND ${t.reason} IS NOT NULL AND ${t.grantedBy} IS NOT NULL)`),
  ],
);

// ---------------------------------------------------------------------------------------------
/**
 * Fund configuration overrides (issue 15): administrators' values of single settings laid over the
 * shipped profile from `effective_from` on. Append-only: the rows are the history (who, when, why);
 * `value` null returns the setting to the shipped value. `version` is the setting's stored shape,
 * migrated on read when a newer release changed it (domain/fundConfig/settings.ts).
 */
export const fundConfigOverrides = pgTable(
  'fund_config_overrides',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fundId: text('fund_id').notNull(),
    key: text('key').notNull(),
    version: integer('version').notNull(),
    value: jsonb('value').$type<unknown>(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('fund_config_overrides_key_idx').on(t.fundId, t.key, t.effectiveFrom)],
);

/** Versions of a message template edited by administrators; append-only, each in force from its date. */
export const messageTemplateVersions = pgTable(
  'message_template_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    fundId: text('fund_id').notNull(),
    kind: text('kind').notNull(),
    language: text('language').notNull(),
    /** Null: the template of every channel; 'email', 'sms' or 'letter': that channel's own text, over it (decision 039). */
    channel: text('channel'),
    /** Subject and body null: from this date the kind in this language is the shipped template again. */
    subject: text('subject'),
    body: text('body'),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    setBy: text('set_by').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('message_template_versions_kind_idx').on(t.fundId, t.kind, t.language, t.effectiveFrom),
    check('message_template_versions_channel_check', sql`${t.channel} IS NULL OR ${t.channel} IN ('email', 'sms', 'letter')`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Finance and BI (issue 13, decision 025)

/**
 * The journal day files sent to the finance system: one row per day, written after the finance
 * adapter took the file, so a re-run of the day sends nothing (exactly once with the adapter's own
 * file key). `account_nets` is what the file said per account (debit − credit, cents), for the
 * reconciliation against the ledger later.
 */
export const financeJournalPushes = pgTable('finance_journal_pushes', {
  day: date('day', { mode: 'string' }).primaryKey(),
  fileKey: text('file_key').notNull(),
  deliveryId: text('delivery_id').notNull(),
  sha256: text('sha256').notNull(),
  lines: integer('lines').notNull(),
  debitCents: bigint('debit_cents', { mode: 'number' }).notNull(),
  creditCents: bigint('credit_cents', { mode: 'number' }).notNull(),
  accountNets: jsonb('account_nets').$type<Record<string, number>>().notNull(),
  workflowId: text('workflow_id').notNull(),
  pushedAt: timestamp('pushed_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every check of a day's journal against the ledger (append-only: the rows are the history). A
 * mismatch names the process (`journal-mismatch/<id>`) whose task a billing user resolves.
 */
export const journalReconciliations = pgTable(
  'journal_reconciliations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    day: date('day', { mode: 'string' }).notNull(),
    against: text('against').$type<'pushed' | 'journal'>().notNull(),
    status: text('status').$type<'balanced' | 'mismatch'>().notNull(),
    journalBalanced: boolean('journal_balanced').notNull(),
    journalDebitCents: bigint('journal_debit_cents', { mode: 'number' }).notNull(),
    journalCreditCents: bigint('journal_credit_cents', { mode: 'number' }).notNull(),
    differences: jsonb('differences').$type<{ account: string; journalCents: number; ledgerCents: number }[]>().notNull(),
    mismatchWorkflowId: text('mismatch_workflow_id'),
    /** 'open', or what the billing user did with the mismatch ('explained', 'corrected'). */
    resolution: text('resolution'),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('journal_reconciliations_day_idx').on(t.day, t.checkedAt)],
);
