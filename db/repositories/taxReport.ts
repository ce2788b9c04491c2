/**
 * The annual report of fees paid: the year's money per member (cash basis, fund-collected), the
 * figures already reported, the preview's staging, the files and every reported record.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { members, tasks, taxReportFiles, taxReportItems, taxReportRuns, taxReportedRecords } from '../schema';
import type { ReportedFigure } from '../../domain/tax/corrections';
import type { MemberIdentity, MemberYearMoney, TaxReportException } from '../../domain/tax/report';
import type { TaxFileStatus, TaxRecordKind, TaxRunStatus } from '../../domain/vocabulary';

export type TaxRunRow = typeof taxReportRuns.$inferSelect;
export type TaxFileRow = typeof taxReportFiles.$inferSelect;
export type TaxRecordRow = typeof taxReportedRecords.$inferSelect;

const TAX_RUN_NAMESPACE = 'jasenrekisteri/tax-report-run';

/** A uuid for the run (tasks name their subject by uuid), derived from its id. */
export function taxRunSubjectId(runId: string): string {
  const hash = createHash('sha1').update(TAX_RUN_NAMESPACE).update(runId, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function insertRunOnce(db: DbOrTx, run: typeof taxReportRuns.$inferInsert): Promise<TaxRunRow> {
  await db.insert(taxReportRuns).values(run).onConflictDoNothing();
  return (await findRun(db, run.id))!;
}

export async function findRun(db: DbOrTx, id: string): Promise<TaxRunRow | undefined> {
  return (await db.select().from(taxReportRuns).where(eq(taxReportRuns.id, id)).limit(1))[0];
}

export async function runsOfYear(db: DbOrTx, year: number): Promise<TaxRunRow[]> {
  return db.select().from(taxReportRuns).where(eq(taxReportRuns.year, year)).orderBy(asc(taxReportRuns.createdAt));
}

export async function listRuns(db: DbOrTx, limit = 100): Promise<TaxRunRow[]> {
  return db.select().from(taxReportRuns).orderBy(desc(taxReportRuns.createdAt)).limit(limit);
}

export async function updateRun(db: DbOrTx, id: string, patch: Partial<Omit<TaxRunRow, 'id'>>): Promise<void> {
  await db.update(taxReportRuns).set({ ...patch, updatedAt: new Date() }).where(eq(taxReportRuns.id, id));
}

export const finishedRunStatuses: readonly TaxRunStatus[] = ['acknowledged', 'partially-rejected', 'rejected', 'nothing-to-send', 'failed'];

/** One member's year: money and identity (null money parts are zero), for the preview. */
export interface YearMemberRow extends MemberYearMoney, MemberIdentity {}

/**
 * Every member with fund-collected money booked in `year` or a figure reported for it. The year of
 * a payment is its bank booking date (a payment placed by hand later still belongs to the day the
 * bank booked it); refunds and rows without a bank entry go by their ledger date.
 */
export async function yearMembers(db: DbOrTx, year: number): Promise<YearMemberRow[]> {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const rows = await db.execute<{
    member_id: string; paid: string; reversed: string; refunded: string; identity_code: string | null;
    first_names: string; last_name: string; date_of_death: string | null; non_disclosure: boolean;
  }>(sql`
    WITH money AS (
      SELECT l.member_id,
        sum(CASE WHEN l.kind = 'payment' THEN -l.amount_cents ELSE 0 END) AS paid,
        sum(CASE WHEN l.kind = 'reversal' THEN l.amount_cents ELSE 0 END) AS reversed,
        sum(CASE WHEN l.kind = 'refund' THEN l.amount_cents ELSE 0 END) AS refunded
      FROM ledger_entries l
      LEFT JOIN bank_entries b ON b.id = l.bank_entry_id
      WHERE l.kind IN ('payment', 'reversal', 'refund') AND l.member_id IS NOT NULL AND l.collected_by = 'fund'
        AND l.occurred_on >= ${start}::date AND coalesce(b.booking_date, l.occurred_on) BETWEEN ${start}::date AND ${end}::date
      GROUP BY l.member_id
    ), reported AS (
      SELECT DISTINCT member_id FROM tax_reported_records WHERE year = ${year}
    ), everyone AS (
      SELECT member_id FROM money UNION SELECT member_id FROM reported
    )
    SELECT e.member_id, coalesce(m.paid, 0) AS paid, coalesce(m.reversed, 0) AS reversed, coalesce(m.refunded, 0) AS refunded,
      p.identity_code, p.first_names, p.last_name, p.date_of_death, p.non_disclosure
    FROM everyone e
    JOIN members mem ON mem.id = e.member_id
    JOIN persons p ON p.id = mem.person_id
    LEFT JOIN money m ON m.member_id = e.member_id
    ORDER BY e.member_id`);
  return rows.map((r) => ({
    memberId: r.member_id,
    paidCents: Number(r.paid),
    reversedCents: Number(r.reversed),
    refundedCents: Number(r.refunded),
    identityCode: r.identity_code,
    firstNames: r.first_names,
    lastName: r.last_name,
    dateOfDeath: r.date_of_death,
    nonDisclosure: r.non_disclosure,
  }));
}

/**
 * Each member's figure as it stands at the Tax Administration for `year`: the newest record not
 * rejected. A newest record that zeroed an old code leaves nothing standing.
 */
export async function standingFigures(db: DbOrTx, year: number, memberId?: string): Promise<Map<string, ReportedFigure>> {
  const rows = await db.execute<{ member_id: string; identity_code: string; name: string; amount_cents: number; kind: TaxRecordKind }>(sql`
    SELECT DISTINCT ON (member_id) member_id, identity_code, name, amount_cents, kind
    FROM tax_reported_records
    WHERE year = ${year} AND status <> 'rejected' ${memberId ? sql`AND member_id = ${memberId}` : sql``}
    ORDER BY member_id, id DESC`);
  const out = new Map<string, ReportedFigure>();
  for (const r of rows) if (r.kind !== 'zero') out.set(r.member_id, { memberId: r.member_id, identityCode: r.identity_code, name: r.name, amountCents: r.amount_cents });
  return out;
}

export interface StagedItem {
  seq: number;
  memberId: string;
  netCents: number;
  exceptions: TaxReportException[];
  recordKind: TaxRecordKind | null;
  identityCode: string | null;
  name: string;
  amountCents: number | null;
}

/** Replaces the run's staging with `items` in batches (a retried preview starts over). */
export async function clearStaging(db: DbOrTx, runId: string): Promise<void> {
  await db.delete(taxReportItems).where(eq(taxReportItems.runId, runId));
}

export async function insertStaging(db: DbOrTx, runId: string, items: StagedItem[]): Promise<void> {
  if (items.length === 0) return;
  const payload = items.map((i) => ({ s: i.seq, m: i.memberId, n: i.netCents, e: i.exceptions, k: i.recordKind, c: i.identityCode, na: i.name, a: i.amountCents }));
  await db.execute(sql`
    INSERT INTO tax_report_items (run_id, seq, member_id, net_cents, exceptions, record_kind, identity_code, name, amount_cents)
    SELECT ${runId}, s, m, n, ARRAY(SELECT jsonb_array_elements_text(e)), k, c, na, a
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(s int, m uuid, n int, e jsonb, k text, c text, na text, a int)`);
}

export async function outgoingItems(db: DbOrTx, runId: string): Promise<StagedItem[]> {
  const rows = await db
    .select()
    .from(taxReportItems)
    .where(and(eq(taxReportItems.runId, runId), sql`${taxReportItems.recordKind} IS NOT NULL`))
    .orderBy(asc(taxReportItems.seq));
  return rows.map((r) => ({ seq: r.seq, memberId: r.memberId, netCents: r.netCents, exceptions: r.exceptions, recordKind: r.recordKind, identityCode: r.identityCode, name: r.name, amountCents: r.amountCents }));
}

/** Members listed with an exception, and samples of outgoing records, for the preview (with member numbers). */
export async function stagedSamples(db: DbOrTx, runId: string, which: 'exceptions' | 'records', limit: number): Promise<(StagedItem & { memberNumber: number })[]> {
  const rows = await db
    .select({ i: taxReportItems, memberNumber: members.memberNumber })
    .from(taxReportItems)
    .innerJoin(members, eq(members.id, taxReportItems.memberId))
    .where(and(eq(taxReportItems.runId, runId), which === 'exceptions' ? sql`cardinality(${taxReportItems.exceptions}) > 0` : sql`${taxReportItems.recordKind} IS NOT NULL`))
    .orderBy(asc(taxReportItems.seq))
    .limit(limit);
  return rows.map(({ i: r, memberNumber }) => ({ seq: r.seq, memberId: r.memberId, memberNumber, netCents: r.netCents, exceptions: r.exceptions, recordKind: r.recordKind, identityCode: r.identityCode, name: r.name, amountCents: r.amountCents }));
}

export async function insertFileOnce(db: DbOrTx, file: typeof taxReportFiles.$inferInsert): Promise<{ row: TaxFileRow; created: boolean }> {
  const inserted = await db.insert(taxReportFiles).values(file).onConflictDoNothing().returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  return { row: (await fileOfRun(db, file.runId))!, created: false };
}

export async function fileOfRun(db: DbOrTx, runId: string): Promise<TaxFileRow | undefined> {
  return (await db.select().from(taxReportFiles).where(eq(taxReportFiles.runId, runId)).limit(1))[0];
}

export async function findFile(db: DbOrTx, id: string): Promise<TaxFileRow | undefined> {
  return (await db.select().from(taxReportFiles).where(eq(taxReportFiles.id, id)).limit(1))[0];
}

export async function filesOfYear(db: DbOrTx, year: number) {
  return db
    .select({ id: taxReportFiles.id, runId: taxReportFiles.runId, year: taxReportFiles.year, sha256: taxReportFiles.sha256, recordCount: taxReportFiles.recordCount, totalCents: taxReportFiles.totalCents, status: taxReportFiles.status, submissionId: taxReportFiles.submissionId, sentAt: taxReportFiles.sentAt, acknowledgedAt: taxReportFiles.acknowledgedAt, createdAt: taxReportFiles.createdAt })
    .from(taxReportFiles)
    .where(eq(taxReportFiles.year, year))
    .orderBy(asc(taxReportFiles.createdAt));
}

export async function updateFile(db: DbOrTx, id: string, patch: Partial<{ status: TaxFileStatus; submissionId: string; sentAt: Date; acknowledgedAt: Date }>): Promise<void> {
  await db.update(taxReportFiles).set(patch).where(eq(taxReportFiles.id, id));
}

export interface NewReportedRecord {
  recordNumber: number;
  memberId: string;
  kind: TaxRecordKind;
  identityCode: string;
  name: string;
  amountCents: number;
}

export async function insertReportedRecords(db: DbOrTx, fileId: string, runId: string, year: number, rows: NewReportedRecord[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 25_000) {
    const payload = rows.slice(i, i + 25_000).map((r) => ({ r: r.recordNumber, m: r.memberId, k: r.kind, c: r.identityCode, n: r.name, a: r.amountCents }));
    await db.execute(sql`
      INSERT INTO tax_reported_records (file_id, run_id, year, record_number, member_id, kind, identity_code, name, amount_cents, status)
      SELECT ${fileId}::uuid, ${runId}, ${year}, r, m, k, c, n, a, 'sent'
      FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(r int, m uuid, k text, c text, n text, a int)
      ON CONFLICT (file_id, record_number) DO NOTHING`);
  }
}

/** Marks the file's records accepted, except the rejected ones (with their reasons). */
export async function settleRecords(db: DbOrTx, fileId: string, rejected: { recordNumber: number; reason: string }[]): Promise<void> {
  await db.update(taxReportedRecords).set({ status: 'accepted' }).where(and(eq(taxReportedRecords.fileId, fileId), eq(taxReportedRecords.status, 'sent')));
  for (const r of rejected) {
    await db
      .update(taxReportedRecords)
      .set({ status: 'rejected', rejectionReason: r.reason })
      .where(and(eq(taxReportedRecords.fileId, fileId), eq(taxReportedRecords.recordNumber, r.recordNumber)));
  }
}

export async function recordsOfFile(db: DbOrTx, fileId: string, recordNumbers: number[]): Promise<TaxRecordRow[]> {
  if (recordNumbers.length === 0) return [];
  return db.select().from(taxReportedRecords).where(and(eq(taxReportedRecords.fileId, fileId), sql`${taxReportedRecords.recordNumber} = ANY(${`{${recordNumbers.join(',')}}`}::int[])`));
}

/** The member's reported records, newest first (the overview and the fee statement). */
export async function recordsOfMember(db: DbOrTx, memberId: string, year?: number): Promise<(TaxRecordRow & { sentAt: Date | null })[]> {
  const rows = await db
    .select({ r: taxReportedRecords, sentAt: taxReportFiles.sentAt })
    .from(taxReportedRecords)
    .innerJoin(taxReportFiles, eq(taxReportFiles.id, taxReportedRecords.fileId))
    .where(and(eq(taxReportedRecords.memberId, memberId), year === undefined ? sql`true` : eq(taxReportedRecords.year, year)))
    .orderBy(desc(taxReportedRecords.id));
  return rows.map((x) => ({ ...x.r, sentAt: x.sentAt }));
}

/** The member's fund-collected money per calendar year (cash basis, as the report counts it). */
export async function memberYears(db: DbOrTx, memberId: string): Promise<{ year: number; paidCents: number; reversedCents: number; refundedCents: number }[]> {
  const rows = await db.execute<{ year: number; paid: string; reversed: string; refunded: string }>(sql`
    SELECT extract(year FROM coalesce(b.booking_date, l.occurred_on))::int AS year,
      sum(CASE WHEN l.kind = 'payment' THEN -l.amount_cents ELSE 0 END) AS paid,
      sum(CASE WHEN l.kind = 'reversal' THEN l.amount_cents ELSE 0 END) AS reversed,
      sum(CASE WHEN l.kind = 'refund' THEN l.amount_cents ELSE 0 END) AS refunded
    FROM ledger_entries l LEFT JOIN bank_entries b ON b.id = l.bank_entry_id
    WHERE l.member_id = ${memberId} AND l.kind IN ('payment', 'reversal', 'refund') AND l.collected_by = 'fund'
    GROUP BY 1 ORDER BY 1 DESC`);
  return rows.map((r) => ({ year: r.year, paidCents: Number(r.paid), reversedCents: Number(r.reversed), refundedCents: Number(r.refunded) }));
}

/** The run's open tasks (its approval, its rejected records). */
export async function openTasksOfRun(db: DbOrTx, workflowId: string) {
  return db.select().from(tasks).where(and(eq(tasks.workflowId, workflowId), eq(tasks.status, 'open'))).orderBy(asc(tasks.createdAt));
}
