/**
 * Events out (docs/decisions/018-outbox.md): the event types' JSON Schemas for integrators, and the
 * administrators' view of the deliveries — status, dead letters, retry, replay from a position.
 */
import * as v from 'valibot';
import { webhookFailureCodes } from '../../../domain/vocabulary';
import { count, dateTime, ex, id } from './common';
import { defineRoute, json, jsonBody } from './define';
import { str } from './fields';

export const outboxStatusSchema = v.object({
  /** The position of the newest event; null when none was written. */
  lastPosition: v.nullable(count),
  /** Events the delivery process has not yet queued for the subscribers. */
  waiting: count,
  subscribers: v.array(
    v.object({
      id: v.string(),
      url: v.string(),
      types: v.array(v.string()),
      unionCode: v.nullable(v.string()),
      pending: count,
      delivered: count,
      dead: count,
      lastDeliveredPosition: v.nullable(count),
    }),
  ),
});

export const deadLetterSchema = v.object({
  id: count,
  subscriber: v.string(),
  eventId: id,
  type: v.string(),
  memberId: id,
  memberSequence: count,
  position: count,
  attempts: count,
  lastStatus: v.nullable(count),
  /** The last failure as a code the desk translates (decision 070): `http-status` (see `lastStatus`), `timeout`, `unreachable`, `subscriber-not-configured`; null if unknown. */
  lastErrorCode: v.nullable(v.picklist(webhookFailureCodes)),
  /** The same in the sender's own words, for an administrator. */
  lastError: v.nullable(v.string()),
  failedAt: dateTime,
});

export const deadLetterListSchema = v.object({ items: v.array(deadLetterSchema) });

export const deadLetterQuerySchema = v.strictObject({
  subscriber: v.optional(v.pipe(str(), v.regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a subscriber id'))),
  limit: v.optional(v.pipe(str(), v.regex(/^\d{1,3}$/, 'must be a number 1–500'), v.transform(Number), v.minValue(1, 'must be 1–500'), v.maxValue(500, 'must be 1–500'))),
});

export const deliveryIdParams = v.object({ id: v.pipe(str(), v.regex(/^\d{1,18}$/, 'must be a dead letter id (a number)'), v.transform(Number)) });

export const replayRequestSchema = v.strictObject({
  /** The subscriber's id as configured (OUTBOX_SUBSCRIBERS). */
  subscriber: v.pipe(str(), v.regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a subscriber id')),
  /** Every event from this position on is sent again (the receiver dedupes by event id). */
  fromPosition: v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1')),
});

export const replayResultSchema = v.object({ subscriber: v.string(), fromPosition: count, queued: count });

/** An AsyncAPI-style document: the envelope, and per event type its payload's JSON Schema. */
export const eventSchemasSchema = v.record(v.string(), v.unknown());

const admins = { kind: 'restricted', roles: ['admin'] } as const;

export const outboxRoutes = {
  getEventSchemas: defineRoute({
    operationId: 'getEventSchemas',
    method: 'get',
    path: '/v1/events/schemas',
    tag: 'Events',
    summary: 'The events the register sends to subscribed systems: envelope, types and payload JSON Schemas (AsyncAPI 3.0)',
    description:
      'Each event is POSTed to the subscriber\'s webhook as JSON, signed: `Webhook-Id` (the event id, the idempotency key), `Webhook-Timestamp` (seconds), `Webhook-Signature` (`v1=` + hex HMAC-SHA256 of `timestamp.body` with the subscriber\'s secret). A member\'s events arrive in `memberSequence` order.',
    access: { kind: 'signedIn' },
    responses: { 200: json(eventSchemasSchema, 'The AsyncAPI document of the events', { example: { asyncapi: '3.0.0' } }) },
    problems: [401],
  }),
  getOutboxStatus: defineRoute({
    operationId: 'getOutboxStatus',
    method: 'get',
    path: '/v1/outbox',
    tag: 'Events',
    summary: 'The delivery of events per subscribed system: waiting, delivered, dead letters (administrators)',
    access: admins,
    responses: {
      200: json(outboxStatusSchema, 'Per subscriber', {
        example: { lastPosition: 4711, waiting: 0, subscribers: [{ id: 'ekj', url: 'https://ekj.example.fi/hooks/register', types: ['membership.*'], unionCode: null, pending: 2, delivered: 4700, dead: 1, lastDeliveredPosition: 4709 }] },
      }),
    },
    problems: [401, 403],
  }),
  listDeadLetters: defineRoute({
    operationId: 'listDeadLetters',
    method: 'get',
    path: '/v1/outbox/dead-letters',
    tag: 'Events',
    summary: 'Events a subscriber did not take after every attempt, oldest first (administrators)',
    description: 'A dead letter holds back the member\'s later events to that subscriber until it is sent again (retry) or replayed.',
    access: admins,
    query: deadLetterQuerySchema,
    responses: {
      200: json(deadLetterListSchema, 'The dead letters', {
        example: { items: [{ id: 17, subscriber: 'ekj', eventId: 'b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', type: 'membership.period_ended', memberId: ex.memberId, memberSequence: 3, position: 4710, attempts: 10, lastStatus: 503, lastErrorCode: 'http-status', lastError: 'HTTP 503', failedAt: '2026-03-02T09:00:00.000Z' }] },
      }),
    },
    problems: [400, 401, 403],
  }),
  retryDeadLetter: defineRoute({
    operationId: 'retryDeadLetter',
    method: 'post',
    path: '/v1/outbox/dead-letters/{id}/retry',
    tag: 'Events',
    summary: 'Send a dead letter again, its attempts counted afresh (administrators; audited)',
    access: admins,
    params: deliveryIdParams,
    responses: { 200: json(v.object({ id: count, status: v.literal('pending') }), 'Queued again', { example: { id: 17, status: 'pending' } }) },
    problems: [400, 401, 403, 404],
  }),
  replayOutbox: defineRoute({
    operationId: 'replayOutbox',
    method: 'post',
    path: '/v1/outbox/replay',
    tag: 'Events',
    summary: 'Send a subscriber every event it takes from a position on again, in order (administrators; audited)',
    access: admins,
    body: jsonBody(replayRequestSchema, { subscriber: 'ekj', fromPosition: 4000 }),
    responses: { 200: json(replayResultSchema, 'Queued', { example: { subscriber: 'ekj', fromPosition: 4000, queued: 712 } }) },
    problems: [400, 401, 403, 404],
  }),
};
