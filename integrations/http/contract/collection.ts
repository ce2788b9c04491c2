/** Overdue collection: a member's reminders and holds, hold and resume, and the collection overview. */
import * as v from 'valibot';
import { collectionStates, holdReasons } from '../../../domain/collection/rules';
import { cents, count, date, dateTime, ex, id, idParams } from './common';
import { defineRoute, json, jsonBody } from './define';
import { isoDate, str } from './fields';

// ---------------------------------------------------------------------------------------------
// Requests

export const holdRequestSchema = v.strictObject({
  /** payment-plan, dispute, benefit-deduction or other. */
  reason: v.picklist(holdReasons, `must be one of ${holdReasons.join(', ')}`),
  /** The last day of the hold; collection goes on the day after unless resumed before. */
  until: isoDate,
});

/** The collection page's groups (decision 070): level-0 (overdue, no reminder yet), level-1, …, on-hold, hearing, awaiting-decision, expelled. */
export const collectionBucketPattern = /^(level-\d{1,2}|on-hold|hearing|awaiting-decision|expelled)$/;

export const collectionOverviewQuerySchema = v.strictObject({
  /** A group whose members to list: level-0 (overdue, no reminder yet), level-1, level-2, …, on-hold, hearing, awaiting-decision, expelled. */
  bucket: v.optional(v.pipe(str(), v.regex(collectionBucketPattern, 'must be level-N, on-hold, hearing, awaiting-decision or expelled'))),
  /** The page of the group's members: 1–200 (default 50), from `offset` (default 0). */
  limit: v.optional(v.pipe(str(), v.regex(/^\d{1,3}$/, 'must be a number 1–200'), v.transform(Number), v.minValue(1, 'must be 1–200'), v.maxValue(200, 'must be 1–200'))),
  offset: v.optional(v.pipe(str(), v.regex(/^\d{1,6}$/, 'must be a number'), v.transform(Number))),
});

// ---------------------------------------------------------------------------------------------
// Responses

export const collectionHoldSchema = v.object({
  id,
  reason: v.picklist(holdReasons),
  until: date,
  setBy: v.string(),
  setAt: dateTime,
  resumedAt: v.nullable(dateTime),
  resumedBy: v.nullable(v.string()),
  /** In force today: not resumed and not past its end date. */
  active: v.boolean(),
});

export const collectionReminderSchema = v.object({
  invoiceId: id,
  level: count,
  sentOn: date,
  newDueDate: date,
  openCents: cents,
  feeCents: cents,
  channel: v.picklist(['e-invoice', 'email', 'letter']),
  /** `issued`: the daily step issued it and the delivery has yet to send it; `withdrawn`: not sent, the invoice was paid (or the member put on hold) by then (decision 052). */
  status: v.picklist(['issued', 'sent', 'withdrawn', 'failed', 'suppressed']),
  /** Why a withdrawn reminder was not sent; null otherwise. */
  withdrawnBecause: v.nullable(v.picklist(['paid', 'on-hold'])),
});

export const memberCollectionSchema = v.object({
  memberId: id,
  /** clear: nothing overdue; overdue: past due, no reminder yet; reminded: a reminder sent; on-hold; hearing: the hearing has started. */
  state: v.picklist(collectionStates),
  /** The highest reminder level sent for an invoice still overdue (0: none). */
  level: count,
  levels: count,
  overdue: v.array(v.object({ invoiceId: id, invoiceNumber: count, dueDate: date, openCents: cents, level: count, nextStepOn: v.nullable(date) })),
  overdueCents: cents,
  hold: v.nullable(collectionHoldSchema),
  holds: v.array(collectionHoldSchema),
  reminders: v.array(collectionReminderSchema),
  hearing: v.nullable(v.object({ workflowId: v.string(), startedOn: date })),
});

export const collectionRunViewSchema = v.object({
  runDate: date,
  status: v.picklist(['running', 'done', 'failed']),
  total: count,
  done: count,
  startedAt: dateTime,
  finishedAt: v.nullable(dateTime),
  outcome: v.nullable(
    v.object({
      staged: count,
      /** Issued and not yet delivered (decision 052); absent in older runs. */
      issued: v.optional(count),
      /** Issued, then withdrawn at the send (paid meanwhile, or on hold). */
      withdrawn: v.optional(count),
      sent: count,
      skippedPaid: count,
      onHold: count,
      failed: count,
      hearings: count,
      byLevel: v.record(v.string(), count),
      failures: v.record(v.string(), count),
    }),
  ),
});

export const collectionOverviewSchema = v.object({
  today: date,
  levels: count,
  buckets: v.array(v.object({ bucket: v.string(), members: count, invoices: count, openCents: cents })),
  runs: v.array(collectionRunViewSchema),
  /** A page of the requested group's members, by open sum (`limit` from `offset`). */
  members: v.array(v.object({ memberId: id, memberNumber: count, invoices: count, openCents: cents, level: count, holdUntil: v.nullable(date) })),
  /** How many members the requested group has (0 without a group), the page's offset and limit. */
  membersTotal: count,
  offset: count,
  limit: count,
});

const readers = { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing', 'admin'] } as const;
const holders = { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing'] } as const;
/** E-services, for their logged-in member, named in the header (never the URL). */
const subjectHeader = [{ name: 'Subject-Identity-Code', required: false, description: 'E-services: the identity code of the logged-in member', example: '131052-308T' }];
const forTheMember = 'E-services name their logged-in member in the `Subject-Identity-Code` header (400 `subject_required`; 403 `subject_mismatch` for any other member).';

const holdExample = { id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', reason: 'payment-plan' as const, until: '2026-06-30', setBy: ex.userId, setAt: '2026-03-02T09:00:00.000Z', resumedAt: null, resumedBy: null, active: true };

export const collectionRoutes = {
  getMemberCollection: defineRoute({
    operationId: 'getMemberCollection',
    method: 'get',
    path: '/v1/members/{id}/collection',
    tag: 'Collection',
    summary: 'A member’s collection: state, overdue invoices, reminders sent, holds, the hearing (audited)',
    description: `${forTheMember} Scope own-data:read.`,
    access: { ...readers, scopes: ['own-data:read'] },
    params: idParams,
    headers: subjectHeader,
    responses: {
      200: json(memberCollectionSchema, 'The member’s collection', {
        example: { memberId: ex.memberId, state: 'reminded', level: 1, levels: 2, overdue: [], overdueCents: 9600, hold: null, holds: [], reminders: [], hearing: null },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  holdMemberCollection: defineRoute({
    operationId: 'holdMemberCollection',
    method: 'post',
    path: '/v1/members/{id}/collection/hold',
    tag: 'Collection',
    summary: 'Put a member’s collection on hold with a reason until an end date',
    description: `No reminder and no hearing starts while the hold is in force. A new hold replaces an open one. ${forTheMember} Scope own-data:write; a member may give only payment-plan or dispute (400 \`hold_reason_not_self_service\`).`,
    access: { ...holders, scopes: ['own-data:write'] },
    params: idParams,
    headers: subjectHeader,
    body: jsonBody(holdRequestSchema, { reason: 'payment-plan', until: '2026-06-30' }),
    responses: { 200: json(collectionHoldSchema, 'On hold', { example: holdExample }) },
    problems: [400, 401, 403, 404],
  }),
  resumeMemberCollection: defineRoute({
    operationId: 'resumeMemberCollection',
    method: 'post',
    path: '/v1/members/{id}/collection/resume',
    tag: 'Collection',
    summary: 'End a member’s hold: collection goes on from the next daily run',
    description: `${forTheMember} Scope own-data:write.`,
    access: { ...holders, scopes: ['own-data:write'] },
    params: idParams,
    headers: subjectHeader,
    responses: { 200: json(collectionHoldSchema, 'Resumed', { example: { ...holdExample, resumedAt: '2026-04-01T09:00:00.000Z', resumedBy: ex.userId, active: false } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  getCollectionOverview: defineRoute({
    operationId: 'getCollectionOverview',
    method: 'get',
    path: '/v1/collection',
    tag: 'Collection',
    summary: 'Overdue members per reminder level, on hold, in hearing, awaiting decision and expelled, with sums; a page of one group’s members; the daily runs',
    access: readers,
    query: collectionOverviewQuerySchema,
    responses: {
      200: json(collectionOverviewSchema, 'The overview', {
        example: { today: '2026-03-02', levels: 2, buckets: [{ bucket: 'level-1', members: 1200, invoices: 1210, openCents: 11616000 }], runs: [], members: [], membersTotal: 0, offset: 0, limit: 50 },
      }),
    },
    problems: [400, 401, 403],
  }),
};
