/**
 * Migration batches for administrators (docs/decisions/020-migration-batches.md): upload a batch's
 * files, run the test, read the report, approve, run for real, accept differences with a reason,
 * download the rejected records as CSV. A run is named under its batch by `{mode}-{hash12}`.
 */
import * as v from 'valibot';
import { migrationEntities } from '../../../domain/migration/records';
import { migrationRunFailureCodes } from '../../../domain/vocabulary';
import { count, dateTime } from './common';
import { defineRoute, file, json, jsonBody } from './define';
import { multilineText, str, text } from './fields';

/** The JSON body of an upload may be at most this large (base64 grows files by a third); bigger exports go in phased batches. */
export const MAX_MIGRATION_UPLOAD_MIB = 64;

// ---------------------------------------------------------------------------------------------
// Requests

const batchId = v.pipe(str(), v.regex(/^[A-Za-z0-9._-]{1,60}$/, 'must be 1–60 letters, digits, ".", "_" or "-"'));
const runName = v.pipe(str(), v.regex(/^(test|real)-[0-9a-f]{12}$/, 'must be a run such as test-0123456789ab'));
const entity = v.picklist(migrationEntities, `must be one of ${migrationEntities.join(', ')}`);
const differenceKey = v.pipe(str(), v.regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be the key of a difference in the report'));

export const batchParams = v.object({ batchId });
export const runParams = v.object({ batchId, run: runName });

export const uploadedFileSchema = v.strictObject({
  entity: v.pipe(str(), entity),
  filename: text(200),
  format: v.picklist(['csv', 'jsonl'], 'must be csv or jsonl'),
  /** Declared encoding (utf-8 or windows-1252); detected when absent. */
  encoding: v.optional(v.picklist(['utf-8', 'windows-1252'], 'must be utf-8 or windows-1252')),
  /** The file's bytes, base64. */
  content: v.pipe(str(), v.minLength(1, 'must not be empty'), v.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be the file in base64')),
});

export const uploadMigrationBatchSchema = v.strictObject({
  files: v.pipe(v.array(uploadedFileSchema), v.minLength(1, 'must hold at least one file'), v.maxLength(migrationEntities.length, `must hold at most ${migrationEntities.length} files, one per entity`)),
});

export const acceptDifferenceSchema = v.strictObject({ reason: multilineText(500) });

// ---------------------------------------------------------------------------------------------
// Responses

const figures = v.record(v.string(), v.number());

export const migrationReportSchema = v.object({
  /** Per entity: migrated, updated, unchanged, rejected. */
  outcomes: v.record(v.string(), v.record(v.string(), count)),
  source: figures,
  register: figures,
  differences: v.array(v.object({ key: v.string(), source: v.number(), register: v.number() })),
  kept: count,
  /** The members' open balances (`open.member.<membership legacy id>`) compared, and how many differ; each differing one is in `differences`. */
  memberBalances: v.optional(v.object({ compared: count, differing: count })),
});

export const migrationRunViewSchema = v.object({
  id: v.string(),
  /** The run's name under its batch (…/runs/{run}). */
  run: v.string(),
  mode: v.picklist(['test', 'real']),
  status: v.picklist(['running', 'passed', 'failed', 'differences', 'done']),
  contentHash: v.string(),
  total: count,
  done: count,
  report: v.nullable(migrationReportSchema),
  accepted: v.record(v.string(), v.object({ by: v.string(), reason: v.string(), at: dateTime })),
  startedBy: v.string(),
  /** Why a failed run failed, as a code the desk translates (decision 071), one of `migrationRunFailureCodes` (domain/vocabulary.ts); null if the run has not failed, or failed before the codes. */
  errorCode: v.nullable(v.picklist(migrationRunFailureCodes)),
  /** The same in the failure's own words, for an administrator. */
  error: v.nullable(v.string()),
  /** The test run (its name under the batch) whose validated, staged records this real run loaded instead of validating the files again (decision 073); null when it validated them itself. */
  validatedIn: v.nullable(v.string()),
  createdAt: dateTime,
  finishedAt: v.nullable(dateTime),
});

export const migrationBatchViewSchema = v.object({
  id: v.string(),
  status: v.string(),
  contentHash: v.string(),
  createdBy: v.string(),
  approvedBy: v.nullable(v.string()),
  approvedAt: v.nullable(dateTime),
  files: v.array(v.object({ entity: v.string(), filename: v.string(), format: v.string(), encoding: v.string(), sha256: v.string() })),
  runs: v.array(migrationRunViewSchema),
});

export const migrationBatchListSchema = v.object({
  items: v.array(v.object({ id: v.string(), status: v.string(), contentHash: v.string(), createdBy: v.string(), createdAt: dateTime })),
});

export const migrationRunStartedSchema = v.object({ runId: v.string(), run: v.string() });
export const differenceAcceptedSchema = v.object({ runId: v.string(), status: v.picklist(['done', 'differences']), accepted: count });

const hash = '4f0c2b7a91d3e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f';
const batchExample: v.InferOutput<typeof migrationBatchViewSchema> = {
  id: 'batch-2026-01',
  status: 'tested',
  contentHash: hash,
  createdBy: 'admin',
  approvedBy: null,
  approvedAt: null,
  files: [{ entity: 'persons', filename: 'persons.csv', format: 'csv', encoding: 'windows-1252', sha256: hash }],
  runs: [
    {
      id: 'migration/batch-2026-01/test-4f0c2b7a91d3',
      run: 'test-4f0c2b7a91d3',
      mode: 'test',
      status: 'passed',
      contentHash: hash,
      total: 1200,
      done: 1200,
      report: { outcomes: { persons: { migrated: 1197, updated: 0, unchanged: 0, rejected: 3 } }, source: { persons: 1200 }, register: { persons: 1197 }, differences: [{ key: 'persons', source: 1200, register: 1197 }], kept: 0 },
      accepted: {},
      startedBy: 'admin',
      errorCode: null,
      error: null,
      validatedIn: null,
      createdAt: '2026-01-10T08:00:00.000Z',
      finishedAt: '2026-01-10T08:02:00.000Z',
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// Operations

const adminOnly = { kind: 'restricted', roles: ['admin'] } as const;

export const migrationRoutes = {
  listMigrationBatches: defineRoute({
    operationId: 'listMigrationBatches',
    method: 'get',
    path: '/v1/migration-batches',
    tag: 'Migration',
    summary: 'The migration batches',
    access: adminOnly,
    responses: { 200: json(migrationBatchListSchema, 'The batches', { example: { items: [{ id: 'batch-2026-01', status: 'tested', contentHash: hash, createdBy: 'admin', createdAt: '2026-01-10T07:55:00.000Z' }] } }) },
    problems: [401, 403],
  }),
  uploadMigrationBatch: defineRoute({
    operationId: 'uploadMigrationBatch',
    method: 'put',
    path: '/v1/migration-batches/{batchId}',
    tag: 'Migration',
    summary: "Upload (or replace) a batch's files, one per entity, in the import format (docs/migration-format.md)",
    description: `The files as base64 in one JSON body of at most ${MAX_MIGRATION_UPLOAD_MIB} MiB; a larger export goes in phased batches. Every file is parsed here: an unreadable one is a 422 and nothing is stored. New files clear the approval and need a new test. A batch loaded for real is not replaced (409 migration_batch_loaded).`,
    access: adminOnly,
    params: batchParams,
    body: jsonBody(uploadMigrationBatchSchema, { files: [{ entity: 'persons', filename: 'persons.csv', format: 'csv', encoding: 'windows-1252', content: 'bGVnYWN5X2lkO2lkZW50aXR5X2NvZGUK' }] }),
    responses: { 200: json(migrationBatchViewSchema, 'Stored', { example: { ...batchExample, status: 'uploaded', runs: [] } }) },
    problems: [400, 401, 403, 409, 413, 422],
  }),
  getMigrationBatch: defineRoute({
    operationId: 'getMigrationBatch',
    method: 'get',
    path: '/v1/migration-batches/{batchId}',
    tag: 'Migration',
    summary: 'A batch: its files and every run with its progress and report (audited)',
    access: adminOnly,
    params: batchParams,
    responses: { 200: json(migrationBatchViewSchema, 'The batch', { example: batchExample }) },
    problems: [400, 401, 403, 404],
  }),
  startMigrationTest: defineRoute({
    operationId: 'startMigrationTest',
    method: 'post',
    path: '/v1/migration-batches/{batchId}/test-run',
    tag: 'Migration',
    summary: "Start the test run of the batch's current files: validate, load into a throw-away schema, reconcile",
    description: 'The same files give the same run: a second start answers with the running one. Follow it with GET the batch.',
    access: adminOnly,
    params: batchParams,
    responses: { 202: json(migrationRunStartedSchema, 'Started', { example: { runId: 'migration/batch-2026-01/test-4f0c2b7a91d3', run: 'test-4f0c2b7a91d3' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  approveMigrationBatch: defineRoute({
    operationId: 'approveMigrationBatch',
    method: 'post',
    path: '/v1/migration-batches/{batchId}/approval',
    tag: 'Migration',
    summary: 'Approve the real load of the files a passed test ran (409 migration_test_not_passed otherwise)',
    access: adminOnly,
    params: batchParams,
    responses: { 200: json(migrationBatchViewSchema, 'Approved', { example: { ...batchExample, status: 'approved', approvedBy: 'admin', approvedAt: '2026-01-10T08:05:00.000Z' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  startMigrationReal: defineRoute({
    operationId: 'startMigrationReal',
    method: 'post',
    path: '/v1/migration-batches/{batchId}/real-run',
    tag: 'Migration',
    summary: 'Start the real load: refused unless a test of the same files passed and was approved (409 migration_test_not_passed, migration_not_approved)',
    access: adminOnly,
    params: batchParams,
    responses: { 202: json(migrationRunStartedSchema, 'Started', { example: { runId: 'migration/batch-2026-01/real-4f0c2b7a91d3', run: 'real-4f0c2b7a91d3' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  acceptMigrationDifference: defineRoute({
    operationId: 'acceptMigrationDifference',
    method: 'post',
    path: '/v1/migration-batches/{batchId}/runs/{run}/differences/{key}/acceptance',
    tag: 'Migration',
    summary: 'Accept one difference of a real run with a reason; the batch is done when none is left',
    access: adminOnly,
    params: v.object({ ...runParams.entries, key: differenceKey }),
    body: jsonBody(acceptDifferenceSchema, { reason: 'The rejected records are resent in batch 2' }),
    responses: { 200: json(differenceAcceptedSchema, 'Accepted', { example: { runId: 'migration/batch-2026-01/real-4f0c2b7a91d3', status: 'done', accepted: 1 } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  getMigrationRejectedRecords: defineRoute({
    operationId: 'getMigrationRejectedRecords',
    method: 'get',
    path: '/v1/migration-batches/{batchId}/runs/{run}/rejected/{entity}',
    tag: 'Migration',
    summary: "A run's rejected records of one entity as CSV, in the source's columns with the reasons, to fix and resend (audited)",
    access: adminOnly,
    params: v.object({ ...runParams.entries, entity: v.pipe(str(), entity) }),
    responses: { 200: file('The rejected records', ['text/csv'], { example: 'legacy_id;identity_code;…;reasons\nP17;010101-0000;…;identity_code_invalid:identity_code\n', headers: { 'Content-Disposition': 'attachment; filename="{entity}-rejected.csv"' } }) },
    problems: [400, 401, 403, 404],
  }),
};
