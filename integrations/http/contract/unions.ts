/**
 * The union ↔ fund exchange (docs/decisions/019-union-exchange.md): a union's events and fee
 * remittances in (a file in its agreed layout, docs/union-batch-format.md, or JSON), and the
 * union's member list out. Identity codes travel only in bodies.
 */
import * as v from 'valibot';
import { count, id } from './common';
import { defineRoute, json, jsonBody, jsonOrText } from './define';
import { atMostItems, emailAddress, idempotencyKeyHeader, identityCodeSchema, isoDate, str, text } from './fields';

/** Events in one JSON call (the 256 KiB body limit); a file may hold up to services/unions.ts UNION_BATCH_MAX_EVENTS. */
const MAX_EVENTS = 1000;

const period = v.pipe(str('must be a month'), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month (YYYY-MM)'));
const positiveCents = v.pipe(v.number('must be cents as a number'), v.integer('must be whole cents'), v.minValue(1, 'must be more than zero'), v.maxValue(100_000_00, 'must be at most 100000.00 euros'));

export const unionEventSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('join'),
    identityCode: identityCodeSchema,
    /** The day the union received the application: membership may begin on it. */
    receivedOn: isoDate,
    lastName: text(100),
    firstNames: text(100),
    language: v.picklist(['fi', 'sv', 'en'], 'must be fi, sv or en'),
    email: v.optional(emailAddress),
    employer: v.optional(text(200)),
  }),
  v.strictObject({ kind: v.literal('leave'), identityCode: identityCodeSchema, receivedOn: isoDate, requestedEndDate: v.optional(isoDate) }),
  v.strictObject({ kind: v.picklist(['exemption-start', 'exemption-end']), identityCode: identityCodeSchema, date: isoDate }),
  v.strictObject({ kind: v.literal('paid-through'), identityCode: identityCodeSchema, paidThrough: isoDate }),
  v.strictObject({ kind: v.literal('remittance'), identityCode: identityCodeSchema, period, amountCents: positiveCents }),
]);

export const unionEventsSchema = v.strictObject({
  /** The union's id of the batch: the same id again is the same batch (other content: 409). */
  batchId: v.pipe(str(), v.regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1–40 letters, digits, ".", "_" or "-"')),
  events: v.pipe(v.array(unionEventSchema), v.minLength(1, 'must hold at least one event'), atMostItems<v.InferOutput<typeof unionEventSchema>>(MAX_EVENTS, 'union_batch_too_large')),
});

export const singleUnionEventSchema = v.strictObject({ event: unionEventSchema });

const lineSchema = v.object({
  line: count,
  kind: v.picklist(['join', 'leave', 'exemption-start', 'exemption-end', 'paid-through', 'remittance']),
  /** application-started, resignation-started, recorded, booked, already-booked, mismatch:<reason>, not_found, or the code of a refusal (received_on_out_of_range, membership_already_ended, …). */
  outcome: v.string(),
  ref: v.nullable(v.string()),
});

export const unionBatchViewSchema = v.object({ id, unionCode: v.string(), batchId: v.string(), format: v.string(), events: count, lines: v.array(lineSchema) });
export const unionEventResultSchema = v.object({ line: lineSchema });

export const unionMemberListSchema = v.object({
  unionCode: v.string(),
  asOf: v.string(),
  differences: count,
  members: v.array(
    v.object({
      memberId: id,
      memberNumber: count,
      identityCode: v.string(),
      status: v.picklist(['active', 'starting', 'ended', 'none']),
      /** As the fund's ledger shows it: the end of the unbroken run of months the union remitted. */
      paidThrough: v.nullable(v.string()),
      /** As the union last reported it. */
      unionPaidThrough: v.nullable(v.string()),
      exemptFrom: v.nullable(v.string()),
      exemptUntil: v.nullable(v.string()),
      differences: v.array(v.picklist(['paid_through_differs', 'not_reported_by_union', 'exemption_differs'])),
    }),
  ),
});

const unionCodeParams = v.strictObject({ unionCode: v.pipe(str(), v.regex(/^\d{3}$/, 'must be a three-digit union code')) });
const listQuery = v.strictObject({ format: v.optional(v.picklist(['json', 'file'], 'must be json or file')) });

const batchExample: v.InferOutput<typeof unionBatchViewSchema> = {
  id: '8d7c2f4e-6a1b-4c3d-9e8f-0a1b2c3d4e5f',
  unionCode: '015',
  batchId: 'TL-2026-11',
  format: 'union-015',
  events: 2,
  lines: [
    { line: 2, kind: 'join', outcome: 'application-started', ref: '3f1c9a2e-7b4d-4e5f-8a6b-1c2d3e4f5a6b' },
    { line: 3, kind: 'remittance', outcome: 'booked', ref: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9' },
  ],
};

const unionSenders = { kind: 'restricted', roles: [], scopes: ['union-batches:write'], note: "a union's system (channel union) for its own union_code; events about another union's members answer as about non-members" } as const;

export const unionRoutes = {
  receiveUnionBatchFile: defineRoute({
    operationId: 'receiveUnionBatchFile',
    method: 'post',
    path: '/v1/union-batches',
    tag: 'Unions',
    summary: "A union's batch file of joins, leaves, exemptions, paid-through dates and fee remittances, in the layout agreed with that union",
    description:
      'The raw file is the body (text/plain, UTF-8): the default layout of docs/union-batch-format.md, or the union\'s own (union 015: fixed width). Parsed first: a bad line is a 400 `union_batch_unreadable` naming the line, nothing stored. Each event becomes the same process as a direct one (a join an application in intake, a leave a resignation); remittances are booked once per union, member and month (`collected_by = union`); a mismatch (unknown member, amount off) becomes a billing user\'s task. The same batch id again processes nothing twice (200); other content under the same id is a 409 `union_batch_id_reused`.',
    access: unionSenders,
    body: { kind: 'raw', mediaTypes: ['text/plain', 'text/csv'], description: 'The batch file', unsupported: 'Send the batch file itself as text/plain.' },
    responses: {
      202: json(unionBatchViewSchema, 'Received; each event with what it became', { example: batchExample }),
      200: json(unionBatchViewSchema, 'The same batch again: nothing done twice', { example: batchExample }),
    },
    problems: [400, 401, 403, 409, 413, 415],
  }),
  receiveUnionEvents: defineRoute({
    operationId: 'receiveUnionEvents',
    method: 'post',
    path: '/v1/union-batches/events',
    tag: 'Unions',
    summary: 'The same events as JSON, a batch named by the union',
    access: unionSenders,
    body: jsonBody(unionEventsSchema, { batchId: 'TL-2026-11', events: [{ kind: 'remittance', identityCode: '131052-308T', period: '2026-10', amountCents: 1650 }] }),
    responses: {
      202: json(unionBatchViewSchema, 'Received', { example: { ...batchExample, format: 'api' } }),
      200: json(unionBatchViewSchema, 'The same batch again: nothing done twice'),
    },
    problems: [400, 401, 403, 409, 415],
  }),
  receiveUnionEvent: defineRoute({
    operationId: 'receiveUnionEvent',
    method: 'post',
    path: '/v1/union-events',
    tag: 'Unions',
    summary: 'One union event as an API call (Idempotency-Key); a member the union may not see is a 404',
    access: unionSenders,
    headers: [{ ...idempotencyKeyHeader, required: true }],
    body: jsonBody(singleUnionEventSchema, { event: { kind: 'leave', identityCode: '131052-308T', receivedOn: '2026-11-25' } }),
    responses: {
      202: json(unionEventResultSchema, 'Received', { example: { line: { line: 1, kind: 'leave', outcome: 'resignation-started', ref: '3f1c9a2e-7b4d-4e5f-8a6b-1c2d3e4f5a6b' } } }),
      200: json(unionEventResultSchema, 'The same key again: nothing done twice'),
    },
    problems: [400, 401, 403, 404, 409, 415],
  }),
  getUnionMembers: defineRoute({
    operationId: 'getUnionMembers',
    method: 'get',
    path: '/v1/unions/{unionCode}/members',
    tag: 'Unions',
    summary: "The union's member list: status, paid-through dates and the differences against what the union reported (every member read audited)",
    description: 'format=file answers the member list file of docs/union-batch-format.md (text/plain). A union reads only its own union: another code is a 404.',
    access: { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing'], scopes: ['union-members:read'], note: "a union's system only for its own union_code" },
    params: unionCodeParams,
    query: listQuery,
    responses: {
      200: jsonOrText(unionMemberListSchema, 'The member list', ['text/plain'], {
        example: {
          unionCode: '015',
          asOf: '2026-12-01',
          differences: 1,
          members: [
            { memberId: '8d7c2f4e-6a1b-4c3d-9e8f-0a1b2c3d4e5f', memberNumber: 100123, identityCode: '131052-308T', status: 'active', paidThrough: '2026-10-31', unionPaidThrough: '2026-11-30', exemptFrom: null, exemptUntil: null, differences: ['paid_through_differs'] },
          ],
        },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
};
