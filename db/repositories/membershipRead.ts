import { sql } from 'drizzle-orm';
import type { HoldReason } from '../../domain/collection/rules';
import type { HearingStatus } from '../../domain/expulsion/status';
import type { InvoiceStatus } from '../../domain/vocabulary';
import { executePrepared, type Database, type DbOrTx } from '../client';
import type { AuditEntry } from './audit';

/** Everything the membership read needs of one member, in one row. */
export interface MembershipRecord {
  memberId: string;
  memberNumber: number;
  personId: string;
  unionCode: string | null;
  periods: { startDate: string; endDate: string | null; endReason: string | null }[];
  transferred: { fundName: string; fundBusinessId: string | null; startDate: string; endDate: string; paidThrough: string | null }[];
  /** `reminderLevel`: the highest reminder level sent on the invoice (0: none). */
  invoices: { periodStart: string; periodEnd: string; status: InvoiceStatus; openCents: number; dueDate: string; reminderLevel: number }[];
  /** The months ('YYYY-MM') a union remitted the member's fee for. */
  remittedMonths: string[];
  /** The member's open collection hold (not resumed; its end date may have passed), if any. */
  hold: { reason: HoldReason; until: string } | null;
  /** The member's latest hearing about unpaid fees, if any. */
  hearing: { status: HearingStatus; startedOn: string; deadline: string } | null;
  /** Whether anything was ever booked on the member's ledger (the fee status needs it). */
  booked: boolean;
}

/** One asked key (an identity code or a member number) and the member it names, if any. */
export interface MembershipLookup {
  /** The position of the key in the request, from 0. */
  index: number;
  record: MembershipRecord | null;
}

type Row = {
  ord: string;
  member_id: string | null;
  member_number: string | null;
  person_id: string | null;
  union_code: string | null;
  periods: MembershipRecord['periods'] | null;
  transferred: MembershipRecord['transferred'] | null;
  invoices: MembershipRecord['invoices'] | null;
  remitted_months: string[] | null;
  hold: MembershipRecord['hold'];
  hearing: MembershipRecord['hearing'];
  booked: boolean | null;
};

/**
 * The member's periods, transferred periods and invoice states, aggregated per member; joined to
 * the asked keys so a batch of 1,000 is one statement (one round trip), in the order asked.
 */
const memberColumns = sql`
  m.id AS member_id, m.member_number, m.person_id, m.union_code,
  (SELECT json_agg(json_build_object('startDate', mp.start_date, 'endDate', mp.end_date, 'endReason', mp.end_reason) ORDER BY mp.start_date)
     FROM membership_periods mp WHERE mp.member_id = m.id) AS periods,
  (SELECT json_agg(json_build_object('fundName', tp.fund_name, 'fundBusinessId', tp.fund_business_id, 'startDate', tp.start_date, 'endDate', tp.end_date, 'paidThrough', tp.paid_through) ORDER BY tp.start_date)
     FROM transferred_periods tp WHERE tp.member_id = m.id) AS transferred,
  (SELECT json_agg(json_build_object('periodStart', i.period_start, 'periodEnd', i.period_end, 'status', i.status, 'openCents', i.open_cents, 'dueDate', i.due_date,
                            'reminderLevel', (SELECT coalesce(max(cr.level), 0) FROM collection_reminders cr WHERE cr.invoice_id = i.id AND cr.status = 'sent')))
     FROM invoices i WHERE i.member_id = m.id) AS invoices,
  (SELECT array_agg(ur.period ORDER BY ur.period) FROM union_remittances ur WHERE ur.member_id = m.id) AS remitted_months,
  (SELECT json_build_object('reason', h.reason, 'until', h.until) FROM collection_holds h WHERE h.member_id = m.id AND h.resumed_at IS NULL) AS hold,
  (SELECT json_build_object('status', h.status, 'startedOn', h.started_on, 'deadline', h.deadline)
     FROM hearings h WHERE h.member_id = m.id ORDER BY h.started_on DESC LIMIT 1) AS hearing,
  EXISTS (SELECT 1 FROM ledger_entries le WHERE le.member_id = m.id) AS booked`;

function recordOf(r: Omit<Row, 'ord'>): MembershipRecord | null {
  return r.member_id === null
    ? null
    : {
        memberId: r.member_id,
        memberNumber: Number(r.member_number),
        personId: r.person_id!,
        unionCode: r.union_code,
        periods: r.periods ?? [],
        transferred: r.transferred ?? [],
        invoices: r.invoices ?? [],
        remittedMonths: r.remitted_months ?? [],
        hold: r.hold,
        hearing: r.hearing,
        booked: r.booked ?? false,
      };
}

function toLookups(rows: Row[]): MembershipLookup[] {
  return rows.map((r) => ({ index: Number(r.ord) - 1, record: recordOf(r) }));
}

/** The members of the given identity codes (current or earlier), one row per code in the order given. */
export async function membershipsByIdentityCodes(db: DbOrTx, codes: readonly string[]): Promise<MembershipLookup[]> {
  if (codes.length === 0) return [];
  const rows = await db.execute<Row>(sql`
    SELECT a.ord, ${memberColumns}
    FROM jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb) WITH ORDINALITY AS a(code, ord)
    LEFT JOIN person_identity_codes pic ON pic.identity_code = a.code
    LEFT JOIN members m ON m.person_id = pic.person_id
    ORDER BY a.ord`);
  return toLookups([...rows]);
}

/** The member of a person, as a membership record (the e-services' own data). */
export async function membershipOfPerson(db: DbOrTx, personId: string): Promise<MembershipRecord | null> {
  const rows = await db.execute<Row>(sql`SELECT 1 AS ord, ${memberColumns} FROM members m WHERE m.person_id = ${personId}::uuid`);
  return toLookups([...rows])[0]?.record ?? null;
}

/** Whose reads are written to the audit (and so answered): every member's, one union's members', or one member's (null: nobody's). */
export type AuditedMembers = { kind: 'all' } | { kind: 'union'; unionCode: string } | { kind: 'member'; memberId: string | null };

/**
 * One member's membership record, by identity code or member number, and in the same statement
 * the audit row of the read (`member.read`, with `audit`'s actor and details), written only when
 * `auditedFor` covers the member: one round trip and one commit, and the record comes back only
 * after the row is committed. `audited` says whether the row was written; a caller answers with
 * the record only then. A named prepared statement (executePrepared): the hottest read there is
 * (docs/decisions/042-ekj-lookup-throughput.md).
 */
export async function readMembershipAudited(
  db: Database,
  key: { identityCode: string } | { memberNumber: number },
  audit: Pick<AuditEntry, 'actor' | 'actorKind' | 'details'>,
  auditedFor: AuditedMembers,
): Promise<{ record: MembershipRecord; audited: boolean } | null> {
  const member =
    'identityCode' in key
      ? sql`SELECT m.id, m.member_number, m.person_id, m.union_code FROM person_identity_codes pic JOIN members m ON m.person_id = pic.person_id WHERE pic.identity_code = ${key.identityCode}::text`
      : sql`SELECT m.id, m.member_number, m.person_id, m.union_code FROM members m WHERE m.member_number = ${key.memberNumber}::bigint`;
  const unionCode = auditedFor.kind === 'union' ? auditedFor.unionCode : null;
  const memberId = auditedFor.kind === 'member' ? auditedFor.memberId : null;
  const [row] = await executePrepared<Omit<Row, 'ord'> & { audited: boolean }>(
    db,
    sql`
    WITH m AS (${member}),
    audited AS (
      INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id, details)
      SELECT ${audit.actor}::text, ${audit.actorKind}::text, 'member.read', 'member', m.id::text, ${JSON.stringify(audit.details ?? {})}::jsonb FROM m
      WHERE ${auditedFor.kind}::text = 'all' OR m.union_code = ${unionCode}::text OR m.id = ${memberId}::uuid
      RETURNING 1)
    SELECT ${memberColumns}, EXISTS (SELECT FROM audited) AS audited FROM m`,
  );
  const record = row ? recordOf(row) : null;
  return record ? { record, audited: row!.audited } : null;
}

/** One read for `readMembershipsAudited`: the key, the audit row's actor and details, and whose reads the caller may see. */
export interface AuditedRead {
  key: { identityCode: string } | { memberNumber: number };
  audit: Pick<AuditEntry, 'actor' | 'actorKind' | 'details'>;
  auditedFor: AuditedMembers;
}

/**
 * Whether `readMembershipsAudited` can carry this read: its strings go through a JSON parameter,
 * which PostgreSQL refuses with a NUL character or half a surrogate pair, and its member number
 * must be a bigint. A read that cannot would fail its whole batch; it goes alone through
 * `readMembershipAudited` instead (and fails alone, as it always did).
 */
export function batchableRead(read: AuditedRead): boolean {
  if ('memberNumber' in read.key && !Number.isSafeInteger(read.key.memberNumber)) return false;
  // JSON.stringify writes a NUL as \u0000 and half a surrogate pair as \udXXX; jsonb refuses both.
  return !/\\u(0000|d[89a-f])/i.test(JSON.stringify(read));
}

/**
 * Many reads as `readMembershipAudited` makes one, in one statement: each read's member, and for
 * each member its caller may see, its own `member.read` audit row, all in one round trip and one
 * commit (the rows come back after it). The answer, in the order of `reads`, is what
 * `readMembershipAudited` answers for each. Throws (the whole batch fails, nothing written) if the
 * rows written are not the rows the reads should have written. A named prepared statement: its text
 * is the same for every batch, the reads are one JSON parameter.
 */
export async function readMembershipsAudited(db: Database, reads: readonly AuditedRead[]): Promise<({ record: MembershipRecord; audited: boolean } | null)[]> {
  const payload = reads.map((r, i) => ({
    i,
    code: 'identityCode' in r.key ? r.key.identityCode : null,
    number: 'memberNumber' in r.key ? r.key.memberNumber : null,
    actor: r.audit.actor,
    actor_kind: r.audit.actorKind,
    details: r.audit.details ?? {},
    kind: r.auditedFor.kind,
    union_code: r.auditedFor.kind === 'union' ? r.auditedFor.unionCode : null,
    member_id: r.auditedFor.kind === 'member' ? r.auditedFor.memberId : null,
  }));
  const rows = await executePrepared<Omit<Row, 'ord'> & { i: number; visible: boolean; audited_rows: string }>(
    db,
    sql`
    WITH req AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
        AS r(i int, code text, number bigint, actor text, actor_kind text, details jsonb, kind text, union_code text, member_id uuid)),
    m AS (
      SELECT req.i, k.id, k.member_number, k.person_id, k.union_code, req.actor, req.actor_kind, req.details,
             coalesce(req.kind = 'all' OR k.union_code = req.union_code OR k.id = req.member_id, false) AS visible
      FROM req CROSS JOIN LATERAL (
        SELECT m.id, m.member_number, m.person_id, m.union_code FROM person_identity_codes pic JOIN members m ON m.person_id = pic.person_id WHERE pic.identity_code = req.code
        UNION ALL
        SELECT m.id, m.member_number, m.person_id, m.union_code FROM members m WHERE m.member_number = req.number) k),
    audited AS (
      INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id, details)
      SELECT m.actor, m.actor_kind, 'member.read', 'member', m.id::text, m.details FROM m WHERE m.visible ORDER BY m.i
      RETURNING 1)
    SELECT m.i, m.visible, (SELECT count(*) FROM audited) AS audited_rows, ${memberColumns} FROM m ORDER BY m.i`,
  );
  const written = rows.length === 0 ? 0 : Number(rows[0]!.audited_rows);
  const expected = rows.filter((r) => r.visible).length;
  if (written !== expected) throw new Error(`A batch of membership reads wrote ${written} audit rows for ${expected} visible reads`);
  const answers: ({ record: MembershipRecord; audited: boolean } | null)[] = reads.map(() => null);
  for (const row of rows) {
    const record = recordOf(row);
    if (record) answers[row.i] = { record, audited: row.visible };
  }
  return answers;
}
