/** The audit log: who read or changed what, and when; the auditor's own view of it. */
import * as v from 'valibot';
import { count, dateTime, ex } from './common';
import { defineRoute, jsonOrText } from './define';
import { str } from './fields';

/** A time in a filter: a date (a whole day, Helsinki time) or an instant with its offset. */
const instantOrDate = v.pipe(
  str(),
  v.regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/, 'must be a date (YYYY-MM-DD) or a time such as 2025-03-14T09:00:00Z'),
  v.check((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)), 'must be a real date'),
);

export const auditLogQuerySchema = v.strictObject({
  memberId: v.optional(v.pipe(str(), v.uuid('must be a member id in UUID form'))),
  /** The member by their number instead of their id. */
  memberNumber: v.optional(v.pipe(str(), v.regex(/^\d{1,12}$/, 'must be a member number'), v.transform(Number))),
  user: v.optional(v.pipe(str(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(255, 'must be at most 255 characters'))),
  event: v.optional(v.pipe(str(), v.regex(/^[a-z][a-z0-9.-]{0,99}$/, 'must be an event code such as member.read'))),
  from: v.optional(instantOrDate),
  to: v.optional(instantOrDate),
  limit: v.optional(v.pipe(str(), v.regex(/^\d{1,3}$/, 'must be a number 1–200'), v.transform(Number), v.minValue(1, 'must be 1–200'), v.maxValue(200, 'must be 1–200'))),
  offset: v.optional(v.pipe(str(), v.regex(/^\d{1,6}$/, 'must be a number'), v.transform(Number))),
  format: v.optional(v.picklist(['json', 'csv'], 'must be json or csv')),
});

export const auditEntrySchema = v.object({
  id: count,
  at: dateTime,
  /** The user's or client's id, or 'system' / 'public'. */
  actor: v.string(),
  actorKind: v.string(),
  /** The event code (member.read, application.submitted, …). */
  event: v.string(),
  entityType: v.string(),
  entityId: v.string(),
  /** Ids and field names only; the log holds no personal data in free text. */
  details: v.record(v.string(), v.unknown()),
});

export const auditLogPageSchema = v.object({
  items: v.array(auditEntrySchema),
  /** The offset of the next page; null on the last. */
  nextOffset: v.nullable(count),
});

const auditors = { kind: 'restricted', roles: ['auditor'], note: 'the auditor only: administrators are among those audited' } as const;

export const auditRoutes = {
  getAuditLog: defineRoute({
    operationId: 'getAuditLog',
    method: 'get',
    path: '/v1/audit-log',
    tag: 'Audit',
    summary: 'The audit log, newest first, filtered by member, user, event and time (auditors; the read is itself audited)',
    description:
      'memberId (or memberNumber) gives the events about the member and about their applications, tasks and invoices; an unknown member number finds nothing. A date in from/to is a whole day in Helsinki time (to includes its day). from after to is 400 `date_range_reversed`. format=csv answers RFC 4180 CSV of up to 10 000 entries (paging ignored) as a download.',
    access: auditors,
    query: auditLogQuerySchema,
    responses: {
      200: jsonOrText(auditLogPageSchema, 'A page of entries', ['text/csv'], {
        example: {
          items: [
            { id: 4711, at: '2025-03-14T09:12:00.000Z', actor: ex.userId, actorKind: 'user', event: 'member.read', entityType: 'member', entityId: ex.memberId, details: { view: 'overview' } },
          ],
          nextOffset: null,
        },
      }),
    },
    problems: [400, 401, 403],
  }),
};
