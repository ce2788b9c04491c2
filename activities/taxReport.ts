import { kindGroupOf, taskKind } from '../domain/taskGroups';
import { alive } from './alive';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/taxReport';
import * as tasksRepo from '../db/repositories/tasks';
import type { FundProfile } from '../domain/fundProfile';
import { taxReportSettings } from '../domain/tax/settings';
import { taxRunFailureCodes, type TaxRunFailureCode, type TaxRunKind, type TaxRunStatus } from '../domain/vocabulary';
import { runFailureCode } from '../domain/runFailure';
import type { TaxFilingAdapter } from '../integrations/adapters/tax';
import { checkedAmount, NOT_PRINTABLE_LATIN1, taxReportLines, type Transliteration } from '../integrations/transforms/taxReport';
import { taxCorrectionWorkflowId, taxReportWorkflowId } from '../workflows/definitions/taxReport';

/** A failure no retry mends, typed with its code (decision 071). */
const refused = (type: TaxRunFailureCode, message: string) => ApplicationFailure.nonRetryable(message, type);

export interface TaxReportDeps {
  db: Database;
  profile: FundProfile;
  /** The Tax Administration's filing channel, as temporal/adapters.ts chose it. */
  tax: TaxFilingAdapter;
  today: () => string;
}

/** `YYYY-MM-DD` and `HH:MM:SS` in Helsinki, for the file's creation stamp. */
function helsinkiNow(now = new Date()): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

/**
 * The preview: every member's figure for the year, the records a run would send now (against what
 * already stands at the Tax Administration) and the exceptions, staged for the commit in one
 * statement. The preview and the file come from the same staging, so what is approved is what is sent.
 */
export async function previewTaxReport(db: Database, profile: FundProfile, runId: string, year: number) {
  const settings = taxReportSettings(profile);
  return db.transaction(async (tx) => {
    // Once the run has its file, its staged rows are its reported records (decision 041): never restaged.
    if (await repo.fileOfRun(tx, runId)) throw refused('tax-file-exists', `tax report run ${runId} already has its file`);
    return repo.stageYear(tx, runId, year, settings);
  });
}

/**
 * Makes the run's file from its staged records, which it makes the reported records. Once per run.
 * The file is put together in SQL from the staged records and the transform's line pieces
 * (decision 053); the few values that are not printable Latin-1 go through the transform's
 * `value` in Node first, so the file is byte for byte what `buildTaxReportFile` makes of the same
 * records (tests/integration/tax-file.test.ts holds the two together).
 */
export async function generateTaxReportFile(db: Database, profile: FundProfile, runId: string, now = new Date()) {
  const run = await repo.findRun(db, runId);
  if (!run) throw refused('tax-run-missing', `tax report run ${runId} not found`);
  const existing = await repo.fileOfRun(db, runId);
  if (existing) return { fileId: existing.id, recordCount: existing.recordCount, totalCents: existing.totalCents };
  const lines = taxReportLines({ paymentYear: run.year, businessId: profile.businessId, createdAt: helsinkiNow(now) }, taxReportSettings(profile));
  // The transliterations in file order: per record the prefix's (if any), then its code's and its name's.
  const own = new Map<number, Transliteration[]>();
  const values: { recordNumber: number; identityCode: string; name: string }[] = [];
  for (const r of await repo.recordsNeedingCare(db, runId, NOT_PRINTABLE_LATIN1)) {
    if (r.identityCode === null || r.amountCents === null) throw new Error(`tax report run ${runId}: record ${r.recordNumber} has no identity code or amount`);
    checkedAmount(r.amountCents, r.recordNumber);
    const changes: Transliteration[] = [];
    const identityCode = lines.value(r.identityCode, r.recordNumber, 'identityCode', changes);
    // A name that is not sent is not transliterated either.
    values.push({ recordNumber: r.recordNumber, identityCode, name: lines.nameLine === null ? r.name : lines.value(r.name, r.recordNumber, 'name', changes) });
    if (changes.length > 0) own.set(r.recordNumber, changes);
  }
  let transliterations: Transliteration[] = [...own.values()].flat();
  if (lines.prefixChanges.length > 0) {
    transliterations = [];
    const count = await repo.outgoingCount(db, runId);
    for (let n = 1; n <= count; n++) transliterations.push(...lines.prefixChanges.map((c) => ({ ...c, record: n })), ...(own.get(n) ?? []));
  }
  return db.transaction(async (tx) => {
    const row = await repo.insertFileFromStaging(tx, { runId, year: run.year, lines, values, transliterations });
    if (!row) {
      const file = (await repo.fileOfRun(tx, runId))!;
      return { fileId: file.id, recordCount: file.recordCount, totalCents: file.totalCents };
    }
    // The run's staged records are its reported records from now on (tax_reported_records, decision 041).
    await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'tax-report.file-created', entityType: 'tax-report-run', entityId: runId, details: { fileId: row.id, records: row.recordCount, transliterations: transliterations.length } });
    return { fileId: row.id, recordCount: row.recordCount, totalCents: row.totalCents };
  });
}

export function createTaxReportActivities(deps: TaxReportDeps) {
  // deps.profile is read per call (the live configuration, decision 021 point 8), not copied here.
  const { db, tax } = deps;
  return {
    async openTaxRun(input: { runId: string; year: number; kind: TaxRunKind; startedBy: string; workflowId: string }): Promise<void> {
      await repo.insertRunOnce(db, { id: input.runId, year: input.year, kind: input.kind, status: 'previewing', startedBy: input.startedBy, workflowId: input.workflowId });
    },

    async previewTaxRun({ runId, year }: { runId: string; year: number }) {
      // One statement: the desk shows an open-ended progress bar until the preview is staged.
      await repo.updateRun(db, runId, { status: 'previewing', progress: { phase: 'preview', done: 0, total: 0 } });
      const summary = await alive(() => previewTaxReport(db, deps.profile, runId, year));
      await repo.updateRun(db, runId, { summary, progress: { phase: 'preview', done: summary.members, total: summary.members } });
      return summary;
    },

    async requestTaxApproval({ runId, workflowId }: { runId: string; workflowId: string }): Promise<{ taskId: string }> {
      return db.transaction(async (tx) => {
        const task = await tasksRepo.upsertTask(tx, {
          workflowId,
          taskKey: 'approval',
          ...taskKind('tax-report-approval'),
          queue: 'billing',
          subjectType: 'tax-report-run',
          subjectId: repo.taxRunSubjectId(runId),
          title: runId,
          priority: 2,
          dueAt: new Date(Date.now() + 2 * 86_400_000),
        }, kindGroupOf(deps.profile, 'tax-report-approval'));
        await repo.updateRun(tx, runId, { status: 'awaiting-approval' });
        return { taskId: task.id };
      });
    },

    async recordTaxDecision(input: { runId: string; taskId: string; decision: 'approve' | 'reject'; decidedBy: string; reason: string | null }): Promise<void> {
      await db.transaction(async (tx) => {
        const run = await repo.findRun(tx, input.runId);
        if (!run) throw refused('tax-run-missing', `tax report run ${input.runId} not found`);
        if (run.status === 'awaiting-approval') {
          const approved = input.decision === 'approve';
          await repo.updateRun(tx, input.runId, { status: approved ? 'generating' : 'rejected', decidedBy: input.decidedBy, decidedAt: new Date(), ...(approved ? { progress: { phase: 'file', done: 0, total: run.summary?.outgoing ?? 0 } } : {}) });
          await recordAudit(tx, { actor: input.decidedBy, actorKind: 'user', action: approved ? 'tax-report.approved' : 'tax-report.rejected', entityType: 'tax-report-run', entityId: input.runId, details: approved ? {} : { reason: input.reason ?? '' } });
        }
        await tasksRepo.closeTask(tx, input.taskId, input.decision === 'approve' ? 'approved' : 'rejected');
      });
    },

    async generateTaxFile({ runId }: { runId: string }) {
      const out = await alive(() => generateTaxReportFile(db, deps.profile, runId));
      await repo.updateRun(db, runId, { status: 'sending', progress: { phase: 'file', done: out.recordCount, total: out.recordCount } });
      return out;
    },

    async sendTaxFile({ runId }: { runId: string }): Promise<{ submissionId: string }> {
      const file = await repo.fileOfRun(db, runId);
      if (!file) throw refused('tax-file-missing', `tax report run ${runId} has no file`);
      if (file.submissionId) return { submissionId: file.submissionId };
      // The run id is the submission key: a retry after a lost answer is the same submission.
      // An unavailable channel throws and the activity is retried.
      const { submissionId } = await tax.submit(await repo.fileContent(db, file.id), { submissionKey: runId, year: file.year, recordCount: file.recordCount });
      await db.transaction(async (tx) => {
        await repo.updateFile(tx, file.id, { status: 'sent', submissionId, sentAt: new Date() });
        await repo.updateRun(tx, runId, { status: 'awaiting-acknowledgement' });
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'tax-report.sent', entityType: 'tax-report-run', entityId: runId, details: { fileId: file.id, submissionId } });
      });
      return { submissionId };
    },

    /**
     * Asks the channel for the file's acknowledgement. Once it is there: the records are settled,
     * each rejected one becomes a task (billing role: fix the member's data, the next correction
     * run sends it again), and the run gets its final status.
     */
    async pollTaxAcknowledgement({ runId }: { runId: string }): Promise<{ status: 'pending' } | { status: 'done'; runStatus: TaxRunStatus; rejected: number; taskIds: string[] }> {
      const file = await repo.fileOfRun(db, runId);
      if (!file?.submissionId) throw refused('tax-file-not-sent', `tax report run ${runId} has not been sent`);
      const run = (await repo.findRun(db, runId))!;
      const ack = await tax.acknowledgement(file.submissionId);
      if (ack.status === 'pending') return { status: 'pending' };
      if (ack.status === 'file-rejected') throw refused('tax-file-refused', `The Tax Administration refused the file: ${ack.reason}`);
      const rejected = ack.status === 'records-rejected' ? ack.rejected : [];
      return db.transaction(async (tx) => {
        await repo.settleRecords(tx, file.id, rejected);
        await repo.updateFile(tx, file.id, { status: rejected.length ? 'records-rejected' : 'acknowledged', acknowledgedAt: new Date() });
        const taskIds: string[] = [];
        for (const record of await repo.recordsOfFile(tx, file.id, rejected.map((r) => r.recordNumber))) {
          const task = await tasksRepo.upsertTask(tx, {
            workflowId: run.workflowId,
            taskKey: `rejected/${record.recordNumber}`,
            ...taskKind('tax-record-rejected'),
            queue: 'billing',
            subjectType: 'member',
            subjectId: record.memberId,
            // The reason from the channel names no person; the member is the task's subject.
            title: `${runId} #${record.recordNumber}: ${record.rejectionReason ?? ''}`.slice(0, 300),
            priority: 2,
            dueAt: new Date(Date.now() + 7 * 86_400_000),
          }, kindGroupOf(deps.profile, 'tax-record-rejected'));
          if (task.status === 'open') taskIds.push(task.id);
        }
        const runStatus: TaxRunStatus = rejected.length ? 'partially-rejected' : 'acknowledged';
        await repo.updateRun(tx, runId, { status: runStatus });
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'tax-report.acknowledged', entityType: 'tax-report-run', entityId: runId, details: { fileId: file.id, rejected: rejected.length } });
        return { status: 'done' as const, runStatus, rejected: rejected.length, taskIds };
      });
    },

    async closeTaxRejectionTask(input: { runId: string; taskId: string; decision: 'approve' | 'reject'; decidedBy: string; reason: string | null }): Promise<void> {
      await db.transaction(async (tx) => {
        await tasksRepo.closeTask(tx, input.taskId, input.decision === 'approve' ? 'fixed' : 'dismissed');
        await recordAudit(tx, { actor: input.decidedBy, actorKind: 'user', action: 'tax-report.rejection-closed', entityType: 'task', entityId: input.taskId, details: { runId: input.runId, outcome: input.decision === 'approve' ? 'fixed' : 'dismissed', ...(input.reason ? { reason: input.reason } : {}) } });
      });
    },

    /** A failed run: `error` its words, `type` its type as the workflow caught it (workflows/runFailure.ts), stored as its code (decision 071). */
    async finishTaxRun(input: { runId: string; status: TaxRunStatus; error?: string; type?: string | null }): Promise<void> {
      const failed = input.status === 'failed' ? { errorCode: runFailureCode(taxRunFailureCodes, input.type) } : {};
      await repo.updateRun(db, input.runId, { status: input.status, ...(input.error ? { error: input.error.slice(0, 1000) } : {}), ...failed });
    },

    /** Which runs a schedule starts: 'annual' the previous year's; 'corrections' one per year already reported (last five). */
    /** `asOf`: the day the annual run is for (a backfilled schedule time); today when not given. */
    async planScheduledTaxRuns({ mode, asOf }: { mode: 'annual' | 'corrections'; asOf?: string }): Promise<{ runId: string; year: number; kind: TaxRunKind; pollInterval: string }[]> {
      const thisYear = Number((asOf ?? deps.today()).slice(0, 4));
      const pollInterval = taxReportSettings(deps.profile).acknowledgementPoll;
      if (mode === 'annual') {
        // Left alone when a billing user started the year's report already.
        if ((await repo.runsOfYear(db, thisYear - 1)).some((r) => r.kind === 'annual')) return [];
        return [{ runId: taxReportWorkflowId(thisYear - 1), year: thisYear - 1, kind: 'annual', pollInterval }];
      }
      const out: { runId: string; year: number; kind: TaxRunKind; pollInterval: string }[] = [];
      for (let year = thisYear - 5; year < thisYear; year++) {
        const runs = await repo.runsOfYear(db, year);
        if (!runs.some((r) => r.kind === 'annual' && (r.status === 'acknowledged' || r.status === 'partially-rejected'))) continue;
        if (runs.some((r) => !repo.finishedRunStatuses.includes(r.status))) continue;
        out.push({ runId: taxCorrectionWorkflowId(year, runs.filter((r) => r.kind === 'correction').length + 1), year, kind: 'correction', pollInterval });
      }
      return out;
    },
  };
}

export type TaxReportActivities = ReturnType<typeof createTaxReportActivities>;
