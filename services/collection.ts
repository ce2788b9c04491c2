/** Overdue collection behind the API: a member's collection, hold and resume, the overview. */
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/collection';
import * as membersRepo from '../db/repositories/members';
import { checkHoldUntil, collectionState, highestLevel, holdActive, hearingDueOn, levelDueOn, selfServiceHoldReasons, type HoldReason, type SentReminder } from '../domain/collection/rules';
import { levelTakingStatuses, type ReminderWithdrawal } from '../domain/vocabulary';
import type { ServiceContext } from './context';
import { notifyHearingOfHoldChange } from './hearings';
import { requireClientMayActOn } from './membershipEvents';
import { failure, forbidden, notFound } from './errors';
import { actorOf, hasRole, hasScope, type Principal, type Role } from './principal';

const readers = ['caseworker', 'supervisor', 'billing', 'admin'] as const;
const holders = ['caseworker', 'supervisor', 'billing'] as const;

function holdView(h: repo.CollectionHoldRow, today: string) {
  return {
    id: h.id,
    reason: h.reason,
    until: h.until,
    setBy: h.setBy,
    setAt: h.setAt.toISOString(),
    resumedAt: h.resumedAt ? h.resumedAt.toISOString() : null,
    resumedBy: h.resumedBy,
    active: holdActive(h, today),
  };
}

/**
 * The member, once the caller may act on them: a desk user by role; an e-service by scope
 * (own-data:read to read, own-data:write to hold or resume) and only for its logged-in member,
 * named in `subjectIdentityCode` (the Subject-Identity-Code header).
 */
async function requireMember(ctx: ServiceContext, p: Principal, memberId: string, access: { roles: readonly Role[]; scope: string; subjectIdentityCode: string | undefined }) {
  if (p.kind === 'client' ? !hasScope(p, access.scope) : !hasRole(p, ...access.roles)) {
    throw forbidden(p.kind === 'client' ? `Collection needs the scope ${access.scope} (e-services, for their logged-in member).` : 'Your role may not do this with collection.');
  }
  const member = await membersRepo.findMember(ctx.db, memberId);
  if (!member) throw notFound(`Member ${memberId}`);
  await requireClientMayActOn(ctx, p, member, access.subjectIdentityCode);
}

/** Why a withdrawn reminder was not sent (its row keeps the reason code). */
function withdrawal(reason: string | null): ReminderWithdrawal | null {
  return reason === 'paid' || reason === 'on-hold' ? reason : null;
}

/** A member's collection: what is overdue, the level each invoice has reached and when its next step falls, holds, reminders and the hearing. */
export async function getMemberCollection(ctx: ServiceContext, p: Principal, memberId: string, subjectIdentityCode?: string) {
  await requireMember(ctx, p, memberId, { roles: readers, scope: 'own-data:read', subjectIdentityCode });
  const today = ctx.today();
  const rules = ctx.profile.collection;
  const [overdue, reminders, holds, hearings] = await Promise.all([
    repo.overdueInvoicesOf(ctx.db, memberId, today),
    repo.remindersOfMember(ctx.db, memberId),
    repo.holdsOf(ctx.db, memberId),
    repo.hearingStartsOfMember(ctx.db, memberId),
  ]);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'member.collection-read', entityType: 'member', entityId: memberId });
  const open = holds.find((h) => holdActive(h, today)) ?? null;
  const hearingInvoices = new Set(hearings.map((h) => h.invoiceId));
  const items = overdue.map((i) => {
    const sent: SentReminder[] = reminders.filter((r) => r.invoiceId === i.id && levelTakingStatuses.includes(r.status)).map((r) => ({ level: r.level, sentOn: r.sentOn, newDueDate: r.newDueDate }));
    const level = highestLevel(sent);
    const next = level < rules.levels.length ? levelDueOn(rules, i.dueDate, level + 1, sent) : hearingInvoices.has(i.id) ? null : hearingDueOn(rules, sent);
    return { invoiceId: i.id, invoiceNumber: i.invoiceNumber, dueDate: i.dueDate, openCents: i.openCents, level, nextStepOn: next };
  });
  const level = items.reduce((m, i) => Math.max(m, i.level), 0);
  const state = collectionState({ overdueLevels: items.map((i) => i.level), inHearing: overdue.some((i) => hearingInvoices.has(i.id)), onHold: open !== null });
  const hearing = hearings.length > 0 ? { workflowId: hearings[0]!.workflowId, startedOn: hearings.map((h) => h.startedOn).sort().at(-1)! } : null;
  return {
    memberId,
    state,
    level,
    levels: rules.levels.length,
    overdue: items,
    overdueCents: items.reduce((s, i) => s + i.openCents, 0),
    hold: open ? holdView(open, today) : null,
    holds: holds.map((h) => holdView(h, today)),
    reminders: reminders.map((r) => ({ invoiceId: r.invoiceId, level: r.level, sentOn: r.sentOn, newDueDate: r.newDueDate, openCents: r.openCents, feeCents: r.feeCents, channel: r.channel, status: r.status, withdrawnBecause: r.status === 'withdrawn' ? withdrawal(r.failureReason) : null })),
    hearing,
  };
}

/** Puts the member's collection on hold until `until` (a new hold replaces an open one). */
export async function holdMemberCollection(ctx: ServiceContext, p: Principal, memberId: string, input: { reason: HoldReason; until: string }, subjectIdentityCode?: string) {
  await requireMember(ctx, p, memberId, { roles: holders, scope: 'own-data:write', subjectIdentityCode });
  if (p.kind === 'client' && !selfServiceHoldReasons.includes(input.reason)) {
    throw failure(400, 'hold_reason_not_self_service', `A member may hold their own collection for ${selfServiceHoldReasons.join(' or ')}; other reasons are a caseworker's.`, {
      params: { reasons: selfServiceHoldReasons.join(', ') },
      invalidParams: [{ name: 'reason', reason: `must be one of ${selfServiceHoldReasons.join(', ')}`, code: 'hold_reason_not_self_service' }],
    });
  }
  const today = ctx.today();
  const problem = checkHoldUntil(ctx.profile.collection, input.until, today);
  if (problem === 'hold_until_past') {
    throw failure(400, 'hold_until_past', `The hold must last until today (${today}) or later.`, { params: { today }, invalidParams: [{ name: 'until', reason: 'must be today or later', code: 'hold_until_past' }] });
  }
  if (problem === 'hold_too_long') {
    const max = ctx.profile.collection.maxHoldDays;
    throw failure(400, 'hold_too_long', `A hold lasts at most ${max} days.`, { params: { max }, invalidParams: [{ name: 'until', reason: `must be at most ${max} days from today`, code: 'hold_too_long' }] });
  }
  const actor = actorOf(p);
  const hold = await ctx.db.transaction(async (tx) => {
    const row = await repo.insertHold(tx, { memberId, reason: input.reason, until: input.until, setBy: actor.actor });
    await recordAudit(tx, { ...actor, action: 'collection.hold-set', entityType: 'member', entityId: memberId, details: { holdId: row.id, reason: input.reason, until: input.until } });
    return row;
  });
  // A running hearing waits at its deadline while the hold is in force.
  await notifyHearingOfHoldChange(ctx, memberId);
  return holdView(hold, today);
}

/** Ends the member's open hold; collection goes on from the next daily run. */
export async function resumeMemberCollection(ctx: ServiceContext, p: Principal, memberId: string, subjectIdentityCode?: string) {
  await requireMember(ctx, p, memberId, { roles: holders, scope: 'own-data:write', subjectIdentityCode });
  const actor = actorOf(p);
  const resumed = await ctx.db.transaction(async (tx) => {
    const open = await repo.openHold(tx, memberId);
    if (!open) return null;
    const row = await repo.resumeHold(tx, open.id, actor.actor);
    if (!row) return null;
    await recordAudit(tx, { ...actor, action: 'collection.resumed', entityType: 'member', entityId: memberId, details: { holdId: row.id } });
    return row;
  });
  if (!resumed) throw failure(409, 'collection_not_on_hold', 'The member’s collection is not on hold.');
  await notifyHearingOfHoldChange(ctx, memberId);
  return holdView(resumed, ctx.today());
}

/** The collection page: members per level, on hold, in hearing, awaiting decision and expelled; the daily runs; a page of one group's members. */
export async function getCollectionOverview(ctx: ServiceContext, p: Principal, query: { bucket?: string; offset?: number; limit?: number }) {
  if (!hasRole(p, ...readers)) throw forbidden('Your role may not read collection.');
  const today = ctx.today();
  const page = { offset: query.offset ?? 0, limit: query.limit ?? 50 };
  const [buckets, runs, { members, total }] = await Promise.all([
    repo.overview(ctx.db, today),
    repo.latestRuns(ctx.db, 7),
    query.bucket ? repo.membersInBucket(ctx.db, today, query.bucket, page) : Promise.resolve({ members: [], total: 0 }),
  ]);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'collection.overview-read', entityType: 'collection', entityId: query.bucket ?? '*', details: { members: members.length, offset: page.offset } });
  return {
    today,
    levels: ctx.profile.collection.levels.length,
    buckets,
    runs: runs.map((r) => ({
      runDate: r.runDate,
      status: r.status,
      total: r.total,
      done: r.done,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
      outcome: r.outcome ?? null,
    })),
    members: [...members],
    membersTotal: total,
    ...page,
  };
}
