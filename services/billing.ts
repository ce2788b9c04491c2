import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/billing';
import { lockFeeYear, registerFeeYears } from '../db/repositories/feeYears';
import { parseBillingPeriod } from '../domain/billing/billingPeriod';
import { checkBillingRunApproval, fourEyesRequired } from '../domain/billing/approval';
import { dueDatePassed, startsNewAttempt } from '../domain/billing/billingRun';
import { feeRuleForYear, withFeeYears } from '../domain/billing/fees';
import type { InvoiceLine, MessageFailureCode } from '../domain/vocabulary';
import type { billingRun } from '../workflows/billingRun';
import { billingRunAttempt, billingRunQueue, billingRunWorkflowId, type BillingRunInput } from '../workflows/definitions/billingRun';
import type { ServiceContext } from './context';
import { START_WAIT_MS, startWithin } from './backgroundStarts';
import { temporalProcessesLink } from './temporalUi';
import { failure, notFound, ServiceError } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

export interface StartBillingRunInput {
  period: string;
  dueDate: string;
  /**
   * After a committed run: start another attempt for the same period that bills only the members
   * not invoiced yet (joined since, or fixed exceptions). Without it the committed run is returned.
   */
  supplementary?: boolean;
}

export interface BillingRunSummary {
  id: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  feeYear: number;
  dueDate: string;
  status: string;
  startedBy: string;
  decidedBy: string | null;
  decidedAt: string | null;
  progress: { phase: string; done: number; total: number } | null;
  previewTotals: repo.BillingRunRow['previewTotals'];
  commitTotals: repo.BillingRunRow['commitTotals'];
  deliveryTotals: repo.BillingRunRow['deliveryTotals'];
  workflowId: string;
  /** The uuid that stands for the run in the approval task's subject. */
  subjectId: string;
  createdAt: string;
  updatedAt: string;
}

export interface BillingRunView extends BillingRunSummary {
  approvalTaskId: string | null;
  /** What approving asks: another user than the starter (`fourEyes`), an acknowledged provisional fee. */
  approval: { fourEyes: boolean; feeYearConfirmed: boolean };
  rejection: { reason: string; by: string; at: string } | null;
  /** `text` is English, for integrators; `code` and `params` are what the desk shows, translated. */
  exceptions: { memberId: string; memberNumber: number; text: string; code: string | null; params: Record<string, string | number> }[];
  samples: { memberId: string; memberNumber: number; amountCents: number; lines: InvoiceLine[]; delivery: string | null }[];
  /** The first 50 invoices whose e-mail or letter could not go, and why. */
  failedDeliveries: { memberId: string; memberNumber: number; invoiceNumber: number; delivery: string; code: MessageFailureCode | null; reason: string }[];
  /** The period's billing runs (every attempt) in the Temporal Web UI, when one is configured (decision 027). */
  processesLink: string | null;
}

function requireBillingUser(p: Principal) {
  if (!hasRole(p, 'billing', 'admin')) throw failure(403, 'billing_role_required', 'Billing runs are for the billing role and administrators.');
}

function invalid(field: string, reason: string, code: string, params: Record<string, string | number> = {}): ServiceError {
  return failure(400, code, `${field}: ${reason}`, { params, invalidParams: [{ name: field, reason }] });
}

/**
 * Starts the billing run of a period, or returns the one that exists: the same period again is the
 * same run (deterministic id). A rejected or failed attempt is followed by a new one (`-r2`…), and
 * a committed one only when `supplementary` is asked for.
 */
export async function startBillingRun(ctx: ServiceContext, p: Principal, input: StartBillingRunInput): Promise<{ created: boolean; started: boolean; run: BillingRunView }> {
  requireBillingUser(p);
  const period = parseBillingPeriod(input.period);
  if (!period) throw invalid('period', 'must be a year (2027), a quarter (2027-Q1) or a month (2027-03) in 2001–2099', 'billing_period_invalid');
  if (dueDatePassed(input.dueDate, ctx.today())) throw invalid('dueDate', `must be today (${ctx.today()}) or later`, 'due_date_passed', { today: ctx.today() });
  try {
    feeRuleForYear(withFeeYears(ctx.profile, await registerFeeYears(ctx.db, ctx.profile.id)), period.feeYear);
  } catch (error) {
    throw failure(422, 'no_fee_for_year', (error as Error).message, { params: { year: period.feeYear }, extra: { invalidParams: [{ name: 'period', reason: `no membership fee configured for ${period.feeYear}` }] }, title: 'No fee for the year' });
  }

  const attempts = await repo.runsForPeriod(ctx.db, period.period);
  const latest = attempts.sort((a, b) => billingRunAttempt(b.id) - billingRunAttempt(a.id))[0];
  let attempt = 1;
  if (latest) {
    if (!startsNewAttempt(latest.status, input.supplementary === true)) {
      const started = await billingRunStartedWithin(ctx, latest);
      return { created: false, started, run: await getBillingRun(ctx, p, latest.id) };
    }
    attempt = billingRunAttempt(latest.id) + 1;
  }
  // Two runs over the same months at once could each bill them; the commit holds such members
  // back, but refusing here tells the billing user why.
  const overlapping = (await repo.unfinishedOverlappingRuns(ctx.db, period.periodStart, period.periodEnd)).filter((r) => r.period !== period.period);
  if (overlapping.length) {
    throw failure(409, 'billing_run_overlaps', `Billing run ${overlapping[0]!.id} (${overlapping[0]!.status}) covers some of the same months; approve or reject it first.`, { params: { runId: overlapping[0]!.id, status: overlapping[0]!.status }, extra: { runId: overlapping[0]!.id } });
  }

  const id = billingRunWorkflowId(ctx.profile.id, period.period, attempt);
  const actor = actorOf(p);
  const { row, created } = await ctx.db.transaction(async (tx) => {
    await lockFeeYear(tx, ctx.profile.id, period.feeYear);
    const result = await repo.insertRunOnce(tx, { id, ...period, dueDate: input.dueDate, status: 'previewing', startedBy: actor.actor, workflowId: id });
    if (result.created) {
      await recordAudit(tx, { ...actor, action: 'billing-run.started', entityType: 'billing-run', entityId: id, details: { period: period.period, dueDate: input.dueDate, attempt } });
    }
    return result;
  });
  const started = await billingRunStartedWithin(ctx, row);
  return { created, started, run: await getBillingRun(ctx, p, row.id) };
}

/**
 * The stored run is the acceptance: when Temporal is away or slow the answer is 202 at once and the
 * run starts in the background or at reconcile (decision 028). False when left to the background.
 */
async function billingRunStartedWithin(ctx: ServiceContext, row: repo.BillingRunRow): Promise<boolean> {
  // A run that ended needs no process: its answer says so, not "starts when Temporal is back".
  if (row.status === 'committed' || row.status === 'rejected' || row.status === 'failed') return true;
  return startWithin(ctx.temporal, ctx.backgroundStarts, row.workflowId, ctx.startWaitMs ?? START_WAIT_MS, () => ensureBillingRunStarted(ctx, row), 'billing');
}

/**
 * Starts the run's workflow unless it runs or ran; heals a crash between the insert and the start.
 * The one way a billing run is started from its row (the API here, the reconcile process).
 */
export async function ensureBillingRunStarted(ctx: ServiceContext, row: repo.BillingRunRow): Promise<void> {
  const input: BillingRunInput = {
    runId: row.id,
    period: row.period,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    feeYear: row.feeYear,
    dueDate: row.dueDate,
    startedBy: row.startedBy,
    ...(ctx.billingChunkSize ? { chunkSize: ctx.billingChunkSize } : {}),
  };
  try {
    await ctx.temporal.workflow.start<typeof billingRun>('billingRun', {
      taskQueue: ctx.taskQueues[billingRunQueue],
      workflowId: row.workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

function toSummary(row: repo.BillingRunRow): BillingRunSummary {
  return {
    id: row.id,
    period: row.period,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    feeYear: row.feeYear,
    dueDate: row.dueDate,
    status: row.status,
    startedBy: row.startedBy,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    progress: row.progress,
    previewTotals: row.previewTotals,
    commitTotals: row.commitTotals,
    deliveryTotals: row.deliveryTotals,
    workflowId: row.workflowId,
    subjectId: repo.billingRunSubjectId(row.id),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listBillingRuns(ctx: ServiceContext, p: Principal): Promise<{ items: BillingRunSummary[] }> {
  requireBillingUser(p);
  return { items: (await repo.listRuns(ctx.db)).map(toSummary) };
}

/** A run with its progress, totals, first exceptions and sample invoices; `id` may be the run id or its subject uuid. */
export async function getBillingRun(ctx: ServiceContext, p: Principal, id: string): Promise<BillingRunView> {
  requireBillingUser(p);
  let row = await repo.findRun(ctx.db, id);
  if (!row && /^[0-9a-f-]{36}$/i.test(id)) {
    // The approval task carries the run as a uuid; a run list is short, so derive and compare.
    row = (await repo.listRuns(ctx.db, 1_000)).find((r) => repo.billingRunSubjectId(r.id) === id.toLowerCase());
  }
  if (!row) throw notFound(`Billing run ${id}`, 'billing_run_not_found');
  const [approvalTaskId, feeYearConfirmed, rejection, exceptions, samples, failed] = await Promise.all([
    row.status === 'awaiting-approval' ? repo.openApprovalTaskId(ctx.db, row.workflowId) : Promise.resolve(null),
    isFeeYearConfirmed(ctx, row.feeYear),
    row.status === 'rejected' ? repo.rejectionOf(ctx.db, row.id) : Promise.resolve(null),
    repo.stagedItems(ctx.db, row.id, 'exception', 50),
    repo.stagedItems(ctx.db, row.id, 'invoice', 10),
    row.deliveryTotals?.failed ? repo.failedDeliveries(ctx.db, row.id, 50) : Promise.resolve([]),
  ]);
  // Exceptions and samples name members and their fees: an audited read.
  await recordAudit(ctx.db, { ...actorOf(p), action: 'billing-run.read', entityType: 'billing-run', entityId: row.id });
  return {
    ...toSummary(row),
    approvalTaskId,
    approval: { fourEyes: fourEyesRequired(ctx.profile), feeYearConfirmed },
    rejection,
    exceptions: exceptions.map((e) => ({ memberId: e.memberId, memberNumber: e.memberNumber, text: e.exception ?? '', code: e.exceptionCode, params: e.exceptionParams })),
    samples: samples.map((s) => ({ memberId: s.memberId, memberNumber: s.memberNumber, amountCents: s.amountCents, lines: s.lines, delivery: s.delivery })),
    failedDeliveries: failed.map((f) => ({ memberId: f.memberId, memberNumber: f.memberNumber, invoiceNumber: f.invoiceNumber, delivery: f.delivery, code: f.code, reason: f.reason ?? '' })),
    processesLink: temporalProcessesLink(ctx, { kind: 'billing-run', key: row.period }),
  };
}

/** Whether the fund has confirmed the fee of `year` (register first, then the shipped profile). */
async function isFeeYearConfirmed(ctx: ServiceContext, year: number): Promise<boolean> {
  try {
    return feeRuleForYear(withFeeYears(ctx.profile, await registerFeeYears(ctx.db, ctx.profile.id)), year).confirmed;
  } catch {
    // A year without a fee cannot have been started; should it happen, it is not confirmed.
    return false;
  }
}

/**
 * Refuses an approval of the billing run owned by `workflowId` that the fund's rules do not allow
 * (domain/billing/approval.ts): the starter approving alone while four eyes are asked for (403
 * four_eyes_required), a provisional fee year not acknowledged (409
 * provisional_fee_year_not_acknowledged). Called by the work queue before the decision is sent.
 */
export async function checkBillingApproval(ctx: ServiceContext, approver: { id: string }, workflowId: string, acknowledgeProvisionalFeeYear: boolean): Promise<void> {
  const row = await repo.findRun(ctx.db, workflowId);
  if (!row) throw notFound(`Billing run ${workflowId}`, 'billing_run_not_found');
  const refusal = checkBillingRunApproval({
    startedBy: row.startedBy,
    approverId: approver.id,
    fourEyes: fourEyesRequired(ctx.profile),
    feeYear: row.feeYear,
    feeYearConfirmed: await isFeeYearConfirmed(ctx, row.feeYear),
    acknowledgeProvisionalFeeYear,
  });
  if (refusal?.code === 'four_eyes_required') {
    throw failure(403, 'four_eyes_required', 'You started this billing run, so another billing user must approve it (four eyes). You may still reject it.', { extra: { runId: row.id } });
  }
  if (refusal?.code === 'provisional_fee_year_not_acknowledged') {
    throw failure(
      409,
      'provisional_fee_year_not_acknowledged',
      `The membership fee of ${refusal.year} is provisional (not confirmed by the fund). Approve again with acknowledgeProvisionalFeeYear: true if the run should go ahead on it.`,
      { params: { year: refusal.year }, extra: { runId: row.id } },
    );
  }
}
