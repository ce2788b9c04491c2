/**
 * The union ↔ fund exchange (docs/decisions/019-union-exchange.md): a union's events and fee
 * remittances in (a file in its agreed layout, docs/union-batch-format.md, or JSON), and the
 * union's member list out. Identity codes travel only in bodies.
 */
import * as v from 'valibot';
import { count, dateTime, id, idParams } from './common';
import { defineRoute, json, jsonBody, jsonOrText } from './define';
import { atMostItems, emailAddress, idempotencyKeyHeader, identityCodeSchema, isoDate, str, text } from './fields';
import { unionBatchStatuses, unionOutcomeGroups } from '../../../domain/unions/batchProgress';

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

const outcomeGroup = v.picklist(unionOutcomeGroups);
const batchStatus = v.picklist(unionBatchStatuses, 'must be processing, interrupted or done');

export const unionBatchSummarySchema = v.object({
  id,
  unionCode: v.string(),
  /** The union's own id of the batch. */
  batchId: v.string(),
  format: v.string(),
  receivedAt: dateTime,
  receivedBy: v.string(),
  events: count,
  /** Lines processed so far; below `events` while the batch is processed, or when it was interrupted (send it again to finish it). */
  processed: count,
  status: batchStatus,
  /** Lines per outcome group. */
  counts: v.object({ started: count, recorded: count, booked: count, 'already-booked': count, mismatch: count, refused: count }),
  lastActivityAt: dateTime,
});

export const unionBatchListSchema = v.object({ items: v.array(unionBatchSummarySchema), total: count, nextOffset: v.nullable(count) });

export const unionBatchDetailSchema = v.object({
  ...unionBatchSummarySchema.entries,
  /** Lines per outcome as stored: the reasons behind the counts. */
  outcomes: v.record(v.string(), count),
  lines: v.array(
    v.object({
      line: count,
      kind: lineSchema.entries.kind,
      outcome: v.string(),
      group: outcomeGroup,
      /** A mismatch's reason (unknown_member, amount_differs, no_fee_for_period) or a refusal's code (not_found, received_on_out_of_range, …). */
      reason: v.nullable(v.string()),
      ref: v.nullable(v.string()),
      memberId: v.nullable(id),
      memberNumber: v.nullable(count),
      processedAt: dateTime,
      remittance: v.nullable(v.object({ period: v.string(), amountCents: count })),
      mismatch: v.nullable(
        v.object({
          id,
          /** As the union sent it; masked unless the reader's role needs it whole. */
          identityCode: v.string(),
          period: v.string(),
          amountCents: count,
          expectedCents: v.nullable(count),
          status: v.string(),
          taskId: v.nullable(id),
          taskStatus: v.nullable(v.string()),
        }),
      ),
    }),
  ),
  /** Lines matching the filter, all pages. */
  linesTotal: count,
});

const limitParam = (max: number) => v.optional(v.pipe(str(), v.regex(/^\d{1,4}$/, `must be a number 1–${max}`), v.transform(Number), v.minValue(1, `must be 1–${max}`), v.maxValue(max, `must be 1–${max}`)));
const offsetParam = v.optional(v.pipe(str(), v.regex(/^\d{1,6}$/, 'must be a number'), v.transform(Number)));

export const unionBatchQuerySchema = v.strictObject({
  union: v.optional(v.pipe(str(), v.regex(/^\d{3}$/, 'must be a three-digit union code'))),
  /** Received on or after this day (Helsinki). */
  from: v.optional(isoDate),
  to: v.optional(isoDate),
  status: v.optional(batchStatus),
  /** 'true': only batches with a mismatch or a refused line. */
  problems: v.optional(v.pipe(v.picklist(['true', 'false'], 'must be true or false'), v.transform((x) => x === 'true'))),
  limit: limitParam(200),
  offset: offsetParam,
});

export const unionBatchLineQuerySchema = v.strictObject({
  /** Only the lines of one outcome group, or `problems` (mismatches and refusals). */
  group: v.optional(v.picklist([...unionOutcomeGroups, 'problems'], 'must be an outcome group or problems')),
  limit: limitParam(1000),
  offset: offsetParam,
});

const summaryExample: v.InferOutput<typeof unionBatchSummarySchema> = {
  id: '8d7c2f4e-6a1b-4c3d-9e8f-0a1b2c3d4e5f',
  unionCode: '015',
  batchId: 'TL-2026-11',
  format: 'union-015',
  receivedAt: '2026-12-01T07:00:00.000Z',
  receivedBy: 'union-015',
  events: 3,
  processed: 3,
  status: 'done',
  counts: { started: 1, recorded: 0, booked: 1, 'already-booked': 0, mismatch: 1, refused: 0 },
  lastActivityAt: '2026-12-01T07:00:02.000Z',
};

const batchReaders = {
  kind: 'restricted',
  roles: ['caseworker', 'supervisor', 'billing', 'admin'],
  scopes: ['union-batches:write'],
  note: "a union's system reads its own union's batches only (another union's batch is a 404); identity codes masked unless the role is caseworker or supervisor",
} as const;

const unionSenders = { kind: 'restricted', roles: [], scopes: ['union-batches:write'], note: "a union's system (channel union) for its own union_code; events about another union's members answer as about non-members" } as const;

export const unionRoutes = {
  listUnionBatches: defineRoute({
    operationId: 'listUnionBatches',
    method: 'get',
    path: '/v1/union-batches',
    tag: 'Unions',
    summary: 'The union batches received, newest first: union, received time, lines per outcome group, status (processing, interrupted, done)',
    access: batchReaders,
    query: unionBatchQuerySchema,
    responses: { 200: json(unionBatchListSchema, 'The batches', { example: { items: [summaryExample], total: 1, nextOffset: null } }) },
    problems: [400, 401, 403, 404],
  }),
  getUnionBatch: defineRoute({
    operationId: 'getUnionBatch',
    method: 'get',
    path: '/v1/union-batches/{id}',
    tag: 'Unions',
    summary: "One union batch: its lines in order with each outcome, reason, member and the remittance or mismatch it became (every member named audited as read)",
    access: batchReaders,
    params: idParams,
    query: unionBatchLineQuerySchema,
    responses: {
      200: json(unionBatchDetailSchema, 'The batch', {
        example: {
          ...summaryExample,
          outcomes: { 'application-started': 1, booked: 1, 'mismatch:amount_differs': 1 },
          lines: [
            { line: 3, kind: 'remittance', outcome: 'mismatch:amount_differs', group: 'mismatch', reason: 'amount_differs', ref: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', memberId: '6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', memberNumber: 100123, processedAt: '2026-12-01T07:00:02.000Z', remittance: null, mismatch: { id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9', identityCode: '131052-****', period: '2026-11', amountCents: 1500, expectedCents: 1650, status: 'open', taskId: 'b2e4c6a8-1d3f-4e5a-8b7c-9d0e1f2a3b4c', taskStatus: 'open' } },
          ],
          linesTotal: 1,
        },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
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
