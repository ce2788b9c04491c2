/**
 * The BI extract's rows, a page at a time in key order (keyset paging: 270,000 members never sit
 * in one result). Each row carries the member's current identity code only for the activity to
 * pseudonymise it; it is never written anywhere in clear (decision 025, docs/bi-extract.md).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';

export const BI_PAGE = 5000;

/** Where each kind of page starts: before the first uuid, before the first serial number. */
export const firstUuidKey = '00000000-0000-0000-0000-000000000000';
export const firstSerialKey = '0';

type Cell = string | number | boolean | null;
export interface BiRow {
  /** The key the next page starts after. */
  key: string;
  identityCode: string | null;
  cells: Record<string, Cell>;
}

async function page(db: DbOrTx, query: ReturnType<typeof sql>): Promise<BiRow[]> {
  const rows = await db.execute<Record<string, Cell> & { key: string; identity_code: string | null }>(query);
  return rows.map(({ key, identity_code, ...cells }) => ({ key: String(key), identityCode: identity_code, cells }));
}

/** Members with their status on `day` (a period covering it). */
export function membersPage(db: DbOrTx, day: string, after: string) {
  return page(
    db,
    sql`SELECT m.id::text AS key, p.identity_code, extract(year FROM p.birth_date)::int AS birth_year, p.language, p.municipality, m.union_code, m.channel,
          to_char(m.created_at AT TIME ZONE 'Europe/Helsinki', 'YYYY-MM-DD') AS created_on,
          CASE WHEN EXISTS (SELECT 1 FROM membership_periods mp WHERE mp.member_id = m.id AND mp.start_date <= ${day}::date AND (mp.end_date IS NULL OR mp.end_date >= ${day}::date)) THEN 'member' ELSE 'not-member' END AS status,
          (p.date_of_death IS NOT NULL) AS deceased
        FROM members m JOIN persons p ON p.id = m.person_id
        WHERE m.id > ${after}::uuid ORDER BY m.id LIMIT ${BI_PAGE}`,
  );
}

export function periodsPage(db: DbOrTx, after: string) {
  return page(
    db,
    sql`SELECT mp.id::text AS key, p.identity_code, mp.start_date::text AS start_date, mp.end_date::text AS end_date, mp.end_reason
        FROM membership_periods mp JOIN members m ON m.id = mp.member_id JOIN persons p ON p.id = m.person_id
        WHERE mp.id > ${after}::uuid ORDER BY mp.id LIMIT ${BI_PAGE}`,
  );
}

export function invoicesPage(db: DbOrTx, after: string) {
  return page(
    db,
    sql`SELECT i.id::text AS key, p.identity_code, i.invoice_number, i.fee_year, i.period_start::text AS period_start, i.period_end::text AS period_end,
          i.amount_cents, i.open_cents, i.status, i.issued_on::text AS issued_on, i.due_date::text AS due_date, i.delivery
        FROM invoices i JOIN members m ON m.id = i.member_id JOIN persons p ON p.id = m.person_id
        WHERE i.id > ${after}::uuid ORDER BY i.id LIMIT ${BI_PAGE}`,
  );
}

/** Money movements of `day` (payments, reversals, refunds); an unidentified payment has no member. */
export function paymentsPage(db: DbOrTx, day: string, after: string) {
  return page(
    db,
    sql`SELECT l.id::text AS key, p.identity_code, l.id AS ledger_id, l.occurred_on::text AS occurred_on, l.kind, l.amount_cents, l.collected_by
        FROM ledger_entries l LEFT JOIN members m ON m.id = l.member_id LEFT JOIN persons p ON p.id = m.person_id
        WHERE l.occurred_on = ${day}::date AND l.kind IN ('payment', 'reversal', 'refund') AND l.id > ${after}::bigint
        ORDER BY l.id LIMIT ${BI_PAGE}`,
  );
}

/** The events in [start, end) (a Helsinki day) from the outbox: type and time, no payload. */
export function eventsPage(db: DbOrTx, range: { start: Date; end: Date }, after: string) {
  return page(
    db,
    sql`SELECT e.position::text AS key, p.identity_code, e.position, e.id::text AS event_id, e.type, e.member_seq,
          to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at
        FROM outbox_events e JOIN members m ON m.id = e.member_id JOIN persons p ON p.id = m.person_id
        WHERE e.position > ${after}::bigint AND e.occurred_at >= ${range.start.toISOString()}::timestamptz AND e.occurred_at < ${range.end.toISOString()}::timestamptz
        ORDER BY e.position LIMIT ${BI_PAGE}`,
  );
}
