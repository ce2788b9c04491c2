/**
 * The annual report of fees paid to the Tax Administration (docs/decisions/015-tax-report.md):
 * starting a report or a correction run, the desk's view of the years and runs, the approval's
 * four-eyes check, and the member's fee statement.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as repo from '../db/repositories/taxReport';
import { checkBillingRunApproval, fourEyesRequired } from '../domain/billing/approval';
import { filingDeadline, filingWarningFrom } from '../domain/tax/deadline';
import { netPaidCents } from '../domain/tax/report';
import { taxReportSettings } from '../domain/tax/settings';
import type { TaxRunKind } from '../domain/vocabulary';
import type { taxReport } from '../workflows/taxReport';
import { taxCorrectionWorkflowId, taxReportQueue, taxReportWorkflowId, type TaxReportInput } from '../workflows/definitions/taxReport';
import type { ServiceContext } from './context';
import { temporalProcessesLink } from './temporalUi';
import { failure, forbidden, notFound } from './errors';
import { requireClientMayActOn } from './membershipEvents';
import { actorOf, hasRole, maskIdentityCode, seesFullIdentityCode, type Principal } from './principal';

function requireFinance(p: Principal) {
  if (!hasRole(p, 'billing', 'admin')) throw forbidden('The tax report is for billing users and administrators.');
}

function requireStarter(p: Principal): Extract<Principal, { kind: 'user' }> {
  if (p.kind !== 'user' || !hasRole(p, 'billing')) throw forbidden('Only billing users start tax reports.');
  return p;
}

/**
 * Starts a stored run's process once (same id, same arguments, the fund's acknowledgement poll);
 * an existing one is used. The API after storing the row, and reconcile for a row whose start was lost.
 */
export async function ensureTaxRunStarted(ctx: ServiceContext, row: repo.TaxRunRow): Promise<void> {
  const pollInterval = taxReportSettings(ctx.profile).acknowledgementPoll as TaxReportInput['pollInterval'];
  const input: TaxReportInput = { runId: row.id, year: row.year, kind: row.kind, startedBy: row.startedBy, pollInterval };
  try {
    await ctx.temporal.workflow.start<typeof taxReport>('taxReport', {
      taskQueue: ctx.taskQueues[taxReportQueue],
      workflowId: row.workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Starts the year's report ('annual', once per year) or a correction run (after the annual one is
 * filed). One run of a year at a time; the payment year must have ended.
 */
export async function startTaxReport(ctx: ServiceContext, p: Principal, input: { year: number; kind: TaxRunKind }) {
  const user = requireStarter(p);
  const thisYear = Number(ctx.today().slice(0, 4));
  if (input.year >= thisYear) throw failure(409, 'tax_year_not_ended', `The payment year ${input.year} has not ended; it is reported in January ${input.year + 1}.`, { params: { year: input.year } });
  const runs = await repo.runsOfYear(ctx.db, input.year);
  const open = runs.find((r) => !repo.finishedRunStatuses.includes(r.status));
  if (open) throw failure(409, 'tax_report_run_open', `The run ${open.id} of ${input.year} is not finished; wait for it (or reject it) first.`, { params: { year: input.year }, extra: { runId: open.id } });
  const annual = runs.filter((r) => r.kind === 'annual');
  // A year the previous register filed (its records migrated, decision 047) is corrected here, never reported again from scratch.
  const filedBefore = await repo.hasMigratedRecords(ctx.db, input.year);
  let id: string;
  if (input.kind === 'annual') {
    if (filedBefore) throw failure(409, 'tax_report_exists', `The ${input.year} report was filed by the previous register; send changes as a correction run.`, { params: { year: input.year } });
    if (annual.length > 0) throw failure(409, 'tax_report_exists', `The ${input.year} report was already started (${annual[0]!.id}); send changes as a correction run.`, { params: { year: input.year } });
    id = taxReportWorkflowId(input.year);
  } else {
    if (!filedBefore && !annual.some((r) => r.status === 'acknowledged' || r.status === 'partially-rejected')) {
      throw failure(409, 'tax_report_not_filed', `The ${input.year} report has not been filed; corrections follow a filed report.`, { params: { year: input.year } });
    }
    id = taxCorrectionWorkflowId(input.year, runs.filter((r) => r.kind === 'correction').length + 1);
  }
  const row = await repo.insertRunOnce(ctx.db, { id, year: input.year, kind: input.kind, status: 'previewing', startedBy: user.id, workflowId: id });
  await recordAudit(ctx.db, { ...actorOf(user), action: 'tax-report.started', entityType: 'tax-report-run', entityId: id, details: { year: input.year, kind: input.kind } });
  await ensureTaxRunStarted(ctx, row);
  return getTaxRun(ctx, p, id);
}

function runSummary(row: repo.TaxRunRow) {
  return {
    id: row.id,
    year: row.year,
    kind: row.kind,
    status: row.status,
    startedBy: row.startedBy,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    summary: row.summary ?? null,
    progress: row.progress ?? null,
    errorCode: row.errorCode,
    error: row.error,
    workflowId: row.workflowId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function fileView(f: Awaited<ReturnType<typeof repo.filesOfYear>>[number]) {
  return {
    id: f.id,
    runId: f.runId,
    sha256: f.sha256,
    recordCount: f.recordCount,
    totalCents: f.totalCents,
    status: f.status,
    submissionId: f.submissionId,
    sentAt: f.sentAt?.toISOString() ?? null,
    acknowledgedAt: f.acknowledgedAt?.toISOString() ?? null,
    createdAt: f.createdAt.toISOString(),
  };
}

/** The years the desk shows: the one due now and every year with a run, with deadline and warning. */
export async function listTaxYears(ctx: ServiceContext, p: Principal) {
  requireFinance(p);
  const settings = taxReportSettings(ctx.profile);
  const today = ctx.today();
  const due = Number(today.slice(0, 4)) - 1;
  const runs = await repo.listRuns(ctx.db, 500);
  const years = [...new Set([due, ...runs.map((r) => r.year)])].sort((a, b) => b - a);
  const items = [];
  for (const year of years) {
    const ofYear = runs.filter((r) => r.year === year).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const filed = ofYear.some((r) => r.kind === 'annual' && (r.status === 'acknowledged' || r.status === 'partially-rejected' || r.status === 'awaiting-acknowledgement'));
    const deadline = filingDeadline(year, settings.deadline);
    const warnFrom = filingWarningFrom(year, settings);
    items.push({
      year,
      deadline,
      filed,
      /** Not filed and a week or less to the deadline (or past it). */
      warning: !filed && today >= warnFrom,
      overdue: !filed && today > deadline,
      runs: ofYear.map(runSummary),
      files: (await repo.filesOfYear(ctx.db, year)).map(fileView),
    });
  }
  return { today, items };
}

/** A run with its preview: totals, exceptions (first 100), sample records (10), the approval task, the file. */
export async function getTaxRun(ctx: ServiceContext, p: Principal, runId: string) {
  requireFinance(p);
  const row = await repo.findRun(ctx.db, runId);
  if (!row) throw notFound(`Tax report run ${runId}`);
  const numbers = async (items: (repo.StagedItem & { memberNumber: number })[]) => {
    const out = [];
    for (const i of items) {
      out.push({
        memberId: i.memberId,
        memberNumber: i.memberNumber,
        identityCode: i.identityCode === null ? null : seesFullIdentityCode(p) ? i.identityCode : maskIdentityCode(i.identityCode),
        netCents: i.netCents,
        exceptions: i.exceptions,
        recordKind: i.recordKind,
        amountCents: i.amountCents,
      });
    }
    return out;
  };
  const file = await repo.fileOfRun(ctx.db, runId);
  const task = await repo.openTasksOfRun(ctx.db, row.workflowId);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'tax-report.viewed', entityType: 'tax-report-run', entityId: runId });
  return {
    ...runSummary(row),
    approvalTaskId: task.find((t) => t.kind === 'tax-report-approval')?.id ?? null,
    rejectionTaskIds: task.filter((t) => t.kind === 'tax-record-rejected').map((t) => t.id),
    approval: { fourEyes: fourEyesRequired(ctx.profile) },
    deadline: filingDeadline(row.year, taxReportSettings(ctx.profile).deadline),
    exceptions: await numbers(await repo.stagedSamples(ctx.db, runId, 'exceptions', 100)),
    samples: await numbers(await repo.stagedSamples(ctx.db, runId, 'records', 10)),
    file: file ? fileView(file) : null,
    /** The year's tax-report runs (annual and corrections) in the Temporal Web UI, when one is configured (decision 027). */
    processesLink: temporalProcessesLink(ctx, { kind: 'tax-report', key: String(row.year) }),
  };
}

/** The file as it went to the Tax Administration, byte for byte (ISO-8859-1). Audited. */
export async function getTaxFile(ctx: ServiceContext, p: Principal, fileId: string): Promise<{ filename: string; bytes: Uint8Array<ArrayBuffer> }> {
  requireFinance(p);
  const file = await repo.findFile(ctx.db, fileId);
  if (!file) throw notFound(`Tax report file ${fileId}`);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'tax-report.file-downloaded', entityType: 'tax-report-file', entityId: fileId });
  const bytes = new Uint8Array(await repo.fileContent(ctx.db, fileId));
  return { filename: `${file.runId.replace(/\//g, '-')}.txt`, bytes };
}

/**
 * Refuses an approval of a tax report that the fund's four-eyes setting does not allow: the
 * billing user who started the run may not approve it (403 four_eyes_required); a scheduled
 * run has no starter to tell apart.
 */
export async function checkTaxReportApproval(ctx: ServiceContext, approver: { id: string }, workflowId: string): Promise<void> {
  const row = await repo.findRun(ctx.db, workflowId);
  if (!row) throw notFound(`Tax report run ${workflowId}`);
  const refusal = checkBillingRunApproval({ startedBy: row.startedBy, approverId: approver.id, fourEyes: fourEyesRequired(ctx.profile), feeYear: row.year, feeYearConfirmed: true, acknowledgeProvisionalFeeYear: true });
  if (refusal?.code === 'four_eyes_required') {
    throw failure(403, 'four_eyes_required', 'You started this tax report, so another billing user must approve it (four eyes). You may still reject it.', { extra: { runId: row.id } });
  }
}

/**
 * The member's fees per year on the cash basis, and what was reported of each year and when:
 * the e-services' fee statement, the member overview's table and the fee certificate. Audited.
 * E-services see only their logged-in member.
 */
export async function memberFeeStatement(ctx: ServiceContext, p: Principal, memberId: string, opts: { year?: number; subjectIdentityCode?: string } = {}) {
  if (p.kind === 'user' && !hasRole(p, 'caseworker', 'supervisor', 'billing', 'admin')) throw forbidden('The fee statement is for caseworkers, supervisors, billing users and administrators.');
  if (p.kind === 'client' && !p.scopes.includes('own-data:read')) throw forbidden('The fee statement needs the scope own-data:read (e-services, for their logged-in member).');
  const found = await membersRepo.findMemberWithPerson(ctx.db, memberId);
  if (!found) throw notFound(`Member ${memberId}`, 'member_not_found');
  await requireClientMayActOn(ctx, p, found.member, opts.subjectIdentityCode);
  const settings = taxReportSettings(ctx.profile);
  const money = await repo.memberYears(ctx.db, memberId);
  const records = await repo.recordsOfMember(ctx.db, memberId, opts.year);
  const years = [...new Set([...money.map((m) => m.year), ...records.map((r) => r.year)])].filter((y) => opts.year === undefined || y === opts.year).sort((a, b) => b - a);
  const items = years.map((year) => {
    const m = money.find((x) => x.year === year) ?? { year, paidCents: 0, reversedCents: 0, refundedCents: 0 };
    const ofYear = records.filter((r) => r.year === year);
    const standing = ofYear.find((r) => r.status !== 'rejected');
    return {
      year,
      paidCents: m.paidCents - m.reversedCents,
      refundedCents: m.refundedCents,
      netCents: netPaidCents({ memberId, ...m }, settings),
      reported: standing && standing.kind !== 'zero' ? { amountCents: standing.amountCents, sentAt: standing.sentAt?.toISOString() ?? null, status: standing.status, migrated: standing.runId === repo.MIGRATED_TAX_RUN_ID } : null,
      history: ofYear.map((r) => ({ kind: r.kind, amountCents: r.amountCents, status: r.status, sentAt: r.sentAt?.toISOString() ?? null, rejectionReason: r.rejectionReason, migrated: r.runId === repo.MIGRATED_TAX_RUN_ID })),
    };
  });
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.fee-statement-read', entityType: 'member', entityId: memberId, details: opts.year ? { year: opts.year } : {} });
  return { memberId, memberNumber: found.member.memberNumber, language: found.person.language, name: `${found.person.firstNames} ${found.person.lastName}`, years: items };
}
