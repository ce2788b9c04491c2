import { sql } from 'drizzle-orm';
import { executePrepared, type Database } from '../../db/client';
/** Small deterministic PRNG (mulberry32), so every run asks the same codes: the demo's. */
export { seededRandom as prng } from '../../temporal/demo/demoApplicants';

/** The p-th percentile (nearest rank) of sorted latencies. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}
export const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
export function summary(latencies: number[]) {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

/**
 * The generated register written out before a latency measurement: a checkpoint, so no flush of
 * what was just loaded runs beside the first rates measured (a register in service is not freshly
 * bulk-loaded). Tried against the ekj floor's stall at 500/s (sessions 12–15): it did not remove it
 * (the checkpoint took 0.6 s; docs/performance.md, ekj, session 15). Returns the seconds it took.
 */
export async function settleWrites(db: Database): Promise<number> {
  const t0 = performance.now();
  try {
    await db.execute(sql`CHECKPOINT`);
  } catch {
    return NaN; // BENCH_DATABASE_URL's role may not checkpoint (pg_checkpoint): measured as loaded
  }
  return (performance.now() - t0) / 1000;
}

/**
 * Invoices for every fourth member, four quarters each (open, paid, paid, paid), so the fee part of
 * the membership read has rows to aggregate; references are unique placeholders.
 */
export async function seedQuarterlyInvoices(db: Database): Promise<void> {
  await db.execute(sql`
    INSERT INTO invoices (member_id, period_start, period_end, fee_year, amount_cents, lines, reference, rf_reference, iban, issued_on, due_date, delivery, virtual_barcode, status, open_cents)
    SELECT m.id, q.start, (q.start + interval '3 months' - interval '1 day')::date, 2026, 2400, '[]'::jsonb,
           'B' || m.member_number || '-' || q.n, 'RF00B' || m.member_number || q.n, 'FI0000000000000000', q.start, q.start + 30, 'letter', repeat('0', 54),
           CASE WHEN q.n = 4 THEN 'open' ELSE 'paid' END, CASE WHEN q.n = 4 THEN 2400 ELSE 0 END
    FROM members m
    CROSS JOIN (VALUES (1, date '2026-01-01'), (2, date '2026-04-01'), (3, date '2026-07-01'), (4, date '2026-10-01')) AS q(n, start)
    WHERE m.member_number % 4 = 0`);
  await db.execute(sql`VACUUM (ANALYZE) invoices`);
}

/** The identity codes of every member. */
export async function allIdentityCodes(db: Database): Promise<string[]> {
  const rows = (await db.execute(sql`SELECT p.identity_code FROM members m JOIN persons p ON p.id = m.person_id`)) as unknown as { identity_code: string }[];
  return rows.map((r) => r.identity_code);
}

/**
 * The read floor: the plainest statement giving the membership read's data for the same codes —
 * members, periods, transferred periods, invoice states and union-remitted months as flat rows,
 * with no aggregation, rules, audit or JSON. A named prepared statement, as the lookups' own
 * statement is (`executePrepared`): sent unnamed, PostgreSQL parsed and planned it on every call,
 * which cost more than running it (decision 042) and made the floor fall behind the coalesced
 * lookups it is the floor of from 2,000/s up (docs/performance.md, ekj, session 16).
 */
export function readFloor(db: Database, codes: readonly string[]) {
  return executePrepared(db, sql`
    SELECT pic.identity_code, m.id, m.member_number, m.union_code, x.kind, x.a, x.b, x.c, x.d
    FROM person_identity_codes pic
    JOIN members m ON m.person_id = pic.person_id
    LEFT JOIN LATERAL (
      SELECT 'p' AS kind, mp.start_date AS a, mp.end_date AS b, mp.end_reason AS c, NULL::int AS d FROM membership_periods mp WHERE mp.member_id = m.id
      UNION ALL SELECT 't', tp.start_date, tp.end_date, tp.fund_name, NULL FROM transferred_periods tp WHERE tp.member_id = m.id
      UNION ALL SELECT 'i', i.period_start, i.period_end, i.status, i.open_cents FROM invoices i WHERE i.member_id = m.id
      UNION ALL SELECT 'r', NULL, NULL, ur.period, NULL FROM union_remittances ur WHERE ur.member_id = m.id
    ) x ON true
    WHERE pic.identity_code = ANY(${`{${codes.join(',')}}`}::text[])`);
}
