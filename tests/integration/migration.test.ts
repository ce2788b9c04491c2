/**
 * Migration batches end to end on the real stack (PostgreSQL + Temporal): the sample set through
 * test and real runs, the real run refused without a passed test and an approval, the
 * rejected-record file, a re-run that loads nothing twice, reconciliation catching a dropped
 * record, a phased batch that keeps a change made in the register, and a worker stopped in the
 * middle of a batch with a fresh one finishing it without duplicates; a worker process SIGKILLed in
 * the middle of a chunk, another finishing within the heartbeat timeout; chunks that die between
 * their writes and their outcomes, or run twice at once, and a run resumed across the change of
 * decision 046, and an entity loaded in lanes with the source side counted once and a lane's window
 * of rejected records passed over (decision 064). Legacy ids, member numbers (8,100,000–8,300,000+,
 * 8,650,000+, 8,700,000+, 8,800,000+, 9,100,000+ and 9,150,000+: prefixes Y and V) and identity
 * codes are this file's own (8,950,000+: the applications' test).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { batchSource, migrationReport } from '../../activities/migration';
import { createMigrationActivities } from '../../activities/migration';
import { loadChunk } from '../../activities/migrationLoader';
import * as repo from '../../db/repositories/migration';
import { applications, auditLog, collectionHearingStarts, tasks, collectionHolds, collectionReminders, hearings, invoices, ledgerEntries, members, messages, migrationKeys, persons, taxReportedRecords, taxReportItems, transferredPeriods } from '../../db/schema';
import { previewTaxReport } from '../../activities/taxReport';
import { memberFeeStatement, startTaxReport } from '../../services/taxReport';
import { dueSelection } from '../../db/repositories/collection';
import { collectionHearingWorkflowId, hearingStateQuery, paymentBookedSignal } from '../../workflows/definitions/collectionHearing';
import { migrationEntities, migrationValidationRules, sourceRowOf, type MigrationEntity } from '../../domain/migration/records';
import { parseLegacyCsv } from '../../integrations/transforms/migrationFiles';
import { acceptMigrationDifference, approveMigrationBatch, rejectedMigrationRecords, startMigrationReal, startMigrationTest, uploadMigrationBatch, type UploadedFile } from '../../services/migration';
import type { Principal } from '../../services/principal';
import { taskQueueNames } from '../../workflows/definitions/taskQueues';
import { exportCsv, generateLegacyExport } from '../support/legacyExport';
import { holdLock, killProcess, startWorkerHere, startWorkerProcess } from '../support/killedWorker';
import { startStack, type Stack } from '../support/stack';
import { migrationLoadLanes } from '../../workflows/definitions/migration';
import { saveHistory } from '../support/recordHistory';
import { decideTask } from '../../services/tasks';
import { applicationWorkflowId, intakeStateQuery } from '../../workflows/definitions/applicationIntake';

let stack: Stack;
const admin: Principal = { kind: 'user', id: 'admin-migration', name: 'Admin', roles: ['admin'] };
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/migration/${name}`, import.meta.url)));
const sampleFiles = (): UploadedFile[] => [
  { entity: 'persons', filename: 'persons.csv', format: 'csv', bytes: fixture('persons.csv') },
  { entity: 'memberships', filename: 'memberships.csv', format: 'csv', bytes: fixture('memberships.csv') },
  { entity: 'periods', filename: 'periods.csv', format: 'csv', bytes: fixture('periods.csv') },
  { entity: 'invoices', filename: 'invoices.csv', format: 'csv', bytes: fixture('invoices.csv') },
  { entity: 'payments', filename: 'payments.jsonl', format: 'jsonl', bytes: fixture('payments.jsonl') },
  { entity: 'collection', filename: 'collection.csv', format: 'csv', bytes: fixture('collection.csv') },
  { entity: 'transferred_periods', filename: 'transferred_periods.csv', format: 'csv', bytes: fixture('transferred_periods.csv') },
  { entity: 'messages', filename: 'messages.jsonl', format: 'jsonl', bytes: fixture('messages.jsonl') },
];
const csvFiles = (files: Record<MigrationEntity, Record<string, string>[]>): UploadedFile[] =>
  // A file per entity the export has rows of: an export without the collection state is a version 1 batch.
  (Object.keys(files) as MigrationEntity[]).filter((entity) => files[entity].length > 0).map((entity) => ({ entity, filename: `${entity}.csv`, format: 'csv', bytes: new TextEncoder().encode(exportCsv(entity, files[entity])) }));

async function finished(runId: string) {
  await stack.ctx.temporal.workflow.getHandle(runId).result();
  return (await repo.findRun(stack.db, runId))!;
}

/** Test, approve, real: the whole path of one batch; returns the real run. */
async function migrate(batchId: string, files: UploadedFile[], chunkSize = 7) {
  await uploadMigrationBatch(stack.ctx, admin, batchId, files);
  const test = await finished((await startMigrationTest(stack.ctx, admin, batchId, { chunkSize })).runId);
  expect(test.status).toBe('passed');
  await approveMigrationBatch(stack.ctx, admin, batchId);
  return finished((await startMigrationReal(stack.ctx, admin, batchId, { chunkSize })).runId);
}

/**
 * A batch tested and approved, its real run inserted and prepared by hand (no workflow), for a test
 * that drives the run's chunks itself. The run loads the test's staged records (decision 073), or,
 * with `testStagedBefore073`, a test that kept no validation basis, its own.
 */
const realRunByHand = async (batchId: string, files: Parameters<typeof csvFiles>[0], opts: { testStagedBefore073?: boolean } = {}) => {
  await uploadMigrationBatch(stack.ctx, admin, batchId, csvFiles(files));
  const test = await finished((await startMigrationTest(stack.ctx, admin, batchId, { chunkSize: 100 })).runId);
  expect(test.status).toBe('passed');
  if (opts.testStagedBefore073) await repo.setRun(stack.db, test.id, { staging: null });
  await approveMigrationBatch(stack.ctx, admin, batchId);
  const batch = (await repo.findBatch(stack.db, batchId))!;
  const { id } = await repo.insertRunOnce(stack.db, { id: `migration/${batchId}/real-by-hand`, batchId, mode: 'real', contentHash: batch.contentHash, status: 'running', startedBy: admin.id });
  const acts = createMigrationActivities(stack.activityDeps);
  const prepared = await acts.prepareMigrationRun({ runId: id });
  const run = (await repo.findRun(stack.db, id))!;
  expect(run.recordsRunId).toBe(opts.testStagedBefore073 ? null : test.id);
  /** What a chunk run by hand loads with (the run's staged records are its test's). */
  const ctx: repo.LoadContext = { runId: id, stagedRunId: repo.stagedRunOf(run), batchId, iban: stack.activityDeps.profile.iban };
  return { run, acts, prepared, ctx };
};

/** A test run of the batch's files, its steps run by hand (prepared: its schema made). */
const testRunByHand = async (batchId: string, files: Parameters<typeof csvFiles>[0]) => {
  await uploadMigrationBatch(stack.ctx, admin, batchId, csvFiles(files));
  const batch = (await repo.findBatch(stack.db, batchId))!;
  const run = await repo.insertRunOnce(stack.db, { id: `migration/${batchId}/test-by-hand`, batchId, mode: 'test', contentHash: batch.contentHash, status: 'running', startedBy: admin.id });
  const acts = createMigrationActivities(stack.activityDeps);
  await acts.prepareMigrationRun({ runId: run.id });
  return { run, acts };
};

/** The `member.migrated` audit rows a run wrote. */
async function memberAudits(runId: string) {
  return stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'member.migrated'), sql`${auditLog.details}->>'runId' = ${runId}`));
}

async function collectExecutions(query: string): Promise<{ executions: number }> {
  let executions = 0;
  for await (const _ of stack.ctx.temporal.workflow.list({ query })) executions += 1;
  return { executions };
}

async function keyCount(prefix: string): Promise<number> {
  const [row] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(migrationKeys).where(like(migrationKeys.legacyId, `${prefix}%`));
  return row!.n;
}

beforeAll(async () => {
  stack = await startStack({ today: () => '2026-12-01' });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('migration batches', () => {
  it('tests the sample set in a throw-away schema, refuses the real run until approved, then loads and reconciles', async () => {
    await uploadMigrationBatch(stack.ctx, admin, 'sample-1', sampleFiles());
    await expect(startMigrationReal(stack.ctx, admin, 'sample-1')).rejects.toMatchObject({ status: 409, code: 'migration_test_not_passed' });
    await expect(approveMigrationBatch(stack.ctx, admin, 'sample-1')).rejects.toMatchObject({ status: 409, code: 'migration_test_not_passed' });
    await expect(startMigrationTest(stack.ctx, { ...admin, roles: ['billing'] } as Principal, 'sample-1')).rejects.toMatchObject({ status: 403 });

    const test = await finished((await startMigrationTest(stack.ctx, admin, 'sample-1', { chunkSize: 4 })).runId);
    expect(test.status).toBe('passed');
    expect(test.report!.outcomes.persons.migrated).toBeGreaterThan(15);
    await saveHistory(stack.ctx.temporal, test.id, 'migration-run-test');
    // The test loaded nothing into the register, and its schema is gone.
    expect(await keyCount('S')).toBe(0);
    const [schemas] = await stack.db.execute(sql`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = ${repo.testSchemaName(test.id)}`) as unknown as { n: number }[];
    expect(schemas!.n).toBe(0);
    // Every fault of the sample is a rejected record, and so a difference.
    expect(test.report!.outcomes.persons.rejected).toBe(3); // a bad identity code and a duplicated row (twice)
    // Two overlapping periods, and the periods of the memberships whose person was rejected.
    expect(test.report!.outcomes.periods.rejected).toBeGreaterThanOrEqual(2);
    expect(test.report!.outcomes.payments.rejected).toBeGreaterThanOrEqual(1);
    // The collection state (format version 2): a level the fund does not have, states of paid invoices.
    expect(test.report!.outcomes.collection.rejected).toBeGreaterThanOrEqual(8);
    expect(test.report!.outcomes.collection.migrated).toBeGreaterThanOrEqual(4);
    expect(test.report!.source['collection.hearings']).toBeGreaterThan(test.report!.register['collection.hearings']!);
    // Transferred periods: Y-tunnus that do not check, ends before starts, and those of rejected memberships.
    expect(test.report!.outcomes.transferred_periods).toMatchObject({ migrated: 2, rejected: 6 });
    expect(test.report!.differences).toContainEqual({ key: 'transferred_periods', source: 8, register: 2 });
    // Messages sent: a kind the register does not know, a channel it does not have, those of rejected memberships.
    expect(test.report!.outcomes.messages.rejected).toBeGreaterThanOrEqual(2);
    expect(test.report!.outcomes.messages.migrated).toBeGreaterThan(20);
    expect(test.report!.differences.map((d) => d.key)).toEqual(expect.arrayContaining(['persons', 'periods']));

    // Not approved yet: still refused.
    await expect(startMigrationReal(stack.ctx, admin, 'sample-1')).rejects.toMatchObject({ status: 409, code: 'migration_not_approved' });
    await approveMigrationBatch(stack.ctx, admin, 'sample-1');
    const real = await finished((await startMigrationReal(stack.ctx, admin, 'sample-1', { chunkSize: 4 })).runId);
    expect(real.status).toBe('differences');
    await saveHistory(stack.ctx.temporal, real.id, 'migration-run-real-differences');
    expect(real.report!.source).toEqual(test.report!.source);
    expect(real.report!.register).toEqual(test.report!.register);
    // The real run loaded the records its test validated and staged (decision 073): none staged again.
    expect(real.recordsRunId).toBe(test.id);
    expect(await repo.hasOwnRecords(stack.db, real.id)).toBe(false);
    expect([real.total, real.staging]).toEqual([test.total, test.staging]);
    expect(real.report!.outcomes).toEqual(test.report!.outcomes);
    expect(await keyCount('S')).toBeGreaterThan(80);
    // Each member the real run created has one audit row for the run, under the administrator who approved it; the test run wrote none.
    expect(await memberAudits(test.id)).toEqual([]);
    const audits = await memberAudits(real.id);
    expect(audits).toHaveLength(real.report!.outcomes.memberships.migrated);
    expect(new Set(audits.map((a) => a.entityId)).size).toBe(audits.length);
    expect(audits.every((a) => a.actor === admin.id && a.entityType === 'member' && a.details.batchId === 'sample-1')).toBe(true);
    const [someMember] = await stack.db.select({ id: members.id }).from(members).where(eq(members.id, audits[0]!.entityId));
    expect(someMember).toBeTruthy();
    // The row names every record of the member the run migrated, per entity, with their legacy ids.
    const entities = (a: (typeof audits)[number]) => a.details.entities as Record<string, { migrated: number; updated: number; legacyIds: string[] }>;
    for (const e of ['memberships', 'periods', 'invoices', 'payments'] as const) {
      expect(audits.reduce((n, a) => n + (entities(a)[e]?.migrated ?? 0), 0)).toBe(real.report!.outcomes[e].migrated);
    }
    expect(audits.every((a) => entities(a).memberships!.legacyIds.length === 1 && Number(a.details.migrated) >= 1)).toBe(true);
    // Each outcome row carries the legacy id its record was staged with (decision 062), and the audit's legacy ids are the staged records' own.
    const [mismatched] = await stack.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM migration_outcomes o LEFT JOIN migration_records r ON r.run_id = ${test.id} AND r.entity = o.entity AND r.seq = o.seq WHERE o.run_id = ${real.id} AND o.legacy_id IS DISTINCT FROM r.legacy_id`);
    expect(mismatched!.n).toBe(0);
    const stagedMemberships = await stack.db.execute<{ legacy_id: string }>(sql`SELECT r.legacy_id FROM migration_outcomes o JOIN migration_records r ON r.run_id = ${test.id} AND r.entity = o.entity AND r.seq = o.seq WHERE o.run_id = ${real.id} AND o.entity = 'memberships' AND o.outcome = 'migrated'`);
    expect(audits.flatMap((a) => entities(a).memberships!.legacyIds).sort()).toEqual(stagedMemberships.map((r) => r.legacy_id).sort());
    // No records are staged for a run that is not there (what the foreign key checked per record, checked once per staging since decision 062).
    await expect(repo.stageRecords(stack.db, 'migration/no-such-run', [])).rejects.toThrow(/No migration run/);
    // A retried reconciliation finds the run's report and audits no member twice.
    await createMigrationActivities(stack.activityDeps).reconcileMigrationRun({ runId: real.id });
    expect(await memberAudits(real.id)).toHaveLength(audits.length);

    // The rejected records, in the source's columns, with reasons, to fix and resend.
    const rejected = await rejectedMigrationRecords(stack.ctx, admin, real.id, 'persons');
    const rows = parseLegacyCsv(rejected.csv);
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!)).toEqual(['legacy_id', 'identity_code', 'first_names', 'last_name', 'language', 'email', 'phone', 'street_address', 'postal_code', 'city', 'country', 'delivery', 'non_disclosure', 'reasons']);
    expect(rows.find((r) => r.reasons!.includes('identity_code_invalid'))).toBeTruthy();
    expect(rows.filter((r) => r.reasons!.includes('duplicate_legacy_id'))).toHaveLength(2);

    // Done only when every difference is accepted with a reason.
    const diffs = real.report!.differences;
    for (const [i, d] of diffs.entries()) {
      const result = await acceptMigrationDifference(stack.ctx, admin, real.id, d.key, 'Rejected records are resent in batch 2');
      expect(result.status).toBe(i === diffs.length - 1 ? 'done' : 'differences');
    }
    expect((await repo.findBatch(stack.db, 'sample-1'))!.status).toBe('done');
  }, 120_000);

  it('loads nothing twice: the same files again are all unchanged', async () => {
    const before = await keyCount('S');
    const [ledgerBefore] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(ledgerEntries).where(like(ledgerEntries.sourceKey, 'migration:%:S%'));
    const again = await migrate('sample-2', sampleFiles());
    for (const o of Object.values(again.report!.outcomes)) {
      expect(o.migrated).toBe(0);
      expect(o.updated).toBe(0);
    }
    expect(again.report!.outcomes.invoices.unchanged).toBeGreaterThan(30);
    expect(await keyCount('S')).toBe(before);
    const [ledgerAfter] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(ledgerEntries).where(like(ledgerEntries.sourceKey, 'migration:%:S%'));
    expect(ledgerAfter!.n).toBe(ledgerBefore!.n);
    // A retried chunk after the run has ended is refused and loads nothing.
    const acts = createMigrationActivities(stack.activityDeps);
    await expect(acts.loadMigrationChunk({ runId: again.id, entity: 'payments', limit: 100 })).rejects.toMatchObject({ nonRetryable: true });
    expect(await keyCount('S')).toBe(before);
  }, 120_000);

  it('reconciliation catches a record dropped from the register', async () => {
    const run = (await repo.runsOfBatch(stack.db, 'sample-1')).find((r) => r.mode === 'real')!;
    const [victim] = await stack.db.select({ id: ledgerEntries.id, occurredOn: ledgerEntries.occurredOn }).from(ledgerEntries).where(like(ledgerEntries.sourceKey, 'migration:payment:S%')).limit(1);
    const key = `payments.${victim!.occurredOn.slice(0, 4)}`;
    const before = await migrationReport(stack.db, run, '2026-12-01');
    expect(before.differences.some((d) => d.key === 'periods' && d.register === before.register.periods)).toBe(true);
    await stack.db.delete(ledgerEntries).where(eq(ledgerEntries.id, victim!.id));
    const after = await migrationReport(stack.db, run, '2026-12-01');
    expect(after.register[key]).toBe(before.register[key]! - 1);
    expect(after.differences).toContainEqual({ key, source: before.source[key]!, register: before.register[key]! - 1 });
  }, 60_000);

  it('a phased second batch updates the first without overwriting a change made in the register', async () => {
    const { files } = generateLegacyExport({ members: 6, seed: 11, prefix: 'F', memberNumberBase: 8_200_000, invoicesPerMember: 1 });
    const first = await migrate('phase-1', csvFiles(files));
    expect(first.status).toBe('done');
    const [key] = await stack.db.select().from(migrationKeys).where(and(eq(migrationKeys.entity, 'persons'), eq(migrationKeys.legacyId, 'FP2')));
    // A caseworker changes the member's e-mail in the register after the first batch.
    await stack.db.update(persons).set({ email: 'changed.in.register@example.fi' }).where(eq(persons.id, key!.registerId));
    // The second batch has a new e-mail and a new city for the same person.
    files.persons = files.persons.map((p) => (p.legacy_id === 'FP2' ? { ...p, email: 'from.batch2@example.fi', city: 'Tampere' } : p));
    const second = await migrate('phase-2', csvFiles(files));
    expect(second.report!.outcomes.persons).toMatchObject({ migrated: 0, updated: 1, rejected: 0 });
    const [person] = await stack.db.select().from(persons).where(eq(persons.id, key!.registerId));
    expect(person).toMatchObject({ email: 'changed.in.register@example.fi', city: 'Tampere' });
    expect(second.report!.kept).toBe(1);
    // The member whose person the second batch changed is audited for it; the unchanged ones are not.
    const [member] = await stack.db.select({ id: members.id }).from(members).where(eq(members.personId, key!.registerId));
    const audits = await memberAudits(second.id);
    expect(audits.map((a) => [a.entityId, a.details.updated, Object.keys(a.details.entities as object)])).toEqual([[member!.id, 1, ['persons']]]);
  }, 180_000);

  it('a real run loads its test\'s validated records, unless the register\'s keys or the fund\'s reminder levels changed since: then it validates the files again', async () => {
    const { files } = generateLegacyExport({ members: 5, seed: 1, prefix: 'P', memberNumberBase: 9_250_000, invoicesPerMember: 1 });
    // Two phases tested before either loads: the second's periods, invoices and payments name the first's memberships.
    await uploadMigrationBatch(stack.ctx, admin, 'basis-1', csvFiles({ ...files, periods: [], invoices: [], payments: [] }));
    await uploadMigrationBatch(stack.ctx, admin, 'basis-2', csvFiles({ ...files, persons: [], memberships: [] }));
    const test1 = await finished((await startMigrationTest(stack.ctx, admin, 'basis-1', { chunkSize: 4 })).runId);
    const test2 = await finished((await startMigrationTest(stack.ctx, admin, 'basis-2', { chunkSize: 4 })).runId);
    expect(test2.report!.outcomes.periods).toMatchObject({ migrated: 0, rejected: files.periods.length });
    const staged2 = await repo.rejectedRecords(stack.db, test2, 'periods');
    expect(new Set(staged2.flatMap((r) => r.reasons.map((x) => x.reason)))).toEqual(new Set(['unknown_parent']));

    for (const batch of ['basis-1', 'basis-2']) await approveMigrationBatch(stack.ctx, admin, batch);
    const real1 = await finished((await startMigrationReal(stack.ctx, admin, 'basis-1', { chunkSize: 4 })).runId);
    expect(real1.recordsRunId).toBe(test1.id);
    expect(real1.report!.outcomes.memberships).toMatchObject({ migrated: 5, rejected: 0 });
    // The first phase's keys came after the second's test: its records are validated again, and now their parents are in the register.
    const real2 = await finished((await startMigrationReal(stack.ctx, admin, 'basis-2', { chunkSize: 4 })).runId);
    expect(real2.recordsRunId).toBeNull();
    expect(await repo.hasOwnRecords(stack.db, real2.id)).toBe(true);
    expect(real2.staging!.basis.keys).toBeGreaterThan(test2.staging!.basis.keys);
    expect(real2.report!.outcomes).toMatchObject({ periods: { migrated: files.periods.length, rejected: 0 }, invoices: { migrated: 5, rejected: 0 }, payments: { migrated: files.payments.length, rejected: 0 } });
    expect(real2.status).toBe('done');

    // The tests a real run may take records from, each with what it was validated on (compared in domain/migration/records.ts sameValidationBasis).
    const basis = test1.staging!.basis;
    expect(await repo.stagedPassedTests(stack.db, test1)).toEqual([{ id: test1.id, staging: test1.staging }]);
    expect(await repo.stagedPassedTests(stack.db, real1)).toEqual([{ id: test1.id, staging: test1.staging }]);
    expect(basis).toMatchObject({ rules: migrationValidationRules, reminderLevels: stack.activityDeps.profile.collection.levels.length });
  }, 180_000);

  it('the same bytes read in another encoding are other files: a test of them passed before neither approves nor stages them', async () => {
    const { files } = generateLegacyExport({ members: 2, seed: 1, prefix: 'PE', memberNumberBase: 9_270_000, invoicesPerMember: 0 });
    // A name with letters UTF-8 and Windows-1252 read apart.
    files.persons[0]!.last_name = 'Äyräväinen';
    const bytes = new TextEncoder().encode(exportCsv('persons', files.persons));
    const upload = (encoding: string) => uploadMigrationBatch(stack.ctx, admin, 'encoding-1', [{ entity: 'persons', filename: 'persons.csv', format: 'csv', encoding, bytes }]);
    const misread = await upload('windows-1252');
    expect((await finished((await startMigrationTest(stack.ctx, admin, 'encoding-1', { chunkSize: 4 })).runId)).status).toBe('passed');
    const read = await upload('utf-8');
    expect(read.contentHash).not.toBe(misread.contentHash);
    await expect(approveMigrationBatch(stack.ctx, admin, 'encoding-1')).rejects.toMatchObject({ status: 409, code: 'migration_test_not_passed' });
    expect(await repo.stagedPassedTests(stack.db, { batchId: 'encoding-1', contentHash: read.contentHash })).toEqual([]);
  }, 60_000);

  it('loads the collection state: the daily step goes on at the next level, the old hearings go on without a letter, nothing is sent', async () => {
    const { files } = generateLegacyExport({ members: 16, seed: 12, prefix: 'G', memberNumberBase: 8_400_000, invoicesPerMember: 2, collectionState: true, transferredPeriods: true, messages: true });
    // A hearing of two invoices of one member (its older invoice left unpaid): one hearing with both.
    const twice = files.collection.find((c) => !c.hearing_started_on && !c.hold_reason)!;
    const member = files.invoices.find((i) => i.legacy_id === twice.invoice_legacy_id!)!.membership_legacy_id!;
    const other = files.invoices.find((i) => i.membership_legacy_id === member && i.legacy_id !== twice.invoice_legacy_id!)!;
    other.open_amount = other.amount!;
    files.payments = files.payments.filter((y) => y.invoice_legacy_id !== other.legacy_id!);
    Object.assign(twice, { reminder_level: '2', reminder_date: '2026-11-14', reminder_due_date: '2026-11-28', hearing_started_on: '2026-11-29', hearing_deadline: '2026-12-30' });
    files.collection.push({ ...twice, legacy_id: 'GCextra', invoice_legacy_id: other.legacy_id! });
    const withHearing = files.collection.filter((c) => c.hearing_started_on);
    expect(withHearing.length).toBeGreaterThanOrEqual(3);
    expect(files.collection.some((c) => c.hold_reason)).toBe(true);

    const real = await migrate('collection-1', csvFiles(files), 3);
    expect(real.report!.differences).toEqual([]);
    expect(real.status).toBe('done');
    expect(real.report!.outcomes.collection).toMatchObject({ migrated: files.collection.length, rejected: 0 });
    expect(real.report!.register['collection.hearings']).toBe(withHearing.length);
    // The periods in previous funds, as the register's transferred periods.
    expect(files.transferred_periods.length).toBeGreaterThan(0);
    expect(real.report!.register.transferred_periods).toBe(files.transferred_periods.length);
    const transferKeys = await stack.db.select().from(migrationKeys).where(and(eq(migrationKeys.entity, 'transferred_periods'), like(migrationKeys.legacyId, 'G%')));
    const transfers = await stack.db.select().from(transferredPeriods).where(inArray(transferredPeriods.id, transferKeys.map((k) => k.registerId)));
    expect(transfers.map((t) => [t.fundName, t.startDate, t.endDate, t.recordedBy]).sort()).toEqual(files.transferred_periods.map((x) => [x.fund_name, x.start_date, x.end_date, 'migration']).sort());
    await saveHistory(stack.ctx.temporal, real.id, 'migration-run-real-v2');

    const keyOf = async (entity: MigrationEntity, legacyIds: string[]) => stack.db.select().from(migrationKeys).where(and(eq(migrationKeys.entity, entity), inArray(migrationKeys.legacyId, legacyIds)));
    const invoiceIds = new Map((await keyOf('invoices', files.collection.map((c) => c.invoice_legacy_id!))).map((k) => [k.legacyId, k.registerId]));
    const ids = [...invoiceIds.values()];
    // Each invoice's level reached is a sent reminder of that level; no lower level is there to be sent again.
    const reminders = await stack.db.select().from(collectionReminders).where(inArray(collectionReminders.invoiceId, ids));
    expect(reminders).toHaveLength(files.collection.length);
    for (const c of files.collection) expect(reminders.find((r) => r.invoiceId === invoiceIds.get(c.invoice_legacy_id!))).toMatchObject({ level: Number(c.reminder_level), sentOn: c.reminder_date!, newDueDate: c.reminder_due_date!, status: 'sent' });
    // The daily step on 1.12.2026 takes each invoice from the level reached: the next level only, none in a hearing, none at a level already sent.
    const due = (await stack.db.execute(sql`SELECT invoice_id, level FROM (${dueSelection(stack.profile.collection, '2026-12-01')}) d WHERE d.invoice_id::text IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`)) as unknown as { invoice_id: string; level: number }[];
    expect(due.length).toBeGreaterThan(0);
    for (const d of due) {
      const c = files.collection.find((x) => invoiceIds.get(x.invoice_legacy_id!) === d.invoice_id)!;
      expect(d.level).toBe(Number(c.reminder_level) + 1);
      expect(c.hearing_started_on).toBe('');
    }
    // The holds, as the member's open hold.
    const holdMembers = (await stack.db.select({ memberId: invoices.memberId }).from(invoices).where(inArray(invoices.id, files.collection.filter((c) => c.hold_reason).map((c) => invoiceIds.get(c.invoice_legacy_id!)!)))).map((r) => r.memberId);
    const holds = await stack.db.select().from(collectionHolds).where(inArray(collectionHolds.memberId, holdMembers));
    expect(holds.map((h) => [h.reason, h.until, h.setBy, h.resumedAt])).toEqual(holdMembers.map(() => ['payment-plan', '2027-01-29', 'migration', null]));

    // One hearing per member, with the old register's dates, started as a process of its own with no letter.
    const hearingMembers = [...new Set((await stack.db.select({ memberId: invoices.memberId }).from(invoices).where(inArray(invoices.id, withHearing.map((c) => invoiceIds.get(c.invoice_legacy_id!)!)))).map((r) => r.memberId))];
    expect(hearingMembers.length).toBe(withHearing.length - 1);
    const rows = await stack.db.select().from(hearings).where(inArray(hearings.memberId, hearingMembers));
    expect(rows).toHaveLength(hearingMembers.length);
    const joint = rows.find((h) => h.invoiceIds.length === 2)!;
    expect(joint).toMatchObject({ startedOn: '2026-11-29', deadline: '2026-12-30', letterMessageKey: null });
    expect(new Set(joint.invoiceIds)).toEqual(new Set([invoiceIds.get(twice.invoice_legacy_id!), invoiceIds.get(other.legacy_id!)]));
    const starts = await stack.db.select().from(collectionHearingStarts).where(inArray(collectionHearingStarts.memberId, hearingMembers));
    expect(starts.every((s) => s.migrated && s.startedAt !== null)).toBe(true);
    for (const memberId of hearingMembers) {
      const handle = stack.ctx.temporal.workflow.getHandle(collectionHearingWorkflowId(memberId));
      await vi.waitFor(async () => expect(await handle.query(hearingStateQuery)).toMatchObject({ status: 'open', hearingId: expect.any(String) }), { timeout: 30_000, interval: 200 });
      // Waiting for the deadline (a timer), having sent nothing.
      await vi.waitFor(async () => expect((await handle.fetchHistory()).events!.some((e) => e.timerStartedEventAttributes)).toBe(true), { timeout: 30_000, interval: 200 });
      const scheduled = (await handle.fetchHistory()).events!.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name] : []));
      expect(scheduled).toEqual(['openHearing', 'hearingOpenCents']);
    }
    // The migration sent nothing to the migrated members: their message history is the old register's (metadata, sent there), nothing else, and nothing went to the messaging service.
    const migratedMembers = (await keyOf('memberships', files.memberships.map((m) => m.legacy_id!))).map((k) => k.registerId);
    expect(migratedMembers).toHaveLength(16);
    expect(real.report!.register.messages).toBe(files.messages.length);
    const history = await stack.db.select().from(messages).where(inArray(messages.memberId, migratedMembers));
    expect(history).toHaveLength(files.messages.length);
    expect(history.every((m) => m.messageKey.startsWith('migration:message:') && m.status === 'sent' && m.body === '' && m.templateVersion === 'migration')).toBe(true);
    expect([...stack.messaging.delivered.keys()].filter((k) => k.startsWith('migration:'))).toEqual([]);

    // The same files again: nothing loaded twice, no hearing started twice.
    const again = await migrate('collection-2', csvFiles(files), 5);
    expect(again.report!.outcomes.collection).toMatchObject({ migrated: 0, updated: 0, unchanged: files.collection.length });
    expect(again.report!.outcomes.transferred_periods).toMatchObject({ migrated: 0, updated: 0, unchanged: files.transferred_periods.length });
    expect(again.report!.outcomes.messages).toMatchObject({ migrated: 0, updated: 0, unchanged: files.messages.length });
    expect(await stack.db.select({ id: messages.id }).from(messages).where(inArray(messages.memberId, migratedMembers))).toHaveLength(files.messages.length);
    expect(await stack.db.select({ invoiceId: collectionReminders.invoiceId }).from(collectionReminders).where(inArray(collectionReminders.invoiceId, ids))).toHaveLength(files.collection.length);
    expect(await stack.db.select({ id: hearings.id }).from(hearings).where(inArray(hearings.memberId, hearingMembers))).toHaveLength(hearingMembers.length);
    const started = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'collection.hearing-started'), inArray(auditLog.entityId, hearingMembers)));
    expect(started).toHaveLength(hearingMembers.length);

    // Paying ends the joint hearing as any other (the recorded history of a migrated hearing).
    await stack.db.update(invoices).set({ openCents: 0, status: 'paid' }).where(inArray(invoices.id, joint.invoiceIds));
    const handle = stack.ctx.temporal.workflow.getHandle(joint.workflowId);
    await handle.signal(paymentBookedSignal, { source: 'test' });
    expect((await handle.result()).outcome).toBe('paid');
    await saveHistory(stack.ctx.temporal, joint.workflowId, 'collection-hearing-migrated-paid');
  }, 240_000);

  it('applications waiting for a decision: loaded waiting, their intake started after the real run with nothing sent, a re-run starting nothing twice, a test run starting nothing', async () => {
    const { files, faults } = generateLegacyExport({ members: 3, seed: 16, prefix: 'Q', memberNumberBase: 8_950_000, invoicesPerMember: 1, applications: 8, faults: true, faultEvery: 4 });
    const faulty = files.applications.filter((a) => faults.has(a.legacy_id!)).map((a) => a.legacy_id!);
    expect(faulty).toHaveLength(2);
    const valid = files.applications.filter((a) => !faults.has(a.legacy_id!));
    const keyed = async () => stack.db.select().from(migrationKeys).where(and(eq(migrationKeys.entity, 'applications'), like(migrationKeys.legacyId, 'Q%')));

    // The test run loads them in its own schema and starts nothing.
    await uploadMigrationBatch(stack.ctx, admin, 'applications-1', csvFiles(files));
    const test = await finished((await startMigrationTest(stack.ctx, admin, 'applications-1', { chunkSize: 3 })).runId);
    expect(test.status).toBe('passed');
    expect(test.report!.outcomes.applications).toMatchObject({ migrated: valid.length, rejected: 2 });
    expect(test.report!.register.applications).toBe(valid.length);
    expect(await keyed()).toEqual([]);
    expect(await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'migration.processes-started'), eq(auditLog.entityId, test.id)))).toEqual([]);
    const rejected = parseLegacyCsv((await rejectedMigrationRecords(stack.ctx, admin, test.id, 'applications')).csv);
    expect(rejected.map((r) => r.legacy_id).sort()).toEqual([...faulty].sort());

    await approveMigrationBatch(stack.ctx, admin, 'applications-1');
    const real = await finished((await startMigrationReal(stack.ctx, admin, 'applications-1', { chunkSize: 3 })).runId);
    // The two faulty ones are differences until the fund resends them or they are accepted.
    expect(real.report!.differences).toEqual([{ key: 'applications', source: files.applications.length, register: valid.length }]);
    const keys = await keyed();
    expect(keys).toHaveLength(valid.length);
    const ids = keys.map((k) => k.registerId);
    const rows = await stack.db.select().from(applications).where(inArray(applications.id, ids));
    for (const a of valid) {
      const row = rows.find((r) => r.id === keys.find((k) => k.legacyId === a.legacy_id)!.registerId)!;
      expect(row).toMatchObject({ channel: 'migration', submittedBy: 'migration', idempotencyKey: `migration:${a.legacy_id}`, receivedOn: a.received_on, identityCode: a.identity_code, workflowId: applicationWorkflowId(row.id) });
      expect(row.data).toMatchObject({ firstNames: a.first_names, lastName: a.last_name, employment: { status: a.employment_status } });
    }
    // Each one's intake runs under its own id, validated and waiting for a caseworker; nothing approved automatically, nothing asked of the applicant.
    for (const id of ids) {
      const handle = stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(id));
      await vi.waitFor(async () => expect(await handle.query(intakeStateQuery)).toMatchObject({ status: 'in-review', openTaskId: expect.any(String) }), { timeout: 30_000, interval: 200 });
      const scheduled = (await handle.fetchHistory()).events!.flatMap((e) => (e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? ['local'] : []));
      expect(scheduled).toHaveLength(2); // validateApplication, openReviewTask
    }
    expect((await stack.db.select().from(applications).where(inArray(applications.id, ids))).every((a) => a.status === 'in-review' && a.decision === null)).toBe(true);
    expect(await stack.db.select().from(tasks).where(and(inArray(tasks.subjectId, ids), eq(tasks.status, 'open')))).toHaveLength(valid.length);
    const [startAudit] = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'migration.processes-started'), eq(auditLog.entityId, real.id)));
    expect(startAudit?.details).toMatchObject({ applications: valid.length });
    // Nothing was queued or sent to the applicants by the migration.
    expect(await stack.db.select().from(messages).where(inArray(messages.applicationId, ids))).toEqual([]);
    expect([...stack.messaging.delivered.keys()].filter((k) => ids.some((id) => k.includes(id)))).toEqual([]);
    // Since decision 072 the starts run beside the reconciliation; 'migration-run-real-applications' (recorded before) keeps the older order replaying.
    await saveHistory(stack.ctx.temporal, real.id, 'migration-run-starts-beside-reconcile');

    // The same files again: nothing loaded twice, no intake started twice.
    await uploadMigrationBatch(stack.ctx, admin, 'applications-2', csvFiles(files));
    await finished((await startMigrationTest(stack.ctx, admin, 'applications-2', { chunkSize: 5 })).runId);
    await approveMigrationBatch(stack.ctx, admin, 'applications-2');
    const again = await finished((await startMigrationReal(stack.ctx, admin, 'applications-2', { chunkSize: 5 })).runId);
    expect(again.report!.outcomes.applications).toMatchObject({ migrated: 0, updated: 0, unchanged: valid.length, rejected: 2 });
    expect(await keyed()).toHaveLength(valid.length);
    expect(await stack.db.select({ id: applications.id }).from(applications).where(like(applications.idempotencyKey, 'migration:Q%'))).toHaveLength(valid.length);
    const againStarts = await stack.db.select().from(auditLog).where(and(eq(auditLog.action, 'migration.processes-started'), eq(auditLog.entityId, again.id)));
    expect(againStarts).toEqual([]);
    // A second start of one that runs finds it running (a retry of the step after a crash): started once.
    const acts = createMigrationActivities({ db: stack.db, profile: stack.profile, today: () => '2026-12-01', temporal: stack.ctx.temporal, taskQueues: stack.ctx.taskQueues });
    await stack.db.update(applications).set({ status: 'received' }).where(eq(applications.id, ids[0]!));
    expect(await acts.startMigratedProcesses({ runId: real.id })).toMatchObject({ applications: 0 });
    await stack.db.update(applications).set({ status: 'in-review' }).where(eq(applications.id, ids[0]!));
    for (const id of ids) {
      const { executions } = await collectExecutions(`WorkflowId = '${applicationWorkflowId(id)}'`);
      expect(executions).toBe(1);
    }

    // The decision goes on as for any application: the caseworker approves, and the decision letter is the fund's.
    const caseworker: Principal = { kind: 'user', id: 'cw-migration', name: 'Caseworker', roles: ['caseworker'] };
    const first = stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(ids[0]!));
    const { openTaskId } = await first.query(intakeStateQuery);
    await decideTask(stack.ctx, caseworker, openTaskId!, { decision: 'approve' });
    expect(await first.result()).toMatchObject({ outcome: 'approved', memberId: expect.any(String) });
    await saveHistory(stack.ctx.temporal, applicationWorkflowId(ids[0]!), 'application-intake-migrated-approved');
  }, 240_000);

  it('past tax reports stand as reported: a correction run of the year replaces a changed figure and leaves the rest, nothing reported twice', async () => {
    // Year 2019 is this test's own (no other test reports it).
    const { files } = generateLegacyExport({ members: 8, seed: 6, prefix: 'H', memberNumberBase: 8_500_000, invoicesPerMember: 16, until: '2020-11-30', taxReports: true });
    expect(files.tax_reports.length).toBeGreaterThanOrEqual(4);
    // The old register's figure of one member differs from the payments the export has (a payment it no longer lists, say).
    const changed = files.tax_reports[0]!;
    const netOfChanged = Math.round(Number(changed.amount) * 100);
    changed.amount = ((netOfChanged + 100) / 100).toFixed(2);
    const real = await migrate('tax-reports-1', csvFiles(files), 4);
    expect(real.status).toBe('done');
    expect(real.report!.outcomes.tax_reports).toMatchObject({ migrated: files.tax_reports.length, rejected: 0 });
    expect(real.report!.register['tax_reports.2019']).toBe(files.tax_reports.length);
    expect(real.report!.register['tax_reports.2019.amount']).toBe(real.report!.source['tax_reports.2019.amount']);

    const memberOf = new Map((await stack.db.select().from(migrationKeys).where(and(eq(migrationKeys.entity, 'memberships'), like(migrationKeys.legacyId, 'H%')))).map((k) => [k.legacyId, k.registerId]));
    const reported = files.tax_reports.map((t) => memberOf.get(t.membership_legacy_id!)!);
    // They stand as accepted records at the Tax Administration, older than anything the register files.
    const standing = await stack.db.select().from(taxReportedRecords).where(and(eq(taxReportedRecords.year, 2019), inArray(taxReportedRecords.memberId, reported)));
    expect(standing).toHaveLength(files.tax_reports.length);
    expect(standing.every((r) => r.status === 'accepted' && r.kind === 'new' && r.runId === 'migration')).toBe(true);
    // The member's fee statement (the overview's table, e-services, the certificate) shows the old register's figure as reported, on its day.
    const caseworker: Principal = { kind: 'user', id: 'caseworker-migration', name: 'Caseworker', roles: ['caseworker'] };
    const statement = await memberFeeStatement(stack.ctx, caseworker, memberOf.get(changed.membership_legacy_id!)!, { year: 2019 });
    expect(statement.years).toHaveLength(1);
    expect(statement.years[0]!.reported).toMatchObject({ amountCents: netOfChanged + 100, status: 'accepted', migrated: true });
    expect(new Date(statement.years[0]!.reported!.sentAt!).toLocaleDateString('sv-SE', { timeZone: 'Europe/Helsinki' })).toBe(changed.reported_on);
    expect(statement.years[0]!.history).toEqual([expect.objectContaining({ kind: 'new', migrated: true })]);

    // The year was filed by the previous register: no annual run, a correction run may start.
    const billing: Principal = { kind: 'user', id: 'billing-migration', name: 'Billing', roles: ['billing'] };
    await expect(startTaxReport(stack.ctx, billing, { year: 2019, kind: 'annual' })).rejects.toMatchObject({ status: 409, code: 'tax_report_exists' });
    // The correction run's preview: the changed figure is replaced under the identifiers that stand; the others need nothing.
    const runId = `test-migration-tax-2019-${Date.now()}`;
    await previewTaxReport(stack.db, stack.profile, runId, 2019);
    const items = await stack.db.select().from(taxReportItems).where(and(eq(taxReportItems.runId, runId), inArray(taxReportItems.memberId, reported)));
    const changedMember = memberOf.get(changed.membership_legacy_id!)!;
    expect(items.filter((i) => i.recordKind !== null).map((i) => [i.memberId, i.recordKind, i.amountCents, i.identityCode])).toEqual([[changedMember, 'replace', netOfChanged, changed.identity_code]]);

    // The same files again: nothing loaded twice.
    const again = await migrate('tax-reports-2', csvFiles(files), 4);
    expect(again.report!.outcomes.tax_reports).toMatchObject({ migrated: 0, updated: 0, unchanged: files.tax_reports.length });
    expect(await stack.db.select().from(taxReportedRecords).where(and(eq(taxReportedRecords.year, 2019), inArray(taxReportedRecords.memberId, reported)))).toHaveLength(files.tax_reports.length);
  }, 240_000);
  it('a chunk that dies between its writes and its outcomes loads again once; two executions of one chunk take turns', async () => {
    const { files } = generateLegacyExport({ members: 10, seed: 9, prefix: 'X', memberNumberBase: 8_700_000, invoicesPerMember: 2 });
    const { run, acts, prepared, ctx } = await realRunByHand('chunk-1', files);
    expect(prepared).toEqual({ total: files.persons.length + files.memberships.length + files.periods.length + files.invoices.length + files.payments.length, rejected: 0 });
    const personsOfX = async () => (await stack.db.select({ n: sql<number>`count(*)::int` }).from(persons).where(sql`${persons.identityCode} IN ${files.persons.map((p) => p.identity_code!)}`))[0]!.n;

    // The transaction dies after the register rows and keys were written, before the outcomes: nothing of it stays.
    await expect(loadChunk(stack.db, null, ctx, 'persons', 4, { beforeSettle: () => Promise.reject(new Error('worker killed')) })).rejects.toThrow('worker killed');
    expect(await keyCount('X')).toBe(0);
    expect(await personsOfX()).toBe(0);
    expect((await repo.findRun(stack.db, run.id))!.done).toBe(0);
    // The retry loads the same four, once.
    expect((await loadChunk(stack.db, null, ctx, 'persons', 4)).settled).toBe(4);
    expect(await keyCount('X')).toBe(4);
    expect(await personsOfX()).toBe(4);

    // Two executions of the next chunk at once (an activity retried while the first still runs): they take turns, the second after what the first settled.
    const both = await Promise.all([acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 4 }), acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 4 })]);
    expect(both.map((b) => b.settled).sort()).toEqual([2, 4]);
    expect(await personsOfX()).toBe(10);
    expect(await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 4 })).toEqual({ settled: 0 });

    // The rest, a crash in an invoice chunk (two inserts each) included.
    for (const entity of migrationEntities) {
      if (entity === 'invoices') await expect(loadChunk(stack.db, null, ctx, entity, 7, { beforeSettle: () => Promise.reject(new Error('worker killed')) })).rejects.toThrow('worker killed');
      while ((await acts.loadMigrationChunk({ runId: run.id, entity, limit: 7 })).settled > 0);
    }
    const result = await acts.reconcileMigrationRun({ runId: run.id });
    expect(result).toMatchObject({ status: 'done', rejected: 0, differences: 0 });
    const done = (await repo.findRun(stack.db, run.id))!;
    expect(done.done).toBe(done.total);
    expect(done.report!.outcomes).toEqual({
      persons: { migrated: 10, updated: 0, unchanged: 0, rejected: 0 },
      memberships: { migrated: 10, updated: 0, unchanged: 0, rejected: 0 },
      periods: { migrated: files.periods.length, updated: 0, unchanged: 0, rejected: 0 },
      invoices: { migrated: 20, updated: 0, unchanged: 0, rejected: 0 },
      payments: { migrated: files.payments.length, updated: 0, unchanged: 0, rejected: 0 },
      // A version 1 export: the version 2 entities have nothing.
      ...Object.fromEntries((['transferred_periods', 'tax_reports', 'messages', 'collection', 'applications'] as const).map((e) => [e, { migrated: 0, updated: 0, unchanged: 0, rejected: 0 }])),
    });
    expect(await keyCount('X')).toBe(done.total);
    const [ledger] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(ledgerEntries).where(like(ledgerEntries.sourceKey, 'migration:%:X%'));
    expect(ledger!.n).toBe(20 + files.payments.length);
    // One audit row per member, naming each of its records once.
    const audited = await memberAudits(run.id);
    expect(audited).toHaveLength(10);
    expect(audited.reduce((n, a) => n + Number(a.details.migrated), 0)).toBe(done.total - 10);
  }, 180_000);

  it('loads an entity in lanes side by side: each lane its own windows and cursor, a run begun without lanes finished in them, each record once', async () => {
    const { files } = generateLegacyExport({ members: 12, seed: 14, prefix: 'L', memberNumberBase: 8_650_000, invoicesPerMember: 2, collectionState: true, messages: true });
    const { run, acts, ctx } = await realRunByHand('lanes-1', files);
    const settledSeqs = async (entity: MigrationEntity) => (await stack.db.execute<{ seq: number }>(sql`SELECT seq FROM migration_outcomes WHERE run_id = ${run.id} AND entity = ${entity} ORDER BY seq`)).map((r) => r.seq);

    // The first three persons without lanes (a run started before them), then lanes of windows of four, a chunk at most the rest of one window: lane 1 takes seqs 5–8, lane 0 the rest of 1–4, then 9–12.
    expect(await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 3 })).toEqual({ settled: 3 });
    expect(await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 4, lane: 1, lanes: 2 })).toEqual({ settled: 4 });
    expect(await settledSeqs('persons')).toEqual([1, 2, 3, 5, 6, 7, 8]);
    expect(await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 4, lane: 0, lanes: 2 })).toEqual({ settled: 1 });
    expect(await settledSeqs('persons')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 4, lane: 1, lanes: 2 })).toEqual({ settled: 0 });

    // The rest with both lanes at once, as the workflow runs them, a lane's chunk dying before its outcomes included.
    await expect(loadChunk(stack.db, null, ctx, 'persons', 4, { beforeSettle: () => Promise.reject(new Error('worker killed')) }, { lane: 0, lanes: 2, window: 4 })).rejects.toThrow('worker killed');
    for (const entity of migrationEntities) {
      const lanes = migrationLoadLanes(entity);
      await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
        while ((await acts.loadMigrationChunk({ runId: run.id, entity, limit: 4, lane, lanes })).settled > 0);
      }));
    }
    expect(await settledSeqs('persons')).toEqual(files.persons.map((_, i) => i + 1));
    expect(await acts.reconcileMigrationRun({ runId: run.id })).toMatchObject({ status: 'done', rejected: 0, differences: 0 });
    const done = (await repo.findRun(stack.db, run.id))!;
    expect(done.done).toBe(done.total);
    expect(await keyCount('L')).toBe(done.total);
    const [ledger] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(ledgerEntries).where(like(ledgerEntries.sourceKey, 'migration:%:L%'));
    expect(ledger!.n).toBe(files.invoices.length + files.payments.length);
    expect(done.report!.outcomes.messages).toEqual({ migrated: files.messages.length, updated: 0, unchanged: 0, rejected: 0 });
    expect(await memberAudits(run.id)).toHaveLength(12);

    // The source side was counted when the run was prepared: the reconciliation takes it on that day, and counts the files again on another.
    // The run's row as every chunk and the desk read it leaves them out (a few MB at 270,000 members); the reconciliation reads them on their own.
    expect(done).not.toHaveProperty('sourceFigures');
    expect((await repo.runsOfBatch(stack.db, 'lanes-1')).every((r) => !('sourceFigures' in r))).toBe(true);
    const { on, figures } = (await repo.findSourceFigures(stack.db, run.id))!;
    expect(done.report!.source).toEqual(figures);
    await repo.setRun(stack.db, run.id, { sourceFigures: { on, figures: { ...figures, persons: 13 } } });
    expect((await migrationReport(stack.db, done, on)).source.persons).toBe(13);
    expect((await migrationReport(stack.db, done, '2026-01-01')).source.persons).toBe(12);
    // Each record staged as its values in its columns' order (decision 073), read back as the file's row.
    const [kinds] = await stack.db.execute<{ kinds: string[] }>(sql`SELECT array_agg(DISTINCT json_typeof(source)) AS kinds FROM migration_records WHERE run_id = ${repo.stagedRunOf(done)}`);
    expect(kinds!.kinds).toEqual(['array']);
    const staged = await repo.sourceRows(stack.db, done);
    expect(Object.fromEntries(Object.entries(staged).map(([entity, rows]) => [entity, rows.map((r) => sourceRowOf(entity as MigrationEntity, r))]))).toEqual(await batchSource(stack.db, 'lanes-1'));
  }, 180_000);

  it('a run that has ended loads nothing more, and a test run whose schema is gone writes nothing into the register', async () => {
    // The workflow's other lane may still schedule a chunk after one lane failed the run (decision 064).
    const { files } = generateLegacyExport({ members: 4, seed: 10, prefix: 'N', memberNumberBase: 8_600_000, invoicesPerMember: 1 });
    const { run, acts } = await testRunByHand('ended-2', files);
    expect(await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 2, lane: 0, lanes: 2 })).toEqual({ settled: 2 });

    // The collection state loads in one lane, whoever asks for two.
    await expect(acts.loadMigrationChunk({ runId: run.id, entity: 'collection', limit: 2, lane: 1, lanes: 2 })).rejects.toMatchObject({ nonRetryable: true });

    await acts.failMigrationRun({ runId: run.id, error: 'the other lane failed' });
    await expect(acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 2, lane: 1, lanes: 2 })).rejects.toMatchObject({ nonRetryable: true });

    // Even a chunk that finds its run running never falls through to the register's tables once the test schema is dropped.
    await repo.setRun(stack.db, run.id, { status: 'running' });
    await acts.dropMigrationTestSchema({ runId: run.id });
    await expect(acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 2, lane: 1, lanes: 2 })).rejects.toThrow();
    expect(await keyCount('N')).toBe(0);
  }, 60_000);

  it('a test run loads into unlogged copies; a database restart that empties them fails the run with a code, and the run started again loads from the start', async () => {
    const { files } = generateLegacyExport({ members: 6, seed: 2, prefix: 'R', memberNumberBase: 9_200_000, invoicesPerMember: 1 });
    const { run, acts } = await testRunByHand('unlogged-1', files);
    const schema = repo.testSchemaName(run.id);
    const tables = async () => (await stack.db.execute<{ name: string; persistence: string }>(sql`SELECT c.relname AS name, c.relpersistence AS persistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ${schema} AND c.relkind = 'r'`)) as unknown as { name: string; persistence: string }[];
    // Every copy of the register's tables (and the marker) without write-ahead log: the schema is thrown away after the run.
    expect((await tables()).length).toBeGreaterThan(10);
    expect((await tables()).filter((t) => t.persistence !== 'u')).toEqual([]);

    while ((await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 4 })).settled > 0);
    expect(await acts.loadMigrationChunk({ runId: run.id, entity: 'memberships', limit: 4 })).toEqual({ settled: 4 });
    // A retried or late attempt of the step finds the schema whole: it stays, and so does what the run loaded into it.
    const loaded = async () => Number(((await stack.db.execute(sql.raw(`SELECT count(*) AS n FROM "${schema}".migration_keys WHERE legacy_id LIKE 'R%'`))) as unknown as { n: string }[])[0]!.n);
    expect(await loaded()).toBe(10);
    await acts.prepareMigrationRun({ runId: run.id });
    expect(await loaded()).toBe(10);
    expect((await repo.findRun(stack.db, run.id))!.done).toBe(10);
    // What PostgreSQL's recovery from a crash does to every unlogged table: emptied.
    for (const t of await tables()) await stack.db.execute(sql.raw(`TRUNCATE "${schema}"."${t.name}"`));
    await expect(acts.loadMigrationChunk({ runId: run.id, entity: 'memberships', limit: 4 })).rejects.toMatchObject({ nonRetryable: true, type: 'migration-test-schema-emptied' });
    await expect(acts.reconcileMigrationRun({ runId: run.id })).rejects.toMatchObject({ nonRetryable: true, type: 'migration-test-schema-emptied' });
    await acts.failMigrationRun({ runId: run.id, error: 'emptied', type: 'migration-test-schema-emptied' });
    expect((await repo.findRun(stack.db, run.id))!.errorCode).toBe('migration-test-schema-emptied');

    // Started again: a fresh schema, the earlier attempt's outcomes gone, every record loaded and counted once.
    await repo.setRun(stack.db, run.id, { status: 'running' });
    await acts.prepareMigrationRun({ runId: run.id });
    expect((await repo.findRun(stack.db, run.id))!.done).toBe(0);
    for (const entity of migrationEntities) while ((await acts.loadMigrationChunk({ runId: run.id, entity, limit: 4 })).settled > 0);
    expect(await acts.reconcileMigrationRun({ runId: run.id })).toMatchObject({ status: 'passed', rejected: 0, differences: 0 });
    const done = (await repo.findRun(stack.db, run.id))!;
    expect(done.done).toBe(done.total);
    expect(done.report!.outcomes.persons).toEqual({ migrated: 6, updated: 0, unchanged: 0, rejected: 0 });
    await acts.dropMigrationTestSchema({ runId: run.id });
    expect(await keyCount('R')).toBe(0);
  }, 60_000);

  it('a run whose first chunks an earlier loader settled in place is finished by this one, each record counted once', async () => {
    const { files } = generateLegacyExport({ members: 8, seed: 15, prefix: 'U', memberNumberBase: 8_800_000, invoicesPerMember: 1 });
    // A run staged before decision 046 staged its own records (it kept no validation basis either).
    const { run, acts } = await realRunByHand('upgrade-1', files, { testStagedBefore073: true });
    // Persons and the first memberships loaded, their outcomes then moved onto the staged records: what the loader before decision 046 left.
    while ((await acts.loadMigrationChunk({ runId: run.id, entity: 'persons', limit: 3 })).settled > 0);
    await acts.loadMigrationChunk({ runId: run.id, entity: 'memberships', limit: 5 });
    await stack.db.execute(sql`
      UPDATE migration_records r SET outcome = o.outcome, reasons = coalesce(o.reasons, '[]'), kept = coalesce(o.kept, '{}'), member_id = o.member_id
      FROM migration_outcomes o WHERE o.run_id = ${run.id} AND r.run_id = o.run_id AND r.entity = o.entity AND r.seq = o.seq`);
    await stack.db.execute(sql`DELETE FROM migration_outcomes WHERE run_id = ${run.id}`);
    // Such a run was staged before decision 073 too: it kept no counts of what it staged (counted from its records instead).
    await repo.setRun(stack.db, run.id, { staging: null });

    for (const entity of migrationEntities) while ((await acts.loadMigrationChunk({ runId: run.id, entity, limit: 4 })).settled > 0);
    expect(await acts.reconcileMigrationRun({ runId: run.id })).toMatchObject({ status: 'done', rejected: 0, differences: 0 });
    const done = (await repo.findRun(stack.db, run.id))!;
    expect(done.done).toBe(done.total);
    expect(done.report!.outcomes.persons).toEqual({ migrated: 8, updated: 0, unchanged: 0, rejected: 0 });
    expect(done.report!.outcomes.memberships).toEqual({ migrated: 8, updated: 0, unchanged: 0, rejected: 0 });
    expect(await keyCount('U')).toBe(done.total);
    const [dupes] = (await stack.db.execute(sql`SELECT count(*)::int AS n FROM members WHERE member_number BETWEEN 8800000 AND 8800099 GROUP BY person_id HAVING count(*) > 1`)) as unknown as { n: number }[];
    expect(dupes).toBeUndefined();
    // The members the earlier loader created are audited from their staged outcomes, the others from the new ones: one row each.
    const audited = await memberAudits(run.id);
    expect(audited).toHaveLength(8);
    expect(audited.reduce((n, a) => n + Number(a.details.migrated), 0)).toBe(done.total - 8);
  }, 180_000);

  it('passes over a lane window whose records were all rejected: the other lane and the lane\'s later windows load, the rejected file has just them', async () => {
    const { files } = generateLegacyExport({ members: 16, seed: 8, prefix: 'V', memberNumberBase: 9_150_000, invoicesPerMember: 1 });
    // Persons 5–8 (the second window of four: lane 1's first) with identity codes that do not check. With one membership, period and
    // invoice each, their records are the same window of those files, rejected with them: lane 1 has nothing pending there in four entities.
    const spoiled = files.persons.slice(4, 8);
    for (const p of spoiled) p.identity_code = p.identity_code!.slice(0, 10) + (p.identity_code!.endsWith('A') ? 'B' : 'A');
    const spoiledMembers = new Set(files.memberships.slice(4, 8).map((m) => m.legacy_id!));
    expect(files.memberships.slice(4, 8).map((m) => m.person_legacy_id)).toEqual(spoiled.map((p) => p.legacy_id));
    expect([files.periods, files.invoices].map((f) => f.slice(4, 8).every((r) => spoiledMembers.has(r.membership_legacy_id!)))).toEqual([true, true]);
    const rejectedPayments = files.payments.filter((y) => spoiledMembers.has(y.membership_legacy_id!)).length;

    const real = await migrate('window-1', csvFiles(files), 4);
    // Nothing is left pending: lane 1 passed over its first window and loaded its second (records 13–16).
    expect(real.done).toBe(real.total);
    const loaded = { migrated: 12, updated: 0, unchanged: 0, rejected: 4 };
    expect(real.report!.outcomes).toMatchObject({ persons: loaded, memberships: loaded, periods: loaded, invoices: loaded, payments: { migrated: files.payments.length - rejectedPayments, rejected: rejectedPayments } });
    const settledSeqs = async (entity: MigrationEntity) => (await stack.db.execute<{ seq: number }>(sql`SELECT seq FROM migration_outcomes WHERE run_id = ${real.id} AND entity = ${entity} ORDER BY seq`)).map((r) => r.seq);
    for (const entity of ['persons', 'memberships', 'periods', 'invoices'] as const) expect(await settledSeqs(entity)).toEqual([1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(await keyCount('V')).toBe(Object.values(real.report!.outcomes).reduce((n, o) => n + o.migrated, 0));
    expect(real.report!.differences).toEqual(expect.arrayContaining([{ key: 'persons', source: 16, register: 12 }, { key: 'periods', source: 16, register: 12 }]));

    // The rejected records are those four persons and what hangs on them, each once, with its reason.
    const rejected = async (entity: MigrationEntity) => parseLegacyCsv((await rejectedMigrationRecords(stack.ctx, admin, real.id, entity)).csv).map((r) => [r.legacy_id, r.reasons]);
    expect(await rejected('persons')).toEqual(spoiled.map((p) => [p.legacy_id, 'identity_code_invalid:identity_code']));
    expect(await rejected('memberships')).toEqual([...spoiledMembers].map((m) => [m, 'parent_rejected:person_legacy_id']));
    expect((await rejected('invoices')).map(([id]) => id)).toEqual(files.invoices.slice(4, 8).map((i) => i.legacy_id));
  }, 120_000);

  it('resumes after a worker process is SIGKILLed in the middle of a chunk: another worker finishes within the heartbeat timeout, nothing loaded twice', async () => {
    // The real run goes on task queues of its own, which only a worker process of its own polls (started while the batch is tested).
    const prefix = `test-${randomUUID()}-`;
    const queues = taskQueueNames(prefix);
    const starting = startWorkerProcess(prefix);
    starting.catch(() => undefined);
    const { files } = generateLegacyExport({ members: 30, seed: 4, prefix: 'Y', memberNumberBase: 9_100_000, invoicesPerMember: 3 });
    await uploadMigrationBatch(stack.ctx, admin, 'killed-1', csvFiles(files));
    expect((await finished((await startMigrationTest(stack.ctx, admin, 'killed-1', { chunkSize: 100 })).runId)).status).toBe('passed');
    await approveMigrationBatch(stack.ctx, admin, 'killed-1');
    const victim = await starting;
    let lock: Awaited<ReturnType<typeof holdLock>> | null = null;
    let other: Awaited<ReturnType<typeof startWorkerHere>> | null = null;
    const { runId } = await startMigrationReal({ ...stack.ctx, taskQueues: queues }, admin, 'killed-1', { chunkSize: 2 });
    const handle = stack.ctx.temporal.workflow.getHandle(runId);
    try {
      // Once the invoices are under way, the run's row is held: each chunk writes its register rows (and ledger rows), keys and
      // outcomes, then waits to count them done, its transaction open. The victim is killed there, in the middle of its chunks.
      const beforeInvoices = files.persons.length + files.memberships.length + files.periods.length;
      await expect.poll(async () => (await repo.findRun(stack.db, runId))!.done, { timeout: 60_000, interval: 20 }).toBeGreaterThanOrEqual(beforeInvoices);
      lock = await holdLock(stack.db, sql`SELECT 1 FROM migration_runs WHERE id = ${runId} FOR UPDATE`);
      const held = lock.pid;
      const waiting = await vi.waitFor(
        async () => {
          const rows = await stack.db.execute<{ pid: number }>(sql`SELECT pid FROM pg_stat_activity WHERE ${held} = ANY(pg_blocking_pids(pid)) AND query ILIKE 'update "migration_runs" set "done"%'`);
          expect(rows.length).toBeGreaterThan(0);
          return rows.map((r) => r.pid);
        },
        { timeout: 30_000, interval: 50 },
      );
      const [written] = await stack.db.execute<{ tables: string[] }>(sql`SELECT array_agg(DISTINCT c.relname::text) AS tables FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = ${waiting[0]!} AND l.mode = 'RowExclusiveLock'`);
      expect(written!.tables).toEqual(expect.arrayContaining(['ledger_entries', 'migration_keys', 'migration_outcomes']));
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      expect(pending.some((a) => a.activityType?.name === 'loadMigrationChunk' && a.lastWorkerIdentity?.startsWith(`${victim.pid}@`))).toBe(true);
      const committed = { keys: await keyCount('Y'), run: (await repo.findRun(stack.db, runId))! };
      expect(committed.run.done).toBeLessThan(committed.run.total);

      const killedAt = Date.now();
      await killProcess(victim);
      await lock.release();
      // The killed chunks' transactions end with their connections, committing nothing.
      await vi.waitFor(async () => expect(await stack.db.execute(sql`SELECT pid FROM pg_stat_activity WHERE pid IN ${waiting}`)).toEqual([]), { timeout: 30_000, interval: 100 });
      expect(await keyCount('Y')).toBe(committed.keys);
      expect((await repo.findRun(stack.db, runId))!.done).toBe(committed.run.done);

      // Another worker: the killed chunks are retried on it once their heartbeats stop (30 s), not after the 5-minute start-to-close.
      other = await startWorkerHere(stack, queues);
      await expect.poll(async () => (await repo.findRun(stack.db, runId))!.status, { timeout: 90_000, interval: 250 }).toBe('done');
      const tookOver = Date.now() - killedAt;
      expect(tookOver).toBeLessThan(60_000);
      const run = await finished(runId);
      expect(run.done).toBe(run.total);
      expect(run.report!.differences).toEqual([]);
      // Each record migrated once: none found loaded already by its retry (the killed chunks left nothing), none rejected.
      const once = (n: number) => ({ migrated: n, updated: 0, unchanged: 0, rejected: 0 });
      expect(run.report!.outcomes).toMatchObject({ persons: once(30), memberships: once(30), periods: once(files.periods.length), invoices: once(files.invoices.length), payments: once(files.payments.length) });
      // The register against the source, row by row kind: no duplicates.
      const [counts] = await stack.db.execute<Record<string, number>>(sql`
        WITH m AS (SELECT id, person_id FROM members WHERE member_number >= 9100000 AND member_number < 9100100)
        SELECT (SELECT count(*) FROM m)::int AS members,
          (SELECT count(DISTINCT person_id) FROM m)::int AS persons,
          (SELECT count(*) FROM persons WHERE identity_code IN ${files.persons.map((p) => p.identity_code!)})::int AS "personsByCode",
          (SELECT count(*) FROM membership_periods WHERE member_id IN (SELECT id FROM m))::int AS periods,
          (SELECT count(*) FROM invoices WHERE member_id IN (SELECT id FROM m))::int AS invoices,
          (SELECT count(*) FROM ledger_entries WHERE source_key LIKE 'migration:invoice:Y%')::int AS "invoiceRows",
          (SELECT count(*) FROM ledger_entries WHERE source_key LIKE 'migration:payment:Y%')::int AS "paymentRows",
          (SELECT count(*) FROM ledger_entries WHERE member_id IN (SELECT id FROM m))::int AS "ledgerRows"`);
      expect(counts).toEqual({ members: 30, persons: 30, personsByCode: 30, periods: files.periods.length, invoices: files.invoices.length, invoiceRows: files.invoices.length, paymentRows: files.payments.length, ledgerRows: files.invoices.length + files.payments.length });
      // One key per legacy id and per register row.
      const keys = await stack.db.execute<{ entity: string; n: number; ids: number; rows: number }>(sql`SELECT entity, count(*)::int AS n, count(DISTINCT legacy_id)::int AS ids, count(DISTINCT register_id)::int AS rows FROM migration_keys WHERE legacy_id LIKE 'Y%' GROUP BY entity ORDER BY entity`);
      const sourceCount = { invoices: files.invoices.length, memberships: 30, payments: files.payments.length, periods: files.periods.length, persons: 30 };
      expect(keys).toEqual(Object.entries(sourceCount).map(([entity, n]) => ({ entity, n, ids: n, rows: n })));
      expect(await memberAudits(runId)).toHaveLength(30);
      // The chunks the victim had started were retried on the other worker (a second attempt, started there).
      const started = (await handle.fetchHistory()).events!.flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes] : []));
      expect(started.some((a) => a.identity?.startsWith(`${victim.pid}@`))).toBe(true);
      const retried = started.filter((a) => (a.attempt ?? 1) > 1);
      expect(retried.length).toBeGreaterThan(0);
      expect(retried.every((a) => a.identity?.startsWith(`${process.pid}@`))).toBe(true);
    } finally {
      await lock?.release();
      await killProcess(victim);
      await handle.terminate('test over').catch(() => undefined);
      await other?.stop();
    }
  }, 240_000);

  it('resumes after the worker is stopped mid-batch, with no duplicates', async () => {
    const { files } = generateLegacyExport({ members: 24, seed: 13, prefix: 'K', memberNumberBase: 8_300_000, invoicesPerMember: 2 });
    await uploadMigrationBatch(stack.ctx, admin, 'crash-1', csvFiles(files));
    expect((await finished((await startMigrationTest(stack.ctx, admin, 'crash-1', { chunkSize: 100 })).runId)).status).toBe('passed');
    await approveMigrationBatch(stack.ctx, admin, 'crash-1');
    const { runId } = await startMigrationReal(stack.ctx, admin, 'crash-1', { chunkSize: 2 });
    // Wait for the load to be under way, then stop the worker in the middle of it.
    for (;;) {
      const run = (await repo.findRun(stack.db, runId))!;
      if (run.total > 0 && run.done > run.total / 4) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    stack.worker.shutdown();
    await vi.waitFor(() => expect(stack.worker.workers.every((w) => w.getState() === 'STOPPED')).toBe(true), { timeout: 30_000, interval: 50 });
    const stopped = (await repo.findRun(stack.db, runId))!;
    expect(stopped.status).toBe('running');
    expect(stopped.done).toBeLessThan(stopped.total);

    // A fresh worker picks the batch up where it was.
    const fresh = await startWorkerHere(stack);
    try {
      const run = await finished(runId);
      expect(run.status).toBe('done');
      expect(run.done).toBe(run.total);
      // Its entities loaded in lanes (decision 064), resumed by another worker: the replay's fixed point of that path.
      await saveHistory(stack.ctx.temporal, runId, 'migration-run-lanes-resumed');
      const valid = Object.values(run.report!.outcomes).reduce((n, o) => n + o.migrated, 0);
      expect(await keyCount('K')).toBe(valid);
      const [dupes] = (await stack.db.execute(sql`SELECT count(*)::int AS n FROM (SELECT identity_code FROM persons GROUP BY identity_code HAVING count(*) > 1) d`)) as unknown as { n: number }[];
      expect(dupes!.n).toBe(0);
      const [ledger] = await stack.db.select({ n: sql<number>`count(*)::int` }).from(ledgerEntries).where(like(ledgerEntries.sourceKey, 'migration:%:K%'));
      expect(ledger!.n).toBe(run.report!.outcomes.invoices.migrated + run.report!.outcomes.payments.migrated);
      expect(run.report!.differences).toEqual([]);
      // The members are audited once for the run, the chunk lost to the stopped worker included: one row per member created.
      const audited = await memberAudits(runId);
      expect(audited).toHaveLength(run.report!.outcomes.memberships.migrated);
      expect(new Set(audited.map((a) => a.entityId)).size).toBe(audited.length);
      expect(audited.reduce((n, a) => n + Number(a.details.migrated), 0)).toBe(valid - run.report!.outcomes.persons.migrated);
    } finally {
      await fresh.stop();
    }
  }, 300_000);
});
