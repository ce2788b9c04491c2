import { dateParam } from '$lib/dates';
import type { AuditLogQuery } from '$lib/server/api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The auditor's filters from the query string (ids, codes and dates only: no personal data in URLs). */
export function auditFiltersOf(url: URL) {
  const text = (name: string) => (url.searchParams.get(name) ?? '').trim();
  const offset = Number(url.searchParams.get('offset'));
  // The member field takes a member number or the id in a member page's address.
  const member = text('member');
  return {
    member: UUID.test(member) || /^\d{1,12}$/.test(member) ? member.toLowerCase() : '',
    user: text('user').slice(0, 255),
    event: /^[a-z][a-z0-9.-]{0,99}$/.test(text('event')) ? text('event') : '',
    from: dateParam(url.searchParams.get('from')) ?? '',
    to: dateParam(url.searchParams.get('to')) ?? '',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

export type AuditFilters = ReturnType<typeof auditFiltersOf>;

/** The API query for the filters (empty ones left out). */
export function auditQueryOf(f: AuditFilters, limit?: number): AuditLogQuery {
  return {
    ...(UUID.test(f.member) ? { memberId: f.member } : /^\d+$/.test(f.member) ? { memberNumber: f.member } : {}),
    ...(f.user ? { user: f.user } : {}),
    ...(f.event ? { event: f.event } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(limit ? { limit, offset: f.offset } : {}),
  };
}
