/**
 * Fee exemptions of a member (decisions 031 and 038): a union's, as its batches reported them, and
 * the fund's own, granted at the desk to a direct member with a reason and ended early with one.
 * The billing run reads both alike (db/repositories/billing.ts): a month whose membership days are
 * all exempt is not billed. Every grant and end is audited; reading them is a read of the member.
 */
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/feeExemptions';
import { lockMember } from '../db/repositories/ledger';
import * as membersRepo from '../db/repositories/members';
import { compareDates } from '../domain/dates';
import type { ServiceContext } from './context';
import { failure, forbidden, notFound } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

export interface FeeExemptionView {
  id: string;
  source: 'union' | 'fund';
  unionCode: string | null;
  startDate: string;
  endDate: string | null;
  reason: string | null;
  grantedBy: string | null;
  grantedAt: string;
  endReason: string | null;
  endedBy: string | null;
}

const view = (r: repo.FeeExemptionRow): FeeExemptionView => ({
  id: r.id,
  source: r.source,
  unionCode: r.unionCode,
  startDate: r.startDate,
  endDate: r.endDate,
  reason: r.reason,
  grantedBy: r.grantedBy,
  grantedAt: r.createdAt.toISOString(),
  endReason: r.endReason,
  endedBy: r.endedBy,
});

function requireRole(p: Principal, write: boolean) {
  if (write ? !hasRole(p, 'caseworker', 'supervisor', 'billing') : !hasRole(p, 'caseworker', 'supervisor', 'billing', 'admin')) {
    throw forbidden(write ? 'Only caseworkers, supervisors and billing users grant or end fee exemptions.' : 'Only caseworkers, supervisors, billing users and administrators read fee exemptions.');
  }
}

/** A member's exemptions, oldest first; audited as a read of the member. */
export async function memberExemptions(ctx: ServiceContext, p: Principal, memberId: string): Promise<{ items: FeeExemptionView[] }> {
  requireRole(p, false);
  if (!(await membersRepo.findMember(ctx.db, memberId))) throw notFound(`Member ${memberId}`, 'member_not_found');
  const rows = await repo.exemptionsOf(ctx.db, memberId);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.read', entityType: 'member', entityId: memberId, details: { view: 'exemptions' } });
  return { items: rows.map(view) };
}

const endBeforeStart = (startDate: string) =>
  failure(400, 'exemption_end_before_start', `The last exempt day may not be before the first (${startDate}).`, {
    params: { startDate },
    invalidParams: [{ name: 'endDate', reason: `must be ${startDate} or later`, code: 'exemption_end_before_start' }],
  });

const overlapping = (dates: { startDate: string; endDate: string | null }) =>
  failure(409, 'exemption_overlaps', `The member already has a fund exemption from ${dates.startDate}${dates.endDate ? ` to ${dates.endDate}` : ''} that shares days with this one; end it first.`, {
    params: { startDate: dates.startDate, endDate: dates.endDate ?? '' },
  });

/**
 * The fund exempts a direct member from `startDate` (to `endDate`, its last exempt day, or open).
 * A union member's exemptions come from the union (409). Never overlapping another of the fund's:
 * the member row is locked, so two desks granting at once give one exemption and one 409.
 */
export async function grantExemption(ctx: ServiceContext, p: Principal, memberId: string, input: { startDate: string; endDate?: string | undefined; reason: string }): Promise<FeeExemptionView> {
  requireRole(p, true);
  const endDate = input.endDate ?? null;
  if (endDate !== null && compareDates(input.startDate, endDate) > 0) throw endBeforeStart(input.startDate);
  const actor = actorOf(p);
  return ctx.db.transaction(async (tx) => {
    if (!(await lockMember(tx, memberId))) throw notFound(`Member ${memberId}`, 'member_not_found');
    const member = (await membersRepo.findMember(tx, memberId))!;
    if (member.unionCode) {
      throw failure(409, 'exemption_union_member', `The member belongs to union ${member.unionCode}: the union grants and reports their exemptions.`, { params: { unionCode: member.unionCode } });
    }
    const clash = (await repo.overlappingFundExemptions(tx, memberId, input.startDate, endDate))[0];
    if (clash) throw overlapping(clash);
    const row = await repo.insertFundExemption(tx, { memberId, startDate: input.startDate, endDate, reason: input.reason, grantedBy: actor.actor });
    await recordAudit(tx, { ...actor, action: 'member.exemption-granted', entityType: 'member', entityId: memberId, details: { exemptionId: row.id, startDate: row.startDate, endDate: row.endDate } });
    return view(row);
  });
}

/** Ends the fund's exemption on `endDate` (its last exempt day), with a reason; a union's is the union's to end. */
export async function endExemption(ctx: ServiceContext, p: Principal, memberId: string, exemptionId: string, input: { endDate: string; reason: string }): Promise<FeeExemptionView> {
  requireRole(p, true);
  const actor = actorOf(p);
  return ctx.db.transaction(async (tx) => {
    if (!(await lockMember(tx, memberId))) throw notFound(`Member ${memberId}`, 'member_not_found');
    const row = await repo.findExemption(tx, memberId, exemptionId);
    if (!row) throw notFound(`Exemption ${exemptionId}`, 'exemption_not_found');
    if (row.source !== 'fund') throw failure(409, 'exemption_from_union', `This exemption was reported by union ${row.unionCode}; the union ends it.`, { params: { unionCode: row.unionCode ?? '' } });
    if (row.endDate !== null && row.endReason !== null) throw failure(409, 'exemption_already_ended', `This exemption was already ended on ${row.endDate}.`, { params: { endDate: row.endDate } });
    if (compareDates(row.startDate, input.endDate) > 0) throw endBeforeStart(row.startDate);
    if (row.endDate !== null && compareDates(input.endDate, row.endDate) > 0) {
      throw failure(400, 'exemption_end_after_granted', `An exemption granted until ${row.endDate} can only be ended earlier; grant a new one for later days.`, { params: { endDate: row.endDate }, invalidParams: [{ name: 'endDate', reason: `must be ${row.endDate} or earlier`, code: 'exemption_end_after_granted' }] });
    }
    const ended = await repo.endFundExemption(tx, row.id, { endDate: input.endDate, endReason: input.reason, endedBy: actor.actor });
    await recordAudit(tx, { ...actor, action: 'member.exemption-ended', entityType: 'member', entityId: memberId, details: { exemptionId: row.id, startDate: row.startDate, endDate: input.endDate } });
    return view(ended);
  });
}
