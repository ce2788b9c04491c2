import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import * as applicationSearch from '../db/repositories/applicationSearch';
import * as applicationsRepo from '../db/repositories/applications';
import { recordAudit } from '../db/repositories/audit';
import type { ApplicationData, Finding } from '../domain/application';
import type { SupplementData } from '../domain/supplement';
import { parseDuration, type Language } from '../domain/fundProfile';
import { startsBeforeReceipt } from '../domain/contact';
import { parseApplicationQuery, type ApplicationQuery } from '../domain/membership/memberQuery';
import { isAcceptableReceivedOn } from '../domain/membership/receipt';
import type { applicationIntake } from '../workflows/applicationIntake';
import { applicationIntakeQueue, applicationWorkflowId, supplementUpdate, type ApplicationIntakeInput } from '../workflows/definitions/applicationIntake';
import { intakeDeciderQueue, intakeDeciderWorkflowId, isIntakeDeciderId, type IntakeDeciderInput } from '../workflows/definitions/intakeDecider';
import type { intakeDecider } from '../workflows/intakeDecider';
import { intakeStartAttributes } from '../workflows/definitions/searchAttributes';
import type { ServiceContext } from './context';
import { temporalProcessLink } from './temporalUi';
import { failure, forbidden, notFound, queryTooShort } from './errors';
import { actorOf, hasRole, hasScope, maskIdentityCode, seesFullIdentityCode, type Principal } from './principal';
import { asConflictOnRefusal } from './temporalErrors';
import { START_WAIT_MS, startWithin } from './backgroundStarts';

export interface SubmitApplicationInput {
  data: ApplicationData;
  idempotencyKey: string;
  /** Only unions state when they received the application; the fund's own channels use today. */
  receivedOn?: string;
}

export interface ApplicationView {
  id: string;
  status: string;
  channel: string;
  receivedOn: string;
  receivedBy: string;
  startDate: string | null;
  findings: { code: string; severity: string; field?: string; message: string }[];
  completionDeadline: string | null;
  decision: { outcome: string; reason: string | null; decidedAt: string; automatic: boolean } | null;
  memberId: string | null;
  workflowId: string;
}

function channelOf(p: Principal): { channel: string; submittedBy: string; receivedBy: 'fund' | 'union' } {
  if (p.kind === 'public') return { channel: 'join-form', submittedBy: 'public', receivedBy: 'fund' };
  if (p.kind === 'client') return { channel: p.channel, submittedBy: p.id, receivedBy: p.channel === 'union' ? 'union' : 'fund' };
  return { channel: 'desk', submittedBy: p.id, receivedBy: 'fund' };
}

/** Receives an application once per idempotency key and starts its intake process. */
export async function submitApplication(ctx: ServiceContext, principal: Principal, input: SubmitApplicationInput) {
  if (principal.kind === 'client' && !hasScope(principal, 'applications:write')) {
    throw failure(403, 'applications_scope_missing', 'This client may not submit applications (scope applications:write is missing).');
  }
  if (principal.kind === 'user' && !hasRole(principal, 'caseworker')) throw failure(403, 'application_entry_role_required', 'Only caseworkers may enter applications.');
  const { channel, submittedBy, receivedBy } = channelOf(principal);
  const today = ctx.today();
  let receivedOn = today;
  if (input.receivedOn !== undefined) {
    if (receivedBy !== 'union') {
      throw failure(400, 'received_on_union_only', 'receivedOn may only be given by a union; the fund records its own date of receipt.', { extra: { field: 'receivedOn' }, title: 'Invalid application' });
    }
    if (!isAcceptableReceivedOn(input.receivedOn, today)) {
      throw failure(400, 'received_on_out_of_range', `receivedOn ${input.receivedOn} must be today or within the past year.`, { params: { date: input.receivedOn }, extra: { field: 'receivedOn' }, title: 'Invalid application' });
    }
    receivedOn = input.receivedOn;
  }
  if (startsBeforeReceipt(input.data.requestedStartDate, receivedOn)) {
    throw failure(400, 'start_before_receipt', `data.requestedStartDate: membership cannot begin before the application is received (${receivedOn}).`, {
      params: { receivedOn },
      invalidParams: [{ name: 'data.requestedStartDate', reason: `must not be before the day the application is received (${receivedOn})`, code: 'start_before_receipt' }],
    });
  }
  if (receivedBy === 'union' && principal.kind === 'client' && !input.data.unionCode) {
    throw failure(400, 'union_code_required', 'A union must give its unionCode.', { extra: { field: 'data.unionCode' }, title: 'Invalid application' });
  }
  const id = randomUUID();
  const batched = ctx.profile.intake.decisionPath === 'batched';
  const { row, created } = await ctx.db.transaction(async (tx) => {
    const result = await applicationsRepo.insertApplicationOnce(tx, {
      id,
      idempotencyKey: input.idempotencyKey,
      channel,
      submittedBy,
      receivedOn,
      receivedBy,
      unionCode: receivedBy === 'union' ? (input.data.unionCode ?? null) : null,
      identityCode: input.data.identityCode,
      data: input.data,
      // On the batched path (decision 063) the fund's intake decider decides it; no process of its own is started.
      workflowId: batched ? intakeDeciderIdOf(ctx) : applicationWorkflowId(id),
    });
    if (result.created) {
      await recordAudit(tx, { ...actorOf(principal), action: 'application.submitted', entityType: 'application', entityId: result.row.id, details: { channel } });
    }
    return result;
  });
  if (!created && canonical(row.data) !== canonical(input.data) && row.completionRounds === 0) {
    throw failure(409, 'idempotency_key_reused', 'This idempotency key was already used for a different application. Use a new key for a new application.', { extra: { applicationId: row.id } });
  }
  const started = isIntakeDeciderId(row.workflowId) ? await deciderWithin(ctx, row.workflowId) : await startIntakeWithin(ctx, row.id);
  return { created, started, application: toView(row, languageOf(principal, row.data.language)) };
}

/**
 * Starts the intake process within `ctx.startWaitMs`. The application is stored first; when
 * Temporal does not answer in time, the submission is still accepted (202) and its start is tried
 * again in the background (services/backgroundStarts.ts); reconcile starts whatever that gives up
 * on, under the same id. Nothing waits ~20 s for a 500.
 */
function startIntakeWithin(ctx: ServiceContext, applicationId: string): Promise<boolean> {
  return startWithin(ctx.temporal, ctx.backgroundStarts, applicationWorkflowId(applicationId), ctx.startWaitMs ?? START_WAIT_MS, () => ensureIntakeStarted(ctx, applicationId), 'intake');
}

/** The fund's intake decider's process id in this deployment (decision 063). */
export function intakeDeciderIdOf(ctx: ServiceContext): string {
  return intakeDeciderWorkflowId(ctx.profile.id, ctx.taskQueues[intakeDeciderQueue]);
}

/** The decider's settings: batches of up to 100, a look every 200 ms when idle, a minute per activity run. */
export const intakeDeciderInput: IntakeDeciderInput = { batchSize: 100, pollEveryMs: 200, budgetMs: 60_000 };

/** Per process, the deciders known to run: a batched submission asks Temporal again only after DECIDER_RECHECK_MS. */
const deciderStarts = new WeakMap<ServiceContext, Map<string, { start: Promise<void>; at: number }>>();
/** A decider that closed (terminated by an operator) is started again by the next submission after this long. */
const DECIDER_RECHECK_MS = 60_000;

/**
 * Makes sure the intake decider `workflowId` runs, asking Temporal once a minute per process (a
 * failed start is asked again next time), within `ctx.startWaitMs` as a per-application start: when
 * Temporal does not answer in time the submission is accepted (202) and the start goes on in the
 * background; reconcile starts the decider of any application still waiting for it.
 */
async function deciderWithin(ctx: ServiceContext, workflowId: string): Promise<boolean> {
  let known = deciderStarts.get(ctx);
  if (!known) deciderStarts.set(ctx, (known = new Map()));
  let entry = known.get(workflowId);
  if (!entry || Date.now() - entry.at > DECIDER_RECHECK_MS) {
    entry = { start: ensureIntakeDeciderStarted(ctx, workflowId), at: Date.now() };
    known.set(workflowId, entry);
    entry.start.catch(() => known.delete(workflowId));
  }
  const pending = entry.start;
  return startWithin(ctx.temporal, ctx.backgroundStarts, workflowId, ctx.startWaitMs ?? START_WAIT_MS, () => pending, 'intake-decider');
}

/** Starts the intake decider (`intake-decider/<fund>`) unless it runs; safe to call any number of times. */
export async function ensureIntakeDeciderStarted(ctx: ServiceContext, workflowId = intakeDeciderIdOf(ctx)): Promise<void> {
  try {
    await ctx.temporal.workflow.start<typeof intakeDecider>('intakeDecider', {
      taskQueue: ctx.taskQueues[intakeDeciderQueue],
      workflowId,
      args: [intakeDeciderInput],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** Starts the intake workflow unless it already runs or ran; safe to call any number of times. */
export async function ensureIntakeStarted(ctx: ServiceContext, applicationId: string): Promise<void> {
  const input: ApplicationIntakeInput = {
    applicationId,
    completionDeadlineMs: parseDuration(ctx.profile.intake.completionDeadline),
    maxCompletionRounds: ctx.profile.intake.maxCompletionRounds,
  };
  try {
    await ctx.temporal.workflow.start<typeof applicationIntake>('applicationIntake', {
      taskQueue: ctx.taskQueues[applicationIntakeQueue],
      workflowId: applicationWorkflowId(applicationId),
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
      // The process's own attributes too, so the workflow need not upsert them first (decision 037).
      typedSearchAttributes: intakeStartAttributes(applicationId),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

async function loadVisible(ctx: ServiceContext, principal: Principal, id: string) {
  const row = await applicationsRepo.findApplication(ctx.db, id);
  if (!row) throw notFound(`Application ${id}`, 'application_not_found');
  const mayRead =
    hasRole(principal, 'caseworker', 'supervisor', 'admin') ||
    (principal.kind === 'client' && hasScope(principal, 'applications:read') && row.submittedBy === principal.id);
  if (!mayRead) throw notFound(`Application ${id}`, 'application_not_found');
  return row;
}

export async function getApplication(ctx: ServiceContext, principal: Principal, id: string, lang?: Language): Promise<ApplicationView> {
  const row = await loadVisible(ctx, principal, id);
  await recordAudit(ctx.db, { ...actorOf(principal), action: 'application.read', entityType: 'application', entityId: id });
  return toView(row, lang ?? languageOf(principal, row.data.language));
}

/** The application's full data, for the caseworker deciding it. */
export async function getApplicationForReview(ctx: ServiceContext, principal: Principal, id: string, lang: Language) {
  if (!hasRole(principal, 'caseworker', 'supervisor')) throw failure(403, 'application_review_role_required', 'Only caseworkers may open applications for review.');
  const row = await loadVisible(ctx, principal, id);
  await recordAudit(ctx.db, { ...actorOf(principal), action: 'application.read', entityType: 'application', entityId: id, details: { purpose: 'review' } });
  return { ...toView(row, lang), data: row.data };
}

export interface SupplementInput {
  round?: number;
  token?: string;
  data: SupplementData;
}

/** Hands a supplement to the waiting workflow; refused (409) when nothing is waiting for one. */
export async function submitSupplement(ctx: ServiceContext, principal: Principal, id: string, input: SupplementInput) {
  const row = await applicationsRepo.findApplication(ctx.db, id);
  if (!row) throw notFound(`Application ${id}`, 'application_not_found');
  const round = input.round ?? row.completionRounds;
  if (principal.kind === 'public') {
    if (!input.token || !ctx.supplementLinks.verify(id, round, input.token)) {
      throw failure(403, 'supplement_link_invalid', 'This supplement link is not valid. Use the link in the latest message from the fund.');
    }
  } else if (principal.kind === 'client') {
    if (!hasScope(principal, 'applications:write') || row.submittedBy !== principal.id) throw notFound(`Application ${id}`, 'application_not_found');
  } else if (!hasRole(principal, 'caseworker')) {
    throw failure(403, 'supplement_entry_role_required', 'Only caseworkers may enter supplements.');
  }
  if (row.status !== 'awaiting-supplement') {
    throw failure(409, 'application_not_awaiting_supplement', `This application is not waiting for a supplement (status: ${row.status}).`, { params: { status: row.status } });
  }
  if (startsBeforeReceipt(input.data.requestedStartDate, row.receivedOn)) {
    throw failure(400, 'start_before_receipt', `data.requestedStartDate: membership cannot begin before the application was received (${row.receivedOn}).`, {
      params: { receivedOn: row.receivedOn },
      invalidParams: [{ name: 'data.requestedStartDate', reason: `must not be before the day the application was received (${row.receivedOn})`, code: 'start_before_receipt' }],
    });
  }
  const handle = ctx.temporal.workflow.getHandle(row.workflowId);
  await asConflictOnRefusal(
    () => handle.executeUpdate(supplementUpdate, { args: [{ round, data: input.data, submittedBy: actorOf(principal).actor }] }),
    'The supplement',
  );
  return getApplicationAfterChange(ctx, id, row.data.language);
}

async function getApplicationAfterChange(ctx: ServiceContext, id: string, lang: Language) {
  const row = await applicationsRepo.findApplication(ctx.db, id);
  return toView(row!, lang);
}

function languageOf(p: Principal, fallback: Language): Language {
  return p.kind === 'user' ? 'fi' : fallback;
}

export function toView(row: applicationsRepo.ApplicationRow, lang: Language): ApplicationView {
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    receivedOn: row.receivedOn,
    receivedBy: row.receivedBy,
    startDate: row.startDate,
    findings: row.findings.map((f: Finding) => ({ code: f.code, severity: f.severity, ...(f.field ? { field: f.field } : {}), message: f.message[lang] })),
    completionDeadline: row.completionDeadline?.toISOString() ?? null,
    decision: row.decision
      ? { outcome: row.decision.outcome, reason: row.decision.reason, decidedAt: row.decision.decidedAt, automatic: row.decision.automatic }
      : null,
    memberId: row.memberId,
    workflowId: row.workflowId,
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Roles that find and open applications at the desk; the identity code is whole only for caseworkers. */
function requireApplicationReader(p: Principal) {
  if (!hasRole(p, 'caseworker', 'supervisor', 'admin')) throw forbidden('Your role may not read applications.');
}

function applicantOf(p: Principal, a: { firstNames: string; lastName: string; identityCode: string }) {
  return { name: `${a.lastName} ${a.firstNames}`, identityCode: seesFullIdentityCode(p) ? a.identityCode : maskIdentityCode(a.identityCode) };
}

/**
 * Finds applications in any status by the id the applicant was given, an identity code or a
 * name. Audited like a member search: the kind of query and the count, never the query itself.
 */
export async function searchApplications(ctx: ServiceContext, p: Principal, rawQuery: string, limit = 20) {
  requireApplicationReader(p);
  if (rawQuery.trim().replace(/\s+/g, ' ').length < 2) throw queryTooShort();
  const query = parseApplicationQuery(rawQuery);
  let found: applicationSearch.ApplicationHit[] = [];
  if (query?.kind === 'application-id') found = await applicationSearch.applicationById(ctx.db, query.id);
  else if (query?.kind === 'identity-code') found = await applicationSearch.applicationsByIdentityCode(ctx.db, query.identityCode, limit);
  else if (query?.kind === 'name') found = await applicationSearch.applicationsByName(ctx.db, query.words, limit);
  const kind: ApplicationQuery['kind'] | 'none' = query?.kind ?? 'none';
  await recordAudit(ctx.db, { ...actorOf(p), action: 'application.search', entityType: 'application', entityId: '*', details: { kind, results: found.length } });
  return {
    kind,
    items: found.map((h) => ({
      id: h.id,
      applicant: applicantOf(p, h),
      status: h.status,
      channel: h.channel,
      receivedOn: h.receivedOn,
      memberId: h.memberId,
      openTaskId: h.openTaskId,
    })),
  };
}

/** One application with its tasks and history, for the desk's application page; every read is audited. */
export async function getApplicationOverview(ctx: ServiceContext, p: Principal, id: string, lang: Language = 'fi') {
  requireApplicationReader(p);
  const row = await applicationsRepo.findApplication(ctx.db, id);
  if (!row) throw notFound(`Application ${id}`, 'application_not_found');
  const [taskRows, history] = await Promise.all([applicationSearch.tasksOfApplication(ctx.db, id), applicationSearch.historyOfApplication(ctx.db, id)]);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'application.read', entityType: 'application', entityId: id, details: { view: 'overview' } });
  const link = temporalProcessLink(ctx, row.workflowId);
  return {
    ...toView(row, lang),
    applicant: applicantOf(p, { firstNames: row.data.firstNames, lastName: row.data.lastName, identityCode: row.identityCode }),
    completionRounds: row.completionRounds,
    processLink: link,
    tasks: taskRows.map((t) => ({
      id: t.id,
      kind: t.kind,
      title: t.title,
      status: t.status,
      outcome: t.outcome,
      createdAt: t.createdAt.toISOString(),
      closedAt: t.closedAt?.toISOString() ?? null,
      claimedBy: t.claimedByName,
    })),
    history: [
      ...history.events.map((e) => ({ at: e.at.toISOString(), kind: 'event' as const, code: e.action, actor: e.actor, status: null })),
      ...history.messages.map((m) => ({ at: m.at.toISOString(), kind: 'message' as const, code: m.kind, actor: null, status: m.status })),
    ].sort((a, b) => a.at.localeCompare(b.at)),
  };
}
