/**
 * Migration batches: the files, the runs, every source record's outcome, the legacy-id keys, the
 * loader (one chunk per transaction) and the register's side of the reconciliation. A test run
 * loads into a schema of its own (`migration_test_<hash>`) holding copies of the register's tables:
 * the same statements run there through the search path, and the schema is dropped afterwards.
 */
import { createHash } from 'node:crypto';
import { and, asc, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database, DbOrTx } from '../client';
import { copyRows, rawClient } from '../copy';
import { migrationBatches, migrationFiles, migrationKeys, migrationOutcomes, migrationRecords, migrationRuns } from '../schema';
import type { MigrationEntity, MigrationStaging, RejectReason, StagedRecord, StagedSource, ValidationBasis } from '../../domain/migration/records';
import type { Figures, MigrationOutcome, MigrationReport, ReadableReport } from '../../domain/migration/report';
import type { Interval } from '../../domain/membership/periods';

export type MigrationBatchRow = typeof migrationBatches.$inferSelect;
/**
 * A run's row without its source figures (`source_figures`: a few MB at 270,000 members, decision
 * 064), which only the reconciliation reads (findSourceFigures): every chunk reads its run. Nor its
 * readable report, which only the desk's view of a batch reads (runsOfBatch, decision 071).
 */
export type MigrationRunRow = Omit<typeof migrationRuns.$inferSelect, 'sourceFigures' | 'readableReport'>;
/**
 * A run as the view of its batch reads it (decision 071): the readable report instead of the
 * whole one, whose per-member figures make it megabytes at a fund's size; the whole `report`
 * only of a run reconciled before the readable one was kept (null otherwise).
 */
export type MigrationRunListing = Omit<MigrationRunRow, 'report'> & { report: MigrationReport | null; readableReport: ReadableReport | null };
export type MigrationSourceFigures = NonNullable<(typeof migrationRuns.$inferSelect)['sourceFigures']>;
export type MigrationFileRow = typeof migrationFiles.$inferSelect;

/** The register tables a test run copies into its own schema. */
const copiedTables = ['persons', 'members', 'membership_periods', 'invoices', 'ledger_entries', 'migration_keys', 'collection_reminders', 'collection_holds', 'hearings', 'collection_hearing_starts', 'transferred_periods', 'tax_migrated_records', 'messages', 'applications'] as const;

/** The throw-away schema of a test run. */
export function testSchemaName(runId: string): string {
  return `migration_test_${createHash('sha256').update(runId).digest('hex').slice(0, 16)}`;
}

export async function findBatch(db: DbOrTx, id: string): Promise<MigrationBatchRow | undefined> {
  return (await db.select().from(migrationBatches).where(eq(migrationBatches.id, id)).limit(1))[0];
}

export async function listBatches(db: DbOrTx): Promise<MigrationBatchRow[]> {
  return db.select().from(migrationBatches).orderBy(desc(migrationBatches.createdAt)).limit(200);
}

/** Stores a batch's files; a batch whose content changes loses its approval. */
export async function saveBatch(db: Database, batch: { id: string; createdBy: string; contentHash: string; files: Omit<MigrationFileRow, 'batchId'>[] }): Promise<MigrationBatchRow> {
  return db.transaction(async (tx) => {
    await tx
      .insert(migrationBatches)
      .values({ id: batch.id, status: 'uploaded', contentHash: batch.contentHash, createdBy: batch.createdBy })
      .onConflictDoUpdate({ target: migrationBatches.id, set: { contentHash: batch.contentHash, status: 'uploaded', approvedBy: null, approvedHash: null, approvedAt: null, updatedAt: sql`now()` } });
    await tx.delete(migrationFiles).where(eq(migrationFiles.batchId, batch.id));
    if (batch.files.length > 0) await tx.insert(migrationFiles).values(batch.files.map((f) => ({ ...f, batchId: batch.id })));
    return (await findBatch(tx, batch.id))!;
  });
}

export async function batchFiles(db: DbOrTx, batchId: string): Promise<MigrationFileRow[]> {
  return db.select().from(migrationFiles).where(eq(migrationFiles.batchId, batchId));
}

export async function setBatch(db: DbOrTx, id: string, set: Partial<typeof migrationBatches.$inferInsert>): Promise<void> {
  await db.update(migrationBatches).set({ ...set, updatedAt: sql`now()` }).where(eq(migrationBatches.id, id));
}

const { sourceFigures: _sourceFigures, readableReport: _readableReport, ...runColumns } = getTableColumns(migrationRuns);
const { report: _report, ...listedColumns } = runColumns;

export async function findRun(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<MigrationRunRow | undefined> {
  const q = db.select(runColumns).from(migrationRuns).where(eq(migrationRuns.id, id)).limit(1);
  return (await (opts.forUpdate ? q.for('update') : q))[0];
}

/** Every run of a batch, oldest first, each with its readable report (or, reconciled before decision 071, its whole one). */
export async function runsOfBatch(db: DbOrTx, batchId: string): Promise<MigrationRunListing[]> {
  return db
    .select({
      ...listedColumns,
      readableReport: migrationRuns.readableReport,
      report: sql<MigrationReport | null>`CASE WHEN ${migrationRuns.readableReport} IS NULL THEN ${migrationRuns.report} END`.mapWith(migrationRuns.report),
    })
    .from(migrationRuns)
    .where(eq(migrationRuns.batchId, batchId))
    .orderBy(asc(migrationRuns.createdAt));
}

/** Whether a test of exactly these files (their content hash) passed: one row looked for, no report read. */
export async function hasPassedTest(db: DbOrTx, batchId: string, contentHash: string): Promise<boolean> {
  const [row] = await db
    .select({ id: migrationRuns.id })
    .from(migrationRuns)
    .where(and(eq(migrationRuns.batchId, batchId), eq(migrationRuns.mode, 'test'), eq(migrationRuns.status, 'passed'), eq(migrationRuns.contentHash, contentHash)))
    .limit(1);
  return row !== undefined;
}

/** The source side of the reconciliation counted when the run was prepared (decision 064), if it was. */
export async function findSourceFigures(db: DbOrTx, runId: string): Promise<MigrationSourceFigures | null> {
  const [row] = await db.select({ sourceFigures: migrationRuns.sourceFigures }).from(migrationRuns).where(eq(migrationRuns.id, runId)).limit(1);
  return row?.sourceFigures ?? null;
}

export async function insertRunOnce(db: DbOrTx, run: typeof migrationRuns.$inferInsert): Promise<MigrationRunRow> {
  await db.insert(migrationRuns).values(run).onConflictDoNothing();
  return (await findRun(db, run.id))!;
}

export async function setRun(db: DbOrTx, id: string, set: Partial<typeof migrationRuns.$inferInsert>): Promise<void> {
  await db.update(migrationRuns).set(set).where(eq(migrationRuns.id, id));
}

/**
 * `legacy_id = ANY(ARRAY(…))` of one json parameter (json, not jsonb: decision 072): one scan of the keys' index in the order of
 * the sorted ids (decision 062). `IN (SELECT jsonb_array_elements_text(…))`, as before, was
 * planned as a nested loop of one probe per id, in the ids' order: 180–380 ms for a chunk's 20,000
 * ids against a table of two million keys where this takes 30–60 ms; a join to the chunk's staged
 * records probes the same way (300 ms when the keys exist). One parameter still: a whole export's
 * ids as a list of bound values overflows the query builder's stack.
 */
const legacyIdIn = (ids: readonly string[]) => sql`${migrationKeys.legacyId} = ANY(ARRAY(SELECT json_array_elements_text(${JSON.stringify([...new Set(ids)])}::json)))`;

/** The register's legacy-id keys as a validation basis counts them (decision 073): how many, and the sum of their hashes. */
export async function keysSummary(db: DbOrTx): Promise<{ keys: number; keysDigest: string }> {
  const [row] = await db.execute<{ keys: number; digest: string }>(sql`SELECT count(*)::int AS keys, coalesce(sum(hashtextextended(entity || '/' || legacy_id, 0)), 0)::text AS digest FROM migration_keys`);
  return { keys: row?.keys ?? 0, keysDigest: row?.digest ?? '0' };
}

/** Legacy ids already loaded, per entity (a later batch's children may name them). */
export async function knownLegacyIds(db: DbOrTx, entity: MigrationEntity, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.select({ id: migrationKeys.legacyId }).from(migrationKeys).where(and(eq(migrationKeys.entity, entity), legacyIdIn(ids)));
  return new Set(rows.map((r) => r.id));
}

/**
 * Stores a run's validated records once (a retried step finds them there), with one `COPY` in one
 * transaction with the run's counts. The run's row is locked first: one check that it is there for
 * the whole `COPY` instead of a foreign key's per staged record (decision 062), and one attempt's
 * choice at a time (decision 073: a run that took its test's records stages nothing). The records are written as `records` gives them (decision 067: a generator that
 * validates them as the `COPY` asks for more keeps both cores busy); returns how many there are and
 * how many of them validation rejected — those staged before, when they were.
 */
export async function stageRecords(db: Database, runId: string, records: Iterable<StagedRecord>, basis?: ValidationBasis): Promise<{ total: number; rejected: number }> {
  return rawClient(db).begin(async (tx) => {
    // Against a concurrent attempt's choice of its test's records (reuseStaging): one or the other.
    const [run] = await tx<{ records_run_id: string | null; staging: MigrationStaging | null }[]>`SELECT records_run_id, staging FROM migration_runs WHERE id = ${runId} FOR NO KEY UPDATE`;
    if (!run) throw new Error(`No migration run ${runId} to stage records for.`);
    if (run.records_run_id && run.staging) return stagedTotals(run.staging);
    const [staged] = await tx<{ total: number; rejected: number }[]>`SELECT count(*)::int AS total, count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected FROM migration_records WHERE run_id = ${runId}`;
    if (staged && staged.total > 0) return staged;
    let total = 0;
    let rejected = 0;
    const counts: MigrationStaging['counts'] = {};
    await copyRows(
      tx,
      'migration_records',
      ['run_id', 'entity', 'seq', 'legacy_id', 'outcome', 'reasons', 'source', 'data'],
      // The source row only (decision 051): the load takes a valid record's data from it (recordData), so each record is one jsonb, not two.
      (function* () {
        for (const r of records) {
          total += 1;
          const c = (counts[r.entity] ??= { pending: 0, rejected: 0 });
          if (r.reasons) {
            rejected += 1;
            c.rejected += 1;
          } else c.pending += 1;
          yield [runId, r.entity, r.seq, r.legacyId, r.reasons ? 'rejected' : 'pending', r.reasons ?? [], r.source, null];
        }
      })(),
    );
    const staging: MigrationStaging | null = basis ? { basis, counts } : null;
    await tx`UPDATE migration_runs SET total = ${total}, done = ${rejected}, staging = ${staging === null ? null : JSON.stringify(staging)}::jsonb WHERE id = ${runId}`;
    return { total, rejected };
  });
}

/** Whether the run has staged records of its own (a real run that staged them stays on them when started again). */
export async function hasOwnRecords(db: DbOrTx, runId: string): Promise<boolean> {
  return (await db.select({ one: sql`1` }).from(migrationRecords).where(eq(migrationRecords.runId, runId)).limit(1)).length > 0;
}

/** The run whose staged records a run loads: its own, or those of its passed test (decision 073). */
export const stagedRunOf = (run: Pick<MigrationRunRow, 'id' | 'recordsRunId'>): string => run.recordsRunId ?? run.id;

/** A staged run's record count and how many of them validation rejected. */
export function stagedTotals(staging: MigrationStaging): { total: number; rejected: number } {
  const counts = Object.values(staging.counts);
  return { total: counts.reduce((n, c) => n + c.pending + c.rejected, 0), rejected: counts.reduce((n, c) => n + c.rejected, 0) };
}

/**
 * The passed tests of the run's files (its batch and content hash) that staged records of their
 * own and kept what they were validated on (decision 073), latest first: a real run may load one's
 * records as they are.
 */
export async function stagedPassedTests(db: DbOrTx, run: Pick<MigrationRunRow, 'batchId' | 'contentHash'>): Promise<{ id: string; staging: MigrationStaging }[]> {
  const tests = await db
    .select({ id: migrationRuns.id, staging: migrationRuns.staging })
    .from(migrationRuns)
    .where(and(eq(migrationRuns.batchId, run.batchId), eq(migrationRuns.mode, 'test'), eq(migrationRuns.status, 'passed'), eq(migrationRuns.contentHash, run.contentHash), sql`${migrationRuns.recordsRunId} IS NULL`, sql`${migrationRuns.staging} IS NOT NULL`))
    .orderBy(desc(migrationRuns.createdAt));
  return tests.flatMap((t) => (t.staging ? [{ id: t.id, staging: t.staging }] : []));
}

/**
 * The run loads the test's staged records (decision 073): its counts as the test staged them, and
 * the test's source figures when they are of the day `on` (otherwise the caller counts them; says
 * whether they were). Null when the run has made its choice meanwhile (a concurrent attempt of the
 * step staged its own records, or took a test's): the staging then finds that choice.
 */
export async function reuseStaging(db: DbOrTx, runId: string, test: { id: string; staging: MigrationStaging }, on: string): Promise<{ total: number; rejected: number; figuresOfDay: boolean } | null> {
  const { total, rejected } = stagedTotals(test.staging);
  const [row] = await db.execute<{ figures_of_day: boolean }>(sql`
    UPDATE migration_runs r SET records_run_id = t.id, staging = t.staging, total = ${total}, done = ${rejected},
      source_figures = CASE WHEN t.source_figures->>'on' = ${on} THEN t.source_figures END
    FROM migration_runs t
    WHERE r.id = ${runId} AND t.id = ${test.id} AND r.records_run_id IS NULL AND NOT EXISTS (SELECT 1 FROM migration_records m WHERE m.run_id = r.id)
    RETURNING r.source_figures IS NOT NULL AS figures_of_day`);
  return row ? { total, rejected, figuresOfDay: row.figures_of_day } : null;
}

/**
 * A run's records per entity and outcome: the staged outcomes (`rejected` by validation, `pending`)
 * with the load's outcomes (decision 046) taken out of `pending`; a record settled in place by an
 * earlier version of the loader counts under its staged outcome. The staged outcomes as counted
 * when they were staged (decision 073), counted again only for a run staged before that.
 */
export async function outcomeCounts(db: DbOrTx, run: Pick<MigrationRunRow, 'id' | 'recordsRunId' | 'staging'>): Promise<{ entity: MigrationEntity; outcome: MigrationOutcome; n: number }[]> {
  const count = sql<number>`count(*)::int`;
  const staged = run.staging
    ? Object.entries(run.staging.counts).flatMap(([entity, c]) => [
        { entity: entity as MigrationEntity, outcome: 'pending' as const, n: c.pending },
        { entity: entity as MigrationEntity, outcome: 'rejected' as const, n: c.rejected },
      ])
    : await db.select({ entity: migrationRecords.entity, outcome: migrationRecords.outcome, n: count }).from(migrationRecords).where(eq(migrationRecords.runId, stagedRunOf(run))).groupBy(migrationRecords.entity, migrationRecords.outcome);
  const loaded = await db.select({ entity: migrationOutcomes.entity, outcome: migrationOutcomes.outcome, n: count }).from(migrationOutcomes).where(eq(migrationOutcomes.runId, run.id)).groupBy(migrationOutcomes.entity, migrationOutcomes.outcome);
  const out = new Map(staged.map((c) => [`${c.entity}/${c.outcome}`, { ...c }]));
  for (const c of loaded) {
    const pending = out.get(`${c.entity}/pending`);
    if (pending) pending.n -= c.n;
    const to = out.get(`${c.entity}/${c.outcome}`);
    if (to) to.n += c.n;
    else out.set(`${c.entity}/${c.outcome}`, { ...c });
  }
  return [...out.values()].filter((c) => c.n > 0);
}

/** Records whose register value was kept over the batch's (the load's outcomes, and those an earlier loader settled in place). */
export async function keptCount(db: DbOrTx, run: Pick<MigrationRunRow, 'id' | 'recordsRunId'>): Promise<number> {
  const [loaded] = await db.select({ n: sql<number>`count(*)::int` }).from(migrationOutcomes).where(and(eq(migrationOutcomes.runId, run.id), sql`cardinality(${migrationOutcomes.kept}) > 0`));
  // Along the index of records settled in place (decision 073): none for a run since decision 046, where a scan read all its staged records.
  const [inPlace] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(migrationRecords)
    .where(and(eq(migrationRecords.runId, stagedRunOf(run)), inArray(migrationRecords.outcome, ['updated', 'unchanged']), sql`cardinality(${migrationRecords.kept}) > 0`));
  return (loaded?.n ?? 0) + (inPlace?.n ?? 0);
}

/** The rejected records of one entity in file order: by validation (staged so) or by the load (its outcome). */
export async function rejectedRecords(db: DbOrTx, run: Pick<MigrationRunRow, 'id' | 'recordsRunId'>, entity: MigrationEntity): Promise<{ legacyId: string; source: StagedSource; reasons: RejectReason[] }[]> {
  return db
    .select({ legacyId: migrationRecords.legacyId, source: migrationRecords.source, reasons: sql<RejectReason[]>`coalesce(${migrationOutcomes.reasons}, ${migrationRecords.reasons})` })
    .from(migrationRecords)
    .leftJoin(migrationOutcomes, and(eq(migrationOutcomes.runId, run.id), eq(migrationOutcomes.entity, migrationRecords.entity), eq(migrationOutcomes.seq, migrationRecords.seq)))
    .where(and(eq(migrationRecords.runId, stagedRunOf(run)), eq(migrationRecords.entity, entity), sql`coalesce(${migrationOutcomes.outcome}, ${migrationRecords.outcome}) = 'rejected'`))
    .orderBy(asc(migrationRecords.seq));
}

/** Every source row of a run, per entity, in file order (the reconciliation's source side). */
export async function sourceRows(db: DbOrTx, run: Pick<MigrationRunRow, 'id' | 'recordsRunId'>): Promise<Partial<Record<MigrationEntity, StagedSource[]>>> {
  const rows = await db.select({ entity: migrationRecords.entity, source: migrationRecords.source }).from(migrationRecords).where(eq(migrationRecords.runId, stagedRunOf(run))).orderBy(asc(migrationRecords.entity), asc(migrationRecords.seq));
  const out: Partial<Record<MigrationEntity, StagedSource[]>> = {};
  for (const r of rows) (out[r.entity] ??= []).push(r.source);
  return out;
}

// ── The test schema ──────────────────────────────────────────────────────────────────────────

/** The one-row table that says a test run's schema still holds what its chunks loaded (decision 072). */
const intactMarker = 'test_run_intact';

/**
 * What a test schema's marker says: `missing` (no schema), `unmarked` (a schema made before the
 * marker: logged, never emptied), `intact` (its row is there) or `emptied` (a crash's recovery
 * emptied the unlogged tables).
 */
async function schemaState(tx: DbOrTx, schema: string): Promise<'missing' | 'unmarked' | 'intact' | 'emptied'> {
  const [found] = await tx.execute<{ schema: string | null; marker: string | null }>(sql`SELECT to_regnamespace(${`"${schema}"`})::text AS schema, to_regclass(${`"${schema}".${intactMarker}`})::text AS marker`);
  if (!found?.schema) return 'missing';
  if (!found.marker) return 'unmarked';
  return (await tx.execute(sql.raw(`SELECT 1 FROM "${schema}".${intactMarker}`))).length > 0 ? 'intact' : 'emptied';
}

/**
 * A test run's schema was emptied under a running run: its tables are unlogged (decision 072), and
 * PostgreSQL empties unlogged tables when it recovers from a crash. What the run's outcomes say was
 * loaded is gone, so the run cannot go on; started again, it loads again from the start.
 */
export class TestSchemaEmptied extends Error {
  constructor(schema: string) {
    super(`The test run's schema ${schema} was emptied by a restart of the database; start the test again (it loads from the start).`);
    this.name = 'TestSchemaEmptied';
  }
}

/**
 * Creates the test run's schema with copies of the register's tables and their rows, and (re)starts
 * the run's load: the outcomes of an earlier attempt of the run (a failed run started again, its
 * schema dropped; a schema a crash emptied) described a schema that is gone, so they go too and
 * every staged record is pending again (its done count back to the records validation
 * `rejected`). A schema that is there and whole is left as it is. One
 * transaction. The copies are unlogged (decision 072): the schema is thrown away after the run, so
 * its rows need no write-ahead log; a crash empties them, which the marker row shows the chunks.
 */
export async function createTestSchema(db: Database, schema: string, run: { runId: string; rejected: number }): Promise<void> {
  await db.transaction(async (tx) => {
    // A schema that is there and whole holds what the run's outcomes say was loaded — a retried or late attempt of this
    // step (one that outlived its timeout while the load went on), a run ended without its clean-up: it stays, and so do they.
    const state = await schemaState(tx, schema);
    if (state === 'intact' || state === 'unmarked') return;
    await tx.execute(sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    await tx.execute(sql.raw(`CREATE SCHEMA "${schema}"`));
    for (const t of copiedTables) {
      await tx.execute(sql.raw(`CREATE UNLOGGED TABLE "${schema}"."${t}" (LIKE public."${t}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`));
      await tx.execute(sql.raw(`INSERT INTO "${schema}"."${t}" SELECT * FROM public."${t}"`));
      // Copies made in one statement have no statistics until autovacuum comes by.
      await tx.execute(sql.raw(`ANALYZE "${schema}"."${t}"`));
    }
    await tx.execute(sql.raw(`CREATE UNLOGGED TABLE "${schema}".${intactMarker} AS SELECT true AS intact`));
    await tx.delete(migrationOutcomes).where(eq(migrationOutcomes.runId, run.runId));
    await tx.update(migrationRuns).set({ done: run.rejected }).where(eq(migrationRuns.id, run.runId));
  });
}

/**
 * What the reconciliation's statements filter and join on besides unique ids, per table (decision
 * 062): the keys by entity and legacy id, the staged records by run and entity, the invoices and
 * periods by member.
 */
const reconciledColumns: Record<string, string[]> = {
  migration_keys: ['entity', 'legacy_id', 'register_id'],
  invoices: ['member_id', 'open_cents'],
  membership_periods: ['member_id'],
};

/**
 * Brings the planner's statistics of what the reconciliation joins up to date: the run's keys,
 * its staged records, and the register tables it joins on other than their unique ids. A load adds
 * hundreds of thousands of rows faster than autovacuum analyzes them: the 40,000-member bench's
 * reconciliation, planned on statistics from before the load, once chose a nested loop over the
 * keys and ran for minutes instead of seconds (decision 046). Only those columns (decision 062):
 * the sixteen tables whole took 4.5 s at 40,000 members, most of it the statistics of jsonb
 * columns nothing filters on; a join on a table's unique id is estimated from the index, and the
 * row counts from the tables' current size.
 */
export async function analyzeTarget(db: Database, schema: string | null): Promise<void> {
  const target = (t: string) => (schema ? `"${schema}"."${t}"` : `public."${t}"`);
  const tables = [...Object.entries(reconciledColumns).map(([t, columns]) => `${target(t)} (${columns.join(', ')})`), ...runRecordColumns];
  await db.execute(sql.raw(`ANALYZE ${tables.join(', ')}`));
}

/** What the statements over a run's staged records and outcomes filter on (the reconciliation, the member audit, the processes' start). */
const runRecordColumns = ['public.migration_records (run_id, entity, legacy_id)', 'public.migration_outcomes (run_id, entity, outcome, member_id)'];

/**
 * The statistics of the run's staged records and outcomes brought up to date, for what reads them
 * after the load beside the reconciliation (decision 072: the start of the migrated processes).
 * Planned on statistics from before the load's last entity, the join of the run's collection
 * outcomes to their records was a nested loop of scans: more than eight minutes at 40,000 members.
 */
export async function analyzeRunRecords(db: Database): Promise<void> {
  await db.execute(sql.raw(`ANALYZE ${runRecordColumns.join(', ')}`));
}

export async function dropTestSchema(db: Database, schema: string): Promise<void> {
  await db.execute(sql.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** Runs `fn` in one transaction whose unqualified table names mean the test schema's copies (when given). */
export async function inTarget<T>(db: Database, schema: string | null, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    if (schema) {
      // The schema must exist and stay until this transaction ends: a search path naming a schema
      // that is gone falls through to public, the register itself. The lock fails when it is gone
      // and holds off its drop.
      await tx.execute(sql.raw(`LOCK TABLE "${schema}".migration_keys IN ACCESS SHARE MODE`));
      await tx.execute(sql.raw(`SET LOCAL search_path TO "${schema}", public`));
      // A crash's recovery empties the unlogged copies (decision 072); a schema made before them has no marker and is logged.
      if ((await schemaState(tx, schema)) === 'emptied') throw new TestSchemaEmptied(schema);
    }
    return fn(tx);
  });
}

// ── Keys ─────────────────────────────────────────────────────────────────────────────────────

export interface LoadContext {
  runId: string;
  /** The run whose staged records the run loads (decision 073): its passed test's; the run's own when absent. */
  stagedRunId?: string;
  batchId: string;
  iban: string;
}

export type KeyRow = { legacyId: string; registerId: string; loaded: Record<string, unknown> };
export type NewKey = { legacyId: string; registerId: string; loaded: object };

export async function keysOf(tx: DbOrTx, entity: MigrationEntity, ids: readonly string[]): Promise<Map<string, KeyRow>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ legacyId: migrationKeys.legacyId, registerId: migrationKeys.registerId, loaded: migrationKeys.loaded })
    .from(migrationKeys)
    .where(and(eq(migrationKeys.entity, entity), legacyIdIn(ids)));
  return new Map(rows.map((r) => [r.legacyId, r]));
}

/** A parent's key as its children need it: the register's id only. */
export type ParentKey = Pick<KeyRow, 'registerId'>;

/**
 * The keys of the parents a chunk's records name (a membership, a person, an invoice), without
 * what was loaded (`loaded`, a jsonb each): a child needs only the register's id, and reading and
 * parsing a chunk's 20,000 parents' `loaded` cost the loader's one Node thread for nothing.
 */
export async function parentKeysOf(tx: DbOrTx, entity: MigrationEntity, ids: readonly string[]): Promise<Map<string, ParentKey>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ legacyId: migrationKeys.legacyId, registerId: migrationKeys.registerId }).from(migrationKeys).where(and(eq(migrationKeys.entity, entity), legacyIdIn(ids)));
  return new Map(rows.map((r) => [r.legacyId, { registerId: r.registerId }]));
}

/**
 * Writes a chunk's keys: those of legacy ids the chunk found no key for with a plain insert (under
 * the entity's advisory lock nobody else adds them: a key that appeared all the same, from another
 * batch's run of the same legacy id, fails the chunk, whose retry then finds it; decision 051), the
 * others with `ON CONFLICT (entity, legacy_id)` taking the new values.
 */
export async function putKeys(tx: DbOrTx, ctx: LoadContext, entity: MigrationEntity, keys: readonly NewKey[], isNew: (legacyId: string) => boolean = () => false): Promise<void> {
  if (keys.length === 0) return;
  const rows = [...new Map(keys.map((k) => [k.legacyId, { legacy_id: k.legacyId, register_id: k.registerId, loaded: k.loaded }])).values()];
  const fresh = rows.filter((r) => isNew(r.legacy_id));
  const known = rows.filter((r) => !isNew(r.legacy_id));
  if (fresh.length > 0) {
    await tx.execute(sql`
      INSERT INTO migration_keys (entity, legacy_id, register_id, loaded, batch_id)
      SELECT ${entity}, legacy_id, register_id, loaded, ${ctx.batchId}
      FROM jsonb_to_recordset(${JSON.stringify(fresh)}::jsonb) AS x(legacy_id text, register_id text, loaded jsonb)`);
  }
  if (known.length > 0) {
    await tx.execute(sql`
      INSERT INTO migration_keys (entity, legacy_id, register_id, loaded, batch_id)
      SELECT ${entity}, legacy_id, register_id, loaded, ${ctx.batchId}
      FROM jsonb_to_recordset(${JSON.stringify(known)}::jsonb) AS x(legacy_id text, register_id text, loaded jsonb)
      ON CONFLICT (entity, legacy_id) DO UPDATE SET loaded = excluded.loaded, batch_id = excluded.batch_id, updated_at = now()`);
  }
}

export interface PendingRecord {
  seq: number;
  legacyId: string;
  /** As staged: the values in the entity's columns' order, or (a row with fields of its own, or staged before decision 073) the row. */
  source: StagedSource;
  /** The validated data, staged by runs before decision 051; since then null (the loader takes it from the source row). */
  data: unknown;
}

/**
 * One of a run's load lanes of an entity (decision 064): the records whose `seq` falls in the lane's
 * windows of `window` records — window k (seqs k·window+1 … (k+1)·window) belongs to lane k mod
 * `lanes` — loaded by a chunk sequence of its own beside the others. The lanes' records are
 * disjoint and each lane's records are settled in file order, so each lane has its own cursor.
 */
export interface LoadLane {
  lane: number;
  lanes: number;
  window: number;
}

/**
 * Up to `limit` pending records of one entity, in file order, after the entity's cursor (the
 * highest `seq` the load settled, decision 046) — with a lane, of the lane's records after the
 * lane's cursor (decision 064). The chunk holds a transaction-scoped advisory lock on the run's
 * entity (or lane) first, so a second execution of the same chunk (an activity retried while the
 * first still runs) waits for it and then reads past what it settled. Records an earlier version
 * of the loader settled in place are not `pending` any more and are skipped. A run loaded in part
 * without lanes goes on in lanes correctly: the settled records are a prefix of the file, so of
 * each lane's records too.
 */
export async function pendingRecords(tx: DbOrTx, runId: string, entity: MigrationEntity, limit: number, lane?: LoadLane, stagedRunId: string = runId): Promise<PendingRecord[]> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`migration/${runId}/${entity}${lane ? `/${lane.lane}:${lane.lanes}:${lane.window}` : ''}`}, 0))`);
  const read = (after: SQL, upTo?: number) =>
    tx
      .select({ seq: migrationRecords.seq, legacyId: migrationRecords.legacyId, source: migrationRecords.source, data: migrationRecords.data })
      .from(migrationRecords)
      .where(and(eq(migrationRecords.runId, stagedRunId), eq(migrationRecords.entity, entity), eq(migrationRecords.outcome, 'pending'), sql`${migrationRecords.seq} > ${after}`, upTo === undefined ? undefined : sql`${migrationRecords.seq} <= ${upTo}`))
      .orderBy(asc(migrationRecords.seq))
      .limit(limit);
  if (!lane) return read(sql`(SELECT coalesce(max(o.seq), 0) FROM migration_outcomes o WHERE o.run_id = ${runId} AND o.entity = ${entity})`);
  // The lane's cursor (its highest settled record, along the outcomes' key from the end) and the entity's last record.
  const windowOf = (seq: SQL) => sql`((${seq} - 1) / ${lane.window}::int) % ${lane.lanes}::int = ${lane.lane}::int`;
  const [at] = await tx.execute<{ cursor: number; last: number }>(sql`
    SELECT (SELECT coalesce(max(o.seq), 0) FROM migration_outcomes o WHERE o.run_id = ${runId} AND o.entity = ${entity} AND ${windowOf(sql`o.seq`)})::int AS cursor,
      (SELECT coalesce(max(r.seq), 0) FROM migration_records r WHERE r.run_id = ${stagedRunId} AND r.entity = ${entity})::int AS last`);
  const { cursor, last } = at!;
  // The records of one window at a time, as a range of the key: the lane's windows as a filter planned as a scan of all the entity's records and a sort (575 ms for a million, against 13–32 ms; decision 064). A window with nothing pending is passed over.
  const first = Math.floor(cursor / lane.window);
  for (let w = first + ((((lane.lane - first) % lane.lanes) + lane.lanes) % lane.lanes); w * lane.window < last; w += lane.lanes) {
    const rows = await read(sql`${Math.max(cursor, w * lane.window)}::int`, (w + 1) * lane.window);
    if (rows.length > 0) return rows;
  }
  return [];
}

/**
 * Memory for the reconciliation's joins and the member audit's grouping, in their transactions: with
 * the server's default 4 MB the audit's sort of a run's settled records by member went to disk
 * (about a third slower at 40,000 members), and the figures' hash joins split into batches
 * (decision 057).
 */
const reconcileWorkMem = '128MB';

export interface SettledRecord {
  seq: number;
  legacy_id: string;
  outcome: Exclude<MigrationOutcome, 'pending'>;
  reasons: RejectReason[] | null;
  kept: string[] | null;
  member_id: string | null;
}

/**
 * Settles a chunk's records in its transaction: one narrow outcome row each, appended (the staged
 * rows are not rewritten; decision 046), and the run's count of done records. A plain insert: a
 * record settled already (a second execution of the chunk) fails the whole chunk on the primary key.
 */
export async function settleRecords(tx: DbOrTx, runId: string, entity: MigrationEntity, results: readonly SettledRecord[]): Promise<void> {
  await tx.execute(sql`
    INSERT INTO migration_outcomes (run_id, entity, seq, outcome, reasons, kept, member_id, legacy_id)
    SELECT ${runId}, ${entity}, seq, outcome, reasons, CASE WHEN kept IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(kept)) END, member_id, legacy_id
    FROM json_to_recordset(${JSON.stringify(results)}::json) AS x(seq int, outcome text, reasons jsonb, kept jsonb, member_id uuid, legacy_id text)`);
  await tx.update(migrationRuns).set({ done: sql`${migrationRuns.done} + ${results.length}` }).where(eq(migrationRuns.id, runId));
}

/**
 * One `member.migrated` audit row per member a real run created or changed (decision 036), from
 * the run's settled records: how many were migrated and updated, per entity with their legacy ids
 * — no personal data. The caller writes it once per run, in the transaction that records the
 * run's first report.
 */
export async function auditMigratedMembers(tx: DbOrTx, run: { runId: string; stagedRunId: string; batchId: string; actor: string }): Promise<void> {
  // The sort of a run's settled records by member: about 3.5 million rows at 270,000 members, more than the figures' 128 MB (decision 072).
  await tx.execute(sql.raw(`SET LOCAL work_mem = '512MB'`));
  await tx.execute(sql`
    WITH settled AS (
      -- The legacy id from the outcome row (decision 062); from the staged record for outcomes written before it had one.
      SELECT o.member_id, o.entity, o.outcome, coalesce(o.legacy_id, (SELECT r.legacy_id FROM migration_records r WHERE r.run_id = ${run.stagedRunId} AND r.entity = o.entity AND r.seq = o.seq)) AS legacy_id, o.seq
      FROM migration_outcomes o
      WHERE o.run_id = ${run.runId} AND o.member_id IS NOT NULL AND o.outcome IN ('migrated', 'updated')
      UNION ALL -- records an earlier version of the loader settled in place
      SELECT member_id, entity, outcome, legacy_id, seq FROM migration_records
      WHERE run_id = ${run.stagedRunId} AND member_id IS NOT NULL AND outcome IN ('migrated', 'updated')
    ), per_entity AS (
      SELECT member_id, entity, count(*) FILTER (WHERE outcome = 'migrated') AS migrated, count(*) FILTER (WHERE outcome = 'updated') AS updated, jsonb_agg(legacy_id ORDER BY seq) AS legacy_ids
      FROM settled
      GROUP BY member_id, entity
    )
    INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id, details)
    SELECT ${run.actor}, 'user', 'member.migrated', 'member', member_id::text,
      jsonb_build_object('batchId', ${run.batchId}::text, 'runId', ${run.runId}::text, 'migrated', sum(migrated), 'updated', sum(updated),
        'entities', jsonb_object_agg(entity, jsonb_build_object('migrated', migrated, 'updated', updated, 'legacyIds', legacy_ids)))
    FROM per_entity GROUP BY member_id`);
}

/** After a real load: member numbers the register gives next come after the migrated ones. */
export async function advanceMemberNumbers(db: DbOrTx): Promise<void> {
  await db.execute(sql`SELECT setval('member_number_seq', greatest((SELECT coalesce(max(member_number), 0) FROM members), (SELECT last_value FROM member_number_seq)))`);
}

// ── The register's side of the reconciliation ──────────────────────────────────────────────────

/**
 * The same figures as domain/migration/report.ts sourceFigures, counted in the register for the
 * run's legacy ids; members' statuses are left to the caller (their periods, per legacy id).
 */
export async function registerFigures(db: Database, schema: string | null, stagedRunId: string): Promise<{ figures: Figures; memberPeriods: Map<string, Interval[]> }> {
  const f: Figures = {};
  const memberPeriods = new Map<string, Interval[]>();
  const ids = (entity: MigrationEntity) => sql`(SELECT legacy_id FROM migration_records WHERE run_id = ${stagedRunId} AND entity = ${entity})`;
  /** A count and a sum per year, as `<entity>.<year>` and `<entity>.<year>.amount`. */
  const perYear = (entity: MigrationEntity, rows: { year: number; n: string; cents: string }[]) => {
    for (const r of rows) {
      f[`${entity}.${r.year}`] = Number(r.n);
      f[`${entity}.${r.year}.amount`] = Number(r.cents);
    }
  };
  // Two halves, each in a transaction of its own (decision 072): the counts are independent, and one connection keeps one core busy.
  const half = (work: (tx: DbOrTx, one: (q: SQL) => Promise<number>) => Promise<void>) =>
    inTarget(db, schema, async (tx) => {
      await tx.execute(sql.raw(`SET LOCAL work_mem = '${reconcileWorkMem}'`));
      await work(tx, async (q) => Number(((await tx.execute(q)) as unknown as { n: string | number | null }[])[0]?.n ?? 0));
    });
  await Promise.all([
    half(async (tx, one) => {
      f.persons = await one(sql`SELECT count(*) AS n FROM migration_keys k JOIN persons p ON p.id::text = k.register_id WHERE k.entity = 'persons' AND k.legacy_id IN ${ids('persons')}`);
      f.periods = await one(sql`SELECT count(*) AS n FROM migration_keys k JOIN membership_periods p ON p.id::text = k.register_id WHERE k.entity = 'periods' AND k.legacy_id IN ${ids('periods')}`);
      f.transferred_periods = await one(sql`SELECT count(*) AS n FROM migration_keys k JOIN transferred_periods t ON t.id::text = k.register_id WHERE k.entity = 'transferred_periods' AND k.legacy_id IN ${ids('transferred_periods')}`);
      f.messages = await one(sql`SELECT count(*) AS n FROM migration_keys k JOIN messages m ON m.id::text = k.register_id WHERE k.entity = 'messages' AND k.legacy_id IN ${ids('messages')}`);
      f.applications = await one(sql`SELECT count(*) AS n FROM migration_keys k JOIN applications a ON a.id::text = k.register_id WHERE k.entity = 'applications' AND k.legacy_id IN ${ids('applications')}`);
      // The invoices' three figures in one pass over the run's invoices.
      const [inv] = (await tx.execute(sql`
        SELECT count(*) AS n, coalesce(sum(i.amount_cents), 0) AS amount, coalesce(sum(i.open_cents), 0) AS open
        FROM migration_keys k JOIN invoices i ON i.id::text = k.register_id WHERE k.entity = 'invoices' AND k.legacy_id IN ${ids('invoices')}`)) as unknown as { n: string; amount: string; open: string }[];
      f.invoices = Number(inv?.n ?? 0);
      f['invoices.amount'] = Number(inv?.amount ?? 0);
      f['open.total'] = Number(inv?.open ?? 0);
      const perMember = (await tx.execute(sql`
        SELECT mk.legacy_id AS member, sum(i.open_cents) AS n
        FROM migration_keys k JOIN invoices i ON i.id::text = k.register_id JOIN migration_keys mk ON mk.entity = 'memberships' AND mk.register_id = i.member_id::text
        WHERE k.entity = 'invoices' AND k.legacy_id IN ${ids('invoices')} AND i.open_cents <> 0
        GROUP BY mk.legacy_id`)) as unknown as { member: string; n: string }[];
      for (const r of perMember) f[`open.member.${r.member}`] = Number(r.n);
    }),
    half(async (tx) => {
      const periods = (await tx.execute(sql`
        SELECT k.legacy_id AS member, p.start_date AS "startDate", p.end_date AS "endDate"
        FROM migration_keys k JOIN members m ON m.id::text = k.register_id LEFT JOIN membership_periods p ON p.member_id = m.id
        WHERE k.entity = 'memberships' AND k.legacy_id IN ${ids('memberships')}`)) as unknown as { member: string; startDate: string | null; endDate: string | null }[];
      for (const r of periods) {
        const list = memberPeriods.get(r.member) ?? [];
        if (r.startDate) list.push({ startDate: r.startDate, endDate: r.endDate });
        memberPeriods.set(r.member, list);
      }
      const payments = (await tx.execute(sql`
        SELECT extract(year FROM l.occurred_on)::int AS year, count(*) AS n, -sum(l.amount_cents) AS cents
        FROM migration_keys k JOIN ledger_entries l ON l.id::text = k.register_id
        WHERE k.entity = 'payments' AND k.legacy_id IN ${ids('payments')}
        GROUP BY 1`)) as unknown as { year: number; n: string; cents: string }[];
      perYear('payments', payments);
      const taxReports = (await tx.execute(sql`
        SELECT t.year, count(*) AS n, sum(t.amount_cents) AS cents
        FROM migration_keys k JOIN tax_migrated_records t ON t.id::text = k.register_id
        WHERE k.entity = 'tax_reports' AND k.legacy_id IN ${ids('tax_reports')}
        GROUP BY 1`)) as unknown as { year: number; n: string; cents: string }[];
      perYear('tax_reports', taxReports);
      // The collection state (version 2): per keyed invoice the highest reminder level sent, whether its hearing is recorded, whether the member's hold asked for is in force.
      // By the invoice's uuid (an index probe each; decision 051): compared as text (\`invoice_id::text = register_id\`) each probe was a scan, quadratic in the run's invoices.
      const collection = (await tx.execute(sql`
        SELECT (SELECT max(r.level) FROM collection_reminders r WHERE r.invoice_id = c.invoice_id AND r.status = 'sent') AS level,
               EXISTS (SELECT 1 FROM collection_hearing_starts h WHERE h.invoice_id = c.invoice_id) AS hearing,
               (c.asks_hold AND EXISTS (SELECT 1 FROM invoices i JOIN collection_holds ch ON ch.member_id = i.member_id AND ch.resumed_at IS NULL WHERE i.id = c.invoice_id)) AS hold
        FROM (SELECT k.register_id::uuid AS invoice_id, k.loaded->>'holdReason' IS NOT NULL AS asks_hold FROM migration_keys k WHERE k.entity = 'collection' AND k.legacy_id IN ${ids('collection')} OFFSET 0) c`)) as unknown as { level: number | null; hearing: boolean; hold: boolean }[];
      for (const r of collection) {
        if (r.level !== null) f[`collection.reminders.${r.level}`] = (f[`collection.reminders.${r.level}`] ?? 0) + 1;
        if (r.hearing) f['collection.hearings'] = (f['collection.hearings'] ?? 0) + 1;
        if (r.hold) f['collection.holds'] = (f['collection.holds'] ?? 0) + 1;
      }
    }),
  ]);
  return { figures: f, memberPeriods };
}

/**
 * The members whose hearing open in the old register a run loaded (started after a real run is
 * reconciled, decision 047). `hearingColumn`: the place of `hearing_started_on` in a staged row's values (decision 073).
 */
export async function membersWithMigratedHearing(db: DbOrTx, run: Pick<MigrationRunRow, 'id' | 'recordsRunId'>, hearingColumn: number): Promise<string[]> {
  const rows = await db.execute<{ member_id: string }>(sql`
    SELECT DISTINCT o.member_id FROM migration_outcomes o JOIN migration_records r ON r.run_id = ${stagedRunOf(run)} AND r.entity = o.entity AND r.seq = o.seq
    WHERE o.run_id = ${run.id} AND o.entity = 'collection' AND o.outcome <> 'rejected' AND o.member_id IS NOT NULL
      AND coalesce(r.data->>'hearingStartedOn', nullif(btrim(coalesce(r.source->>'hearing_started_on', r.source->>${hearingColumn}::int)), '')) IS NOT NULL`);
  return rows.map((r) => r.member_id);
}

/**
 * The run's applications waiting for a decision (format version 2, decision 047): those its
 * `applications` records migrated or found, still `received` with no decision in the register.
 */
export async function migratedApplicationsWaiting(db: DbOrTx, run: Pick<MigrationRunRow, 'id' | 'recordsRunId'>): Promise<string[]> {
  // The legacy id from the outcome (decision 062), from the staged record only for an outcome written before it had one:
  // joined to the run's staged records, the statement was planned as a scan of all of them (39 s at 270,000 members beside the reconciliation; decision 072).
  const rows = await db.execute<{ id: string }>(sql`
    SELECT a.id FROM migration_outcomes o
    JOIN migration_keys k ON k.entity = 'applications'
      AND k.legacy_id = coalesce(o.legacy_id, (SELECT r.legacy_id FROM migration_records r WHERE r.run_id = ${stagedRunOf(run)} AND r.entity = o.entity AND r.seq = o.seq))
    JOIN applications a ON a.id::text = k.register_id
    WHERE o.run_id = ${run.id} AND o.entity = 'applications' AND o.outcome <> 'rejected' AND a.status = 'received' AND a.decision IS NULL
    ORDER BY a.id`);
  return rows.map((r) => r.id);
}
