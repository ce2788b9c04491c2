import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import { findPersonByAnyIdentityCode } from '../db/repositories/persons';
import * as resignationsRepo from '../db/repositories/resignations';
import { compareDates } from '../domain/dates';
import { parseDuration } from '../domain/fundProfile';
import { fundSwitchEnd, transferEligible } from '../domain/membership/fundSwitch';
import { isAcceptableReceivedOn } from '../domain/membership/receipt';
import { resignationEndDate } from '../domain/membership/resignation';
import { memberDeathQueue, memberDeathWorkflowId, type MemberDeathInput } from '../workflows/definitions/memberDeath';
import { membershipEndQueue, resignationWorkflowId, withdrawResignationUpdate } from '../workflows/definitions/membershipEnd';
import type { memberDeath } from '../workflows/memberDeath';
import type { membershipEnd } from '../workflows/membershipEnd';
import type { ServiceContext } from './context';
import { failure, notFound } from './errors';
import { actorOf, hasRole, hasScope, type Principal } from './principal';
import { asConflictOnRefusal } from './temporalErrors';

const invalid = (name: string, reason: string, code: string, params: Record<string, string | number> = {}) => failure(400, code, `${name}: ${reason}`, { params, invalidParams: [{ name, reason }] });

function requireMemberWriter(p: Principal) {
  if (p.kind === 'public') return;
  if (p.kind === 'client' && hasScope(p, 'members:write')) return;
  if (hasRole(p, 'caseworker', 'supervisor')) return;
  throw failure(403, 'membership_change_role_required', 'You may not change memberships (caseworker role or scope members:write needed).');
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
      submittedBy: actor.actor === 'public' ? `public:${memberId}` : actor.actor,
      channel: p.kind === 'client' ? p.channel : p.kind === 'public' ? 'resignation-form' : 'desk',
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
export async function ensureResignationStarted(ctx: ServiceContext, row: { id: string; workflowId: string }): Promise<void> {
  try {
    await ctx.temporal.workflow.start<typeof membershipEnd>('membershipEnd', {
      taskQueue: ctx.taskQueues[membershipEndQueue],
      workflowId: row.workflowId,
      args: [{ resignationId: row.id, withdrawalWindowMs: parseDuration(ctx.profile.membership.resignationWithdrawalWindow) }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
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
  };
}

export async function withdrawResignation(ctx: ServiceContext, p: Principal, memberId: string, resignationId: string) {
  requireMemberWriter(p);
  const r = await resignationsRepo.findResignationOfMember(ctx.db, resignationId, memberId);
  if (!r) throw notFound(`Resignation ${resignationId}`, 'resignation_not_found');
  if (r.status !== 'pending') throw failure(409, 'resignation_not_withdrawable', `This resignation can no longer be withdrawn (status: ${r.status}).`, { params: { status: r.status } });
  await asConflictOnRefusal(() => ctx.temporal.workflow.getHandle(r.workflowId).executeUpdate(withdrawResignationUpdate, { args: [{ by: actorOf(p).actor }] }), 'The withdrawal');
  const after = await resignationsRepo.findResignation(ctx.db, resignationId);
  return resignationView(after!);
}

/** The public resignation form: the member is identified by identity code and surname. */
export async function submitPublicResignation(ctx: ServiceContext, input: ResignationInput & { identityCode: string; lastName: string }) {
  const person = await findPersonByAnyIdentityCode(ctx.db, input.identityCode);
  const memberId = person && person.lastName.toLowerCase() === input.lastName.trim().toLowerCase() ? await membersRepo.findMemberIdOfPerson(ctx.db, person.id) : undefined;
  if (!memberId) {
    throw failure(422, 'resignation_not_matched', 'We could not match these details to a membership. Check the identity code and surname, or contact the fund.', { title: 'Not matched' });
  }
  const { resignation } = await submitResignation(ctx, { kind: 'public' }, memberId, 'resignation', {
    idempotencyKey: input.idempotencyKey,
    ...(input.requestedEndDate ? { requestedEndDate: input.requestedEndDate } : {}),
  });
  return { status: 'received' as const, endDate: resignation.endDate, feeOwedUntil: resignation.feeOwedUntil };
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

