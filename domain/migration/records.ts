/**
 * The legacy import format (docs/migration-format.md, version 2) as rules: each source record is
 * checked with the register's own rules (identity code, periods, reference numbers, amounts) and
 * is either valid — normalised into what the loader writes — or rejected with its reasons.
 * Validation sees the whole batch: duplicates, overlaps and references between files are batch
 * facts. Pure: no I/O, no clock.
 */
import { compareDates, isIsoDate } from '../dates';
import { parseIdentityCode } from '../identityCode';
import { parseEuros } from '../money';
import { isValidReferenceNumber } from '../billing/referenceNumber';
import { overlaps } from '../membership/periods';
import { holdReasons, type HoldReason } from '../collection/rules';
import { isValidBusinessId } from '../fundConfig/settings';
import { isMessageKind } from '../messageTemplates';
import type { DeliveryPreference, PeriodEndReason } from '../vocabulary';
import type { ApplicationData } from '../application';

/** Version 2 added the collection state, transferred periods, past tax reports and messages sent (decision 047); a version 1 batch is a version 2 batch without those files. */
export const migrationFormatVersion = 2;

/** One file per entity, loaded in this order (a child names its parent's legacy id). */
export const migrationEntities = ['persons', 'memberships', 'periods', 'invoices', 'payments', 'collection', 'transferred_periods', 'tax_reports', 'messages', 'applications'] as const;
export type MigrationEntity = (typeof migrationEntities)[number];
/** The entities of version 2 before applications waiting for a decision were added (decision 047, "Applications"): what a run started before that loads (its replay). */
export const migrationEntitiesV2 = ['persons', 'memberships', 'periods', 'invoices', 'payments', 'collection', 'transferred_periods', 'tax_reports', 'messages'] as const satisfies readonly MigrationEntity[];
/** The entities of version 1, in their order: what a migration run started before version 2 loads (its replay). */
export const migrationEntitiesV1 = ['persons', 'memberships', 'periods', 'invoices', 'payments'] as const satisfies readonly MigrationEntity[];

/**
 * The columns of each entity's file, in the order a rejected-record file repeats them. A staged
 * record keeps its source row as its values in this order (decision 073, `stagedSource`): a list
 * may only grow at its end, so that what was staged before reads the same.
 */
export const migrationColumns: Readonly<Record<MigrationEntity, readonly string[]>> = {
  persons: ['legacy_id', 'identity_code', 'first_names', 'last_name', 'language', 'email', 'phone', 'street_address', 'postal_code', 'city', 'country', 'delivery', 'non_disclosure'],
  memberships: ['legacy_id', 'person_legacy_id', 'member_number', 'channel', 'union_code'],
  periods: ['legacy_id', 'membership_legacy_id', 'start_date', 'end_date', 'end_reason'],
  invoices: ['legacy_id', 'membership_legacy_id', 'reference', 'period_start', 'period_end', 'issued_on', 'due_date', 'amount', 'open_amount'],
  payments: ['legacy_id', 'membership_legacy_id', 'invoice_legacy_id', 'paid_on', 'amount'],
  transferred_periods: ['legacy_id', 'membership_legacy_id', 'fund_name', 'fund_business_id', 'start_date', 'end_date', 'paid_through'],
  tax_reports: ['legacy_id', 'membership_legacy_id', 'year', 'identity_code', 'name', 'amount', 'reported_on'],
  messages: ['legacy_id', 'membership_legacy_id', 'kind', 'channel', 'sent_on'],
  applications: ['legacy_id', 'received_on', 'identity_code', 'first_names', 'last_name', 'language', 'email', 'phone', 'street_address', 'postal_code', 'city', 'country', 'employment_status', 'employer', 'requested_start_date', 'union_code'],
  collection: ['legacy_id', 'invoice_legacy_id', 'reminder_level', 'reminder_date', 'reminder_due_date', 'hearing_started_on', 'hearing_deadline', 'hold_reason', 'hold_until'],
};

/** Why a record was rejected; each is a `code.migration_<reason>` text in the desk. */
export const migrationRejectReasons = [
  'missing_field',
  'duplicate_legacy_id',
  'identity_code_invalid',
  'duplicate_identity_code',
  'language_invalid',
  'delivery_invalid',
  'member_number_invalid',
  'duplicate_member_number',
  'unknown_parent',
  'parent_rejected',
  'date_invalid',
  'period_end_before_start',
  'end_reason_missing',
  'end_reason_unknown',
  'periods_overlap',
  'reference_invalid',
  'amount_invalid',
  'open_exceeds_amount',
  'payment_without_invoice',
  'reminder_level_invalid',
  'hearing_deadline_before_start',
  'hold_reason_unknown',
  'invoice_not_open',
  'duplicate_collection_state',
  'business_id_invalid',
  'year_invalid',
  'duplicate_tax_report',
  'message_kind_unknown',
  'channel_invalid',
  'employment_status_invalid',
  'start_before_receipt',
  // Found only when loading: the register already has it under another legacy id or none.
  'member_number_in_use',
  'already_in_register',
] as const;
export type MigrationRejectReason = (typeof migrationRejectReasons)[number];

export interface RejectReason {
  reason: MigrationRejectReason;
  /** The column the reason is about, when it is about one. */
  field?: string;
}

export type SourceRow = Readonly<Record<string, string>>;

export interface PersonData {
  identityCode: string;
  birthDate: string;
  firstNames: string;
  lastName: string;
  language: 'fi' | 'sv' | 'en';
  email: string | null;
  phone: string | null;
  streetAddress: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  delivery: DeliveryPreference;
  nonDisclosure: boolean;
}
export interface MembershipData {
  personLegacyId: string;
  memberNumber: number;
  channel: string;
  unionCode: string | null;
}
export interface PeriodData {
  membershipLegacyId: string;
  startDate: string;
  endDate: string | null;
  endReason: PeriodEndReason | null;
}
export interface InvoiceData {
  membershipLegacyId: string;
  reference: string;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  dueDate: string;
  amountCents: number;
  openCents: number;
}
export interface PaymentData {
  membershipLegacyId: string;
  invoiceLegacyId: string;
  paidOn: string;
  amountCents: number;
}
/** Where the old register's collection of one open invoice stood: the last reminder level sent, a hearing open, a hold. */
export interface CollectionData {
  invoiceLegacyId: string;
  /** The highest reminder level sent (1 = the first), with the day it was sent and the new due date it gave. */
  reminderLevel: number | null;
  reminderDate: string | null;
  reminderDueDate: string | null;
  /** A hearing before expulsion open in the old register: the day its letter went and its deadline. */
  hearingStartedOn: string | null;
  hearingDeadline: string | null;
  /** The member's collection on hold (payment plan, dispute, benefit deduction, other) until a day. */
  holdReason: HoldReason | null;
  holdUntil: string | null;
}
/** A period in another fund that counts for the membership condition (the one-month rule, domain.md §1.6). */
export interface TransferredPeriodData {
  membershipLegacyId: string;
  fundName: string;
  fundBusinessId: string | null;
  startDate: string;
  endDate: string;
  /** The day the old fund's fees were paid up to. */
  paidThrough: string | null;
}
/** What the previous register reported to the Tax Administration for a member and year (the figure that stands there). */
export interface TaxReportData {
  membershipLegacyId: string;
  year: number;
  identityCode: string;
  name: string;
  amountCents: number;
  /** The day its file went; the 31st of January after the year when not given. */
  reportedOn: string;
}
/** A message the previous register sent (metadata only: what kind, by which channel, when; never its content). */
export interface MessageData {
  membershipLegacyId: string;
  kind: string;
  channel: (typeof messageChannels)[number];
  sentOn: string;
}
export const messageChannels = ['letter', 'email', 'sms', 'e-invoice'] as const;
/**
 * An application the previous register received and had not decided (version 2): the applicant's
 * own fields as the register's application form has them (the applicant is not a member yet, so
 * no person or membership legacy id), the day it was received. Loaded as an application waiting
 * for a decision; its intake process starts after the real run (decision 047, "Applications").
 */
export interface ApplicationRecordData {
  receivedOn: string;
  application: ApplicationData;
}
export const employmentStatuses = ['employed', 'unemployed', 'laid-off', 'unpaid-leave', 'entrepreneur'] as const satisfies readonly ApplicationData['employment']['status'][];
export interface EntityData {
  persons: PersonData;
  memberships: MembershipData;
  periods: PeriodData;
  invoices: InvoiceData;
  payments: PaymentData;
  collection: CollectionData;
  transferred_periods: TransferredPeriodData;
  tax_reports: TaxReportData;
  messages: MessageData;
  applications: ApplicationRecordData;
}

/** What validation needs to know of the fund: how many reminder levels it has (a level above them is rejected). */
export interface ValidationOptions {
  reminderLevels?: number;
}

/**
 * The version of what a batch's records are staged as: raised with any change to what
 * `validatedRecords` accepts or rejects, to how the files are read (integrations/transforms/
 * migrationFiles.ts) or to `stagedSource`, so that records staged before are validated again
 * (decision 073). A unit test holds the staged records of the sample set under each version.
 */
export const migrationValidationRules = 1;

/**
 * What a batch's records were validated against besides its files (decision 073): the rules'
 * version, the fund's reminder levels, and the register's legacy-id keys when the validation
 * looked up the parents an earlier batch loaded — how many, and a sum of their hashes. Keys are
 * only ever added, so the same count means the same keys; the sum tells a key removed by hand and
 * another added apart.
 */
export interface ValidationBasis {
  rules: number;
  reminderLevels: number;
  keys: number;
  keysDigest: string;
}

/** A run's staged records: what they were validated against, and how many are pending and rejected per entity. */
export interface MigrationStaging {
  basis: ValidationBasis;
  counts: Partial<Record<MigrationEntity, { pending: number; rejected: number }>>;
}

/**
 * A source row as it is staged (decision 073): its values in the order of the entity's columns
 * (`null` for a column the row does not have), less than half the bytes of the row with its keys for
 * the staging `COPY` to write and a chunk to read back; a row with a key beyond the columns (a
 * JSON Lines record with a field of its own, every row of a CSV file with a column of its own) is
 * kept whole.
 */
export type StagedSource = SourceRow | readonly (string | null)[];

export function stagedSource(entity: MigrationEntity, row: SourceRow): StagedSource {
  const columns = migrationColumns[entity];
  let known = 0;
  const values = columns.map((c) => {
    const v = row[c];
    if (v === undefined) return null;
    known += 1;
    return v;
  });
  return known === Object.keys(row).length ? values : row;
}

/** The source row of a staged record (a row staged whole, or before decision 073, is as it was). */
export function sourceRowOf(entity: MigrationEntity, staged: StagedSource): SourceRow {
  if (!Array.isArray(staged)) return staged as SourceRow;
  const columns = migrationColumns[entity];
  const row: Record<string, string> = {};
  for (const [i, v] of (staged as readonly (string | null)[]).entries()) if (v !== null && i < columns.length) row[columns[i]!] = v;
  return row;
}

/** A validated record as it is staged: its source row compacted, its reasons when validation rejected it. */
export interface StagedRecord {
  entity: MigrationEntity;
  seq: number;
  legacyId: string;
  source: StagedSource;
  reasons: RejectReason[] | null;
}

/** The records of `validatedRecords` as they are staged, one by one as they come. */
export function* stagedRecords(records: Iterable<ValidatedRecord>): Generator<StagedRecord> {
  for (const r of records) yield { entity: r.entity, seq: r.seq, legacyId: r.legacyId, source: stagedSource(r.entity, r.source), reasons: r.ok ? null : r.reasons };
}

/** Whether records validated on `staged` would be validated the same on `now`: the same files are the caller's to check. */
export function sameValidationBasis(staged: ValidationBasis, now: ValidationBasis): boolean {
  return staged.rules === now.rules && staged.reminderLevels === now.reminderLevels && staged.keys === now.keys && staged.keysDigest === now.keysDigest;
}

export type ValidatedRecord<E extends MigrationEntity = MigrationEntity> =
  | { entity: E; seq: number; legacyId: string; source: SourceRow; ok: true; data: EntityData[E] }
  | { entity: E; seq: number; legacyId: string; source: SourceRow; ok: false; reasons: RejectReason[] };

export type BatchSource = Partial<Record<MigrationEntity, readonly SourceRow[]>>;

/** Legacy ids an earlier batch already loaded: a later batch's children may name them. */
export type KnownLegacyIds = Partial<Record<MigrationEntity, ReadonlySet<string>>>;

const endReasons: readonly PeriodEndReason[] = ['resignation', 'fund-switch', 'death', 'age-limit', 'expulsion', 'eligibility', 'correction'];
const deliveries: readonly DeliveryPreference[] = ['letter', 'email', 'sms', 'e-invoice'];

const text = (row: SourceRow, key: string): string => (row[key] ?? '').trim();
const optional = (row: SourceRow, key: string): string | null => text(row, key) || null;

function required(row: SourceRow, keys: readonly string[], reasons: RejectReason[]): void {
  for (const key of keys) if (!text(row, key)) reasons.push({ reason: 'missing_field', field: key });
}

function date(row: SourceRow, key: string, reasons: RejectReason[]): string | null {
  const v = text(row, key);
  if (!v) return null;
  if (!isIsoDate(v)) {
    reasons.push({ reason: 'date_invalid', field: key });
    return null;
  }
  return v;
}

function amount(row: SourceRow, key: string, reasons: RejectReason[]): number | null {
  const v = text(row, key);
  if (!v) return null;
  // The register's own amount rule: euros with a comma or a point, never negative.
  const cents = parseEuros(v);
  if (cents === null) {
    reasons.push({ reason: 'amount_invalid', field: key });
    return null;
  }
  return cents;
}

/** A parent check: valid in this batch, or loaded by an earlier one. */
function parent(row: SourceRow, key: string, valid: ReadonlySet<string>, rejected: ReadonlySet<string>, known: ReadonlySet<string> | undefined, reasons: RejectReason[]): void {
  const id = text(row, key);
  if (!id) return;
  if (valid.has(id) || known?.has(id)) return;
  reasons.push({ reason: rejected.has(id) ? 'parent_rejected' : 'unknown_parent', field: key });
}

interface EntityOutcome {
  valid: Set<string>;
  rejected: Set<string>;
}

/**
 * Validates one batch: every record of every file once, in the file's order, parents before
 * children. A legacy id seen twice in a file rejects both rows (which one is right is the fund's
 * call), as does an identity code or member number seen twice.
 */
export function validateBatch(source: BatchSource, known: KnownLegacyIds = {}, options: ValidationOptions = {}): ValidatedRecord[] {
  const out: ValidatedRecord[] = [];
  // One by one: spread into push, a file of more than about 120,000 rows overflowed the call stack (the 40,000-member bench's messages, decision 051).
  for (const r of validatedRecords(source, known, options)) out.push(r);
  return out;
}

/**
 * The records of `validateBatch`, in the same order, each given as soon as it is final (decision
 * 067): a record as it is validated, the periods and transferred periods once their file's
 * overlaps are checked. A consumer that writes them as they come (the staging `COPY`) works beside
 * the validation instead of after it.
 */
export function* validatedRecords(source: BatchSource, known: KnownLegacyIds = {}, options: ValidationOptions = {}): Generator<ValidatedRecord> {
  const outcome = {} as Record<MigrationEntity, EntityOutcome>;
  /** The batch's valid invoices with nothing open: a collection state of one is a fault. */
  const closedInvoices = new Set<string>();
  let done: EntityOutcome = { valid: new Set(), rejected: new Set() };
  for (const entity of migrationEntities) {
    const rows = source[entity] ?? [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const id = text(row, 'legacy_id');
      if (id) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const dupKey = (key: string, norm: (v: string) => string = (v) => v) => {
      const counts = new Map<string, number>();
      for (const row of rows) {
        const v = text(row, key);
        if (v) counts.set(norm(v), (counts.get(norm(v)) ?? 0) + 1);
      }
      return (row: SourceRow) => {
        const v = text(row, key);
        return v !== '' && (counts.get(norm(v)) ?? 0) > 1;
      };
    };
    const dupIdentity = dupKey('identity_code', (v) => v.toUpperCase());
    const dupMemberNumber = dupKey('member_number', (v) => String(Number(v)));
    const dupInvoiceState = entity === 'collection' ? dupKey('invoice_legacy_id') : () => false;
    const dupTaxReport = entity === 'tax_reports' ? (row: SourceRow) => dupMemberYear(row) : () => false;
    const memberYears = new Map<string, number>();
    if (entity === 'tax_reports') for (const row of rows) memberYears.set(`${text(row, 'membership_legacy_id')}/${text(row, 'year')}`, (memberYears.get(`${text(row, 'membership_legacy_id')}/${text(row, 'year')}`) ?? 0) + 1);
    const dupMemberYear = (row: SourceRow) => (memberYears.get(`${text(row, 'membership_legacy_id')}/${text(row, 'year')}`) ?? 0) > 1;
    done = { valid: new Set(), rejected: new Set() };
    // Only the overlap check needs a file's records together; the others are final as validated.
    const together = entity === 'periods' || entity === 'transferred_periods';
    const records: ValidatedRecord[] = [];
    for (const [i, row] of rows.entries()) {
      const legacyId = text(row, 'legacy_id');
      const reasons: RejectReason[] = [];
      if (!legacyId) reasons.push({ reason: 'missing_field', field: 'legacy_id' });
      else if ((seen.get(legacyId) ?? 0) > 1) reasons.push({ reason: 'duplicate_legacy_id', field: 'legacy_id' });
      let data: EntityData[MigrationEntity] | null = null;
      switch (entity) {
        case 'persons':
          data = person(row, reasons, dupIdentity(row));
          break;
        case 'memberships':
          data = membership(row, reasons, dupMemberNumber(row), outcome.persons, known.persons);
          break;
        case 'periods':
          data = period(row, reasons, outcome.memberships, known.memberships);
          break;
        case 'invoices':
          data = invoice(row, reasons, outcome.memberships, known.memberships);
          break;
        case 'payments':
          data = payment(row, reasons, outcome.memberships, outcome.invoices, known.memberships, known.invoices);
          break;
        case 'transferred_periods':
          data = transferredPeriod(row, reasons, outcome.memberships, known.memberships);
          break;
        case 'tax_reports':
          data = taxReport(row, reasons, dupTaxReport(row), outcome.memberships, known.memberships);
          break;
        case 'messages':
          data = message(row, reasons, outcome.memberships, known.memberships);
          break;
        case 'applications':
          data = application(row, reasons, dupIdentity(row));
          break;
        case 'collection':
          data = collection(row, reasons, dupInvoiceState(row), outcome.invoices, closedInvoices, known.invoices, options);
          break;
      }
      const seq = i + 1;
      const record: ValidatedRecord = reasons.length === 0 && data ? { entity, seq, legacyId, source: row, ok: true, data } : { entity, seq, legacyId, source: row, ok: false, reasons };
      if (together) {
        records.push(record);
        continue;
      }
      settle(record);
      yield record;
    }
    if (together) {
      rejectOverlaps(records as ValidatedRecord<'periods' | 'transferred_periods'>[]);
      for (const r of records) {
        settle(r);
        yield r;
      }
    }
    outcome[entity] = done;
  }
  /** What a final record tells the entities after it: its legacy id valid or rejected, an invoice with nothing open. */
  function settle(r: ValidatedRecord): void {
    if (r.entity === 'invoices' && r.ok && (r.data as InvoiceData).openCents === 0) closedInvoices.add(r.legacyId);
    (r.ok ? done.valid : done.rejected).add(r.legacyId);
  }
}

/** A parent check that passes every id: the record was validated with its batch already. */
const anyParent: EntityOutcome = { valid: { has: () => true } as unknown as Set<string>, rejected: new Set() };

/**
 * The data of a record that validation passed, from its source row alone (decision 051: a run
 * stages the source row only, and its load takes the data from it). The same builders as
 * `validateBatch`, without the checks that need the rest of the batch (parents, duplicates,
 * overlaps, the fund's reminder levels): those only ever reject, so for a record that passed them
 * the data is the same. Null when the row does not pass on its own.
 */
export function recordData<E extends MigrationEntity>(entity: E, row: SourceRow): EntityData[E] | null {
  const reasons: RejectReason[] = [];
  let data: EntityData[MigrationEntity] | null = null;
  switch (entity as MigrationEntity) {
    case 'persons':
      data = person(row, reasons, false);
      break;
    case 'memberships':
      data = membership(row, reasons, false, anyParent, undefined);
      break;
    case 'periods':
      data = period(row, reasons, anyParent, undefined);
      break;
    case 'invoices':
      data = invoice(row, reasons, anyParent, undefined);
      break;
    case 'payments':
      data = payment(row, reasons, anyParent, anyParent, undefined, undefined);
      break;
    case 'transferred_periods':
      data = transferredPeriod(row, reasons, anyParent, undefined);
      break;
    case 'tax_reports':
      data = taxReport(row, reasons, false, anyParent, undefined);
      break;
    case 'messages':
      data = message(row, reasons, anyParent, undefined);
      break;
    case 'applications':
      data = application(row, reasons, false);
      break;
    case 'collection':
      data = collection(row, reasons, false, anyParent, new Set(), undefined, {});
      break;
  }
  return reasons.length === 0 ? (data as EntityData[E] | null) : null;
}

function person(row: SourceRow, reasons: RejectReason[], duplicateCode: boolean): PersonData | null {
  required(row, ['identity_code', 'first_names', 'last_name', 'language'], reasons);
  const code = text(row, 'identity_code').toUpperCase();
  const parsed = code ? parseIdentityCode(code) : null;
  if (parsed && !parsed.ok) reasons.push({ reason: 'identity_code_invalid', field: 'identity_code' });
  if (duplicateCode) reasons.push({ reason: 'duplicate_identity_code', field: 'identity_code' });
  const language = text(row, 'language').toLowerCase();
  if (language && language !== 'fi' && language !== 'sv' && language !== 'en') reasons.push({ reason: 'language_invalid', field: 'language' });
  const delivery = (text(row, 'delivery') || 'letter') as DeliveryPreference;
  if (!deliveries.includes(delivery)) reasons.push({ reason: 'delivery_invalid', field: 'delivery' });
  if (reasons.length > 0 || !parsed?.ok) return null;
  return {
    identityCode: code,
    birthDate: parsed.value.birthDate,
    firstNames: text(row, 'first_names'),
    lastName: text(row, 'last_name'),
    language: language as PersonData['language'],
    email: optional(row, 'email'),
    phone: optional(row, 'phone'),
    streetAddress: optional(row, 'street_address'),
    postalCode: optional(row, 'postal_code'),
    city: optional(row, 'city'),
    country: optional(row, 'country'),
    delivery,
    nonDisclosure: ['1', 'true', 'yes', 'k', 'kyllä'].includes(text(row, 'non_disclosure').toLowerCase()),
  };
}

function membership(row: SourceRow, reasons: RejectReason[], duplicateNumber: boolean, persons: EntityOutcome, known: ReadonlySet<string> | undefined): MembershipData | null {
  required(row, ['person_legacy_id', 'member_number', 'channel'], reasons);
  const numberText = text(row, 'member_number');
  const memberNumber = Number(numberText);
  if (numberText && !(/^\d{1,12}$/.test(numberText) && memberNumber > 0)) reasons.push({ reason: 'member_number_invalid', field: 'member_number' });
  if (duplicateNumber) reasons.push({ reason: 'duplicate_member_number', field: 'member_number' });
  // The register's membership channels: billing invoices a direct member and leaves a union's to the union.
  const channel = text(row, 'channel').toLowerCase();
  if (channel && channel !== 'direct' && channel !== 'union') reasons.push({ reason: 'channel_invalid', field: 'channel' });
  parent(row, 'person_legacy_id', persons.valid, persons.rejected, known, reasons);
  if (reasons.length > 0) return null;
  return { personLegacyId: text(row, 'person_legacy_id'), memberNumber, channel, unionCode: optional(row, 'union_code') };
}

function period(row: SourceRow, reasons: RejectReason[], memberships: EntityOutcome, known: ReadonlySet<string> | undefined): PeriodData | null {
  required(row, ['membership_legacy_id', 'start_date'], reasons);
  parent(row, 'membership_legacy_id', memberships.valid, memberships.rejected, known, reasons);
  const start = date(row, 'start_date', reasons);
  const end = date(row, 'end_date', reasons);
  const reason = optional(row, 'end_reason');
  if (start && end && compareDates(end, start) < 0) reasons.push({ reason: 'period_end_before_start', field: 'end_date' });
  if (end && !reason) reasons.push({ reason: 'end_reason_missing', field: 'end_reason' });
  if (reason && !endReasons.includes(reason as PeriodEndReason)) reasons.push({ reason: 'end_reason_unknown', field: 'end_reason' });
  if (reason && !text(row, 'end_date')) reasons.push({ reason: 'missing_field', field: 'end_date' });
  if (reasons.length > 0 || !start) return null;
  return { membershipLegacyId: text(row, 'membership_legacy_id'), startDate: start, endDate: end, endReason: (reason as PeriodEndReason | null) ?? null };
}

/** Two valid periods of one membership that overlap are both rejected: the register keeps no overlaps. */
function rejectOverlaps(records: ValidatedRecord<'periods' | 'transferred_periods'>[]): void {
  const byMembership = new Map<string, number[]>();
  records.forEach((r, i) => {
    if (!r.ok) return;
    const list = byMembership.get(r.data.membershipLegacyId) ?? [];
    list.push(i);
    byMembership.set(r.data.membershipLegacyId, list);
  });
  const bad = new Set<number>();
  for (const list of byMembership.values()) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const ra = records[list[a]!]!;
        const rb = records[list[b]!]!;
        if (ra.ok && rb.ok && overlaps(ra.data, rb.data)) {
          bad.add(list[a]!);
          bad.add(list[b]!);
        }
      }
    }
  }
  for (const i of bad) {
    const r = records[i]!;
    records[i] = { entity: r.entity, seq: r.seq, legacyId: r.legacyId, source: r.source, ok: false, reasons: [{ reason: 'periods_overlap', field: 'start_date' }] };
  }
}

function invoice(row: SourceRow, reasons: RejectReason[], memberships: EntityOutcome, known: ReadonlySet<string> | undefined): InvoiceData | null {
  required(row, ['membership_legacy_id', 'reference', 'period_start', 'period_end', 'issued_on', 'due_date', 'amount', 'open_amount'], reasons);
  parent(row, 'membership_legacy_id', memberships.valid, memberships.rejected, known, reasons);
  const reference = text(row, 'reference').replace(/\s+/g, '');
  if (reference && !isValidReferenceNumber(reference)) reasons.push({ reason: 'reference_invalid', field: 'reference' });
  const periodStart = date(row, 'period_start', reasons);
  const periodEnd = date(row, 'period_end', reasons);
  const issuedOn = date(row, 'issued_on', reasons);
  const dueDate = date(row, 'due_date', reasons);
  if (periodStart && periodEnd && compareDates(periodEnd, periodStart) < 0) reasons.push({ reason: 'period_end_before_start', field: 'period_end' });
  const amountCents = amount(row, 'amount', reasons);
  const openCents = amount(row, 'open_amount', reasons);
  if (amountCents !== null && openCents !== null && openCents > amountCents) reasons.push({ reason: 'open_exceeds_amount', field: 'open_amount' });
  if (reasons.length > 0 || !periodStart || !periodEnd || !issuedOn || !dueDate || amountCents === null || openCents === null) return null;
  return { membershipLegacyId: text(row, 'membership_legacy_id'), reference, periodStart, periodEnd, issuedOn, dueDate, amountCents, openCents };
}

function payment(row: SourceRow, reasons: RejectReason[], memberships: EntityOutcome, invoices: EntityOutcome, knownMemberships: ReadonlySet<string> | undefined, knownInvoices: ReadonlySet<string> | undefined): PaymentData | null {
  required(row, ['membership_legacy_id', 'paid_on', 'amount'], reasons);
  parent(row, 'membership_legacy_id', memberships.valid, memberships.rejected, knownMemberships, reasons);
  if (!text(row, 'invoice_legacy_id')) reasons.push({ reason: 'payment_without_invoice', field: 'invoice_legacy_id' });
  else parent(row, 'invoice_legacy_id', invoices.valid, invoices.rejected, knownInvoices, reasons);
  const paidOn = date(row, 'paid_on', reasons);
  const amountCents = amount(row, 'amount', reasons);
  if (amountCents === 0) reasons.push({ reason: 'amount_invalid', field: 'amount' });
  if (reasons.length > 0 || !paidOn || amountCents === null) return null;
  return { membershipLegacyId: text(row, 'membership_legacy_id'), invoiceLegacyId: text(row, 'invoice_legacy_id'), paidOn, amountCents };
}

const wholeNumber = /^\d{1,3}$/;

/**
 * The collection state of one open invoice: any of a reminder level (with the day it went and the
 * new due date it gave), a hearing (started, deadline), a hold (reason, until). At most one record
 * per invoice (two reject both); none for an invoice the batch has as paid.
 */
function collection(row: SourceRow, reasons: RejectReason[], duplicate: boolean, invoices: EntityOutcome, closed: ReadonlySet<string>, known: ReadonlySet<string> | undefined, options: ValidationOptions): CollectionData | null {
  required(row, ['invoice_legacy_id'], reasons);
  parent(row, 'invoice_legacy_id', invoices.valid, invoices.rejected, known, reasons);
  if (duplicate) reasons.push({ reason: 'duplicate_collection_state', field: 'invoice_legacy_id' });
  if (closed.has(text(row, 'invoice_legacy_id'))) reasons.push({ reason: 'invoice_not_open', field: 'invoice_legacy_id' });
  const levelText = text(row, 'reminder_level');
  const hearing = text(row, 'hearing_started_on') || text(row, 'hearing_deadline');
  const hold = text(row, 'hold_reason') || text(row, 'hold_until');
  if (!levelText && !hearing && !hold) reasons.push({ reason: 'missing_field', field: 'reminder_level' });
  let reminderLevel: number | null = null;
  if (levelText) {
    reminderLevel = Number(levelText);
    if (!wholeNumber.test(levelText) || reminderLevel < 1 || (options.reminderLevels !== undefined && reminderLevel > options.reminderLevels)) reasons.push({ reason: 'reminder_level_invalid', field: 'reminder_level' });
    required(row, ['reminder_date', 'reminder_due_date'], reasons);
  } else if (text(row, 'reminder_date') || text(row, 'reminder_due_date')) reasons.push({ reason: 'missing_field', field: 'reminder_level' });
  const reminderDate = date(row, 'reminder_date', reasons);
  const reminderDueDate = date(row, 'reminder_due_date', reasons);
  if (reminderDate && reminderDueDate && compareDates(reminderDueDate, reminderDate) < 0) reasons.push({ reason: 'period_end_before_start', field: 'reminder_due_date' });
  if (hearing) required(row, ['hearing_started_on', 'hearing_deadline'], reasons);
  const hearingStartedOn = date(row, 'hearing_started_on', reasons);
  const hearingDeadline = date(row, 'hearing_deadline', reasons);
  if (hearingStartedOn && hearingDeadline && compareDates(hearingDeadline, hearingStartedOn) < 0) reasons.push({ reason: 'hearing_deadline_before_start', field: 'hearing_deadline' });
  if (hold) required(row, ['hold_reason', 'hold_until'], reasons);
  const holdReason = optional(row, 'hold_reason');
  if (holdReason && !holdReasons.includes(holdReason as HoldReason)) reasons.push({ reason: 'hold_reason_unknown', field: 'hold_reason' });
  const holdUntil = date(row, 'hold_until', reasons);
  if (reasons.length > 0) return null;
  return { invoiceLegacyId: text(row, 'invoice_legacy_id'), reminderLevel, reminderDate, reminderDueDate, hearingStartedOn, hearingDeadline, holdReason: holdReason as HoldReason | null, holdUntil };
}

/** A period in another fund (version 2): the fund by name (and Y-tunnus, when given), start and end, paid-through day. */
function transferredPeriod(row: SourceRow, reasons: RejectReason[], memberships: EntityOutcome, known: ReadonlySet<string> | undefined): TransferredPeriodData | null {
  required(row, ['membership_legacy_id', 'fund_name', 'start_date', 'end_date'], reasons);
  parent(row, 'membership_legacy_id', memberships.valid, memberships.rejected, known, reasons);
  const businessId = optional(row, 'fund_business_id');
  if (businessId && !isValidBusinessId(businessId)) reasons.push({ reason: 'business_id_invalid', field: 'fund_business_id' });
  const start = date(row, 'start_date', reasons);
  const end = date(row, 'end_date', reasons);
  const paidThrough = date(row, 'paid_through', reasons);
  if (start && end && compareDates(end, start) < 0) reasons.push({ reason: 'period_end_before_start', field: 'end_date' });
  if (reasons.length > 0 || !start || !end) return null;
  return { membershipLegacyId: text(row, 'membership_legacy_id'), fundName: text(row, 'fund_name'), fundBusinessId: businessId, startDate: start, endDate: end, paidThrough };
}

/** A past report (version 2): one per membership and year (two reject both), the identity code as reported, the amount (0 allowed: a zeroed figure). */
function taxReport(row: SourceRow, reasons: RejectReason[], duplicate: boolean, memberships: EntityOutcome, known: ReadonlySet<string> | undefined): TaxReportData | null {
  required(row, ['membership_legacy_id', 'year', 'identity_code', 'name', 'amount'], reasons);
  parent(row, 'membership_legacy_id', memberships.valid, memberships.rejected, known, reasons);
  const yearText = text(row, 'year');
  const year = Number(yearText);
  if (yearText && !(/^\d{4}$/.test(yearText) && year >= 1990)) reasons.push({ reason: 'year_invalid', field: 'year' });
  if (duplicate) reasons.push({ reason: 'duplicate_tax_report', field: 'year' });
  const code = text(row, 'identity_code').toUpperCase();
  if (code && !parseIdentityCode(code).ok) reasons.push({ reason: 'identity_code_invalid', field: 'identity_code' });
  const amountCents = amount(row, 'amount', reasons);
  const reportedOn = date(row, 'reported_on', reasons);
  if (reportedOn && yearText && reportedOn.slice(0, 4) <= yearText) reasons.push({ reason: 'date_invalid', field: 'reported_on' });
  if (reasons.length > 0 || amountCents === null) return null;
  return { membershipLegacyId: text(row, 'membership_legacy_id'), year, identityCode: code, name: text(row, 'name'), amountCents, reportedOn: reportedOn ?? `${year + 1}-01-31` };
}

/** A message sent (version 2): a kind the register knows (its message kinds), a channel, the day. */
function message(row: SourceRow, reasons: RejectReason[], memberships: EntityOutcome, known: ReadonlySet<string> | undefined): MessageData | null {
  required(row, ['membership_legacy_id', 'kind', 'channel', 'sent_on'], reasons);
  parent(row, 'membership_legacy_id', memberships.valid, memberships.rejected, known, reasons);
  const kind = text(row, 'kind');
  if (kind && !isMessageKind(kind)) reasons.push({ reason: 'message_kind_unknown', field: 'kind' });
  const channel = text(row, 'channel').toLowerCase();
  if (channel && !(messageChannels as readonly string[]).includes(channel)) reasons.push({ reason: 'channel_invalid', field: 'channel' });
  const sentOn = date(row, 'sent_on', reasons);
  if (reasons.length > 0 || !sentOn) return null;
  return { membershipLegacyId: text(row, 'membership_legacy_id'), kind, channel: channel as MessageData['channel'], sentOn };
}

/**
 * An application waiting for a decision (version 2): the applicant's identity code, names and
 * language as for a person, the day received, the employment status the application form asks
 * (one of its statuses), the requested start (not before the day received, as the form's rule).
 * Two applications of one identity code in the file reject both (which one stands is the fund's call).
 */
function application(row: SourceRow, reasons: RejectReason[], duplicateCode: boolean): ApplicationRecordData | null {
  required(row, ['received_on', 'identity_code', 'first_names', 'last_name', 'language', 'employment_status'], reasons);
  const code = text(row, 'identity_code').toUpperCase();
  if (code && !parseIdentityCode(code).ok) reasons.push({ reason: 'identity_code_invalid', field: 'identity_code' });
  if (duplicateCode) reasons.push({ reason: 'duplicate_identity_code', field: 'identity_code' });
  const language = text(row, 'language').toLowerCase();
  if (language && language !== 'fi' && language !== 'sv' && language !== 'en') reasons.push({ reason: 'language_invalid', field: 'language' });
  const status = text(row, 'employment_status').toLowerCase();
  if (status && !(employmentStatuses as readonly string[]).includes(status)) reasons.push({ reason: 'employment_status_invalid', field: 'employment_status' });
  const receivedOn = date(row, 'received_on', reasons);
  const requestedStart = date(row, 'requested_start_date', reasons);
  if (receivedOn && requestedStart && compareDates(requestedStart, receivedOn) < 0) reasons.push({ reason: 'start_before_receipt', field: 'requested_start_date' });
  if (reasons.length > 0 || !receivedOn) return null;
  const street = optional(row, 'street_address');
  const postalCode = optional(row, 'postal_code');
  const city = optional(row, 'city');
  const country = optional(row, 'country');
  const employer = optional(row, 'employer');
  const email = optional(row, 'email');
  const phone = optional(row, 'phone');
  const unionCode = optional(row, 'union_code');
  const application: ApplicationData = {
    identityCode: code,
    firstNames: text(row, 'first_names'),
    lastName: text(row, 'last_name'),
    language: language as ApplicationData['language'],
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(street && postalCode && city ? { address: { street, postalCode, city, ...(country ? { country } : {}) } } : {}),
    employment: { status: status as ApplicationData['employment']['status'], ...(employer ? { employer } : {}) },
    ...(requestedStart ? { requestedStartDate: requestedStart } : {}),
    ...(unionCode ? { unionCode } : {}),
  };
  return { receivedOn, application };
}
