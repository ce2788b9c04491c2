/**
 * The steps of a migration run: validate and stage every record, load one chunk, reconcile, and
 * drop a test run's schema. Nothing here sends anything to a member.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/migration';
import type { FundProfile } from '../domain/fundProfile';
import { migrationColumns, migrationEntities, migrationValidationRules, sameValidationBasis, sourceRowOf, stagedRecords, validatedRecords, type KnownLegacyIds, type MigrationEntity, type ValidationBasis } from '../domain/migration/records';
import { differences, reconciled, reportForReading, sourceFigures, type MigrationReport } from '../domain/migration/report';
import { runFailureCode } from '../domain/runFailure';
import { migrationRunFailureCodes, type MigrationRunFailureCode } from '../domain/vocabulary';
import { parseLegacyCsv, parseLegacyJsonLines } from '../integrations/transforms/migrationFiles';
import { storedMembershipStatus } from '../domain/membership/periods';
import { startRecordedHearings, type CollectionDeps } from './collection';
import { loadChunk } from './migrationLoader';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { parseDuration } from '../domain/fundProfile';
import { applicationIntakeQueue, applicationWorkflowId, type ApplicationIntakeInput } from '../workflows/definitions/applicationIntake';
import { intakeStartAttributes } from '../workflows/definitions/searchAttributes';
import { migrationLoadLanes } from '../workflows/definitions/migration';
import { inLanes } from './lanes';
import { keptAlive } from './alive';

/** Migrated applications' intakes started at once after a real run. */
const START_CONCURRENCY = 16;

export interface MigrationDeps extends Pick<CollectionDeps, 'temporal' | 'taskQueues'> {
  db: Database;
  profile: FundProfile;
  today: () => string;
}

/** The batch's stored files as rows per entity. */
export async function batchSource(db: Database, batchId: string): Promise<Partial<Record<MigrationEntity, Record<string, string>[]>>> {
  const files = await repo.batchFiles(db, batchId);
  const source: Partial<Record<MigrationEntity, Record<string, string>[]>> = {};
  for (const f of files) source[f.entity] = f.format === 'csv' ? parseLegacyCsv(f.content) : parseLegacyJsonLines(f.content);
  return source;
}

/** A failure no retry mends, typed with its code (decision 071). */
const refused = (type: MigrationRunFailureCode, message: string) => ApplicationFailure.create({ message, type, nonRetryable: true });

export function createMigrationActivities(deps: MigrationDeps) {
  // deps.profile is read per call (the live configuration, decision 021 point 8), not copied here.
  const { db, today } = deps;
  const schemaOf = (run: repo.MigrationRunRow) => (run.mode === 'test' ? repo.testSchemaName(run.id) : null);
  const runOf = async (runId: string) => {
    const run = await repo.findRun(db, runId);
    if (!run) throw refused('migration-run-missing', `No migration run ${runId}.`);
    return run;
  };

  const activities = {
    /**
     * Validates the batch and stages every record (once); a real run is refused here too unless the
     * batch was approved for these very files after a passed test. A test run gets its schema. A
     * real run loads its passed test's staged records instead when they were validated on what the
     * register and the fund's settings are now (decision 073): the same records, without validating
     * and staging them again.
     */
    async prepareMigrationRun({ runId }: { runId: string }): Promise<{ total: number; rejected: number }> {
      const run = await runOf(runId);
      const batch = await repo.findBatch(db, run.batchId);
      if (!batch || batch.contentHash !== run.contentHash) throw refused('migration-files-changed', 'The batch files changed after this run was started.');
      if (run.mode === 'real' && batch.approvedHash !== run.contentHash) throw refused('migration-not-approved', 'The batch is not approved for these files.');
      // Chosen once: a retried step, or the run started again after a failure, goes on with the test's records.
      if (run.recordsRunId && run.staging) return repo.stagedTotals(run.staging);
      const on = today();
      // The keys counted before validation looks any up: a key added in between makes the count differ later, never the other way (decision 073).
      const basis: ValidationBasis = { rules: migrationValidationRules, reminderLevels: deps.profile.collection.levels.length, ...(await repo.keysSummary(db)) };
      const test = run.mode === 'real' && !(await repo.hasOwnRecords(db, runId)) ? (await repo.stagedPassedTests(db, run)).find((t) => sameValidationBasis(t.staging.basis, basis)) : undefined;
      // Null when a concurrent attempt of this step chose first: the staging below then finds its choice and stages nothing.
      const reused = test ? await repo.reuseStaging(db, runId, test, on) : null;
      if (reused) {
        // The test counted the source's figures on another day (members' statuses are of a day): counted again, here rather than in the reconciliation.
        if (!reused.figuresOfDay) await repo.setRun(db, runId, { sourceFigures: { on, figures: sourceFigures(await batchSource(db, run.batchId), on) } });
        return { total: reused.total, rejected: reused.rejected };
      }
      const source = await batchSource(db, run.batchId);
      const known: KnownLegacyIds = {
        persons: await repo.knownLegacyIds(db, 'persons', (source.memberships ?? []).map((r) => r.person_legacy_id ?? '')),
        memberships: await repo.knownLegacyIds(db, 'memberships', [...(source.periods ?? []), ...(source.invoices ?? []), ...(source.payments ?? [])].map((r) => r.membership_legacy_id ?? '')),
        invoices: await repo.knownLegacyIds(db, 'invoices', [...(source.payments ?? []), ...(source.collection ?? [])].map((r) => r.invoice_legacy_id ?? '')),
      };
      // Validated as the staging COPY takes them (decision 067): PostgreSQL writes a part while the next is validated.
      const staged = await repo.stageRecords(db, runId, stagedRecords(validatedRecords(source, known, { reminderLevels: basis.reminderLevels })), basis);
      // The reconciliation's source side while the files are parsed (decision 064): it need not read and parse them again.
      await repo.setRun(db, runId, { sourceFigures: { on, figures: sourceFigures(source, on) } });
      if (run.mode === 'test') await repo.createTestSchema(db, repo.testSchemaName(runId), { runId, rejected: staged.rejected });
      return staged;
    },

    /**
     * One chunk of one entity, one transaction; 0 settled means the entity (or, given `lanes`, its
     * lane `lane` of windows of `limit` records; decision 064) is loaded.
     */
    async loadMigrationChunk({ runId, entity, limit, lane, lanes }: { runId: string; entity: MigrationEntity; limit: number; lane?: number; lanes?: number }): Promise<{ settled: number }> {
      const run = await runOf(runId);
      // A run that has ended (failed, say, by another lane's chunk) loads nothing more.
      if (run.status !== 'running') throw refused('migration-run-ended', `Migration run ${runId} is ${run.status}; nothing more is loaded.`);
      if (lanes && lanes > migrationLoadLanes(entity)) throw refused('migration-lanes-invalid', `The ${entity} records load in at most ${migrationLoadLanes(entity)} lane(s), not ${lanes}.`);
      const inLane = lanes && lanes > 1 ? { lane: lane ?? 0, lanes, window: limit } : undefined;
      const { settled, outcomes } = await schemaIntact(() => loadChunk(db, schemaOf(run), { runId, stagedRunId: repo.stagedRunOf(run), batchId: run.batchId, iban: deps.profile.iban }, entity, limit, {}, inLane));
      if (settled > 0 && run.mode === 'real') {
        await recordAudit(db, { actor: run.startedBy, actorKind: 'user', action: 'migration.loaded', entityType: 'migration-run', entityId: runId, details: { entity, ...outcomes } });
      }
      return { settled };
    },

    /**
     * Counts and sums from the source beside the register; the run's status follows from them. A
     * real run's members are audited here, one row each, in the transaction that records the first
     * report (a retry finds the report and audits nothing twice), under the administrator who
     * approved the batch for these files.
     */
    async reconcileMigrationRun({ runId }: { runId: string }): Promise<{ rejected: number; differences: number; status: repo.MigrationRunRow['status'] }> {
      const run = await runOf(runId);
      await repo.analyzeTarget(db, schemaOf(run));
      // The figures are counted on connections of their own while the member audit is written (decision 072): both cores, not one after the other.
      const counting = schemaIntact(() => migrationReport(db, run, today()));
      counting.catch(() => undefined); // awaited in the transaction below, after the audit
      const recorded = db.transaction(async (tx) => {
        const locked = await repo.findRun(tx, runId, { forUpdate: true });
        if (run.mode === 'real' && !locked?.report) {
          const actor = (await repo.findBatch(tx, run.batchId))?.approvedBy ?? run.startedBy;
          await repo.auditMigratedMembers(tx, { runId, stagedRunId: repo.stagedRunOf(run), batchId: run.batchId, actor });
        }
        const report = await counting;
        const status = run.mode === 'test' ? 'passed' : reconciled(report, run.accepted) ? 'done' : 'differences';
        await repo.setRun(tx, runId, { report, readableReport: reportForReading(report), status, finishedAt: new Date() });
        return { report, status } as const;
      });
      // A failed audit fails the attempt only once the counting has ended: its retry does not count beside it.
      const { report, status } = await recorded.catch(async (error: unknown) => {
        await counting.catch(() => undefined);
        throw error;
      });
      if (run.mode === 'real') await repo.advanceMemberNumbers(db);
      await repo.setBatch(db, run.batchId, { status: run.mode === 'test' ? 'tested' : status === 'done' ? 'done' : 'differences' });
      const rejected = Object.values(report.outcomes).reduce((n, o) => n + o.rejected, 0);
      return { rejected, differences: report.differences.length, status };
    },

    /**
     * After a real run is reconciled: the processes the old register had running are started
     * (decision 047) — each member's hearing open there, as `collection-hearing/<memberId>` with
     * `migrated` (no letter: it went from the old register; the loaded deadline). The start is by
     * the deterministic id and marked in the hearing's row, so a retry or a re-run starts nothing
     * twice; the daily collection step, should it come first, starts them the same way. A test
     * run starts nothing.
     */
    async startMigratedProcesses({ runId }: { runId: string }): Promise<{ hearings: number; applications?: number }> {
      const run = await runOf(runId);
      if (run.mode !== 'real') return { hearings: 0, applications: 0 };
      // Beside the reconciliation (decision 072), which may not have brought the statistics up to date yet.
      await repo.analyzeRunRecords(db);
      const [members, waiting] = await Promise.all([repo.membersWithMigratedHearing(db, run, migrationColumns.collection.indexOf('hearing_started_on')), repo.migratedApplicationsWaiting(db, run)]);
      const [hearings, applications] = await Promise.all([members.length === 0 ? 0 : startRecordedHearings(deps, members), startMigratedIntakes(deps, waiting)]);
      if (hearings + applications > 0) await recordAudit(db, { actor: run.startedBy, actorKind: 'user', action: 'migration.processes-started', entityType: 'migration-run', entityId: runId, details: { hearings, applications } });
      return { hearings, applications };
    },

    /** `type`: the failure's type as the workflow caught it (workflows/runFailure.ts); its code is what the desk shows (decision 071). */
    async failMigrationRun({ runId, error, type }: { runId: string; error: string; type?: string | null }): Promise<void> {
      const run = await runOf(runId);
      await repo.setRun(db, runId, { status: 'failed', error, errorCode: runFailureCode(migrationRunFailureCodes, type), finishedAt: new Date() });
      await repo.setBatch(db, run.batchId, { status: 'failed' });
    },

    async dropMigrationTestSchema({ runId }: { runId: string }): Promise<void> {
      await repo.dropTestSchema(db, repo.testSchemaName(runId));
    },
  };
  // A chunk heartbeats while it runs (decision 064): a killed worker's chunk is retried elsewhere
  // within the workflow's heartbeat timeout, not after its start-to-close timeout.
  return keptAlive(activities, ['loadMigrationChunk']);
}

/** A test run whose schema a database restart emptied fails at once, with a code (a retry would find it empty too; decision 072). */
async function schemaIntact<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof repo.TestSchemaEmptied) throw refused('migration-test-schema-emptied', error.message);
    throw error;
  }
}

/**
 * Starts the intake process of each migrated application waiting for a decision (decision 047,
 * "Applications") by its deterministic id `application/<id>`, `migrated`: validated and sent to a
 * caseworker's review, with no automatic approval and no completion request, so nothing goes to
 * the applicant. A running or finished process of the same id is not started again (the start is
 * refused and not counted). Returns how many were started.
 */
async function startMigratedIntakes(deps: MigrationDeps, applicationIds: string[]): Promise<number> {
  if (applicationIds.length === 0) return 0;
  const temporal = deps.temporal;
  if (!temporal) throw new Error('the migration needs a Temporal client to start migrated applications');
  const { intake } = deps.profile;
  let started = 0;
  // Starts in a few lanes at once (one round trip each; one after the other they took most of the step at 40,000 members).
  await inLanes(applicationIds, START_CONCURRENCY, async (applicationId) => {
    const input: ApplicationIntakeInput = { applicationId, completionDeadlineMs: parseDuration(intake.completionDeadline), maxCompletionRounds: intake.maxCompletionRounds, migrated: true };
    try {
      await temporal.workflow.start('applicationIntake', {
        taskQueue: deps.taskQueues[applicationIntakeQueue],
        workflowId: applicationWorkflowId(applicationId),
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: intakeStartAttributes(applicationId),
      });
      started += 1;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  });
  return started;
}

/** The full reconciliation report of a run, as it stands in the register (or the test schema) now. */
export async function migrationReport(db: Database, run: repo.MigrationRunRow, today: string): Promise<MigrationReport> {
  const counted = await repo.findSourceFigures(db, run.id);
  const source = counted?.on === today ? counted.figures : await sourceSide(db, run, today);
  // The register's figures and the run's outcome counts side by side (decision 072).
  const [{ figures: register, memberPeriods }, counts, kept] = await Promise.all([repo.registerFigures(db, run.mode === 'test' ? repo.testSchemaName(run.id) : null, repo.stagedRunOf(run)), repo.outcomeCounts(db, run), repo.keptCount(db, run)]);
  for (const periods of memberPeriods.values()) {
    const key = `members.${storedMembershipStatus(periods, today)}`;
    register[key] = (register[key] ?? 0) + 1;
  }
  const outcomes = Object.fromEntries(migrationEntities.map((e) => [e, { migrated: 0, updated: 0, unchanged: 0, rejected: 0 }])) as MigrationReport['outcomes'];
  for (const c of counts) if (c.outcome !== 'pending') outcomes[c.entity][c.outcome] += c.n;
  return { outcomes, source, register, differences: differences(source, register), kept };
}

/**
 * The source side counted again: when the run was prepared on another day (members' statuses are of
 * a day) or before decision 064 kept it. From the batch's stored files while they are the run's
 * (cheaper than reading every staged row back; decision 046), else from the staged rows.
 */
async function sourceSide(db: Database, run: repo.MigrationRunRow, today: string) {
  const batch = await repo.findBatch(db, run.batchId);
  if (batch?.contentHash === run.contentHash) return sourceFigures(await batchSource(db, run.batchId), today);
  const staged = await repo.sourceRows(db, run);
  return sourceFigures(Object.fromEntries(Object.entries(staged).map(([entity, rows]) => [entity, rows.map((r) => sourceRowOf(entity as MigrationEntity, r))])), today);
}

export type MigrationActivities = ReturnType<typeof createMigrationActivities>;
