/** The union ↔ fund exchange's rows (docs/decisions/019-union-exchange.md). */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { feeExemptions, unionBatches, unionBatchLines, unionRemittanceMismatches, unionRemittances, unionReportedStates } from '../schema';
import type { RemittanceMismatch, UnionEventKind, UnionMemberFacts, UnionMemberList } from '../../domain/unions/exchange';
import { recordAudit, recordAudits } from './audit';
import { insertLedgerRows } from './ledger';

export type UnionBatchRow = typeof unionBatches.$inferSelect;
export type UnionMismatchRow = typeof unionRemittanceMismatches.$inferSelect;

/** Stores the batch once per union and batch id; the second time answers the stored row. */
export async function insertBatchOnce(db: DbOrTx, row: typeof unionBatches.$inferInsert): Promise<{ row: UnionBatchRow; created: boolean }> {
  const inserted = await db.insert(unionBatches).values(row).onConflictDoNothing({ target: [unionBatches.unionCode, unionBatches.batchKey] }).returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  const existing = await db
    .select()
    .from(unionBatches)
    .where(and(eq(unionBatches.unionCode, row.unionCode), eq(unionBatches.batchKey, row.batchKey)));
  return { row: existing[0]!, created: false };
}

export async function saveLine(db: DbOrTx, line: { batchId: string; lineNo: number; kind: UnionEventKind; memberId: string | null; outcome: string; ref: string | null }): Promise<void> {
  await db
    .insert(unionBatchLines)
    .values(line)
    .onConflictDoUpdate({ target: [unionBatchLines.batchId, unionBatchLines.lineNo], set: { memberId: line.memberId, outcome: line.outcome, ref: line.ref, updatedAt: sql`now()` } });
}

/**
 * Once every event of a batch has its line, keeps the lines' counts per outcome and the last
 * line's time on the batch (decision 050), from the lines as committed: the batch given, or every
 * batch not yet summarised. Run at the end of every pass over a batch, so that of two passes
 * racing over one batch the later one counts last.
 */
export async function summariseBatches(db: DbOrTx, batchId?: string): Promise<void> {
  const which = batchId ? sql`batch_id = ${batchId}` : sql`batch_id IN (SELECT id FROM union_batches WHERE completed_at IS NULL)`;
  await db.execute(sql`
    UPDATE union_batches b
       SET lines_done = l.n, outcomes = l.outcomes, completed_at = l.last_at
      FROM (SELECT batch_id, sum(n)::int AS n, jsonb_object_agg(outcome, n) AS outcomes, max(last_at) AS last_at
              FROM (SELECT batch_id, outcome, count(*)::int AS n, max(updated_at) AS last_at FROM union_batch_lines WHERE ${which} GROUP BY batch_id, outcome) x
             GROUP BY batch_id) l
     WHERE b.id = l.batch_id AND l.n >= b.event_count`);
}

export async function linesOfBatch(db: DbOrTx, batchId: string) {
  return db.select().from(unionBatchLines).where(eq(unionBatchLines.batchId, batchId)).orderBy(unionBatchLines.lineNo);
}

/** The remittance once per union, member and month: null when that month was already booked. */
export async function insertRemittanceOnce(db: DbOrTx, row: typeof unionRemittances.$inferInsert): Promise<string | null> {
  const inserted = await db
    .insert(unionRemittances)
    .values(row)
    .onConflictDoNothing({ target: [unionRemittances.unionCode, unionRemittances.memberId, unionRemittances.period] })
    .returning({ id: unionRemittances.id });
  return inserted[0]?.id ?? null;
}

export async function remittanceOf(db: DbOrTx, unionCode: string, memberId: string, period: string) {
  const rows = await db
    .select()
    .from(unionRemittances)
    .where(and(eq(unionRemittances.unionCode, unionCode), eq(unionRemittances.memberId, memberId), eq(unionRemittances.period, period)));
  return rows[0];
}

/** The mismatch of a batch line once; the second time answers the stored row. */
export async function insertMismatchOnce(
  db: DbOrTx,
  row: { id: string; batchId: string; lineNo: number; unionCode: string; identityCode: string; memberId: string | null; period: string; amountCents: number; expectedCents: number | null; reason: RemittanceMismatch; workflowId: string },
): Promise<UnionMismatchRow> {
  const inserted = await db.insert(unionRemittanceMismatches).values(row).onConflictDoNothing({ target: [unionRemittanceMismatches.batchId, unionRemittanceMismatches.lineNo] }).returning();
  if (inserted[0]) return inserted[0];
  const rows = await db
    .select()
    .from(unionRemittanceMismatches)
    .where(and(eq(unionRemittanceMismatches.batchId, row.batchId), eq(unionRemittanceMismatches.lineNo, row.lineNo)));
  return rows[0]!;
}

export async function findMismatch(db: DbOrTx, id: string): Promise<UnionMismatchRow | undefined> {
  return (await db.select().from(unionRemittanceMismatches).where(eq(unionRemittanceMismatches.id, id)))[0];
}

export async function setMismatchStatus(db: DbOrTx, id: string, status: 'booked' | 'returned'): Promise<void> {
  await db.update(unionRemittanceMismatches).set({ status }).where(eq(unionRemittanceMismatches.id, id));
}

/** Records what the union reported of a member; only the fields given change. */
export async function saveReportedState(db: DbOrTx, unionCode: string, memberId: string, patch: { paidThrough?: string; exemptFrom?: string; exemptUntil?: string }): Promise<void> {
  await db
    .insert(unionReportedStates)
    .values({ unionCode, memberId, ...patch })
    .onConflictDoUpdate({ target: [unionReportedStates.unionCode, unionReportedStates.memberId], set: { ...patch, reportedAt: sql`now()` } });
}

/** Opens the union's exemption of a member from `startDate`; the same start again opens nothing (decision 031). */
export async function openExemption(db: DbOrTx, unionCode: string, memberId: string, startDate: string): Promise<void> {
  await db.insert(feeExemptions).values({ unionCode, memberId, startDate }).onConflictDoNothing({ target: [feeExemptions.memberId, feeExemptions.unionCode, feeExemptions.startDate] });
}

/**
 * Ends the union's exemptions of a member on `endDate` (the last exempt day): every open one that
 * started by then, and the latest one that did (so a corrected end replaces the earlier one).
 * Returns how many it ended; 0 when no exemption started by then (the end is kept as reported only).
 */
export async function endExemption(db: DbOrTx, unionCode: string, memberId: string, endDate: string): Promise<number> {
  const rows = await db.execute(sql`
    update fee_exemptions set end_date = ${endDate}::date, updated_at = now()
     where member_id = ${memberId} and union_code = ${unionCode} and start_date <= ${endDate}::date
       and (end_date is null or start_date = (select max(start_date) from fee_exemptions
                                               where member_id = ${memberId} and union_code = ${unionCode} and start_date <= ${endDate}::date))
    returning id`);
  return rows.length;
}

/** Every member of a union with periods, remitted months and what the union last reported: one statement. */
export async function membersOfUnion(db: DbOrTx, unionCode: string): Promise<UnionMemberFacts[]> {
  const rows = await db.execute<{
    member_id: string;
    member_number: string;
    identity_code: string;
    periods: { startDate: string; endDate: string | null }[] | null;
    remitted: string[] | null;
    reported: boolean;
    paid_through: string | null;
    exempt_from: string | null;
    exempt_until: string | null;
    exemptions: { startDate: string; endDate: string | null }[] | null;
  }>(sql`
    SELECT m.id AS member_id, m.member_number, p.identity_code,
      (SELECT json_agg(json_build_object('startDate', mp.start_date, 'endDate', mp.end_date) ORDER BY mp.start_date) FROM membership_periods mp WHERE mp.member_id = m.id) AS periods,
      (SELECT array_agg(r.period ORDER BY r.period) FROM union_remittances r WHERE r.member_id = m.id AND r.union_code = m.union_code) AS remitted,
      rs.member_id IS NOT NULL AS reported, rs.paid_through::text, rs.exempt_from::text, rs.exempt_until::text,
      (SELECT json_agg(json_build_object('startDate', e.start_date, 'endDate', e.end_date)) FROM fee_exemptions e WHERE e.member_id = m.id) AS exemptions
    FROM members m
    JOIN persons p ON p.id = m.person_id
    LEFT JOIN union_reported_states rs ON rs.member_id = m.id AND rs.union_code = m.union_code
    WHERE m.union_code = ${unionCode}
    ORDER BY m.member_number`);
  return rows.map((r) => ({
    memberId: r.member_id,
    memberNumber: Number(r.member_number),
    identityCode: r.identity_code,
    periods: r.periods ?? [],
    remittedPeriods: r.remitted ?? [],
    reported: r.reported,
    reportedPaidThrough: r.paid_through,
    exemptFrom: r.exempt_from,
    exemptUntil: r.exempt_until,
    fundExemptions: r.exemptions ?? [],
  }));
}

/**
 * Books a union's remittance of one member's month exactly once (the remittance row is unique per
 * union, member and month; its ledger rows carry its id in their source keys), in one transaction:
 * the month's fund share owed (+) and paid by the union (−, `collected_by = union`), so the
 * member's balance stays even and the journal shows fee income against the bank. Returns the
 * remittance id, or null when that month was already booked.
 */
export async function bookRemittance(
  db: DbOrTx,
  r: { unionCode: string; memberId: string; period: string; amountCents: number; batchId: string; lineNo: number; bookedBy: string; bookedByKind: 'client' | 'user'; on: string },
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const id = await insertRemittanceOnce(tx, { unionCode: r.unionCode, memberId: r.memberId, period: r.period, amountCents: r.amountCents, batchId: r.batchId, lineNo: r.lineNo, bookedBy: r.bookedBy });
    if (!id) return null;
    const params = { period: r.period, unionCode: r.unionCode };
    await insertLedgerRows(tx, [
      { memberId: r.memberId, occurredOn: r.on, kind: 'invoice', amountCents: r.amountCents, description: `Fund share ${r.period} collected by union ${r.unionCode}`, descriptionCode: 'union_fee', descriptionParams: params, sourceKey: `union-remittance/${id}/fee`, createdBy: r.bookedBy, collectedBy: 'union' },
      { memberId: r.memberId, occurredOn: r.on, kind: 'payment', amountCents: -r.amountCents, description: `Remitted by union ${r.unionCode} for ${r.period}`, descriptionCode: 'union_remittance', descriptionParams: params, sourceKey: `union-remittance/${id}/payment`, createdBy: r.bookedBy, collectedBy: 'union' },
    ]);
    await recordAudit(tx, { actor: r.bookedBy, actorKind: r.bookedByKind, action: 'member.union-remittance-booked', entityType: 'member', entityId: r.memberId, details: { remittanceId: id, period: r.period, amountCents: r.amountCents, unionCode: r.unionCode, batchId: r.batchId } });
    return id;
  });
}

/** The union codes of the register's members, for the scheduled member lists. */
export async function unionCodesInUse(db: DbOrTx): Promise<string[]> {
  const rows = await db.execute<{ union_code: string }>(sql`SELECT DISTINCT union_code FROM members WHERE union_code IS NOT NULL ORDER BY union_code`);
  return rows.map((r) => r.union_code);
}

/** Every member on a list is a read of that member by `actor`, and the list one record of its own. */
export async function auditMemberList(db: DbOrTx, actor: { actor: string; actorKind: 'public' | 'system' | 'user' | 'client' }, list: UnionMemberList, via: 'api' | 'file'): Promise<void> {
  await db.transaction(async (tx) => {
    await recordAudits(tx, list.members.map((m) => ({ ...actor, action: 'member.read' as const, entityType: 'member', entityId: m.memberId, details: { view: 'union-members', unionCode: list.unionCode, via } })));
    await recordAudit(tx, { ...actor, action: 'union.members-listed', entityType: 'union', entityId: list.unionCode, details: { asOf: list.asOf, members: list.members.length, differences: list.differences, via } });
  });
}

// ── reading received batches (the desk's union batches pages, a union's own batches) ──────────

export interface UnionBatchSummaryRow {
  id: string;
  unionCode: string;
  batchKey: string;
  format: string;
  receivedBy: string;
  eventCount: number;
  createdAt: Date;
  processed: number;
  /** Lines per outcome as stored ('booked', 'mismatch:amount_differs', 'not_found', …). */
  outcomes: Record<string, number>;
  lastActivityAt: Date;
}

export interface UnionBatchFilter {
  unionCode?: string | undefined;
  /** Received on these Helsinki days. */
  from?: string | undefined;
  to?: string | undefined;
  status?: 'processing' | 'interrupted' | 'done' | undefined;
  /** Only batches with a line that is a mismatch or was refused. */
  problems?: boolean | undefined;
}

type SummarySqlRow = {
  id: string;
  union_code: string;
  batch_key: string;
  format: string;
  received_by: string;
  event_count: number;
  created_at: Date | string;
  processed: number;
  outcomes: Record<string, number>;
  last_activity_at: Date | string;
  total: number;
};

const summaryOf = (r: SummarySqlRow): UnionBatchSummaryRow => ({
  id: r.id,
  unionCode: r.union_code,
  batchKey: r.batch_key,
  format: r.format,
  receivedBy: r.received_by,
  eventCount: r.event_count,
  createdAt: new Date(r.created_at),
  processed: Number(r.processed),
  outcomes: r.outcomes,
  lastActivityAt: new Date(r.last_activity_at),
});

/** The batches with their lines counted per outcome, newest first; one statement. `stalledBefore` is when a short batch counts as interrupted. */
function summaries(where: SQL, opts: { filter: UnionBatchFilter; stalledBefore: Date; unproblematic: readonly string[]; limit: number; offset: number }) {
  const { filter: f } = opts;
  const stalled = sql`${opts.stalledBefore.toISOString()}::timestamptz`;
  const status =
    f.status === 'done'
      ? sql`processed >= event_count`
      : f.status === 'interrupted'
        ? sql`processed < event_count AND last_activity_at < ${stalled}`
        : f.status === 'processing'
          ? sql`processed < event_count AND last_activity_at >= ${stalled}`
          : sql`true`;
  const problems = f.problems ? sql`EXISTS (SELECT 1 FROM jsonb_object_keys(outcomes) k WHERE k NOT IN (${sql.join(opts.unproblematic.map((o) => sql`${o}`), sql`, `)}))` : sql`true`;
  // A finished batch's counts are on its row; only a batch still being processed (or interrupted)
  // has its lines counted (the lateral's condition on the batch's row is checked before it runs).
  const counted = sql`
        LEFT JOIN LATERAL (
          SELECT sum(n)::int AS processed, jsonb_object_agg(outcome, n) AS outcomes, max(last_at) AS last_at
            FROM (SELECT outcome, count(*)::int AS n, max(updated_at) AS last_at FROM union_batch_lines WHERE batch_id = b.id AND b.completed_at IS NULL GROUP BY outcome) x
        ) l ON true`;
  const columns = sql`b.id, b.union_code, b.batch_key, b.format, b.received_by, b.event_count, b.created_at,
             coalesce(b.lines_done, l.processed, 0) AS processed, coalesce(b.outcomes, l.outcomes, '{}'::jsonb) AS outcomes,
             greatest(b.created_at, coalesce(b.completed_at, l.last_at)) AS last_activity_at`;
  // Without a filter on what the lines say, the page is chosen from the batches alone and only its
  // batches' lines are counted: the list costs a page, not the years of lines behind it.
  if (!f.status && !f.problems) {
    return sql`
      SELECT ${columns}, b.total
        FROM (SELECT *, count(*) OVER ()::int AS total FROM union_batches b WHERE ${where}
               ORDER BY created_at DESC, id LIMIT ${opts.limit} OFFSET ${opts.offset}) b
        ${counted}
       ORDER BY b.created_at DESC, b.id`;
  }
  return sql`
    WITH s AS (
      SELECT ${columns}
        FROM union_batches b
        ${counted}
       WHERE ${where}
    )
    SELECT s.*, count(*) OVER ()::int AS total FROM s
     WHERE ${status} AND ${problems}
     ORDER BY created_at DESC, id
     LIMIT ${opts.limit} OFFSET ${opts.offset}`;
}

export async function listBatches(db: DbOrTx, filter: UnionBatchFilter, opts: { stalledBefore: Date; unproblematic: readonly string[]; limit: number; offset: number }): Promise<{ rows: UnionBatchSummaryRow[]; total: number }> {
  const conditions: SQL[] = [sql`true`];
  if (filter.unionCode) conditions.push(sql`b.union_code = ${filter.unionCode}`);
  if (filter.from) conditions.push(sql`(b.created_at AT TIME ZONE 'Europe/Helsinki')::date >= ${filter.from}::date`);
  if (filter.to) conditions.push(sql`(b.created_at AT TIME ZONE 'Europe/Helsinki')::date <= ${filter.to}::date`);
  const rows = await db.execute<SummarySqlRow>(summaries(sql.join(conditions, sql` AND `), { filter, ...opts }));
  return { rows: rows.map(summaryOf), total: rows[0]?.total ?? 0 };
}

export async function batchSummary(db: DbOrTx, id: string, stalledBefore: Date): Promise<UnionBatchSummaryRow | null> {
  const rows = await db.execute<SummarySqlRow>(summaries(sql`b.id = ${id}`, { filter: {}, stalledBefore, unproblematic: [], limit: 1, offset: 0 }));
  return rows[0] ? summaryOf(rows[0]) : null;
}

export interface UnionBatchLineRow {
  lineNo: number;
  kind: UnionEventKind;
  outcome: string;
  ref: string | null;
  memberId: string | null;
  memberNumber: number | null;
  updatedAt: Date;
  /** The booked remittance's month and amount. */
  remittance: { period: string; amountCents: number } | null;
  mismatch: { id: string; reason: RemittanceMismatch; identityCode: string; period: string; amountCents: number; expectedCents: number | null; status: string; taskId: string | null; taskStatus: string | null } | null;
}

/** Which of a batch's lines: those with one of `outcomes`; the mismatches; or the lines outside the `plain` outcomes (refused), with or without the mismatches. */
export type UnionLineFilter = { outcomes: readonly string[] } | { mismatches: true } | { notIn: readonly string[]; mismatchesToo: boolean };

/** A batch's lines in order with the member, the booked remittance and the mismatch (with its task) each became. */
export async function batchLines(db: DbOrTx, batchId: string, opts: { filter?: UnionLineFilter | undefined; limit: number; offset: number }): Promise<{ rows: UnionBatchLineRow[]; total: number }> {
  const conditions: SQL[] = [sql`l.batch_id = ${batchId}`];
  const f = opts.filter;
  const list = (xs: readonly string[]) => sql.join(xs.map((o) => sql`${o}`), sql`, `);
  if (f && 'outcomes' in f) conditions.push(f.outcomes.length ? sql`l.outcome IN (${list(f.outcomes)})` : sql`false`);
  if (f && 'mismatches' in f) conditions.push(sql`l.outcome LIKE 'mismatch:%'`);
  if (f && 'notIn' in f) conditions.push(f.mismatchesToo ? sql`l.outcome NOT IN (${list(f.notIn)})` : sql`l.outcome NOT LIKE 'mismatch:%' AND l.outcome NOT IN (${list(f.notIn)})`);
  const rows = await db.execute<{
    line_no: number;
    kind: UnionEventKind;
    outcome: string;
    ref: string | null;
    member_id: string | null;
    member_number: string | number | null;
    updated_at: Date | string;
    r_period: string | null;
    r_amount: number | null;
    mm_id: string | null;
    mm_reason: RemittanceMismatch | null;
    mm_identity_code: string | null;
    mm_period: string | null;
    mm_amount: number | null;
    mm_expected: number | null;
    mm_status: string | null;
    task_id: string | null;
    task_status: string | null;
    total: number;
  }>(sql`
    SELECT l.line_no, l.kind, l.outcome, l.ref, l.member_id, m.member_number, l.updated_at,
           r.period AS r_period, r.amount_cents AS r_amount,
           mm.id AS mm_id, mm.reason AS mm_reason, mm.identity_code AS mm_identity_code, mm.period AS mm_period, mm.amount_cents AS mm_amount, mm.expected_cents AS mm_expected, mm.status AS mm_status,
           t.id AS task_id, t.status AS task_status,
           count(*) OVER ()::int AS total
      FROM union_batch_lines l
      LEFT JOIN members m ON m.id = l.member_id
      LEFT JOIN union_remittances r ON r.id = CASE WHEN l.kind = 'remittance' AND l.outcome IN ('booked', 'already-booked') AND l.ref IS NOT NULL THEN l.ref::uuid END
      LEFT JOIN union_remittance_mismatches mm ON mm.batch_id = l.batch_id AND mm.line_no = l.line_no
      LEFT JOIN LATERAL (SELECT id, status FROM tasks WHERE workflow_id = mm.workflow_id ORDER BY created_at DESC LIMIT 1) t ON mm.id IS NOT NULL
     WHERE ${sql.join(conditions, sql` AND `)}
     ORDER BY l.line_no
     LIMIT ${opts.limit} OFFSET ${opts.offset}`);
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((r) => ({
      lineNo: r.line_no,
      kind: r.kind,
      outcome: r.outcome,
      ref: r.ref,
      memberId: r.member_id,
      memberNumber: r.member_number === null ? null : Number(r.member_number),
      updatedAt: new Date(r.updated_at),
      remittance: r.r_period !== null && r.r_amount !== null ? { period: r.r_period, amountCents: r.r_amount } : null,
      mismatch: r.mm_id
        ? { id: r.mm_id, reason: r.mm_reason!, identityCode: r.mm_identity_code!, period: r.mm_period!, amountCents: r.mm_amount!, expectedCents: r.mm_expected, status: r.mm_status!, taskId: r.task_id, taskStatus: r.task_status }
        : null,
    })),
  };
}
