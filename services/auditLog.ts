import { idsAboutMember, recordAudit, searchAuditLog } from '../db/repositories/audit';
import * as applicationsRepo from '../db/repositories/applications';
import { searchByMemberNumbers } from '../db/repositories/memberSearch';
import * as membersRepo from '../db/repositories/members';
import { addDays, helsinkiDayStart } from '../domain/dates';
import type { ServiceContext } from './context';
import { dateRangeReversed, forbidden } from './errors';
import { actorOf, hasRole, type Principal } from './principal';
import { csvField } from '../domain/csv';

export interface AuditLogQuery {
  memberId?: string;
  memberNumber?: number;
  user?: string;
  event?: string;
  /** A Helsinki date (the day's start) or an instant. */
  from?: string;
  /** A Helsinki date (the whole day included) or an instant (exclusive). */
  to?: string;
  limit?: number;
  offset?: number;
}

/** How many entries a CSV export holds at most. */
export const AUDIT_CSV_MAX = 10_000;

/**
 * Reading the audit log is the auditor's work. Administrators are not given it: their own acts
 * (ending sessions, setting fees) are among what the auditor checks.
 */
function requireAuditor(p: Principal) {
  if (!hasRole(p, 'auditor')) throw forbidden('The audit log is for auditors.');
}

const isDay = (s: string) => s.length === 10;
const instantOf = (s: string, end: boolean) => (isDay(s) ? helsinkiDayStart(end ? addDays(s, 1) : s) : new Date(s));

/** The member, their applications and the tasks about either: what "events about a member" covers. */
async function memberEntities(ctx: ServiceContext, memberId: string) {
  const found = await membersRepo.findMemberWithPerson(ctx.db, memberId);
  const appIds = new Set<string>();
  if (found) for (const a of await applicationsRepo.applicationsOfIdentityCode(ctx.db, found.person.identityCode)) appIds.add(a.id);
  const { taskIds, invoiceIds } = await idsAboutMember(ctx.db, memberId, [memberId, ...appIds]);
  return [
    { type: 'member', ids: [memberId] },
    { type: 'application', ids: [...appIds] },
    { type: 'task', ids: taskIds },
    { type: 'invoice', ids: invoiceIds },
  ];
}

/** A page of the audit log, newest first; the read itself is audited with its filters (ids and codes only). */
export async function readAuditLog(ctx: ServiceContext, p: Principal, q: AuditLogQuery, opts: { format: 'json' | 'csv' } = { format: 'json' }) {
  requireAuditor(p);
  const from = q.from ? instantOf(q.from, false) : undefined;
  const to = q.to ? instantOf(q.to, true) : undefined;
  if (from && to && from.getTime() >= to.getTime() && !(q.from === q.to && isDay(q.from!))) throw dateRangeReversed();
  const csv = opts.format === 'csv';
  let memberId = q.memberId;
  if (memberId === undefined && q.memberNumber !== undefined) {
    const [hit] = await searchByMemberNumbers(ctx.db, [q.memberNumber], 1);
    // An unknown number finds nothing, rather than everything.
    memberId = hit?.memberId ?? '00000000-0000-0000-0000-000000000000';
  }
  const limit = csv ? AUDIT_CSV_MAX : (q.limit ?? 50);
  const offset = csv ? 0 : (q.offset ?? 0);
  const rows = await searchAuditLog(ctx.db, {
    ...(memberId ? { entities: await memberEntities(ctx, memberId) } : {}),
    ...(q.user ? { actor: q.user } : {}),
    ...(q.event ? { action: q.event } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    limit: csv ? limit : limit + 1,
    offset,
  });
  const page = rows.slice(0, limit);
  await recordAudit(ctx.db, {
    ...actorOf(p),
    action: csv ? 'audit-log.exported' : 'audit-log.read',
    entityType: 'audit-log',
    entityId: memberId ?? '*',
    details: { ...(q.user ? { user: q.user } : {}), ...(q.event ? { event: q.event } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}), results: page.length },
  });
  return {
    items: page.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, actorKind: r.actorKind, event: r.action, entityType: r.entityType, entityId: r.entityId, details: r.details })),
    nextOffset: !csv && rows.length > limit ? offset + limit : null,
  };
}

/** RFC 4180 CSV of audit entries: one line each, details as JSON. */
export function auditLogCsv(items: { at: string; actor: string; actorKind: string; event: string; entityType: string; entityId: string; details: Record<string, unknown> }[]): string {
  const lines = ['at,actor,actor_kind,event,entity_type,entity_id,details'];
  for (const e of items) lines.push([e.at, e.actor, e.actorKind, e.event, e.entityType, e.entityId, JSON.stringify(e.details)].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
