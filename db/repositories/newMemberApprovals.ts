import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import type { ApplicationDecision, DeliveryPreference } from '../../domain/vocabulary';
import type { AuditEntry } from './audit';
import type { NewMessage } from './messages';
import type { createPerson } from './persons';

/**
 * One approval of an application whose applicant is no person in the register yet: what the
 * per-application path (`approveLocked`: createPerson, ensureMember, openPeriodOnce, the
 * application's decision, queueMessageOnce, recordAudit) writes for them, its values worked out.
 */
export interface NewMemberApproval {
  applicationId: string;
  /** As createPerson takes it. */
  person: Parameters<typeof createPerson>[1] & { deliveryChannel: DeliveryPreference };
  /** Who recorded the person's histories (the change context's `by`). */
  recordedBy: string;
  /** The period's start, the histories' `valid_from`, the application's start date. */
  startDate: string;
  member: { channel: string; unionCode: string | null; eligibilityBasis: string | null };
  application: { findings: unknown; outcome: string | null; decision: ApplicationDecision };
  /** The decision message, its member id left to the statement. */
  message: Omit<NewMessage, 'memberId'>;
  /** The `application.approved` audit row, its details' `memberId` left to the statement. */
  audit: AuditEntry;
}

/**
 * The identity codes among `codes` that a person has, now or before (findPersonByAnyIdentityCode
 * for many): their applications need the per-application path, which records changes to a person.
 */
export async function identityCodesOfPersons(db: DbOrTx, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = (await db.execute(sql`
    with code as (select jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) as code)
    select identity_code from person_identity_codes where identity_code in (select code from code)
    union
    select identity_code from persons where identity_code in (select code from code)`)) as unknown as { identity_code: string }[];
  return new Set(rows.map((r) => r.identity_code));
}

/**
 * Approves applications of applicants new to the register in one statement, set-based: person
 * with its identity-code, name and address history, member, period with its `membership.joined`
 * outbox event (the member's first, `member_seq` 1: nobody else can write an event of a member
 * whose row is not yet committed, so the outbox's per-member lock has nothing to order), the
 * decision on the application, the application's messages linked to the member, the decision
 * message, the audit row. The same rows as the per-application path (proved by
 * tests/integration/intake-set-based.test.ts). Inside the caller's transaction; the identity codes
 * must be distinct and no person's (`identityCodesOfPersons`), the applications locked. A
 * conflict (a person created meanwhile) fails the statement and with it the caller's batch.
 * Returns each application's new member id.
 */
export async function approveNewMembers(db: DbOrTx, approvals: readonly NewMemberApproval[]): Promise<Map<string, string>> {
  if (!approvals.length) return new Map();
  // One parameter for all rows (as recordAudits): a VALUES list of bound parameters costs more to build and plan.
  const rows = approvals.map((a, o) => ({
    o,
    application_id: a.applicationId,
    identity_code: a.person.identityCode,
    first_names: a.person.firstNames,
    last_name: a.person.lastName,
    birth_date: a.person.birthDate,
    language: a.person.language,
    email: a.person.email ?? null,
    phone: a.person.phone ?? null,
    address_kind: a.person.address?.kind ?? 'permanent',
    street: a.person.address?.street ?? null,
    postal_code: a.person.address?.postalCode ?? null,
    city: a.person.address?.city ?? null,
    country: a.person.address?.country ?? null,
    delivery_channel: a.person.deliveryChannel,
    recorded_by: a.recordedBy,
    start_date: a.startDate,
    member_channel: a.member.channel,
    union_code: a.member.unionCode,
    eligibility_basis: a.member.eligibilityBasis,
    findings: a.application.findings,
    outcome: a.application.outcome,
    decision: a.application.decision,
    message_key: a.message.messageKey,
    message_kind: a.message.kind,
    message_language: a.message.language,
    recipient: a.message.recipient,
    subject: a.message.subject,
    body: a.message.body,
    template_version: a.message.templateVersion ?? null,
    variants: a.message.variants ?? null,
    audit_actor: a.audit.actor,
    audit_actor_kind: a.audit.actorKind,
    audit_action: a.audit.action,
    audit_entity_type: a.audit.entityType,
    audit_entity_id: a.audit.entityId,
    audit_details: a.audit.details ?? {},
  }));
  const approved = (await db.execute(sql`
    with x as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        o int, application_id uuid, identity_code text, first_names text, last_name text, birth_date date, language text,
        email text, phone text, address_kind text, street text, postal_code text, city text, country text, delivery_channel text,
        recorded_by text, start_date date, member_channel text, union_code text, eligibility_basis text,
        findings jsonb, outcome text, decision jsonb,
        message_key text, message_kind text, message_language text, recipient jsonb, subject text, body text, template_version text, variants jsonb,
        audit_actor text, audit_actor_kind text, audit_action text, audit_entity_type text, audit_entity_id text, audit_details jsonb)),
    person as (
      insert into persons (identity_code, first_names, last_name, birth_date, language, email, phone, street_address, postal_code, city, country, address_source, delivery_channel)
      select identity_code, first_names, last_name, birth_date, language, email, phone, street, postal_code, city, country,
             case when street is not null then 'application' end, delivery_channel
        from x order by o
      returning id, identity_code),
    xp as (select x.*, person.id as person_id from x join person using (identity_code)),
    code as (
      insert into person_identity_codes (person_id, identity_code, active, source, recorded_by)
      select person_id, identity_code, true, 'application', recorded_by from xp order by o),
    name as (
      insert into person_names (person_id, first_names, last_name, valid_from, source, recorded_by)
      select person_id, first_names, last_name, start_date, 'application', recorded_by from xp order by o),
    address as (
      insert into person_addresses (person_id, kind, street, postal_code, city, country, source, valid_from, recorded_by)
      select person_id, address_kind, street, postal_code, city, country, 'application', start_date, recorded_by
        from xp where street is not null order by o),
    member as (
      insert into members (person_id, channel, union_code, eligibility_basis)
      select person_id, member_channel, union_code, eligibility_basis from xp order by o
      returning id, person_id, channel, union_code),
    xm as (select xp.*, member.id as member_id, member.channel as joined_channel, member.union_code as joined_union_code from xp join member using (person_id)),
    period as (
      insert into membership_periods (member_id, start_date, source_application_id)
      select member_id, start_date, application_id from xm order by o
      returning id, member_id),
    joined as (
      insert into outbox_events (type, member_id, member_seq, payload)
      select 'membership.joined', xm.member_id, 1,
             jsonb_build_object('periodId', period.id, 'startDate', to_char(xm.start_date, 'YYYY-MM-DD'), 'channel', xm.joined_channel, 'unionCode', xm.joined_union_code)
        from xm join period using (member_id) order by xm.o),
    decided as (
      update applications a
         set findings = xm.findings, outcome = xm.outcome, start_date = xm.start_date, status = 'approved', member_id = xm.member_id, decision = xm.decision, updated_at = now()
        from xm where a.id = xm.application_id),
    linked as (update messages g set member_id = xm.member_id from xm where g.application_id = xm.application_id),
    message as (
      insert into messages (message_key, kind, application_id, member_id, language, recipient, subject, body, template_version, variants)
      select message_key, message_kind, application_id, member_id, message_language, recipient, subject, body, template_version, variants from xm order by o
      on conflict (message_key) do nothing),
    audit as (
      insert into audit_log (actor, actor_kind, action, entity_type, entity_id, details)
      select audit_actor, audit_actor_kind, audit_action, audit_entity_type, audit_entity_id, jsonb_build_object('memberId', member_id) || audit_details from xm order by o)
    select application_id::text, member_id::text from xm`)) as unknown as { application_id: string; member_id: string }[];
  if (approved.length !== approvals.length) throw new Error(`approved ${approved.length} of ${approvals.length} new members: identity codes not distinct`);
  return new Map(approved.map((r) => [r.application_id, r.member_id]));
}
