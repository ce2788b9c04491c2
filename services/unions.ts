/**
 * The union ↔ fund exchange (docs/decisions/019-union-exchange.md, domain.md §7). A union sends a
 * batch (a file in its agreed layout, or an API call) of events; each becomes the same process as
 * a direct one: a join is an application through the intake process, a leave a resignation through
 * the resignation process; remittances are booked once per union, member and month with
 * `collected_by = union`; mismatches become billing users' tasks. The fund answers with the
 * union's member list (status, paid-through dates, differences against what the union reported).
 * A union acts on and sees only its own members: another union's member is answered as a non-member.
 */
import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as unionsRepo from '../db/repositories/unions';
import { feeRuleForYear } from '../domain/billing/fees';
import { monthlyFundShareCents, remittanceMismatch, unionMemberList as unionMemberListOf, type UnionBatch, type UnionEvent, type UnionMemberList } from '../domain/unions/exchange';
import { TransformError } from '../integrations/transforms/errors';
import { parseUnionBatch, unionBatchFormatOf, unionMemberListFile } from '../integrations/transforms/unionBatch';
import { unionRemittanceMismatchQueue, unionRemittanceMismatchWorkflowId, unionRemittanceMismatchWorkflowType, type UnionRemittanceMismatchInput } from '../workflows/definitions/unionRemittanceMismatch';
import { submitApplication } from './applications';
import { memberIdOfIdentityCode } from './clientAccess';
import type { ServiceContext } from './context';
import { failure, notFound, ServiceError } from './errors';
import { submitResignation } from './membershipEvents';
import { actorOf, hasRole, hasScope, type Principal } from './principal';

/** The most events in one batch (a union splits a bigger month). */
export const UNION_BATCH_MAX_EVENTS = 10_000;

export interface UnionLineView {
  line: number;
  kind: UnionEvent['kind'];
  /** What the event became: see docs/union-batch-format.md. */
  outcome: string;
  /** The application, resignation, remittance or mismatch it became. */
  ref: string | null;
}

export interface UnionBatchView {
  id: string;
  unionCode: string;
  batchId: string;
  format: string;
  events: number;
  lines: UnionLineView[];
}

/** A union client with its union, and the scope to send batches; desk users send none. */
function unionSender(p: Principal): { unionCode: string } {
  if (p.kind !== 'client' || !hasScope(p, 'union-batches:write')) throw failure(403, 'union_batches_scope_missing', 'This client may not send union batches (scope union-batches:write is missing).');
  if (p.channel !== 'union') throw failure(403, 'client_not_a_union', `The client ${p.id} is not a union's system (channel ${p.channel}).`);
  if (!p.unionCode) throw failure(403, 'union_code_missing', "This union client's token carries no union_code claim; ask the fund to configure the client's union.");
  return { unionCode: p.unionCode };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A union's batch file in the layout agreed with that union: parsed first (a bad line is a 400 naming it), then processed. */
export async function receiveUnionBatchFile(ctx: ServiceContext, p: Principal, text: string): Promise<{ created: boolean; batch: UnionBatchView }> {
  const { unionCode } = unionSender(p);
  const format = unionBatchFormatOf(unionCode);
  let batch: UnionBatch;
  try {
    batch = parseUnionBatch(text, format);
  } catch (error) {
    if (!(error instanceof TransformError)) throw error;
    throw failure(400, 'union_batch_unreadable', `The batch file could not be read: ${error.message}`, { params: { line: error.line ?? 0, detail: error.detail }, extra: { line: error.line, element: error.element } });
  }
  if (batch.unionCode !== unionCode) throw failure(403, 'union_batch_other_union', `The file names union ${batch.unionCode}; this client sends for union ${unionCode} only.`, { params: { unionCode } });
  return processBatch(ctx, p, unionCode, batch, format, sha256(text));
}

/** The same events as an API call (JSON): a batch of its own, named by the union's batch id. */
export async function receiveUnionEvents(ctx: ServiceContext, p: Principal, input: { batchId: string; events: Omit<UnionEvent, 'line'>[] }): Promise<{ created: boolean; batch: UnionBatchView }> {
  const { unionCode } = unionSender(p);
  const events = input.events.map((e, i) => ({ ...e, line: i + 1 }) as UnionEvent);
  return processBatch(ctx, p, unionCode, { unionCode, batchId: input.batchId, events }, 'api', sha256(JSON.stringify(input.events)));
}

/**
 * One event as an API call. Unlike a batch line, an event about a member the union may not see
 * (another union's member, or no member) is answered 404, as the read API answers it.
 */
export async function receiveUnionEvent(ctx: ServiceContext, p: Principal, input: { idempotencyKey: string; event: Omit<UnionEvent, 'line'> }): Promise<{ created: boolean; line: UnionLineView }> {
  const { unionCode } = unionSender(p);
  const event = { ...input.event, line: 1 } as UnionEvent;
  if (event.kind !== 'join' && event.kind !== 'remittance' && !(await visibleMember(ctx, unionCode, event.identityCode))) throw notFound('The member', 'not_found');
  const { created, batch } = await processBatch(ctx, p, unionCode, { unionCode, batchId: `api-${input.idempotencyKey}`, events: [event] }, 'api', sha256(JSON.stringify(input.event)));
  const line = batch.lines[0]!;
  if (line.outcome === 'not_found') throw notFound('The member', 'not_found');
  return { created, line };
}

async function processBatch(ctx: ServiceContext, p: Principal, unionCode: string, batch: UnionBatch, format: string, digest: string): Promise<{ created: boolean; batch: UnionBatchView }> {
  if (batch.events.length > UNION_BATCH_MAX_EVENTS) throw failure(400, 'union_batch_too_large', `A batch holds at most ${UNION_BATCH_MAX_EVENTS} events; split it.`, { params: { max: UNION_BATCH_MAX_EVENTS } });
  const actor = actorOf(p);
  const { row, created } = await ctx.db.transaction(async (tx) => {
    const stored = await unionsRepo.insertBatchOnce(tx, { unionCode, batchKey: batch.batchId, sha256: digest, format, receivedBy: actor.actor, eventCount: batch.events.length });
    if (stored.created) await recordAudit(tx, { ...actor, action: 'union.batch-received', entityType: 'union-batch', entityId: stored.row.id, details: { unionCode, batchId: batch.batchId, format, events: batch.events.length } });
    return stored;
  });
  if (row.sha256 !== digest) throw failure(409, 'union_batch_id_reused', `Batch ${batch.batchId} was already received with other content; send a new batch id for new events.`, { params: { batchId: batch.batchId } });
  // Every event is idempotent on its own (application and resignation keys, one remittance per
  // month, one mismatch per line), so a re-sent batch (or one resumed after a crash) repeats nothing.
  // A line already stored was processed: a re-sent batch answers it as it was.
  const done = new Map(created ? [] : (await unionsRepo.linesOfBatch(ctx.db, row.id)).map((l) => [l.lineNo, l]));
  const lines: UnionLineView[] = [];
  for (const event of batch.events) {
    const stored = done.get(event.line);
    if (stored) {
      lines.push({ line: event.line, kind: event.kind, outcome: stored.outcome, ref: stored.ref });
      continue;
    }
    const { outcome, ref, memberId } = await processEvent(ctx, p, unionCode, row.id, event);
    await unionsRepo.saveLine(ctx.db, { batchId: row.id, lineNo: event.line, kind: event.kind, memberId, outcome, ref });
    lines.push({ line: event.line, kind: event.kind, outcome, ref });
  }
  await unionsRepo.summariseBatches(ctx.db, row.id);
  return { created, batch: { id: row.id, unionCode, batchId: batch.batchId, format, events: batch.events.length, lines } };
}

/** The member of this union with that identity code, or null (no member, or another union's). */
async function visibleMember(ctx: ServiceContext, unionCode: string, identityCode: string): Promise<string | null> {
  const memberId = await memberIdOfIdentityCode(ctx, identityCode);
  if (!memberId) return null;
  const member = await membersRepo.findMember(ctx.db, memberId);
  return member?.unionCode === unionCode ? memberId : null;
}

const keyOf = (...parts: string[]) => `union-${sha256(parts.join('|')).slice(0, 48)}`;

type EventOutcome = { outcome: string; ref: string | null; memberId: string | null };

async function processEvent(ctx: ServiceContext, p: Principal, unionCode: string, batchRowId: string, event: UnionEvent): Promise<EventOutcome> {
  try {
    return await applyEvent(ctx, p, unionCode, batchRowId, event);
  } catch (error) {
    // A refusal of the process the event became (a receipt date over a year back, a membership
    // already ended) is the line's outcome; anything else is a fault and fails the call.
    if (error instanceof ServiceError && error.status < 500) return { outcome: error.code, ref: null, memberId: null };
    throw error;
  }
}

async function applyEvent(ctx: ServiceContext, p: Principal, unionCode: string, batchRowId: string, event: UnionEvent): Promise<EventOutcome> {
  const actor = actorOf(p);
  if (event.kind === 'join') {
    const { application } = await submitApplication(ctx, p, {
      idempotencyKey: keyOf('join', unionCode, event.identityCode, event.receivedOn),
      receivedOn: event.receivedOn,
      data: {
        identityCode: event.identityCode,
        firstNames: event.firstNames,
        lastName: event.lastName,
        language: event.language,
        ...(event.email ? { email: event.email } : {}),
        employment: { status: 'employed', ...(event.employer ? { employer: event.employer } : {}) },
        unionCode,
      },
    });
    return { outcome: 'application-started', ref: application.id, memberId: application.memberId };
  }
  const memberId = await visibleMember(ctx, unionCode, event.identityCode);
  if (event.kind === 'remittance') return remittance(ctx, p, unionCode, batchRowId, event, memberId);
  if (!memberId) return { outcome: 'not_found', ref: null, memberId: null };
  switch (event.kind) {
    case 'leave': {
      const { resignation } = await submitResignation(ctx, p, memberId, 'resignation', {
        idempotencyKey: keyOf('leave', unionCode, memberId, event.receivedOn),
        receivedOn: event.receivedOn,
        ...(event.requestedEndDate ? { requestedEndDate: event.requestedEndDate } : {}),
      });
      return { outcome: 'resignation-started', ref: resignation.id, memberId };
    }
    case 'exemption-start':
    case 'exemption-end':
    case 'paid-through': {
      const patch = event.kind === 'paid-through' ? { paidThrough: event.paidThrough } : event.kind === 'exemption-start' ? { exemptFrom: event.date } : { exemptUntil: event.date };
      await ctx.db.transaction(async (tx) => {
        await unionsRepo.saveReportedState(tx, unionCode, memberId, patch);
        // The exemption as a period the billing run reads (decision 031); the reported state keeps the last one for the member list.
        if (event.kind === 'exemption-start') await unionsRepo.openExemption(tx, unionCode, memberId, event.date);
        if (event.kind === 'exemption-end') await unionsRepo.endExemption(tx, unionCode, memberId, event.date);
        await recordAudit(tx, { ...actor, action: 'member.union-reported', entityType: 'member', entityId: memberId, details: { unionCode, event: event.kind, ...patch } });
      });
      return { outcome: 'recorded', ref: null, memberId };
    }
  }
}

function expectedShare(ctx: ServiceContext, period: string): number | null {
  try {
    return monthlyFundShareCents(feeRuleForYear(ctx.profile, Number(period.slice(0, 4))));
  } catch {
    return null;
  }
}

async function remittance(ctx: ServiceContext, p: Principal, unionCode: string, batchRowId: string, event: Extract<UnionEvent, { kind: 'remittance' }>, memberId: string | null): Promise<EventOutcome> {
  const expected = memberId ? expectedShare(ctx, event.period) : null;
  const mismatch = memberId ? remittanceMismatch(event.amountCents, expected) : 'unknown_member';
  if (mismatch === null && memberId) {
    const actor = actorOf(p);
    const booked = await unionsRepo.bookRemittance(ctx.db, {
      unionCode,
      memberId,
      period: event.period,
      amountCents: event.amountCents,
      batchId: batchRowId,
      lineNo: event.line,
      bookedBy: actor.actor,
      bookedByKind: 'client',
      on: ctx.today(),
    });
    if (booked) return { outcome: 'booked', ref: booked, memberId };
    return { outcome: 'already-booked', ref: (await unionsRepo.remittanceOf(ctx.db, unionCode, memberId, event.period))?.id ?? null, memberId };
  }
  const id = randomUUID();
  const row = await unionsRepo.insertMismatchOnce(ctx.db, {
    id,
    batchId: batchRowId,
    lineNo: event.line,
    unionCode,
    identityCode: event.identityCode,
    memberId,
    period: event.period,
    amountCents: event.amountCents,
    expectedCents: expected,
    reason: mismatch ?? 'unknown_member',
    workflowId: unionRemittanceMismatchWorkflowId(id),
  });
  await ensureUnionMismatchStarted(ctx, row.id, row.workflowId);
  // An unknown member is told as such: the union sent the identity code, it learns nothing new.
  return { outcome: `mismatch:${row.reason}`, ref: row.id, memberId };
}

/** Starts the mismatch's task process unless it runs or ran (deterministic id); the reconcile process starts one a crash left unstarted. */
export async function ensureUnionMismatchStarted(ctx: ServiceContext, mismatchId: string, workflowId: string): Promise<void> {
  const input: UnionRemittanceMismatchInput = { mismatchId };
  try {
    await ctx.temporal.workflow.start(unionRemittanceMismatchWorkflowType, { taskQueue: ctx.taskQueues[unionRemittanceMismatchQueue], workflowId, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

// ── fund → union ─────────────────────────────────────────────────────────────────────────────

export type UnionMemberListView = UnionMemberList;

/**
 * The union's members with status and paid-through dates, and what differs from what the union
 * reported. A union client reads only its own union (another code is a 404, as a union it cannot
 * see); caseworkers and billing users any. Every member listed is a read of that member (audited).
 */
export async function unionMemberList(ctx: ServiceContext, p: Principal, unionCode: string): Promise<UnionMemberListView> {
  if (p.kind === 'client') {
    if (!hasScope(p, 'union-members:read')) throw failure(403, 'union_members_scope_missing', 'This client may not read union member lists (scope union-members:read is missing).');
    if (p.channel !== 'union') throw failure(403, 'client_not_a_union', `The client ${p.id} is not a union's system (channel ${p.channel}).`);
    if (!p.unionCode) throw failure(403, 'union_code_missing', "This union client's token carries no union_code claim; ask the fund to configure the client's union.");
    if (p.unionCode !== unionCode) throw notFound(`Union ${unionCode}`, 'not_found');
  } else if (!hasRole(p, 'caseworker', 'supervisor', 'billing')) {
    throw failure(403, 'forbidden', 'Only caseworkers and billing users read union member lists.');
  }
  const view = await buildMemberList(ctx, unionCode);
  await unionsRepo.auditMemberList(ctx.db, actorOf(p), view, 'api');
  return view;
}

export async function buildMemberList(ctx: ServiceContext, unionCode: string): Promise<UnionMemberListView> {
  return unionMemberListOf(unionCode, ctx.today(), await unionsRepo.membersOfUnion(ctx.db, unionCode));
}

/** The member list as the file sent to the union (transforms/unionBatch.ts). */
export function memberListFile(view: UnionMemberListView): string {
  return unionMemberListFile(view.unionCode, view.asOf, view.members);
}
