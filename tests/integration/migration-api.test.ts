/**
 * Migration batches through the HTTP API (docs/decisions/020-migration-batches.md): the sample set
 * uploaded as base64 and tested, its report and rejected records read; a batch of this file's own
 * (legacy ids H…, member numbers 8,400,000+) tested, approved, loaded for real, its rejected
 * records downloaded as CSV and its differences accepted until the batch is done. Refusals: 403
 * for a caseworker, 409 for a real run without a passed test or an approval, for a loaded batch
 * and for an unknown difference, 422 for an unreadable file, 400 for a body that is not base64.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as repo from '../../db/repositories/migration';
import type { migrationRuns } from '../../db/schema';
import type { MigrationEntity } from '../../domain/migration/records';
import { reportForReading, type MigrationReport } from '../../domain/migration/report';
import { migrationRun } from '../../workflows/migration';
import { migrationQueue, migrationWorkflowId, type MigrationRunInput } from '../../workflows/definitions/migration';
import { parseLegacyCsv } from '../../integrations/transforms/migrationFiles';
import { apiClient, type ApiResponse } from '../support/api';
import { exportCsv, generateLegacyExport } from '../support/legacyExport';
import { saveHistory } from '../support/recordHistory';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
let admin: string;
let caseworker: string;

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/migration/${name}`, import.meta.url));
const sampleFiles = () => [
  { entity: 'persons', filename: 'persons.csv', format: 'csv', content: b64(fixture('persons.csv')) },
  { entity: 'memberships', filename: 'memberships.csv', format: 'csv', content: b64(fixture('memberships.csv')) },
  { entity: 'periods', filename: 'periods.csv', format: 'csv', content: b64(fixture('periods.csv')) },
  { entity: 'invoices', filename: 'invoices.csv', format: 'csv', content: b64(fixture('invoices.csv')) },
  { entity: 'payments', filename: 'payments.jsonl', format: 'jsonl', content: b64(fixture('payments.jsonl')) },
];

const asAdmin = (path: string, init: RequestInit = {}) => api(path, { ...init, cookie: admin });
const put = (batchId: string, files: unknown[], cookie = admin) => api(`/api/v1/migration-batches/${batchId}`, { method: 'PUT', cookie, body: JSON.stringify({ files }) });
const post = (path: string, body?: unknown, cookie = admin) => api(path, { method: 'POST', cookie, ...(body ? { body: JSON.stringify(body) } : {}) });

/** Polls the batch until the run is no longer running; returns the run's view. */
async function settled(batchId: string, run: string) {
  return vi.waitFor(
    async () => {
      const res = await asAdmin(`/api/v1/migration-batches/${batchId}`);
      const view = res.body.runs.find((r: { run: string }) => r.run === run);
      if (!view || view.status === 'running') throw new Error(`run ${run} of ${batchId} still ${view?.status ?? 'missing'}`);
      return view;
    },
    { timeout: 90_000, interval: 200 },
  );
}

function expectProblem(res: ApiResponse, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
}

beforeAll(async () => {
  stack = await startStack({ today: () => '2026-12-01' });
  api = apiClient(stack).api;
  admin = await stack.login('admin');
  caseworker = await stack.login('caseworker');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('migration batches over HTTP', () => {
  it('refuses a caseworker every step', async () => {
    const batchId = `api-cw-${randomUUID().slice(0, 8)}`;
    expectProblem(await api('/api/v1/migration-batches', { cookie: caseworker }), 403, 'forbidden');
    expectProblem(await put(batchId, sampleFiles(), caseworker), 403, 'forbidden');
    expectProblem(await post(`/api/v1/migration-batches/${batchId}/test-run`, undefined, caseworker), 403, 'forbidden');
    // Nothing was stored for the caseworker's upload.
    expect((await asAdmin(`/api/v1/migration-batches/${batchId}`)).status).toBe(404);
  });

  it('refuses an unreadable file and a body that is not base64, storing nothing', async () => {
    const batchId = `api-bad-${randomUUID().slice(0, 8)}`;
    const unreadable = await put(batchId, [{ entity: 'payments', filename: 'payments.jsonl', format: 'jsonl', content: b64('{"legacy_id": "X1",\nnot json\n') }]);
    expectProblem(unreadable, 422, 'migration_file_unreadable');
    expect(unreadable.body.params).toEqual({ file: 'payments.jsonl' });
    const notBase64 = await put(batchId, [{ entity: 'persons', filename: 'persons.csv', format: 'csv', content: 'not base64!' }]);
    expect(notBase64.status).toBe(400);
    expect(notBase64.body.invalidParams.map((p: { name: string }) => p.name)).toContain('files.0.content');
    const badEntity = await put(batchId, [{ entity: 'pets', filename: 'pets.csv', format: 'csv', content: b64('a\n1\n') }]);
    expect(badEntity.status).toBe(400);
    expect((await asAdmin(`/api/v1/migration-batches/${batchId}`)).status).toBe(404);
  });

  it('takes an upload over the general 256 KiB limit, and refuses one over its own 64 MiB', async () => {
    const { files } = generateLegacyExport({ members: 3000, seed: 5, prefix: 'Z', memberNumberBase: 8_500_000, invoicesPerMember: 0 });
    const persons = exportCsv('persons', files.persons);
    expect(persons.length).toBeGreaterThan(256 * 1024);
    const big = await put(`api-big-${randomUUID().slice(0, 8)}`, [{ entity: 'persons', filename: 'persons.csv', format: 'csv', content: b64(persons) }]);
    expect(big.status).toBe(200);
    const tooBig = await put(`api-big-${randomUUID().slice(0, 8)}`, [{ entity: 'persons', filename: 'persons.csv', format: 'csv', content: 'A'.repeat(64 * 1024 * 1024 + 4) }]);
    expectProblem(tooBig, 413, 'migration_upload_too_large');
  }, 60_000);

  it('uploads and tests the sample set: the report and the rejected records, the real run refused', async () => {
    const batchId = `api-sample-${randomUUID().slice(0, 8)}`;
    const uploaded = await put(batchId, sampleFiles());
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toMatchObject({ id: batchId, status: 'uploaded', approvedBy: null, runs: [] });
    expect(uploaded.body.files.map((f: { entity: string }) => f.entity).sort()).toEqual(['invoices', 'memberships', 'payments', 'periods', 'persons']);
    // The persons file is an old Windows export: detected as such.
    expect(uploaded.body.files.find((f: { entity: string }) => f.entity === 'persons').encoding).toBe('windows-1252');
    expect((await asAdmin('/api/v1/migration-batches')).body.items.map((b: { id: string }) => b.id)).toContain(batchId);

    expectProblem(await post(`/api/v1/migration-batches/${batchId}/real-run`), 409, 'migration_test_not_passed');
    expectProblem(await post(`/api/v1/migration-batches/${batchId}/approval`), 409, 'migration_test_not_passed');

    const started = await post(`/api/v1/migration-batches/${batchId}/test-run`);
    expect(started.status).toBe(202);
    expect(started.body.run).toMatch(/^test-[0-9a-f]{12}$/);
    // A second start is the same run.
    expect((await post(`/api/v1/migration-batches/${batchId}/test-run`)).body.runId).toBe(started.body.runId);
    const test = await settled(batchId, started.body.run);
    expect(test.status).toBe('passed');
    expect(test.report.outcomes.persons.rejected).toBe(3);
    // Migrated, or unchanged when migration.test.ts loaded the same sample into this shared database first.
    const persons = test.report.outcomes.persons;
    expect(persons.migrated + persons.updated + persons.unchanged).toBeGreaterThan(15);
    expect(test.report.differences.map((d: { key: string }) => d.key)).toEqual(expect.arrayContaining(['persons', 'periods']));
    expect(test.done).toBe(test.total);

    // Tested but not approved: still refused.
    expectProblem(await post(`/api/v1/migration-batches/${batchId}/real-run`), 409, 'migration_not_approved');

    const csv = await asAdmin(`/api/v1/migration-batches/${batchId}/runs/${started.body.run}/rejected/persons`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="persons-rejected.csv"');
    const rows = parseLegacyCsv(csv.text);
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!).at(-1)).toBe('reasons');
    expect(rows.filter((r) => r.reasons!.includes('duplicate_legacy_id'))).toHaveLength(2);
    expect((await asAdmin(`/api/v1/migration-batches/${batchId}/runs/${started.body.run}/rejected/pets`)).status).toBe(400);
    expect((await asAdmin(`/api/v1/migration-batches/${batchId}/runs/real-000000000000/rejected/persons`)).status).toBe(404);
  }, 120_000);

  it('drives a batch through test, approval and the real run to done, accepting its differences with reasons', async () => {
    const { files } = generateLegacyExport({ members: 12, seed: 3, faults: true, faultEvery: 4, prefix: 'H', memberNumberBase: 8_400_000, invoicesPerMember: 1 });
    const upload = (Object.keys(files) as MigrationEntity[]).map((entity) => ({ entity, filename: `${entity}.csv`, format: 'csv', encoding: 'utf-8', content: b64(exportCsv(entity, files[entity])) }));
    const batchId = `api-h-${randomUUID().slice(0, 8)}`;
    expect((await put(batchId, upload)).status).toBe(200);

    const test = await post(`/api/v1/migration-batches/${batchId}/test-run`);
    expect((await settled(batchId, test.body.run)).status).toBe('passed');
    const approved = await post(`/api/v1/migration-batches/${batchId}/approval`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: expect.any(String) });

    const real = await post(`/api/v1/migration-batches/${batchId}/real-run`);
    expect(real.status).toBe(202);
    expect(real.body.run).toMatch(/^real-[0-9a-f]{12}$/);
    const run = await settled(batchId, real.body.run);
    expect(run.status).toBe('differences');
    // It loaded the records its test validated (decision 073), and says which test's; the test validated its own.
    expect(run.validatedIn).toBe(test.body.run);
    expect((await settled(batchId, test.body.run)).validatedIn).toBeNull();
    const rejectedPersons = run.report.outcomes.persons.rejected;
    expect(rejectedPersons).toBeGreaterThan(0);

    const csv = await asAdmin(`/api/v1/migration-batches/${batchId}/runs/${real.body.run}/rejected/persons`);
    expect(csv.status).toBe(200);
    expect(parseLegacyCsv(csv.text)).toHaveLength(rejectedPersons);

    // A loaded batch is neither replaced nor tested again.
    expectProblem(await put(batchId, upload), 409, 'migration_batch_loaded');
    expectProblem(await post(`/api/v1/migration-batches/${batchId}/test-run`), 409, 'migration_batch_loaded');

    const accept = (key: string, reason: string) => post(`/api/v1/migration-batches/${batchId}/runs/${real.body.run}/differences/${encodeURIComponent(key)}/acceptance`, { reason });
    expectProblem(await accept('no-such-figure', 'A reason'), 409, 'migration_difference_unknown');
    expect((await accept(run.report.differences[0].key, '   ')).status).toBe(400);
    expect((await post(`/api/v1/migration-batches/${batchId}/runs/${real.body.run}/differences/persons/acceptance`, { reason: 'x' }, caseworker)).status).toBe(403);

    const keys: string[] = run.report.differences.map((d: { key: string }) => d.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const [i, key] of keys.entries()) {
      const res = await accept(key, 'The rejected records are resent in the next batch');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ runId: real.body.runId, status: i === keys.length - 1 ? 'done' : 'differences', accepted: i + 1 });
    }
    const batch = (await asAdmin(`/api/v1/migration-batches/${batchId}`)).body;
    expect(batch.status).toBe('done');
    const done = batch.runs.find((r: { run: string }) => r.run === real.body.run);
    expect(Object.keys(done.accepted).sort()).toEqual([...keys].sort());
    expect(done.accepted[keys[0]!].reason).toBe('The rejected records are resent in the next batch');
  }, 180_000);
});

describe('a run in the view of its batch (decision 071)', () => {
  /** A batch of the sample files with one run stored by hand (no process). */
  async function batchWithRun(prefix: string, run: Partial<typeof migrationRuns.$inferInsert> & Pick<typeof migrationRuns.$inferInsert, 'mode' | 'status'>) {
    const batchId = `${prefix}-${randomUUID().slice(0, 8)}`;
    expect((await put(batchId, sampleFiles())).status).toBe(200);
    const batch = (await repo.findBatch(stack.db, batchId))!;
    const contentHash = run.contentHash ?? batch.contentHash;
    const id = migrationWorkflowId(batchId, run.mode, contentHash);
    await repo.insertRunOnce(stack.db, { startedBy: 'admin', ...run, id, batchId, contentHash });
    return { batchId, batch, id };
  }

  it('a failed run stores its failure as a code beside its words, and the batch answers both', async () => {
    // A run of files the batch no longer holds: its preparation refuses it (nonRetryable, typed).
    const { batchId, id } = await batchWithRun('api-failed', { mode: 'test', status: 'running', contentHash: 'f'.repeat(64) });
    const input: MigrationRunInput = { runId: id, batchId, mode: 'test', chunkSize: 100 };
    await stack.ctx.temporal.workflow.start(migrationRun, { taskQueue: stack.ctx.taskQueues[migrationQueue], workflowId: id, args: [input] });
    const view = await settled(batchId, id.split('/').pop()!);
    await saveHistory(stack.ctx.temporal, id, 'migration-run-failed');
    expect(view).toMatchObject({ status: 'failed', errorCode: 'migration-files-changed', error: 'The batch files changed after this run was started.' });
    expect((await repo.findRun(stack.db, id))?.errorCode).toBe('migration-files-changed');
  }, 60_000);

  // A report of a fund's size: tens of thousands of members' open balances on each side, one of them differing.
  const memberCount = 2_000;
  const balances = (differ: string | null) => Object.fromEntries(Array.from({ length: memberCount }, (_, i) => [`open.member.L${i}`, `L${i}` === differ ? 4_000 : 5_000]));
  const report: MigrationReport = {
    outcomes: { ...Object.fromEntries(['persons', 'memberships', 'periods', 'invoices', 'payments'].map((e) => [e, { migrated: 1, updated: 0, unchanged: 0, rejected: 0 }])) } as MigrationReport['outcomes'],
    source: { persons: memberCount, 'open.total': memberCount * 5_000, ...balances(null) },
    register: { persons: memberCount, 'open.total': memberCount * 5_000 - 1_000, ...balances('L7') },
    differences: [
      { key: 'open.member.L7', source: 5_000, register: 4_000 },
      { key: 'open.total', source: memberCount * 5_000, register: memberCount * 5_000 - 1_000 },
    ],
    kept: 0,
  };

  it('reads the readable report kept with each run, and trims a run reconciled before it was kept; the answer is the same', async () => {
    const { batchId, id } = await batchWithRun('api-readable', { mode: 'test', status: 'passed', report, readableReport: reportForReading(report) });
    const older = migrationWorkflowId(batchId, 'real', 'e'.repeat(64));
    await repo.insertRunOnce(stack.db, { id: older, batchId, mode: 'real', contentHash: 'e'.repeat(64), status: 'differences', startedBy: 'admin', report });

    const listed = await repo.runsOfBatch(stack.db, batchId);
    // The run with a readable report brings no per-member figures with it; the older one its whole report.
    expect(listed.find((r) => r.id === id)).toMatchObject({ report: null, readableReport: { memberBalances: { compared: memberCount, differing: 1 } } });
    expect(Object.keys(listed.find((r) => r.id === older)!.report!.source)).toHaveLength(memberCount + 2);

    const res = await asAdmin(`/api/v1/migration-batches/${batchId}`);
    expect(res.status).toBe(200);
    const expected = JSON.parse(JSON.stringify(reportForReading(report)));
    for (const runId of [id, older]) {
      const run = res.body.runs.find((r: { id: string }) => r.id === runId);
      expect(run.report).toEqual(expected);
      expect(Object.keys(run.report.source).sort()).toEqual(['open.total', 'persons']);
      expect(run).toMatchObject({ errorCode: null, error: null });
    }
  });

  it('knows a passed test of exactly the batch\'s files without reading any run\'s report', async () => {
    const { batchId, batch } = await batchWithRun('api-passed', { mode: 'test', status: 'passed', report, readableReport: reportForReading(report) });
    expect(await repo.hasPassedTest(stack.db, batchId, batch.contentHash)).toBe(true);
    expect(await repo.hasPassedTest(stack.db, batchId, 'd'.repeat(64))).toBe(false);
    const failed = await batchWithRun('api-not-passed', { mode: 'test', status: 'failed' });
    expect(await repo.hasPassedTest(stack.db, failed.batchId, failed.batch.contentHash)).toBe(false);
    const real = await batchWithRun('api-real-only', { mode: 'real', status: 'done' });
    expect(await repo.hasPassedTest(stack.db, real.batchId, real.batch.contentHash)).toBe(false);
    expectProblem(await post(`/api/v1/migration-batches/${real.batchId}/approval`), 409, 'migration_test_not_passed');
    expect((await post(`/api/v1/migration-batches/${batchId}/approval`)).status).toBe(200);
  });
});
