import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import { findPersonByAnyIdentityCode } from '../db/repositories/persons';
import * as resignationsRepo from '../db/repositories/resignations';
import { compareDates } from '../domain/dates';
import { parseDuration } from '../domain/fundProfile';
import { fundSwitchEnd, transferEligible } from '../domain/membership/fundSwitch';
import { isAcceptableReceivedOn } from '../domain/membership/receipt';
import { resignationEndDate } from '../domain/membership/resignation';
import { remainingConfirmationMs, resignationRequestState } from '../domain/membership/resignationRequest';
import { memberDeathQueue, memberDeathWorkflowId, type MemberDeathInput } from '../workflows/definitions/memberDeath';
import { memberIdKey } from '../workflows/definitions/searchAttributes';
import {
  confirmResignationUpdate,
  membershipEndQueue,
  rejectResignationUpdate,
  resignationWorkflowId,
  withdrawResignationUpdate,
} from '../workflows/definitions/membershipEnd';
import type { memberDeath } from '../workflows/memberDeath';
import type { membershipEnd } from '../workflows/membershipEnd';
import type { ServiceContext } from './context';
import { failure, notFound } from './errors';
import { actorOf, hasRole, hasScope, type Principal } from './principal';
import { asConflictOnRefusal } from './temporalErrors';

const invalid = (name: string, reason: string, code: string, params: Record<string, string | number> = {}) => failure(400, code, `${name}: ${reason}`, { params, invalidParams: [{ name, reason }] });

/** The public form never writes directly: it makes a request (submitPublicResignation). */
function requireMemberWriter(p: Principal) {
  if (p.kind === 'client' && hasScope(p, 'members:write')) return;
  if (hasRole(p, 'caseworker', 'supervisor')) return;
  throw failure(403, 'membership_change_role_required', 'You may not change memberships (caseworker role or scope members:write needed).');
}

/**
 * An integration acts only on the members it may: e-services on the authenticated member it names
 * (`subjectIdentityCode`, checked against the member), a union on its own members (token claim
 * `union_code`). Every other client is refused. Desk users and the register itself pass.
 */
export async function requireClientMayActOn(ctx: ServiceContext, p: Principal, member: { id: string; unionCode: string | null }, subjectIdentityCode: string | undefined): Promise<void> {
  if (p.kind !== 'client') return;
  if (p.channel === 'e-services') {
    if (!subjectIdentityCode) {
      throw failure(400, 'subject_required', 'subjectIdentityCode: e-services must name the authenticated member (their identity code) in the request.', {
        invalidParams: [{ name: 'subjectIdentityCode', reason: 'required: the identity code of the member who is logged in to the e-service', code: 'subject_required' }],
      });
    }
    const person = await findPersonByAnyIdentityCode(ctx.db, subjectIdentityCode.trim().toUpperCase());
    const subjectMemberId = person ? await membersRepo.findMemberIdOfPerson(ctx.db, person.id) : undefined;
    if (subjectMemberId !== member.id) throw failure(403, 'subject_mismatch', 'The authenticated member named in subjectIdentityCode is not this member: an e-service acts only on its logged-in member.');
    return;
  }
  if (p.channel === 'union') {
    if (!p.unionCode) throw failure(403, 'union_code_missing', "This union client's token carries no union_code claim; ask the fund to configure the client's union.");
    if (member.unionCode !== p.unionCode) throw failure(403, 'member_not_of_union', 'This member does not belong to your union; a union acts only on its own members.', { params: { unionCode: p.unionCode } });
    return;
  }
  throw failure(403, 'client_may_not_act_on_members', `The client ${p.id} (channel ${p.channel}) may not change members.`);
}

function receivedOnFor(ctx: ServiceContext, p: Principal, stated: string | undefined): string {
  const today = ctx.today();
  if (stated === undefined) return today;
  const mayState = (p.kind === 'client' && p.channel === 'union') || hasRole(p, 'caseworker', 'supervisor');
  if (!mayState) throw invalid('receivedOn', 'only a union or a caseworker may state when the notice was received', 'received_on_not_allowed');
  if (!isAcceptableReceivedOn(stated, today)) throw invalid('receivedOn', `${stated} must be today or within the past year`, 'received_on_out_of_range', { date: stated });
  return stated;
}

async function currentPeriod(ctx: ServiceContext, memberId: string) {
  const periods = await membersRepo.periodsOfMember(ctx.db, memberId);
  const today = ctx.today();
  return periods.find((x) => x.endDate === null || x.endDate >= today) ?? null;
}

export interface ResignationInput {
  idempotencyKey: string;
  /** E-services: the identity code of the authenticated member (checked against the member). */
  subjectIdentityCode?: string;
  receivedOn?: string;
  requestedEndDate?: string;
  newFund?: string;
  newFundStartDate?: string;
}

/**
 * Registers a resignation notice or a new fund's resignation authorisation once per idempotency
 * key and starts its process (`resignation/<id>`).
 */
export async function submitResignation(ctx: ServiceContext, p: Principal, memberId: string, kind: 'resignation' | 'fund-switch', input: ResignationInput) {
  requireMemberWriter(p);
  const member = await membersRepo.findMember(ctx.db, memberId);
  if (!member) throw notFound(`Member ${memberId}`, 'member_not_found');
  await requireClientMayActOn(ctx, p, member, input.subjectIdentityCode);
  const receivedOn = receivedOnFor(ctx, p, input.receivedOn);
  const period = await currentPeriod(ctx, memberId);
  if (!period) throw failure(409, 'membership_already_ended', 'This membership has already ended; there is nothing to resign from.');
  let endDate: string;
  let feeOwedUntil: string;
  if (kind === 'fund-switch') {
    if (!input.newFund || !input.newFundStartDate) throw invalid('newFundStartDate', 'a fund switch needs the new fund and its start date', 'fund_switch_needs_new_fund');
    ({ endDate, feeOwedUntil } = fundSwitchEnd({ newFundStartDate: input.newFundStartDate, periodStart: period.startDate }));
  } else {
    const r = resignationEndDate({ receivedOn, periodStart: period.startDate, ...(input.requestedEndDate ? { requestedEndDate: input.requestedEndDate } : {}) });
    endDate = r.endDate;
    feeOwedUntil = r.feeOwedUntil;
  }
  const id = randomUUID();
  const actor = actorOf(p);
  const inserted = await ctx.db.transaction(async (tx) => {
    const { row, created } = await resignationsRepo.insertResignationOnce(tx, {
      id,
      memberId,
      kind,
      idempotencyKey: input.idempotencyKey,
      submittedBy: actor.actor,
      channel: p.kind === 'client' ? p.channel : 'desk',
      receivedOn,
      requestedEndDate: input.requestedEndDate ?? null,
      endDate,
      feeOwedUntil,
      newFund: input.newFund ?? null,
      newFundStartDate: input.newFundStartDate ?? null,
      workflowId: resignationWorkflowId(id),
    });
    if (created) {
      await recordAudit(tx, { ...actor, action: kind === 'fund-switch' ? 'member.fund-switch-received' : 'member.resignation-received', entityType: 'member', entityId: memberId, details: { resignationId: id } });
    }
    return row;
  });
  if (inserted.memberId !== memberId) throw failure(409, 'idempotency_key_other_member', 'This idempotency key was already used for another member.');
  await ensureResignationStarted(ctx, inserted);
  return { created: inserted.id === id, resignation: resignationView(inserted) };
}

/**
 * Starts the resignation's process unless it runs or ran; safe to call any number of times. The
 * one way a resignation is started from its row (the API here, the reconcile process).
 */
export async function ensureResignationStarted(ctx: ServiceContext, row: { id: string; workflowId: string; confirmationExpiresAt?: Date | null; memberId?: string }): Promise<void> {
  // A public request waits for its confirmation until the link stops working (at least a second,
  // so a request found late by reconcile still expires through its process).
  const confirmation = row.confirmationExpiresAt ? { validityMs: remainingConfirmationMs(row.confirmationExpiresAt, new Date()) } : undefined;
  try {
    await ctx.temporal.workflow.start<typeof membershipEnd>('membershipEnd', {
      taskQueue: ctx.taskQueues[membershipEndQueue],
      workflowId: row.workflowId,
      args: [{ resignationId: row.id, withdrawalWindowMs: parseDuration(ctx.profile.membership.resignationWithdrawalWindow), ...(confirmation ? { confirmation } : {}) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
      // The member's internal id for the Temporal UI (decision 027); the process sets its kind, key and status.
      ...(row.memberId ? { typedSearchAttributes: [{ key: memberIdKey, value: row.memberId }] } : {}),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

function resignationView(r: resignationsRepo.ResignationRow) {
  return {
    id: r.id,
    memberId: r.memberId,
    kind: r.kind,
    receivedOn: r.receivedOn,
    requestedEndDate: r.requestedEndDate,
    endDate: r.endDate,
    feeOwedUntil: r.feeOwedUntil,
    status: r.status,
    newFund: r.newFund,
    workflowId: r.workflowId,
    channel: r.channel,
    confirmationExpiresAt: r.confirmationExpiresAt?.toISOString() ?? null,
    decidedBy: r.decidedBy,
    decisionReason: r.decisionReason,
    withdrawalReason: r.withdrawalReason,
  };
}

const reasonRequired = (what: string) =>
  failure(400, 'reason_required', `reason: ${what} needs a reason (it is audited and kept with the resignation).`, {
    invalidParams: [{ name: 'reason', reason: 'required', code: 'reason_required' }],
  });

/** Withdraws a resignation inside the window, with a reason; audited, and the member is told. */
export async function withdrawResignation(ctx: ServiceContext, p: Principal, memberId: string, resignationId: string, input: { reason: string; subjectIdentityCode?: string }) {
  requireMemberWriter(p);
  const member = await membersRepo.findMember(ctx.db, memberId);
  if (!member) throw notFound(`Member ${memberId}`, 'member_not_found');
  await requireClientMayActOn(ctx, p, member, input.subjectIdentityCode);
  const reason = input.reason?.trim() ?? '';
  if (!reason) throw reasonRequired('A withdrawal');
  const r = await resignationsRepo.findResignationOfMember(ctx.db, resignationId, memberId);
  if (!r) throw notFound(`Resignation ${resignationId}`, 'resignation_not_found');
  if (r.status !== 'pending') throw failure(409, 'resignation_not_withdrawable', `This resignation can no longer be withdrawn (status: ${r.status}).`, { params: { status: r.status } });
  const actor = actorOf(p);
  await asConflictOnRefusal(
    () => ctx.temporal.workflow.getHandle(r.workflowId).executeUpdate(withdrawResignationUpdate, { args: [{ by: actor.actor, reason, actorKind: actor.actorKind }] }),
    'The withdrawal',
  );
  const after = await resignationsRepo.findResignation(ctx.db, resignationId);
  return resignationView(after!);
}

/** A caseworker confirms a public resignation request (the member asked by phone, by letter…) or rejects it with a reason. */
export async function decideResignationRequest(ctx: ServiceContext, p: Principal, memberId: string, resignationId: string, decision: 'confirm' | 'reject', input: { reason?: string }) {
  if (!hasRole(p, 'caseworker', 'supervisor')) throw failure(403, 'resignation_decision_role_required', 'Only caseworkers may confirm or reject a resignation request.');
  const r = await resignationsRepo.findResignationOfMember(ctx.db, resignationId, memberId);
  if (!r) throw notFound(`Resignation ${resignationId}`, 'resignation_not_found');
  const reason = input.reason?.trim() ?? '';
  if (decision === 'reject' && !reason) throw reasonRequired('A rejection');
  if (r.status !== 'requested') throw failure(409, 'resignation_request_closed', `This resignation request is no longer open (status: ${r.status}).`, { params: { status: r.status } });
  const by = actorOf(p).actor;
  const handle = ctx.temporal.workflow.getHandle(r.workflowId);
  if (decision === 'confirm') await asConflictOnRefusal(() => handle.executeUpdate(confirmResignationUpdate, { args: [{ by }] }), 'The confirmation');
  else await asConflictOnRefusal(() => handle.executeUpdate(rejectResignationUpdate, { args: [{ by, reason }] }), 'The rejection');
  if (decision === 'confirm' && reason) {
    await recordAudit(ctx.db, { ...actorOf(p), action: 'member.resignation-request-confirmed-note', entityType: 'member', entityId: memberId, details: { resignationId, reason } });
  }
  const after = await resignationsRepo.findResignation(ctx.db, resignationId);
  return resignationView(after!);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type PublicResignationInput = Omit<ResignationInput, 'subjectIdentityCode'> & { identityCode: string; lastName: string };

/**
 * The public resignation form. Identity code and surname are easy to know, so they only start a
 * request: the confirmation link goes to the contact details the member already has on record,
 * and nothing changes until the member (or a caseworker) confirms it. The answer is the same,
 * after the same minimum time, whether or not the details match a membership.
 */
export async function submitPublicResignation(ctx: ServiceContext, input: PublicResignationInput) {
  const answerAt = Date.now() + ctx.publicAnswerFloorMs;
  const stored = await storePublicResignationRequest(ctx, input);
  if (stored) {
    // Started off the answer path so the answer's timing does not tell: tried in the background
    // (retried while Temporal is away, awaited by shutdown); reconcile starts one that gave up.
    ctx.backgroundStarts.start(stored.workflowId, ctx.temporal.connection, () => ensureResignationStarted(ctx, stored), { immediately: true });
  }
  await sleep(Math.max(0, answerAt - Date.now()));
  return { status: 'received' as const };
}

async function storePublicResignationRequest(ctx: ServiceContext, input: PublicResignationInput) {
  const person = await findPersonByAnyIdentityCode(ctx.db, input.identityCode);
  if (!person || person.dateOfDeath || person.lastName.toLowerCase() !== input.lastName.trim().toLowerCase()) return null;
  const memberId = await membersRepo.findMemberIdOfPerson(ctx.db, person.id);
  if (!memberId) return null;
  const period = await currentPeriod(ctx, memberId);
  if (!period) return null;
  // One open request at a time: repeating the form sends the member no second link.
  if (await resignationsRepo.findOpenResignationRequest(ctx.db, memberId)) return null;
  const receivedOn = ctx.today();
  const { endDate, feeOwedUntil } = resignationEndDate({ receivedOn, periodStart: period.startDate, ...(input.requestedEndDate ? { requestedEndDate: input.requestedEndDate } : {}) });
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + parseDuration(ctx.profile.membership.resignationConfirmationValidity));
  return ctx.db.transaction(async (tx) => {
    const { row, created } = await resignationsRepo.insertResignationOnce(tx, {
      id,
      memberId,
      kind: 'resignation',
      idempotencyKey: input.idempotencyKey,
      submittedBy: `public:${memberId}`,
      channel: 'resignation-form',
      receivedOn,
      requestedEndDate: input.requestedEndDate ?? null,
      endDate,
      feeOwedUntil,
      status: 'requested',
      confirmationExpiresAt: expiresAt,
      workflowId: resignationWorkflowId(id),
    });
    if (!created) return null;
    await recordAudit(tx, { actor: 'public', actorKind: 'public', action: 'member.resignation-requested', entityType: 'member', entityId: memberId, details: { resignationId: id } });
    return row;
  });
}

const confirmationStateOf = (r: resignationsRepo.ResignationRow, now: Date) => resignationRequestState(r.status, r.confirmationExpiresAt, now);

async function requestOfLink(ctx: ServiceContext, token: string) {
  const id = ctx.resignationLinks.verify(token);
  const r = id ? await resignationsRepo.findResignation(ctx.db, id) : undefined;
  // Only public requests have links; an altered or foreign link says nothing more.
  if (!r || r.channel !== 'resignation-form' || !r.confirmationExpiresAt) {
    throw failure(403, 'resignation_link_invalid', 'This confirmation link is not valid. Use the link exactly as it came in the message, or contact the fund.');
  }
  return r;
}

function confirmationView(r: resignationsRepo.ResignationRow, now: Date) {
  return {
    state: confirmationStateOf(r, now),
    receivedOn: r.receivedOn,
    endDate: r.endDate,
    feeOwedUntil: r.feeOwedUntil,
    expiresAt: r.confirmationExpiresAt!.toISOString(),
  };
}

const linkExpired = () => failure(409, 'resignation_request_expired', 'The confirmation link has expired; the membership continues. Send a new notice if you still wish to resign.');
const requestClosed = (status: string) => failure(409, 'resignation_request_closed', `This resignation request is no longer open (status: ${status}).`, { params: { status } });

/** The confirmation page shows what is being confirmed (audited as a read of the member's data). */
export async function previewResignationConfirmation(ctx: ServiceContext, token: string) {
  const r = await requestOfLink(ctx, token);
  await recordAudit(ctx.db, { actor: 'public', actorKind: 'public', action: 'member.resignation-request-viewed', entityType: 'member', entityId: r.memberId, details: { resignationId: r.id, via: 'member-link' } });
  return confirmationView(r, new Date());
}

/** The member confirms through the link: the resignation takes effect, received on the day of the request. */
export async function confirmResignationByLink(ctx: ServiceContext, token: string) {
  const r = await requestOfLink(ctx, token);
  const state = confirmationStateOf(r, new Date());
  if (state === 'expired') throw linkExpired();
  if (state === 'closed') throw requestClosed(r.status);
  if (state === 'awaiting-confirmation') {
    try {
      await ctx.temporal.workflow.getHandle(r.workflowId).executeUpdate(confirmResignationUpdate, { args: [{ by: 'public' }] });
    } catch (error) {
      // Refused: decided or expired meanwhile; the stored state below says which.
      if (!(error instanceof WorkflowUpdateFailedError) && !(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  const after = (await resignationsRepo.findResignation(ctx.db, r.id))!;
  const view = confirmationView(after, new Date());
  if (view.state === 'expired') throw linkExpired();
  if (view.state === 'closed') throw requestClosed(after.status);
  if (view.state !== 'confirmed') throw failure(409, 'resignation_confirmation_unavailable', 'The confirmation could not be recorded just now; try again in a moment.');
  return view;
}

/** An incoming transfer: previous-fund periods count only when the gap is at most one month. */
export async function recordTransferredPeriod(
  ctx: ServiceContext,
  p: Principal,
  memberId: string,
  input: { fundName: string; fundBusinessId?: string; startDate: string; endDate: string; paidThrough?: string; expelled?: boolean },
) {
  if (!hasRole(p, 'caseworker', 'supervisor')) throw failure(403, 'transfer_role_required', 'Only caseworkers may record transferred periods.');
  if (compareDates(input.startDate, input.endDate) > 0) throw invalid('endDate', 'must not be before startDate', 'end_before_start');
  const [first] = await membersRepo.periodsOfMember(ctx.db, memberId);
  if (!first) throw notFound(`Member ${memberId}`, 'member_not_found');
  const eligibility = transferEligible({
    previousEnd: input.endDate,
    newStart: first.startDate,
    expelled: input.expelled ?? false,
    feesPaidThrough: input.paidThrough ?? null,
  });
  if (!eligibility.eligible) throw failure(422, 'periods_not_transferable', `These periods do not transfer: ${eligibility.reason}.`, { title: 'Not transferable' });
  const actor = actorOf(p);
  await ctx.db.transaction(async (tx) => {
    await membersRepo.insertTransferredPeriodOnce(tx, { memberId, fundName: input.fundName, fundBusinessId: input.fundBusinessId ?? null, startDate: input.startDate, endDate: input.endDate, paidThrough: input.paidThrough ?? null, recordedBy: actor.actor });
    await recordAudit(tx, { ...actor, action: 'member.transfer-recorded', entityType: 'member', entityId: memberId, details: { fundName: input.fundName } });
  });
  return { recorded: true };
}

/** A caseworker enters a death; the process ends the membership and stops the member's other processes. */
export async function reportDeath(ctx: ServiceContext, p: Principal, memberId: string, input: { dateOfDeath: string; precision?: 'day' | 'month' | 'year' }) {
  if (!hasRole(p, 'caseworker', 'supervisor')) throw failure(403, 'death_role_required', 'Only caseworkers may record a death.');
  if (compareDates(input.dateOfDeath, ctx.today()) > 0) throw invalid('dateOfDeath', 'must not be in the future', 'date_of_death_in_future');
  if (!(await membersRepo.findMember(ctx.db, memberId))) throw notFound(`Member ${memberId}`, 'member_not_found');
  const handle = await startDeathProcess(ctx, { memberId, dateOfDeath: input.dateOfDeath, precision: input.precision ?? 'day', by: actorOf(p).actor, source: 'caseworker' });
  await handle.result();
  return { memberId, dateOfDeath: input.dateOfDeath };
}

/** Starts the member's death process, or finds the one already running or run. */
export async function startDeathProcess(ctx: ServiceContext, input: MemberDeathInput) {
  const workflowId = memberDeathWorkflowId(input.memberId);
  try {
    return await ctx.temporal.workflow.start<typeof memberDeath>('memberDeath', {
      taskQueue: ctx.taskQueues[memberDeathQueue],
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return ctx.temporal.workflow.getHandle<typeof memberDeath>(workflowId);
  }
}

