/**
 * The annual report of fees paid: the year's money per member (cash basis, fund-collected), the
 * figures already reported, the preview's staging, the files and every reported record.
 */
import { transcode } from 'node:buffer';
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, getTableColumns, getViewSelectedFields, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../client';
import { rawClient } from '../copy';
import { members, tasks, taxMigratedRecords, taxRejectedRecords, taxReportFiles, taxReportItems, taxReportRuns, taxReportedRecords } from '../schema';
import type { ReportSummary, TaxReportException } from '../../domain/tax/report';
import type { TaxReportSettings } from '../../domain/tax/settings';
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

/** Whether a migration brought the previous register's report of the year (decision 047): the year was filed there. */
export async function hasMigratedRecords(db: DbOrTx, year: number): Promise<boolean> {
  return (await db.select({ id: taxMigratedRecords.id }).from(taxMigratedRecords).where(eq(taxMigratedRecords.year, year)).limit(1)).length > 0;
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

/**
 * A ledger row's cash date: the bank's booking date (a payment the bank booked on 30 December and
 * a person placed by hand on 3 January still belongs to the old year), else its ledger date.
 * `booked_on` carries the booking date where it differs (migration 0026), so no join is needed.
 */
const cashDate = sql`coalesce(l.booked_on, l.occurred_on)`;

/** What the preview staged: the summary of every member with money in the year, and the outgoing records. */
export interface StagedYear extends ReportSummary {
  outgoing: number;
  outgoingCents: number;
}

/**
 * The preview's staging in one statement (docs/decisions/034-tax-report-in-sql.md): every member
 * with fund-collected money in `year` (cash basis) or a figure reported for it, their report
 * (`memberReport` in domain/tax/report.ts) and the records to send against what stands at the
 * Tax Administration (`correctionRecords` in domain/tax/corrections.ts), written straight into
 * `tax_report_items` in member order: a member's zeroing record before its new one, a listed
 * member without a record as one row with no kind. The rules are the domain's; this is their
 * set-based form (with `persons.valid_identity_code` for `parseIdentityCode` and
 * `persons.report_name` for `reportName`, migration 0032), held to them by
 * tests/integration/tax-staging.test.ts. Replaces earlier staging; run it in a transaction.
 */
export async function stageYear(
  db: DbOrTx,
  runId: string,
  year: number,
  settings: Pick<TaxReportSettings, 'netRefunds' | 'zeroNet'>,
): Promise<StagedYear> {
  await db.delete(taxReportItems).where(eq(taxReportItems.runId, runId));
  await prepareStaging(db);
  const [row] = await db.execute<{ summary: ReportSummary; outgoing: number; outgoing_cents: string }>(stagingStatement(runId, year, settings));
  return { ...row!.summary, outgoing: row!.outgoing, outgoingCents: Number(row!.outgoing_cents) };
}

/**
 * Before `stagingStatement`, in the caller's transaction: the statement's sorts and hashes in
 * memory rather than on disk. The year's money per member is kept as the ledger is written
 * (`member_year_money`, decision 060): nothing to aggregate here.
 */
export async function prepareStaging(db: DbOrTx): Promise<void> {
  await db.execute(sql`SET LOCAL work_mem = '128MB'`);
}

/** `stageYear`'s one statement after `prepareStaging` (also for the bench's EXPLAIN). */
export function stagingStatement(runId: string, year: number, settings: Pick<TaxReportSettings, 'netRefunds' | 'zeroNet'>) {
  return sql`
    WITH money AS (
      -- Kept with every ledger write (decision 060): the year's fund-collected payments, reversals and refunds of
      -- each member by cash date; a member whose rows all left the year has entries = 0 and no money.
      SELECT member_id, paid_cents AS paid, reversed_cents AS reversed, refunded_cents AS refunded
      FROM member_year_money WHERE year = ${year} AND entries > 0
    ), reported AS (
      SELECT DISTINCT member_id FROM tax_reported_records WHERE year = ${year}
    ), standing AS (
      -- The newest record not rejected; one that zeroed an old code leaves nothing standing.
      SELECT * FROM (
        SELECT DISTINCT ON (member_id) member_id, identity_code, name, amount_cents, kind
        FROM tax_reported_records WHERE year = ${year} AND status <> 'rejected'
        ORDER BY member_id, created_at DESC, record_number DESC) s
      WHERE kind <> 'zero'
    ), person AS (
      -- Inlined into report (read once): the checks are columns of the person row (migration 0032), nothing to compute twice.
      SELECT mem.id AS member_id,
        (coalesce(m.paid, 0) <> 0 OR coalesce(m.reversed, 0) <> 0 OR coalesce(m.refunded, 0) <> 0) AS has_money,
        coalesce(m.paid, 0) - coalesce(m.reversed, 0) - CASE WHEN ${settings.netRefunds} THEN coalesce(m.refunded, 0) ELSE 0 END AS net,
        p.identity_code AS code,
        p.identity_code = '' AS missing,
        -- Both kept with the person (migration 0032): identity_code_valid(identity_code) and reportName.
        p.identity_code <> '' AND NOT p.valid_identity_code AS invalid,
        p.report_name AS name,
        p.date_of_death IS NOT NULL AS deceased,
        p.non_disclosure,
        s.member_id IS NOT NULL AS has_previous, s.identity_code AS prev_code, s.name AS prev_name, s.amount_cents AS prev_amount
      FROM money m
      FULL JOIN reported r ON r.member_id = m.member_id
      JOIN members mem ON mem.id = coalesce(m.member_id, r.member_id)
      JOIN persons p ON p.id = mem.person_id
      LEFT JOIN standing s ON s.member_id = mem.id
    ), report AS MATERIALIZED (
      -- Materialized: read by the records below and by the summary.
      SELECT x.*, NOT blocked AND (net > 0 OR ${settings.zeroNet} = 'report') AS reportable,
        -- Most members have none: the array is built only for the others.
        CASE WHEN blocked OR deceased OR non_disclosure THEN array_remove(ARRAY[
          CASE WHEN missing THEN 'missing-identity-code' WHEN invalid THEN 'invalid-identity-code' END,
          CASE WHEN net < 0 THEN 'negative-net' END,
          CASE WHEN deceased THEN 'deceased' END,
          CASE WHEN non_disclosure THEN 'non-disclosure' END], NULL) ELSE '{}'::text[] END AS exceptions
      FROM (SELECT *, missing OR invalid OR net < 0 AS blocked FROM person) x
    ), records AS (
      -- The records to send, and a listed member with nothing to send as one row without a kind.
      SELECT member_id, net, exceptions, 1 AS ord,
        CASE WHEN NOT has_previous OR prev_code <> code THEN 'new' ELSE 'replace' END AS kind,
        CASE WHEN NOT has_previous OR prev_code <> code THEN code ELSE prev_code END AS identity_code,
        CASE WHEN NOT has_previous OR prev_code <> code THEN name ELSE prev_name END AS name,
        net::int AS amount_cents
      FROM report
      WHERE CASE WHEN NOT has_previous THEN reportable
        WHEN blocked THEN false
        -- Under the right code a fresh original; the same identifiers with a new figure.
        WHEN prev_code <> code THEN net > 0 OR reportable
        ELSE prev_amount <> net END
      UNION ALL
      -- The old identifiers zeroed when the identity code was corrected (before the new record).
      SELECT member_id, net, exceptions, 0, 'zero', prev_code, prev_name, 0
      FROM report WHERE has_previous AND NOT blocked AND prev_code <> code
      UNION ALL
      SELECT member_id, net, exceptions, 0, NULL, code, name, NULL
      FROM report
      WHERE cardinality(exceptions) > 0
        AND NOT CASE WHEN NOT has_previous THEN reportable WHEN blocked THEN false ELSE prev_code <> code OR prev_amount <> net END
    ), staged AS (
      -- The record numbers of the file (its records in seq order): the same window, counting records.
      INSERT INTO tax_report_items (run_id, seq, member_id, net_cents, exceptions, record_kind, identity_code, name, amount_cents, record_number)
      SELECT ${runId}, row_number() OVER w, member_id, net, exceptions, kind, identity_code, name, amount_cents,
        CASE WHEN kind IS NOT NULL THEN count(kind) OVER w END
      FROM records
      WINDOW w AS (ORDER BY member_id, ord ROWS UNBOUNDED PRECEDING)
      RETURNING record_kind, amount_cents
    )
    SELECT
      (SELECT jsonb_build_object(
        'members', count(*),
        'records', count(*) FILTER (WHERE reportable),
        'totalCents', coalesce(sum(net) FILTER (WHERE reportable), 0),
        'exceptions', jsonb_strip_nulls(jsonb_build_object(
          'missing-identity-code', nullif(count(*) FILTER (WHERE missing), 0),
          'invalid-identity-code', nullif(count(*) FILTER (WHERE invalid AND NOT missing), 0),
          'negative-net', nullif(count(*) FILTER (WHERE net < 0), 0),
          'deceased', nullif(count(*) FILTER (WHERE deceased), 0),
          'non-disclosure', nullif(count(*) FILTER (WHERE non_disclosure), 0))),
        'blocked', count(*) FILTER (WHERE blocked))
       FROM report WHERE has_money) AS summary,
      o.outgoing, o.outgoing_cents
    FROM (SELECT count(*) FILTER (WHERE record_kind IS NOT NULL)::int AS outgoing,
        coalesce(sum(amount_cents) FILTER (WHERE record_kind IN ('new', 'replace')), 0) AS outgoing_cents
      FROM staged) o`;
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

/** The run's outgoing records in file order (their record numbers follow), `size` at a time (the file is made in SQL since decision 053; tests make it with the transform from these). */
export async function* outgoingRecords(db: DbOrTx, runId: string, size: number): AsyncGenerator<{ identityCode: string; name: string; amountCents: number }[]> {
  for (let after = 0; ; ) {
    const rows = await db.execute<{ seq: number; identity_code: string; name: string; amount_cents: number }>(sql`
      SELECT seq, identity_code, name, amount_cents FROM tax_report_items
      WHERE run_id = ${runId} AND seq > ${after} AND record_kind IS NOT NULL ORDER BY seq LIMIT ${size}`);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.seq;
    yield rows.map((r) => ({ identityCode: r.identity_code, name: r.name, amountCents: r.amount_cents }));
    if (rows.length < size) return;
  }
}

/** A staged record that needs care before it goes into the file: see `recordsNeedingCare`. */
export interface RecordNeedingCare {
  recordNumber: number;
  identityCode: string | null;
  name: string;
  amountCents: number | null;
}

/**
 * The run's records whose identity code or name matches `notPrintable` (a character outside
 * printable Latin-1: the transform transliterates it), or that cannot go into a file as they are
 * (no code, no amount, a negative amount), in file order. Few or none in a year's file.
 */
export async function recordsNeedingCare(db: DbOrTx, runId: string, notPrintable: string): Promise<RecordNeedingCare[]> {
  const rows = await db.execute<{ record_number: number; identity_code: string | null; name: string; amount_cents: number | null }>(sql`
    SELECT record_number, identity_code, name, amount_cents FROM tax_report_items
    WHERE run_id = ${runId} AND record_kind IS NOT NULL
      AND (identity_code IS NULL OR amount_cents IS NULL OR amount_cents < 0 OR identity_code ~ ${notPrintable} OR name ~ ${notPrintable})
    ORDER BY record_number`);
  return rows.map((r) => ({ recordNumber: r.record_number, identityCode: r.identity_code, name: r.name, amountCents: r.amount_cents }));
}

/** How many records the run's file has (its staged records). */
export async function outgoingCount(db: DbOrTx, runId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM tax_report_items WHERE run_id = ${runId} AND record_kind IS NOT NULL`);
  return row!.n;
}

/** The pieces of a record's lines (integrations/transforms/taxReport.ts#taxReportLines). */
export interface FileLines {
  prefix: string;
  codeLine: string;
  nameLine: string | null;
  amountLine: string;
  endLine: string;
  eol: string;
}

/**
 * Writes the run's file from its staged records in one statement (decision 053): each record's
 * lines put together from `lines` in record-number order (a record's code and name from `values`
 * where given: the transform's form of a value that needed care), the Latin-1 bytes hashed, and
 * the file row inserted once per run. Nothing of the ~40 MB passes through Node. `convert_to`
 * refuses a character outside ISO-8859-1, so none slips into the file. Null when the run has its file.
 */
export async function insertFileFromStaging(
  db: DbOrTx,
  file: { runId: string; year: number; lines: FileLines; values: { recordNumber: number; identityCode: string; name: string }[]; transliterations: unknown[] },
): Promise<TaxFileMeta | null> {
  const { prefix, codeLine, nameLine, amountLine, endLine, eol } = file.lines;
  const values = JSON.stringify(file.values.map((v) => ({ n: v.recordNumber, code: v.identityCode, name: v.name })));
  const [row] = await db.execute<{ id: string }>(sql`
    WITH v AS (
      SELECT * FROM jsonb_to_recordset(${values}::jsonb) AS v(n int, code text, name text)
    ), f AS (
      SELECT coalesce(string_agg(
          ${prefix}::text || ${codeLine}::text || coalesce(v.code, i.identity_code)
          || coalesce(${nameLine}::text || coalesce(v.name, i.name), '')
          || ${amountLine}::text || (i.amount_cents / 100)::text || ',' || lpad((i.amount_cents % 100)::text, 2, '0')
          || ${endLine}::text || i.record_number::text || ${eol}::text,
          '' ORDER BY i.record_number), '') AS content,
        count(*)::int AS record_count, coalesce(sum(i.amount_cents), 0) AS total_cents
      FROM tax_report_items i LEFT JOIN v ON v.n = i.record_number
      WHERE i.run_id = ${file.runId} AND i.record_kind IS NOT NULL
    )
    INSERT INTO tax_report_files (run_id, year, sha256, content, record_count, total_cents, transliterations, status)
    SELECT ${file.runId}, ${file.year}, encode(sha256(convert_to(content, 'LATIN1')), 'hex'), content, record_count, total_cents, ${JSON.stringify(file.transliterations)}::jsonb, 'created'
    FROM f
    ON CONFLICT (run_id) DO NOTHING
    RETURNING id`);
  return row ? ((await findFile(db, row.id)) ?? null) : null;
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

/** A file's row without its content (which runs to tens of megabytes): `fileContent` reads that. */
const fileColumns = (({ content: _, ...rest }) => rest)(getTableColumns(taxReportFiles));
export type TaxFileMeta = Omit<TaxFileRow, 'content'>;

export async function insertFileOnce(db: DbOrTx, file: typeof taxReportFiles.$inferInsert): Promise<{ row: TaxFileMeta; created: boolean }> {
  const inserted = await db.insert(taxReportFiles).values(file).onConflictDoNothing().returning(fileColumns);
  if (inserted[0]) return { row: inserted[0], created: true };
  return { row: (await fileOfRun(db, file.runId))!, created: false };
}

export async function fileOfRun(db: DbOrTx, runId: string): Promise<TaxFileMeta | undefined> {
  return (await db.select(fileColumns).from(taxReportFiles).where(eq(taxReportFiles.runId, runId)).limit(1))[0];
}

export async function findFile(db: DbOrTx, id: string): Promise<TaxFileMeta | undefined> {
  return (await db.select(fileColumns).from(taxReportFiles).where(eq(taxReportFiles.id, id)).limit(1))[0];
}

/**
 * The file as sent, byte for byte (ISO-8859-1; stored as text whose characters are the bytes).
 * The ~40 MB value comes as the connection's UTF-8 bytes (a raw row: no JavaScript string of
 * 40 million characters in between) and is transcoded to Latin-1 in one call (decision 053).
 */
export async function fileContent(db: Database, id: string): Promise<Buffer> {
  const [row] = await rawClient(db)`SELECT content FROM tax_report_files WHERE id = ${id}`.raw();
  if (!row) throw new Error(`tax report file ${id} not found`);
  return transcode(row[0] as Buffer, 'utf8', 'latin1');
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

/**
 * Keeps the file's rejected records with their reasons. The others are accepted once the file's
 * status says it was acknowledged (`tax_reported_records` reads both), so nothing else is written.
 */
export async function settleRecords(db: DbOrTx, fileId: string, rejected: { recordNumber: number; reason: string }[]): Promise<void> {
  if (rejected.length === 0) return;
  await db
    .insert(taxRejectedRecords)
    .values(rejected.map((r) => ({ fileId, recordNumber: r.recordNumber, reason: r.reason })))
    .onConflictDoNothing();
}

export async function recordsOfFile(db: DbOrTx, fileId: string, recordNumbers: number[]): Promise<TaxRecordRow[]> {
  if (recordNumbers.length === 0) return [];
  return db.select().from(taxReportedRecords).where(and(eq(taxReportedRecords.fileId, fileId), sql`${taxReportedRecords.recordNumber} = ANY(${`{${recordNumbers.join(',')}}`}::int[])`));
}

/** The run id `tax_reported_records` gives a figure the previous register reported (migration 0033). */
export const MIGRATED_TAX_RUN_ID = 'migration';

/**
 * The member's reported records, newest first (the overview and the fee statement), the previous
 * register's figures brought in by a migration among them (decision 047): those have no file of
 * the register's own, and went on the day the previous register reported them.
 */
export async function recordsOfMember(db: DbOrTx, memberId: string, year?: number): Promise<(TaxRecordRow & { sentAt: Date | null })[]> {
  return db
    .select({
      ...getViewSelectedFields(taxReportedRecords),
      sentAt: sql<Date | null>`coalesce(${taxReportFiles.sentAt}, CASE WHEN ${taxReportedRecords.runId} = ${MIGRATED_TAX_RUN_ID} THEN ${taxReportedRecords.createdAt} END)`.mapWith(taxReportFiles.sentAt),
    })
    .from(taxReportedRecords)
    .leftJoin(taxReportFiles, eq(taxReportFiles.id, taxReportedRecords.fileId))
    .where(and(eq(taxReportedRecords.memberId, memberId), year === undefined ? sql`true` : eq(taxReportedRecords.year, year)))
    .orderBy(desc(taxReportedRecords.createdAt), desc(taxReportedRecords.recordNumber));
}

/** The member's fund-collected money per calendar year (cash basis, as the report counts it). */
export async function memberYears(db: DbOrTx, memberId: string): Promise<{ year: number; paidCents: number; reversedCents: number; refundedCents: number }[]> {
  const rows = await db.execute<{ year: number; paid: string; reversed: string; refunded: string }>(sql`
    SELECT extract(year FROM ${cashDate})::int AS year,
      sum(CASE WHEN l.kind = 'payment' THEN -l.amount_cents ELSE 0 END) AS paid,
      sum(CASE WHEN l.kind = 'reversal' THEN l.amount_cents ELSE 0 END) AS reversed,
      sum(CASE WHEN l.kind = 'refund' THEN l.amount_cents ELSE 0 END) AS refunded
    FROM ledger_entries l
    WHERE l.member_id = ${memberId} AND l.kind IN ('payment', 'reversal', 'refund') AND l.collected_by = 'fund'
    GROUP BY 1 ORDER BY 1 DESC`);
  return rows.map((r) => ({ year: r.year, paidCents: Number(r.paid), reversedCents: Number(r.reversed), refundedCents: Number(r.refunded) }));
}

/** The run's open tasks (its approval, its rejected records). */
export async function openTasksOfRun(db: DbOrTx, workflowId: string) {
  return db.select().from(tasks).where(and(eq(tasks.workflowId, workflowId), eq(tasks.status, 'open'))).orderBy(asc(tasks.createdAt));
}
