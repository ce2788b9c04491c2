/**
 * Migration batches for administrators (docs/decisions/020-migration-batches.md): upload a batch's
 * files, run the test, read the report, approve, run for real, accept differences with a reason,
 * download the rejected records. The real run is refused unless a test of the same files (same
 * content hash) passed and an administrator approved it.
 */
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/migration';
import { migrationColumns, sourceRowOf, type MigrationEntity } from '../domain/migration/records';
import { reconciled, reportForReading, type MigrationMode } from '../domain/migration/report';
import { TransformError } from '../integrations/transforms/errors';
import { decodeLegacyFile, parseLegacyCsv, parseLegacyJsonLines, rejectedRecordsCsv, type LegacyFileFormat } from '../integrations/transforms/migrationFiles';
import type { migrationRun } from '../workflows/migration';
import { migrationChunkSize, migrationQueue, migrationWorkflowId, type MigrationRunInput } from '../workflows/definitions/migration';
import type { ServiceContext } from './context';
import { failure, forbidden, notFound } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

export interface UploadedFile {
  entity: MigrationEntity;
  filename: string;
  format: LegacyFileFormat;
  /** Declared encoding; detected when absent. */
  encoding?: string | undefined;
  bytes: Uint8Array;
}

function requireAdmin(p: Principal): Extract<Principal, { kind: 'user' }> {
  if (p.kind !== 'user' || !hasRole(p, 'admin')) throw forbidden('Migration batches are for administrators.');
  return p;
}

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Stores (or replaces) a batch's files; a changed batch needs a new test and approval. */
export async function uploadMigrationBatch(ctx: ServiceContext, p: Principal, batchId: string, files: readonly UploadedFile[]) {
  const user = requireAdmin(p);
  const existing = await repo.findBatch(ctx.db, batchId);
  if (existing && ['loading', 'differences', 'done'].includes(existing.status)) throw failure(409, 'migration_batch_loaded', `The batch ${batchId} was already loaded for real; upload the changes as a new batch.`, { params: { batch: batchId } });
  const stored = [];
  for (const f of files) {
    try {
      const { encoding, text: content } = decodeLegacyFile(f.bytes, f.encoding);
      // Parsed once here so an unreadable file is refused at the upload, not in the run.
      if (f.format === 'csv') parseLegacyCsv(content);
      else parseLegacyJsonLines(content);
      stored.push({ entity: f.entity, filename: f.filename, format: f.format, encoding, sha256: sha256(f.bytes), content });
    } catch (error) {
      if (error instanceof TransformError) throw failure(422, 'migration_file_unreadable', `${f.filename}: ${error.message}`, { params: { file: f.filename } });
      throw error;
    }
  }
  // The files as they are read (decision 073): the same bytes declared in another encoding or format are other files, to be tested again.
  const contentHash = sha256(stored.map((f) => `${f.entity}:${f.format}:${f.encoding}:${f.sha256}`).sort().join('\n'));
  await repo.saveBatch(ctx.db, { id: batchId, createdBy: user.id, contentHash, files: stored });
  await recordAudit(ctx.db, { ...actorOf(user), action: 'migration.uploaded', entityType: 'migration-batch', entityId: batchId, details: { contentHash, files: stored.map((f) => ({ entity: f.entity, filename: f.filename, encoding: f.encoding })) } });
  return getMigrationBatch(ctx, p, batchId, { audit: false });
}

async function startRun(ctx: ServiceContext, user: Extract<Principal, { kind: 'user' }>, batch: repo.MigrationBatchRow, mode: MigrationMode, chunkSize?: number) {
  const id = migrationWorkflowId(batch.id, mode, batch.contentHash);
  const run = await repo.insertRunOnce(ctx.db, { id, batchId: batch.id, mode, contentHash: batch.contentHash, status: 'running', startedBy: user.id });
  if (run.status === 'failed') await repo.setRun(ctx.db, id, { status: 'running', error: null, errorCode: null, finishedAt: null });
  await repo.setBatch(ctx.db, batch.id, { status: mode === 'test' ? 'testing' : 'loading' });
  await recordAudit(ctx.db, { ...actorOf(user), action: 'migration.started', entityType: 'migration-batch', entityId: batch.id, details: { runId: id, mode } });
  const input: MigrationRunInput = { runId: id, batchId: batch.id, mode, chunkSize: chunkSize ?? migrationChunkSize };
  try {
    await ctx.temporal.workflow.start<typeof migrationRun>('migrationRun', {
      taskQueue: ctx.taskQueues[migrationQueue],
      workflowId: id,
      args: [input],
      // A failed run of the same files may run again: a real run resumes from the records still pending, a test run (its schema dropped) loads from the start (decision 072).
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return id;
}

async function batchOr404(ctx: ServiceContext, batchId: string) {
  const batch = await repo.findBatch(ctx.db, batchId);
  if (!batch) throw notFound(`No migration batch ${batchId}.`);
  return batch;
}

/** Whether a test of exactly these files passed. */
const passedTest = (ctx: ServiceContext, batch: repo.MigrationBatchRow) => repo.hasPassedTest(ctx.db, batch.id, batch.contentHash);

export async function startMigrationTest(ctx: ServiceContext, p: Principal, batchId: string, opts: { chunkSize?: number } = {}) {
  const user = requireAdmin(p);
  const batch = await batchOr404(ctx, batchId);
  if (['loading', 'differences', 'done'].includes(batch.status)) throw failure(409, 'migration_batch_loaded', `The batch ${batchId} was already loaded for real.`, { params: { batch: batchId } });
  const runId = await startRun(ctx, user, batch, 'test', opts.chunkSize);
  return { runId };
}

/** The administrator's approval of the real load, for the files a passed test ran. */
export async function approveMigrationBatch(ctx: ServiceContext, p: Principal, batchId: string) {
  const user = requireAdmin(p);
  const batch = await batchOr404(ctx, batchId);
  if (!(await passedTest(ctx, batch))) throw failure(409, 'migration_test_not_passed', `No test of the current files of ${batchId} has passed; run the test first.`, { params: { batch: batchId } });
  await repo.setBatch(ctx.db, batchId, { status: 'approved', approvedBy: user.id, approvedHash: batch.contentHash, approvedAt: new Date() });
  await recordAudit(ctx.db, { ...actorOf(user), action: 'migration.approved', entityType: 'migration-batch', entityId: batchId, details: { contentHash: batch.contentHash } });
  return getMigrationBatch(ctx, p, batchId, { audit: false });
}

export async function startMigrationReal(ctx: ServiceContext, p: Principal, batchId: string, opts: { chunkSize?: number } = {}) {
  const user = requireAdmin(p);
  const batch = await batchOr404(ctx, batchId);
  if (!(await passedTest(ctx, batch))) throw failure(409, 'migration_test_not_passed', `No test of the current files of ${batchId} has passed; the real load needs one.`, { params: { batch: batchId } });
  if (batch.approvedHash !== batch.contentHash) throw failure(409, 'migration_not_approved', `The batch ${batchId} has not been approved for its current files.`, { params: { batch: batchId } });
  const runId = await startRun(ctx, user, batch, 'real', opts.chunkSize);
  return { runId };
}

/** An administrator accepts one difference of a real run with a reason; the batch is done when none is left. */
export async function acceptMigrationDifference(ctx: ServiceContext, p: Principal, runId: string, key: string, reason: string) {
  const user = requireAdmin(p);
  const run = await repo.findRun(ctx.db, runId);
  if (!run || run.mode !== 'real' || !run.report) throw notFound(`No reconciled real run ${runId}.`);
  if (!run.report.differences.some((d) => d.key === key)) throw failure(409, 'migration_difference_unknown', `The run ${runId} has no difference ${key}.`, { params: { key } });
  if (!reason.trim()) throw failure(400, 'migration_reason_required', 'Accepting a difference needs a reason.');
  const accepted = { ...run.accepted, [key]: { by: user.id, reason: reason.trim(), at: new Date().toISOString() } };
  const done = reconciled(run.report, accepted);
  await repo.setRun(ctx.db, runId, { accepted, status: done ? 'done' : 'differences' });
  if (done) await repo.setBatch(ctx.db, run.batchId, { status: 'done' });
  await recordAudit(ctx.db, { ...actorOf(user), action: 'migration.difference-accepted', entityType: 'migration-run', entityId: runId, details: { key, reason: reason.trim() } });
  return { runId, status: done ? 'done' : 'differences', accepted: Object.keys(accepted).length };
}

function runView(r: repo.MigrationRunListing) {
  return {
    id: r.id,
    mode: r.mode,
    status: r.status,
    contentHash: r.contentHash,
    total: r.total,
    done: r.done,
    // Kept readable since decision 071; a run reconciled before it is trimmed here.
    report: r.readableReport ?? (r.report ? reportForReading(r.report) : null),
    accepted: r.accepted,
    startedBy: r.startedBy,
    errorCode: r.errorCode,
    error: r.error,
    // The run whose validated records a real run loaded (decision 073): its passed test's; null when it validated the files itself.
    validatedIn: r.recordsRunId,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** The batch, its files and every run with its report (the history is kept). */
export async function getMigrationBatch(ctx: ServiceContext, p: Principal, batchId: string, opts: { audit?: boolean } = {}) {
  const user = requireAdmin(p);
  const batch = await batchOr404(ctx, batchId);
  const files = await repo.batchFiles(ctx.db, batchId);
  const runs = await repo.runsOfBatch(ctx.db, batchId);
  if (opts.audit !== false) await recordAudit(ctx.db, { ...actorOf(user), action: 'migration.read', entityType: 'migration-batch', entityId: batchId });
  return {
    id: batch.id,
    status: batch.status,
    contentHash: batch.contentHash,
    createdBy: batch.createdBy,
    approvedBy: batch.approvedBy,
    approvedAt: batch.approvedAt?.toISOString() ?? null,
    files: files.map((f) => ({ entity: f.entity, filename: f.filename, format: f.format, encoding: f.encoding, sha256: f.sha256 })),
    runs: runs.map(runView),
  };
}

export async function listMigrationBatches(ctx: ServiceContext, p: Principal) {
  requireAdmin(p);
  const batches = await repo.listBatches(ctx.db);
  return { items: batches.map((b) => ({ id: b.id, status: b.status, contentHash: b.contentHash, createdBy: b.createdBy, createdAt: b.createdAt.toISOString() })) };
}

/** The rejected records of one entity as CSV in the source's columns with the reasons, to fix and resend (audited: it holds personal data). */
export async function rejectedMigrationRecords(ctx: ServiceContext, p: Principal, runId: string, entity: MigrationEntity) {
  const user = requireAdmin(p);
  const run = await repo.findRun(ctx.db, runId);
  if (!run) throw notFound(`No migration run ${runId}.`);
  const rows = await repo.rejectedRecords(ctx.db, run, entity);
  await recordAudit(ctx.db, { ...actorOf(user), action: 'migration.rejected-exported', entityType: 'migration-run', entityId: runId, details: { entity, records: rows.length } });
  const csv = rejectedRecordsCsv(
    migrationColumns[entity],
    rows.map((r) => ({ source: sourceRowOf(entity, r.source), reasons: r.reasons.map((x) => (x.field ? `${x.reason}:${x.field}` : x.reason)).join(' ') })),
  );
  return { filename: `${entity}-rejected.csv`, csv };
}
