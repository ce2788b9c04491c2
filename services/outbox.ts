/**
 * Events out, the administrators' side (docs/decisions/018-outbox.md): the state of each
 * subscriber's deliveries, the dead letters, retrying one, and replay from a position. The events
 * themselves are written by the changes (db/repositories/outbox.ts recordEvents) and delivered by
 * the `outbox-delivery` process (workflows/outboxDelivery.ts).
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/outbox';
import { toJsonSchema } from '@valibot/to-json-schema';
import { eventEnvelopeSchema, eventPayloadSchemas, eventTypes, typesOf } from '../domain/events';
import { outboxDeliveryQueue, outboxDeliveryWorkflowId, type OutboxDeliveryInput } from '../workflows/definitions/outboxDelivery';
import type { ServiceContext } from './context';
import { failure } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

function requireAdmin(p: Principal) {
  if (!hasRole(p, 'admin')) throw failure(403, 'outbox_admin_only', 'Only administrators may see and manage the delivery of events to other systems.');
}

/** Starts the delivery process unless it runs; safe to call at every start. */
export async function ensureOutboxDeliveryStarted(ctx: ServiceContext): Promise<void> {
  const input: OutboxDeliveryInput = { pollEveryMs: ctx.outbox.pollEveryMs };
  try {
    await ctx.temporal.workflow.start('outboxDelivery', { taskQueue: ctx.taskQueues[outboxDeliveryQueue], workflowId: outboxDeliveryWorkflowId, args: [input] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export interface OutboxStatusView {
  lastPosition: number | null;
  /** Events the delivery process has not yet made deliveries of. */
  waiting: number;
  subscribers: { id: string; url: string; types: string[]; unionCode: string | null; pending: number; delivered: number; dead: number; lastDeliveredPosition: number | null }[];
}

/** Each configured subscriber with its counts (administrators). No secret leaves the service. */
export async function outboxStatus(ctx: ServiceContext, p: Principal): Promise<OutboxStatusView> {
  requireAdmin(p);
  const s = await repo.summary(ctx.db);
  const counts = new Map(s.subscribers.map((r) => [r.subscriber, r]));
  return {
    lastPosition: s.lastPosition,
    waiting: s.unfanned,
    subscribers: ctx.outbox.subscribers.map((sub) => {
      const c = counts.get(sub.id);
      return { id: sub.id, url: sub.url, types: [...sub.types], unionCode: sub.unionCode ?? null, pending: c?.pending ?? 0, delivered: c?.delivered ?? 0, dead: c?.dead ?? 0, lastDeliveredPosition: c?.lastDeliveredPosition ?? null };
    }),
  };
}

/** A dead letter as the API shows it: the repository's row, its delivery id as `id`, the time as ISO text. */
export type DeadLetterView = Omit<repo.DeadLetter, 'deliveryId' | 'failedAt'> & { id: number; failedAt: string };

/** The dead letters, oldest first (administrators). Ids and codes only: no personal data. */
export async function listDeadLetters(ctx: ServiceContext, p: Principal, q: { subscriber?: string | undefined; limit?: number | undefined }): Promise<{ items: DeadLetterView[] }> {
  requireAdmin(p);
  const rows = await repo.deadLetters(ctx.db, { ...(q.subscriber ? { subscriber: q.subscriber } : {}), limit: q.limit ?? 100 });
  // A failure recorded before the codes (decision 070) with an HTTP status was an `http-status` one.
  return { items: rows.map(({ deliveryId, failedAt, ...rest }) => ({ id: deliveryId, ...rest, lastErrorCode: rest.lastErrorCode ?? (rest.lastStatus !== null ? ('http-status' as const) : null), failedAt: failedAt.toISOString() })) };
}

/** Sends a dead letter again (its attempts counted afresh); audited. 404 when it is no dead letter. */
export async function retryDeadLetter(ctx: ServiceContext, p: Principal, id: number): Promise<{ id: number; status: 'pending' }> {
  requireAdmin(p);
  return ctx.db.transaction(async (tx) => {
    const row = await repo.retryDead(tx, id);
    if (!row) throw failure(404, 'dead_letter_not_found', `No dead letter ${id}: it was delivered, is still being tried, or never existed.`);
    await recordAudit(tx, { ...actorOf(p), action: 'outbox.dead-letter-retried', entityType: 'outbox-delivery', entityId: String(id), details: { subscriber: row.subscriber, eventId: row.eventId, position: row.position } });
    return { id, status: 'pending' as const };
  });
}

/**
 * Replay from a position for one subscriber: every event it takes from `position` on is sent
 * again in order (the receiver dedupes by event id); audited.
 */
export async function replayOutbox(ctx: ServiceContext, p: Principal, input: { subscriber: string; fromPosition: number }): Promise<{ subscriber: string; fromPosition: number; queued: number }> {
  requireAdmin(p);
  const sub = ctx.outbox.subscribers.find((s) => s.id === input.subscriber);
  if (!sub) {
    throw failure(404, 'subscriber_not_found', `No subscriber ${input.subscriber} is configured (OUTBOX_SUBSCRIBERS).`, { params: { subscriber: input.subscriber } });
  }
  return ctx.db.transaction(async (tx) => {
    const queued = await repo.replayFrom(tx, { id: sub.id, types: typesOf(sub), unionCode: sub.unionCode ?? null }, input.fromPosition);
    await recordAudit(tx, { ...actorOf(p), action: 'outbox.replayed', entityType: 'outbox-subscriber', entityId: sub.id, details: { fromPosition: input.fromPosition, queued } });
    return { subscriber: sub.id, fromPosition: input.fromPosition, queued };
  });
}

/** What each event type says, for the document (the same words as domain/events/index.ts). */
const eventSummaries: Record<(typeof eventTypes)[number], string> = {
  'membership.joined': 'A membership period opened (an approved application), with the channel it came through.',
  'membership.period_ended': 'A period ended, or ends earlier than before: end date and reason.',
  'membership.period_reopened': 'A period ended by a resignation or an expulsion was opened again.',
  'membership.transferred_period_recorded': 'A period in a previous fund was recorded (counts toward the membership condition).',
  'member.contact_changed': 'Contact data or delivery preferences changed: the names of the fields, not their values; read them through the own-data API.',
  'member.status_changed': 'Death recorded, name or identity code corrected, or non-disclosure changed.',
  'collection.reminder_sent': 'A reminder level of an overdue invoice was sent.',
  'collection.held': 'Collection put on hold until a date.',
  'collection.resumed': 'A hold ended early.',
  'expulsion.hearing_started': 'A hearing before an expulsion began.',
  'expulsion.hearing_status_changed': 'The hearing\'s status changed.',
  'expulsion.decided': 'The member was expelled: effective date and appeal deadline.',
  'expulsion.reinstated': 'An expulsion was undone; the membership was reinstated.',
  'expulsion.appeal_changed': 'An appeal was received or its status changed.',
};

function jsonSchemaOf(schema: Parameters<typeof toJsonSchema>[0]) {
  const { $schema: _schema, ...rest } = toJsonSchema(schema, { errorMode: 'ignore', target: 'draft-2020-12' });
  return rest;
}

/**
 * The events as an AsyncAPI 3.0 document: one message per event type, its payload the envelope
 * with `type` fixed and `payload` the type's schema (generated from the valibot schemas the
 * changes are typed by).
 */
export function eventSchemasDocument(): Record<string, unknown> {
  const envelope = jsonSchemaOf(eventEnvelopeSchema);
  const messages = Object.fromEntries(
    eventTypes.map((type) => [
      type.replace('.', '_'),
      {
        name: type,
        summary: eventSummaries[type],
        contentType: 'application/json',
        payload: {
          ...envelope,
          properties: { ...(envelope.properties as Record<string, unknown>), type: { const: type }, payload: jsonSchemaOf(eventPayloadSchemas[type]) },
        },
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Jäsenrekisteri events',
      version: '1',
      description:
        'Events the register POSTs to subscribed systems (docs/decisions/018-outbox.md). Headers: Webhook-Id (the event id: the idempotency key), Webhook-Timestamp (seconds since the epoch), Webhook-Signature (v1= + hex HMAC-SHA256 of "<timestamp>.<body>" with the subscriber\'s secret). Retried with exponential backoff until answered 2xx; a member\'s events arrive in memberSequence order.',
    },
    channels: { webhook: { address: null, messages: Object.fromEntries(Object.keys(messages).map((k) => [k, { $ref: `#/components/messages/${k}` }])) } },
    operations: { receiveEvent: { action: 'send', channel: { $ref: '#/channels/webhook' } } },
    components: { messages },
  };
}
