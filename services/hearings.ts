/**
 * Hearings, expulsion decisions and appeals as the desk and the API see them: the member's cases,
 * an explanation or an appeal recorded for the member (e-services acting for its logged-in member,
 * or a caseworker), SAMU's ruling, and the case documents read back from case management.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as hearingsRepo from '../db/repositories/hearings';
import * as membersRepo from '../db/repositories/members';
import { isLateAppeal, runningHearingStatuses, type CaseChannel } from '../domain/expulsion';
import { isAcceptableReceivedOn } from '../domain/membership/receipt';
import { collectionHearingWorkflowId, collectionHoldChangedSignal, paymentBookedSignal } from '../workflows/definitions/collectionHearing';
import { expulsionAppealQueue, expulsionAppealWorkflowId, expulsionAppealWorkflowType, samuRulingUpdate } from '../workflows/definitions/expulsionAppeal';
import type { expulsionAppeal } from '../workflows/expulsionAppeal';
import type { ServiceContext } from './context';
import { failure, forbidden, notFound, ServiceError } from './errors';
import { requireClientMayActOn } from './membershipEvents';
import { actorOf, hasRole, hasScope, type Principal } from './principal';
import { asConflictOnRefusal } from './temporalErrors';
import { START_WAIT_MS, startWithin } from './backgroundStarts';

/** Desk roles that read a member's hearings (every read audited). */
const readers = ['caseworker', 'supervisor', 'billing', 'admin'] as const;

function requireCaseWriter(p: Principal): void {
  if (p.kind === 'client' && hasScope(p, 'members:write')) return;
  if (hasRole(p, 'caseworker', 'supervisor')) return;
  throw forbidden('You may not record for a member (caseworker role or scope members:write needed).');
}

function channelOf(p: Principal): CaseChannel {
  if (p.kind === 'client') return p.channel === 'case-management' ? 'case-management' : 'e-services';
  return 'desk';
}

async function requireMember(ctx: ServiceContext, memberId: string) {
  const member = await membersRepo.findMember(ctx.db, memberId);
  if (!member) throw notFound(`Member ${memberId}`);
  return member;
}

function receivedOnFor(ctx: ServiceContext, p: Principal, stated: string | undefined): string {
  const today = ctx.today();
  if (stated === undefined) return today;
  if (!hasRole(p, 'caseworker', 'supervisor')) {
    throw new ServiceError(400, 'Invalid request', 'receivedOn: only a caseworker may state when it was received', { invalidParams: [{ name: 'receivedOn', reason: 'only a caseworker may state it' }] });
  }
  if (!isAcceptableReceivedOn(stated, today)) {
    throw new ServiceError(400, 'Invalid request', `receivedOn: ${stated} must be today or within the past year`, { invalidParams: [{ name: 'receivedOn', reason: 'must be today or within the past year' }] });
  }
  return stated;
}

function appealView(a: hearingsRepo.AppealRow) {
  return {
    id: a.id,
    decisionId: a.decisionId,
    text: a.text,
    receivedOn: a.receivedOn,
    late: a.late,
    channel: a.channel,
    status: a.status,
    resolution: a.resolution,
    resolutionDocumentId: a.resolutionDocumentId,
    samuRuledOn: a.samuRuledOn,
    workflowId: a.workflowId,
  };
}

/** The member's hearings, newest first, each with its explanations, decision and appeal. Audited as `member.hearings-read`. */
export async function getMemberHearings(ctx: ServiceContext, p: Principal, memberId: string) {
  if (!hasRole(p, ...readers)) throw forbidden('Hearings are for desk users.');
  await requireMember(ctx, memberId);
  const hearings = await hearingsRepo.hearingsOfMember(ctx.db, memberId);
  const ids = hearings.map((h) => h.id);
  const [explanations, decisions] = await Promise.all([hearingsRepo.explanationsOf(ctx.db, ids), hearingsRepo.decisionsOf(ctx.db, ids)]);
  const appeals = await hearingsRepo.appealsOf(
    ctx.db,
    decisions.map((d) => d.id),
  );
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.hearings-read', entityType: 'member', entityId: memberId, details: { hearings: hearings.length } });
  return {
    memberId,
    items: hearings.map((h) => {
      const decision = decisions.find((d) => d.hearingId === h.id);
      const appeal = decision ? appeals.find((a) => a.decisionId === decision.id) : undefined;
      return {
        id: h.id,
        status: h.status,
        startedOn: h.startedOn,
        deadline: h.deadline,
        overdueCents: h.overdueCents,
        invoiceIds: h.invoiceIds,
        letterDocumentId: h.letterDocumentId,
        outcomeReason: h.outcomeReason,
        awaitingConfirmation: h.status === 'awaiting-decision' && h.proposedBy !== null,
        workflowId: h.workflowId,
        explanations: explanations.filter((e) => e.hearingId === h.id).map((e) => ({ id: e.id, text: e.text, receivedOn: e.receivedOn, channel: e.channel })),
        decision: decision
          ? {
              id: decision.id,
              reason: decision.reason,
              effectiveDate: decision.effectiveDate,
              mailedOn: decision.mailedOn,
              notifiedOn: decision.notifiedOn,
              appealDeadline: decision.appealDeadline,
              documentId: decision.documentId,
              reinstatedOn: decision.reinstatedOn,
            }
          : null,
        appeal: appeal ? appealView(appeal) : null,
      };
    }),
  };
}

export interface CaseTextInput {
  text: string;
  receivedOn?: string;
  /** E-services: the identity code of the member logged in to them. */
  subjectIdentityCode?: string;
}

/** The member's explanation in a running hearing; it goes with the case (and into the decision letter). */
export async function recordExplanation(ctx: ServiceContext, p: Principal, memberId: string, hearingId: string, input: CaseTextInput) {
  requireCaseWriter(p);
  const member = await requireMember(ctx, memberId);
  await requireClientMayActOn(ctx, p, member, input.subjectIdentityCode);
  const hearing = await hearingsRepo.findHearing(ctx.db, hearingId);
  if (!hearing || hearing.memberId !== memberId) throw notFound(`Hearing ${hearingId}`);
  if (!runningHearingStatuses.includes(hearing.status)) {
    throw failure(409, 'hearing_closed', `The hearing has ended (${hearing.status}); an explanation no longer goes with it. Record an appeal against a decision instead.`, { params: { status: hearing.status } });
  }
  const receivedOn = receivedOnFor(ctx, p, input.receivedOn);
  const row = await ctx.db.transaction(async (tx) => {
    const inserted = await hearingsRepo.insertExplanation(tx, { hearingId, text: input.text.trim(), receivedOn, channel: channelOf(p), recordedBy: actorOf(p).actor });
    await recordAudit(tx, { ...actorOf(p), action: 'hearing.explanation-recorded', entityType: 'member', entityId: memberId, details: { hearingId, explanationId: inserted.id } });
    return inserted;
  });
  return { id: row.id, hearingId, text: row.text, receivedOn: row.receivedOn, channel: row.channel };
}

/**
 * An appeal against an expulsion decision: recorded once per decision (the same decision again
 * answers the first appeal), late ones flagged and never refused, and its reconsideration process
 * (`expulsion-appeal/<decisionId>`) started.
 */
export async function recordAppeal(ctx: ServiceContext, p: Principal, memberId: string, decisionId: string, input: CaseTextInput) {
  requireCaseWriter(p);
  const member = await requireMember(ctx, memberId);
  await requireClientMayActOn(ctx, p, member, input.subjectIdentityCode);
  const decision = await hearingsRepo.findDecision(ctx.db, decisionId);
  if (!decision || decision.memberId !== memberId) throw notFound(`Decision ${decisionId}`);
  if (decision.reinstatedOn) throw failure(409, 'decision_already_corrected', 'The member was already reinstated; there is nothing to appeal.', { params: { reinstatedOn: decision.reinstatedOn } });
  const receivedOn = receivedOnFor(ctx, p, input.receivedOn);
  const workflowId = expulsionAppealWorkflowId(decisionId);
  const { appeal, created } = await ctx.db.transaction(async (tx) => {
    const result = await hearingsRepo.insertAppealOnce(tx, {
      decisionId,
      memberId,
      workflowId,
      text: input.text.trim(),
      receivedOn,
      late: isLateAppeal(receivedOn, decision.appealDeadline),
      channel: channelOf(p),
      recordedBy: actorOf(p).actor,
    });
    if (result.created) {
      await recordAudit(tx, { ...actorOf(p), action: 'appeal.recorded', entityType: 'member', entityId: memberId, details: { decisionId, appealId: result.appeal.id, late: result.appeal.late } });
    }
    return result;
  });
  // The stored appeal is the acceptance: when Temporal is away or slow the answer is 202 at once and
  // the process starts in the background or at reconcile (decision 028), never a 500 after ~20 s.
  // An appeal already decided (corrected, or ruled on by SAMU) needs no process.
  const decided = appeal.status === 'corrected' || appeal.status === 'upheld' || appeal.status === 'overturned';
  const started = decided || (await startWithin(ctx.temporal, ctx.backgroundStarts, workflowId, ctx.startWaitMs ?? START_WAIT_MS, () => ensureAppealStarted(ctx, appeal.id, workflowId), 'appeals'));
  return { created, started, appeal: appealView(appeal) };
}

/** Starts an appeal's process once; an already started one is left as it is. */
export async function ensureAppealStarted(ctx: ServiceContext, appealId: string, workflowId: string): Promise<void> {
  try {
    await ctx.temporal.workflow.start<typeof expulsionAppeal>(expulsionAppealWorkflowType, {
      taskQueue: ctx.taskQueues[expulsionAppealQueue],
      workflowId,
      args: [{ appealId }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** SAMU's ruling on an appeal the fund forwarded; an overturn reinstates the member. */
export async function recordSamuRuling(ctx: ServiceContext, p: Principal, memberId: string, appealId: string, input: { outcome: 'upheld' | 'overturned'; ruledOn: string }) {
  if (p.kind !== 'user' || !hasRole(p, 'caseworker', 'supervisor')) throw forbidden("SAMU's rulings are recorded by caseworkers.");
  const appeal = await hearingsRepo.findAppeal(ctx.db, appealId);
  if (!appeal || appeal.memberId !== memberId) throw notFound(`Appeal ${appealId}`);
  if (appeal.status === 'upheld' || appeal.status === 'overturned') {
    throw failure(409, 'samu_ruling_already_recorded', `SAMU's ruling on this appeal was already recorded (${appeal.status}).`, { params: { status: appeal.status } });
  }
  if (appeal.status !== 'forwarded') {
    throw failure(409, 'appeal_not_forwarded', 'The appeal has not been forwarded to SAMU: the fund reconsiders it first.', { params: { status: appeal.status } });
  }
  const result = await asConflictOnRefusal(
    () => ctx.temporal.workflow.getHandle(appeal.workflowId).executeUpdate(samuRulingUpdate, { args: [{ outcome: input.outcome, ruledOn: input.ruledOn, recordedBy: p.id }] }),
    "SAMU's ruling",
  );
  const after = await hearingsRepo.findAppeal(ctx.db, appealId);
  return { ...appealView(after!), status: result.status };
}

/** A document of the member's case as filed in case management (hearing letter, decision, statement). Audited. */
export async function getCaseDocumentPdf(ctx: ServiceContext, p: Principal, memberId: string, documentId: string) {
  if (!hasRole(p, 'caseworker', 'supervisor')) throw forbidden('Case documents are for caseworkers and supervisors.');
  const document = await ctx.caseDocuments.getDocument(documentId);
  if (!document || document.memberId !== memberId) throw notFound(`Document ${documentId}`);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'case-document.read', entityType: 'member', entityId: memberId, details: { documentId } });
  const bytes = new Uint8Array(document.bytes.length);
  bytes.set(document.bytes);
  return { filename: `${documentId}.pdf`, bytes };
}

/** Tells a member's running hearing that a payment was placed for them by hand; none running is no error. */
export async function notifyHearingOfPayment(ctx: ServiceContext, memberId: string, source: string): Promise<void> {
  try {
    await ctx.temporal.workflow.getHandle(collectionHearingWorkflowId(memberId)).signal(paymentBookedSignal, { source });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** Tells the member's running hearing, if any, that a hold of their collection was set or ended. */
export async function notifyHearingOfHoldChange(ctx: ServiceContext, memberId: string): Promise<void> {
  try {
    await ctx.temporal.workflow.getHandle(collectionHearingWorkflowId(memberId)).signal(collectionHoldChangedSignal);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** Who decided to expel in the running hearing of this process (four eyes), or null. */
export async function proposerOfExpulsion(ctx: ServiceContext, workflowId: string): Promise<string | null> {
  const hearing = await hearingsRepo.runningHearingOfWorkflow(ctx.db, workflowId);
  return hearing?.proposedBy ?? null;
}
