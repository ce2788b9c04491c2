/**
 * Reading the union batches received (issue 13): the list with counts per outcome and status, and
 * one batch's lines with what each became and why. Desk users who work union events (caseworkers,
 * supervisors, billing users, administrators) read every union's batches; a union's system reads
 * only its own (another union's batch is a 404, as a batch it cannot see). The members a batch's
 * lines name are reads of those members (audited); identity codes come masked unless the role
 * needs them.
 */
import { recordAudit, recordAudits } from '../db/repositories/audit';
import * as unionsRepo from '../db/repositories/unions';
import {
  outcomeCounts,
  outcomeGroup,
  outcomeReason,
  UNION_BATCH_STALL_MS,
  unionBatchStatus,
  unproblematicOutcomes,
  type UnionBatchStatus,
  type UnionOutcomeCounts,
  type UnionOutcomeGroup,
} from '../domain/unions/batchProgress';
import type { UnionEventKind } from '../domain/unions/exchange';
import type { ServiceContext } from './context';
import { dateRangeReversed, failure, notFound } from './errors';
import { actorOf, hasRole, hasScope, maskIdentityCode, seesFullIdentityCode, type Principal } from './principal';
import { compareDates } from '../domain/dates';

export interface UnionBatchSummaryView {
  id: string;
  unionCode: string;
  batchId: string;
  format: string;
  receivedAt: string;
  receivedBy: string;
  events: number;
  processed: number;
  status: UnionBatchStatus;
  counts: UnionOutcomeCounts;
  lastActivityAt: string;
}

export interface UnionBatchLineDetail {
  line: number;
  kind: UnionEventKind;
  outcome: string;
  group: UnionOutcomeGroup;
  /** The mismatch's reason or the refusal's code. */
  reason: string | null;
  ref: string | null;
  memberId: string | null;
  memberNumber: number | null;
  processedAt: string;
  remittance: { period: string; amountCents: number } | null;
  mismatch: { id: string; identityCode: string; period: string; amountCents: number; expectedCents: number | null; status: string; taskId: string | null; taskStatus: string | null } | null;
}

export interface UnionBatchDetailView extends UnionBatchSummaryView {
  /** Lines per outcome as stored, for the reasons behind the counts. */
  outcomes: Record<string, number>;
  lines: UnionBatchLineDetail[];
  /** Lines matching the filter (all pages). */
  linesTotal: number;
}

/** Who reads batches, and which union's: null for every union. */
function readerOf(p: Principal): { unionCode: string | null } {
  if (p.kind === 'client') {
    if (!hasScope(p, 'union-batches:write')) throw failure(403, 'union_batches_scope_missing', 'This client may not send or read union batches (scope union-batches:write is missing).');
    if (p.channel !== 'union') throw failure(403, 'client_not_a_union', `The client ${p.id} is not a union's system (channel ${p.channel}).`);
    if (!p.unionCode) throw failure(403, 'union_code_missing', "This union client's token carries no union_code claim; ask the fund to configure the client's union.");
    return { unionCode: p.unionCode };
  }
  if (!hasRole(p, 'caseworker', 'supervisor', 'billing', 'admin')) throw failure(403, 'forbidden', 'Only caseworkers, supervisors, billing users and administrators read union batches.');
  return { unionCode: null };
}

const stalledBefore = () => new Date(Date.now() - UNION_BATCH_STALL_MS);

function summaryView(r: unionsRepo.UnionBatchSummaryRow): UnionBatchSummaryView {
  const now = new Date();
  return {
    id: r.id,
    unionCode: r.unionCode,
    batchId: r.batchKey,
    format: r.format,
    receivedAt: r.createdAt.toISOString(),
    receivedBy: r.receivedBy,
    events: r.eventCount,
    processed: r.processed,
    status: unionBatchStatus({ events: r.eventCount, processed: r.processed, lastActivityAt: r.lastActivityAt }, now),
    counts: outcomeCounts(r.outcomes),
    lastActivityAt: r.lastActivityAt.toISOString(),
  };
}

export interface UnionBatchQuery {
  union?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  status?: UnionBatchStatus | undefined;
  problems?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** The batches received, newest first, with counts per outcome group and status. No member data: nothing to audit per member. */
export async function listUnionBatches(ctx: ServiceContext, p: Principal, q: UnionBatchQuery): Promise<{ items: UnionBatchSummaryView[]; total: number; nextOffset: number | null }> {
  const { unionCode } = readerOf(p);
  if (unionCode && q.union && q.union !== unionCode) throw notFound(`Union ${q.union}`, 'not_found');
  if (q.from && q.to && compareDates(q.from, q.to) > 0) throw dateRangeReversed();
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const { rows, total } = await unionsRepo.listBatches(
    ctx.db,
    { unionCode: unionCode ?? q.union, from: q.from, to: q.to, status: q.status, problems: q.problems },
    { stalledBefore: stalledBefore(), unproblematic: unproblematicOutcomes, limit, offset },
  );
  return { items: rows.map(summaryView), total, nextOffset: offset + rows.length < total ? offset + rows.length : null };
}

/** Narrows a batch's lines to one outcome group, or to the problems (mismatches and refusals). */
function lineFilter(group: UnionOutcomeGroup | 'problems' | undefined): unionsRepo.UnionLineFilter | undefined {
  if (!group) return undefined;
  if (group === 'mismatch') return { mismatches: true };
  if (group === 'refused' || group === 'problems') return { notIn: unproblematicOutcomes, mismatchesToo: group === 'problems' };
  return { outcomes: unproblematicOutcomes.filter((o) => outcomeGroup(o) === group) };
}

/**
 * One batch with its lines (a page of them, in line order), each with its outcome, group, reason,
 * member and what it became. Audited: the read of the batch, and a read of each member its page names.
 */
export async function getUnionBatch(
  ctx: ServiceContext,
  p: Principal,
  id: string,
  q: { group?: UnionOutcomeGroup | 'problems' | undefined; limit?: number | undefined; offset?: number | undefined } = {},
): Promise<UnionBatchDetailView> {
  const { unionCode } = readerOf(p);
  const row = await unionsRepo.batchSummary(ctx.db, id, stalledBefore());
  // Another union's batch is answered as one that does not exist.
  if (!row || (unionCode && row.unionCode !== unionCode)) throw notFound('The union batch', 'union_batch_not_found');
  const limit = q.limit ?? 500;
  const offset = q.offset ?? 0;
  const { rows, total } = await unionsRepo.batchLines(ctx.db, id, { filter: lineFilter(q.group), limit, offset });
  const full = seesFullIdentityCode(p);
  const lines: UnionBatchLineDetail[] = rows.map((l) => ({
    line: l.lineNo,
    kind: l.kind,
    outcome: l.outcome,
    group: outcomeGroup(l.outcome),
    reason: outcomeReason(l.outcome),
    ref: l.ref,
    memberId: l.memberId,
    memberNumber: l.memberNumber,
    processedAt: l.updatedAt.toISOString(),
    remittance: l.remittance,
    mismatch: l.mismatch
      ? {
          id: l.mismatch.id,
          identityCode: full ? l.mismatch.identityCode : maskIdentityCode(l.mismatch.identityCode),
          period: l.mismatch.period,
          amountCents: l.mismatch.amountCents,
          expectedCents: l.mismatch.expectedCents,
          status: l.mismatch.status,
          taskId: l.mismatch.taskId,
          taskStatus: l.mismatch.taskStatus,
        }
      : null,
  }));
  const actor = actorOf(p);
  const memberIds = [...new Set(lines.flatMap((l) => (l.memberId ? [l.memberId] : [])))];
  await ctx.db.transaction(async (tx) => {
    await recordAudits(tx, memberIds.map((memberId) => ({ ...actor, action: 'member.read' as const, entityType: 'member', entityId: memberId, details: { view: 'union-batch', batchId: id } })));
    await recordAudit(tx, { ...actor, action: 'union.batch-read', entityType: 'union-batch', entityId: id, details: { unionCode: row.unionCode, lines: lines.length, members: memberIds.length, ...(q.group ? { group: q.group } : {}) } });
  });
  return { ...summaryView(row), outcomes: row.outcomes, lines, linesTotal: total };
}
