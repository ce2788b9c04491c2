import { sql } from 'drizzle-orm';
import type { InvoiceState } from '../../domain/billing/ledger';
import { executePrepared, type Database } from '../client';
import type { AuditEntry } from './audit';
import type { MemberRow, PeriodRow, TransferredPeriodRow } from './members';
import type { MessageRow } from './messages';
import type { PersonRow } from './persons';
import type { TaskRow } from './tasks';
import type { auditLog, memberChanges, personAddresses, personIdentityCodes, personNames, resignations } from '../schema';

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** What the member's overall view reads, in one statement (`readMemberOverviewAudited`). */
export interface MemberOverviewData {
  member: Pick<MemberRow, 'id' | 'memberNumber' | 'channel' | 'unionCode' | 'eligibilityBasis'>;
  person: Pick<
    PersonRow,
    | 'id' | 'identityCode' | 'firstNames' | 'lastName' | 'birthDate' | 'language' | 'email' | 'phone' | 'streetAddress' | 'postalCode' | 'city' | 'country'
    | 'addressSource' | 'municipality' | 'nonDisclosure' | 'dateOfDeath' | 'deathDatePrecision' | 'deliveryChannel' | 'eInvoiceAddress' | 'eInvoiceOperator'
    | 'eInvoiceConsent' | 'smsConsent'
  >;
  /** Earliest first. */
  periods: Pick<PeriodRow, 'startDate' | 'endDate' | 'endReason'>[];
  /** Earliest first. */
  transferred: Pick<TransferredPeriodRow, 'fundName' | 'fundBusinessId' | 'startDate' | 'endDate' | 'paidThrough'>[];
  /** The newest 100. */
  messages: Pick<MessageRow, 'id' | 'kind' | 'subject' | 'body' | 'status' | 'channel' | 'createdAt' | 'sentAt'>[];
  /** Open tasks about the member or one of their applications. */
  openTasks: Pick<TaskRow, 'id' | 'kind' | 'title' | 'priority' | 'dueAt' | 'claimedByName'>[];
  /** Applications with the person's current identity code. */
  applications: { id: string; workflowId: string; status: string; createdAt: Date }[];
  /** Newest first. */
  resignations: Pick<
    typeof resignations.$inferSelect,
    'id' | 'kind' | 'receivedOn' | 'requestedEndDate' | 'endDate' | 'feeOwedUntil' | 'status' | 'newFund' | 'channel' | 'workflowId' | 'createdAt' | 'confirmationExpiresAt' | 'decidedBy' | 'decisionReason' | 'withdrawalReason'
  >[];
  /** The newest 50 changes of the person. */
  changes: Pick<typeof memberChanges.$inferSelect, 'field' | 'effectiveFrom' | 'changedAt' | 'changedBy' | 'reason' | 'reasonCode' | 'reasonParams'>[];
  /** The newest 50 audit rows about the member, when asked for (null otherwise); the read's own row is not among them. */
  auditTrail: Pick<typeof auditLog.$inferSelect, 'at' | 'actor' | 'actorKind' | 'action' | 'details'>[] | null;
  /** Newest first. */
  names: Pick<typeof personNames.$inferSelect, 'firstNames' | 'lastName' | 'validFrom' | 'source'>[];
  /** Newest first. */
  addresses: Pick<typeof personAddresses.$inferSelect, 'kind' | 'street' | 'postalCode' | 'city' | 'country' | 'source' | 'validFrom' | 'validTo'>[];
  identityCodes: Pick<typeof personIdentityCodes.$inferSelect, 'identityCode' | 'active'>[];
  /** The fee line's inputs (services/ledger.ts feeSummaryOf). */
  fees: { invoices: (InvoiceState & { dueDate: string })[]; balanceCents: number; booked: boolean; remittedMonths: string[] };
}

type Row = {
  member: MemberOverviewData['member'];
  person: MemberOverviewData['person'];
  periods: MemberOverviewData['periods'] | null;
  transferred: MemberOverviewData['transferred'] | null;
  messages: Json<MemberOverviewData['messages'][number]>[] | null;
  open_tasks: Json<MemberOverviewData['openTasks'][number]>[] | null;
  applications: Json<MemberOverviewData['applications'][number]>[] | null;
  resignations: Json<MemberOverviewData['resignations'][number]>[] | null;
  changes: Json<MemberOverviewData['changes'][number]>[] | null;
  audit_trail: Json<NonNullable<MemberOverviewData['auditTrail']>[number]>[] | null;
  names: MemberOverviewData['names'] | null;
  addresses: MemberOverviewData['addresses'] | null;
  identity_codes: MemberOverviewData['identityCodes'] | null;
  invoices: MemberOverviewData['fees']['invoices'] | null;
  balance_cents: string;
  booked: boolean;
  remitted_months: string[] | null;
  audited: boolean;
};

const date = (s: string) => new Date(s);
const dateOrNull = (s: string | null) => (s === null ? null : new Date(s));

/**
 * The member's overall view, by member id, and in the same statement the audit row of the read
 * (`member.read`, details `{ view: 'overview' }`): one round trip, one commit, and the data comes
 * back only after its audit row is committed (as the EKJ lookup, decision 042). Every part of the
 * view is a json aggregate of its own rows, so a member with many messages does not multiply the
 * others. A named prepared statement (executePrepared): parsed and planned once per connection
 * (docs/decisions/049-member-overview-one-statement-and-temporal-wal.md). The audit trail is read
 * only when `withAuditTrail`; it is read in the statement's snapshot, so the read's own row is not
 * in it. Undefined (and nothing audited) when there is no such member.
 */
export async function readMemberOverviewAudited(
  db: Database,
  memberId: string,
  audit: Pick<AuditEntry, 'actor' | 'actorKind'>,
  withAuditTrail: boolean,
): Promise<MemberOverviewData | undefined> {
  const [row] = await executePrepared<Row>(
    db,
    sql`
    WITH x AS (
      SELECT m.id AS member_id, m.member_number, m.channel, m.union_code, m.eligibility_basis, p.*
      FROM members m JOIN persons p ON p.id = m.person_id
      WHERE m.id = ${memberId}::uuid),
    audited AS (
      INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id, details)
      SELECT ${audit.actor}::text, ${audit.actorKind}::text, 'member.read', 'member', x.member_id::text, '{"view":"overview"}'::jsonb FROM x
      RETURNING 1)
    SELECT
      json_build_object('id', x.member_id, 'memberNumber', x.member_number, 'channel', x.channel, 'unionCode', x.union_code, 'eligibilityBasis', x.eligibility_basis) AS member,
      json_build_object(
        'id', x.id, 'identityCode', x.identity_code, 'firstNames', x.first_names, 'lastName', x.last_name, 'birthDate', x.birth_date, 'language', x.language,
        'email', x.email, 'phone', x.phone, 'streetAddress', x.street_address, 'postalCode', x.postal_code, 'city', x.city, 'country', x.country,
        'addressSource', x.address_source, 'municipality', x.municipality, 'nonDisclosure', x.non_disclosure, 'dateOfDeath', x.date_of_death,
        'deathDatePrecision', x.death_date_precision, 'deliveryChannel', x.delivery_channel, 'eInvoiceAddress', x.e_invoice_address,
        'eInvoiceOperator', x.e_invoice_operator, 'eInvoiceConsent', x.e_invoice_consent, 'smsConsent', x.sms_consent) AS person,
      (SELECT json_agg(json_build_object('startDate', mp.start_date, 'endDate', mp.end_date, 'endReason', mp.end_reason) ORDER BY mp.start_date)
         FROM membership_periods mp WHERE mp.member_id = x.member_id) AS periods,
      (SELECT json_agg(json_build_object('fundName', tp.fund_name, 'fundBusinessId', tp.fund_business_id, 'startDate', tp.start_date, 'endDate', tp.end_date, 'paidThrough', tp.paid_through) ORDER BY tp.start_date)
         FROM transferred_periods tp WHERE tp.member_id = x.member_id) AS transferred,
      (SELECT json_agg(json_build_object('id', ms.id, 'kind', ms.kind, 'subject', ms.subject, 'body', ms.body, 'status', ms.status, 'channel', ms.channel, 'createdAt', ms.created_at, 'sentAt', ms.sent_at) ORDER BY ms.created_at DESC)
         FROM (SELECT * FROM messages WHERE member_id = x.member_id ORDER BY created_at DESC LIMIT 100) ms) AS messages,
      (SELECT json_agg(json_build_object('id', t.id, 'kind', t.kind, 'title', t.title, 'priority', t.priority, 'dueAt', t.due_at, 'claimedByName', t.claimed_by_name))
         FROM tasks t
         WHERE t.status = 'open' AND (t.subject_id = x.member_id OR t.subject_id IN (SELECT a.id FROM applications a WHERE a.member_id = x.member_id))) AS open_tasks,
      (SELECT json_agg(json_build_object('id', a.id, 'workflowId', a.workflow_id, 'status', a.status, 'createdAt', a.created_at))
         FROM applications a WHERE a.identity_code = x.identity_code) AS applications,
      (SELECT json_agg(json_build_object(
                'id', r.id, 'kind', r.kind, 'receivedOn', r.received_on, 'requestedEndDate', r.requested_end_date, 'endDate', r.end_date, 'feeOwedUntil', r.fee_owed_until,
                'status', r.status, 'newFund', r.new_fund, 'channel', r.channel, 'workflowId', r.workflow_id, 'createdAt', r.created_at,
                'confirmationExpiresAt', r.confirmation_expires_at, 'decidedBy', r.decided_by, 'decisionReason', r.decision_reason, 'withdrawalReason', r.withdrawal_reason)
              ORDER BY r.created_at DESC)
         FROM resignations r WHERE r.member_id = x.member_id) AS resignations,
      (SELECT json_agg(json_build_object('field', c.field, 'effectiveFrom', c.effective_from, 'changedAt', c.changed_at, 'changedBy', c.changed_by, 'reason', c.reason,
                                         'reasonCode', c.reason_code, 'reasonParams', c.reason_params) ORDER BY c.changed_at DESC)
         FROM (SELECT * FROM member_changes WHERE person_id = x.id ORDER BY changed_at DESC LIMIT 50) c) AS changes,
      CASE WHEN ${withAuditTrail}::boolean THEN
        (SELECT coalesce(json_agg(json_build_object('at', al.at, 'actor', al.actor, 'actorKind', al.actor_kind, 'action', al.action, 'details', al.details) ORDER BY al.at DESC), '[]')
           FROM (SELECT * FROM audit_log WHERE entity_type = 'member' AND entity_id = x.member_id::text ORDER BY at DESC LIMIT 50) al)
      END AS audit_trail,
      (SELECT json_agg(json_build_object('firstNames', n.first_names, 'lastName', n.last_name, 'validFrom', n.valid_from, 'source', n.source) ORDER BY n.valid_from DESC)
         FROM person_names n WHERE n.person_id = x.id) AS names,
      (SELECT json_agg(json_build_object('kind', pa.kind, 'street', pa.street, 'postalCode', pa.postal_code, 'city', pa.city, 'country', pa.country, 'source', pa.source,
                                         'validFrom', pa.valid_from, 'validTo', pa.valid_to) ORDER BY pa.valid_from DESC)
         FROM person_addresses pa WHERE pa.person_id = x.id) AS addresses,
      (SELECT json_agg(json_build_object('identityCode', pic.identity_code, 'active', pic.active))
         FROM person_identity_codes pic WHERE pic.person_id = x.id) AS identity_codes,
      (SELECT json_agg(json_build_object('periodStart', i.period_start, 'periodEnd', i.period_end, 'status', i.status, 'openCents', i.open_cents, 'dueDate', i.due_date))
         FROM invoices i WHERE i.member_id = x.member_id) AS invoices,
      (SELECT coalesce(sum(le.amount_cents), 0)::text FROM ledger_entries le WHERE le.member_id = x.member_id) AS balance_cents,
      EXISTS (SELECT FROM ledger_entries le WHERE le.member_id = x.member_id) AS booked,
      (SELECT array_agg(DISTINCT ur.period ORDER BY ur.period) FROM union_remittances ur WHERE ur.member_id = x.member_id) AS remitted_months,
      EXISTS (SELECT FROM audited) AS audited
    FROM x`,
  );
  if (!row) return undefined;
  // The read and its audit row are one statement; a member row without its audit row would be a bug here.
  if (!row.audited) throw new Error('the member overview was read without its audit row');
  return {
    member: row.member,
    person: row.person,
    periods: row.periods ?? [],
    transferred: row.transferred ?? [],
    messages: (row.messages ?? []).map((m) => ({ ...m, createdAt: date(m.createdAt), sentAt: dateOrNull(m.sentAt) })),
    openTasks: (row.open_tasks ?? []).map((t) => ({ ...t, dueAt: date(t.dueAt) })),
    applications: (row.applications ?? []).map((a) => ({ ...a, createdAt: date(a.createdAt) })),
    resignations: (row.resignations ?? []).map((r) => ({ ...r, createdAt: date(r.createdAt), confirmationExpiresAt: dateOrNull(r.confirmationExpiresAt) })),
    changes: (row.changes ?? []).map((c) => ({ ...c, changedAt: date(c.changedAt) })),
    auditTrail: row.audit_trail === null ? null : row.audit_trail.map((a) => ({ ...a, at: date(a.at) })),
    names: row.names ?? [],
    addresses: row.addresses ?? [],
    identityCodes: row.identity_codes ?? [],
    fees: { invoices: row.invoices ?? [], balanceCents: Number(row.balance_cents), booked: row.booked, remittedMonths: row.remitted_months ?? [] },
  };
}
