/**
 * The transactional outbox (docs/decisions/018-outbox.md): events written in the transaction of
 * the change they report, and their deliveries to the subscribed systems.
 */
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { WebhookFailureCode } from '../../domain/vocabulary';
import type { EventEnvelope, NewEvent } from '../../domain/events';
import type { DbOrTx } from '../client';
import { outboxDeliveries, outboxEvents } from '../schema';

/** Whether the handle is a transaction (drizzle's transaction has rollback(); the database has not). */
function inTransaction(db: DbOrTx): boolean {
  return typeof (db as { rollback?: unknown }).rollback === 'function';
}

/**
 * Runs `fn` in the caller's transaction, or in one of its own when the caller has none: a change
 * and its event always commit (or roll back) together.
 */
export async function atomically<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return inTransaction(db) ? fn(db) : db.transaction((tx) => fn(tx));
}

/**
 * THE helper every change calls: appends its events to the outbox in the caller's transaction.
 * A per-member advisory lock (held to the commit) numbers each member's events 1, 2, 3 … without
 * gaps, and makes a member's events commit in their number order — so the delivery process can
 * never send a later event of a member before an earlier one that was still uncommitted.
 */
export async function recordEvents(db: DbOrTx, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await atomically(db, async (tx) => {
    const memberIds = [...new Set(events.map((e) => e.memberId))].sort();
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('outbox/' || m, 0)) from unnest(${`{${memberIds.join(',')}}`}::uuid[]) as m order by m`);
    const rows = events.map((e, o) => ({ o, t: e.type, m: e.memberId, p: e.payload }));
    await tx.execute(sql`
      insert into outbox_events (type, member_id, member_seq, payload)
      select x.t, x.m,
             coalesce((select max(e.member_seq) from outbox_events e where e.member_id = x.m), 0) + row_number() over (partition by x.m order by x.o),
             x.p
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(o int, t text, m uuid, p jsonb)
       order by x.o`);
  });
}

export async function recordEvent(db: DbOrTx, event: NewEvent): Promise<void> {
  await recordEvents(db, [event]);
}

export type OutboxEventRow = typeof outboxEvents.$inferSelect;
export type DeliveryRow = typeof outboxDeliveries.$inferSelect;

export function envelopeOf(e: OutboxEventRow): EventEnvelope {
  return { id: e.id, type: e.type as EventEnvelope['type'], memberId: e.memberId, memberSequence: e.memberSeq, position: e.position, occurredAt: e.occurredAt.toISOString(), payload: e.payload };
}

export async function eventsOfMember(db: DbOrTx, memberId: string): Promise<OutboxEventRow[]> {
  return db.select().from(outboxEvents).where(eq(outboxEvents.memberId, memberId)).orderBy(asc(outboxEvents.memberSeq));
}

export async function eventsFrom(db: DbOrTx, position: number, limit: number): Promise<OutboxEventRow[]> {
  return db.select().from(outboxEvents).where(gte(outboxEvents.position, position)).orderBy(asc(outboxEvents.position)).limit(limit);
}

export interface SubscriberTypes {
  id: string;
  /** The exact types it takes (domain/events typesOf). */
  types: readonly string[];
  /** A union's subscriber: only events of members of this union. */
  unionCode: string | null;
}

/**
 * Makes the delivery rows of events not yet fanned out, one per subscriber taking the type, and
 * marks the events fanned out; idempotent (one delivery per subscriber and event). Returns how many
 * events it handled. An event that commits late (its position lower than one already handled) is
 * still picked up: the marker is per event, not a cursor.
 */
export async function fanOut(db: DbOrTx, subscribers: readonly SubscriberTypes[], limit = 1000): Promise<number> {
  return atomically(db, async (tx) => {
    const events = await tx.execute<{ id: string; type: string; position: string; member_id: string; member_seq: number; union_code: string | null }>(sql`
      select e.id, e.type, e.position, e.member_id, e.member_seq, m.union_code
        from outbox_events e join members m on m.id = e.member_id
       where e.fanned_out_at is null order by e.position limit ${limit} for update of e skip locked`);
    if (events.length === 0) return 0;
    const rows = subscribers.flatMap((s) =>
      events.filter((e) => s.types.includes(e.type) && (s.unionCode === null || e.union_code === s.unionCode)).map((e) => ({ subscriber: s.id, eventId: e.id, position: Number(e.position), memberId: e.member_id, memberSeq: e.member_seq })),
    );
    for (let i = 0; i < rows.length; i += 1000) {
      await tx.insert(outboxDeliveries).values(rows.slice(i, i + 1000)).onConflictDoNothing();
    }
    await tx.update(outboxEvents).set({ fannedOutAt: sql`now()` }).where(inArray(outboxEvents.id, events.map((e) => e.id)));
    return events.length;
  });
}

export interface ReadyDelivery {
  deliveryId: number;
  subscriber: string;
  attempts: number;
  event: EventEnvelope;
}

/**
 * Claims deliveries that are due: pending, their time come, and the earliest undelivered of their
 * member for their subscriber (per-member order: a later event waits while an earlier one is
 * pending or dead). The rows are locked (skip locked) for the caller's transaction, so two
 * delivery workers never send the same delivery at once.
 */
export async function claimReady(db: DbOrTx, limit: number): Promise<ReadyDelivery[]> {
  const rows = await db.execute<{ delivery_id: string; subscriber: string; attempts: number; id: string; type: string; member_id: string; member_seq: number; position: string; occurred_at: string; payload: Record<string, unknown> }>(sql`
    select d.id as delivery_id, d.subscriber, d.attempts, e.id, e.type, e.member_id, e.member_seq, e.position, e.occurred_at, e.payload
      from outbox_deliveries d
      join outbox_events e on e.id = d.event_id
     where d.status = 'pending' and d.next_attempt_at <= now()
       and not exists (select 1 from outbox_deliveries p
                        where p.subscriber = d.subscriber and p.member_id = d.member_id and p.member_seq < d.member_seq and p.status <> 'delivered')
     order by d.position
     limit ${limit}
     for update of d skip locked`);
  return rows.map((r) => ({
    deliveryId: Number(r.delivery_id),
    subscriber: r.subscriber,
    attempts: r.attempts,
    event: { id: r.id, type: r.type as EventEnvelope['type'], memberId: r.member_id, memberSequence: r.member_seq, position: Number(r.position), occurredAt: new Date(r.occurred_at).toISOString(), payload: r.payload },
  }));
}

export async function markDelivered(db: DbOrTx, deliveryId: number, status: number): Promise<void> {
  await db
    .update(outboxDeliveries)
    .set({ status: 'delivered', deliveredAt: sql`now()`, attempts: sql`${outboxDeliveries.attempts} + 1`, lastStatus: status, lastError: null, lastErrorCode: null })
    .where(eq(outboxDeliveries.id, deliveryId));
}

/**
 * Deletes up to `limit` deliveries delivered before `before` (the events stay; a replay from a
 * position makes their deliveries again). Per-member order is kept: a missing row of an earlier
 * event counts as delivered. Returns how many were deleted.
 */
export async function pruneDelivered(db: DbOrTx, before: Date, limit: number): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    delete from outbox_deliveries where id in (
      select id from outbox_deliveries where status = 'delivered' and delivered_at < ${before.toISOString()}::timestamptz limit ${limit} for update skip locked)
    returning id`);
  return rows.length;
}

/** A failed attempt: tried again after `retryInMs`, or dead when `dead`. */
export async function markFailed(db: DbOrTx, deliveryId: number, f: { status: number | null; code: WebhookFailureCode; error: string; retryInMs: number; dead: boolean }): Promise<void> {
  await db
    .update(outboxDeliveries)
    .set({
      status: f.dead ? 'dead' : 'pending',
      attempts: sql`${outboxDeliveries.attempts} + 1`,
      lastStatus: f.status,
      lastError: f.error.slice(0, 500),
      lastErrorCode: f.code,
      nextAttemptAt: sql`now() + ${`${Math.max(0, Math.round(f.retryInMs))} milliseconds`}::interval`,
    })
    .where(eq(outboxDeliveries.id, deliveryId));
}

export interface DeadLetter {
  deliveryId: number;
  subscriber: string;
  eventId: string;
  type: string;
  memberId: string;
  memberSequence: number;
  position: number;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastErrorCode: WebhookFailureCode | null;
  failedAt: Date;
}

export async function deadLetters(db: DbOrTx, opts: { subscriber?: string; limit: number }): Promise<DeadLetter[]> {
  const rows = await db
    .select({ d: outboxDeliveries, type: outboxEvents.type })
    .from(outboxDeliveries)
    .innerJoin(outboxEvents, eq(outboxEvents.id, outboxDeliveries.eventId))
    .where(and(eq(outboxDeliveries.status, 'dead'), opts.subscriber ? eq(outboxDeliveries.subscriber, opts.subscriber) : undefined))
    .orderBy(asc(outboxDeliveries.position))
    .limit(opts.limit);
  return rows.map(({ d, type }) => ({
    deliveryId: d.id,
    subscriber: d.subscriber,
    eventId: d.eventId,
    type,
    memberId: d.memberId,
    memberSequence: d.memberSeq,
    position: d.position,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    lastErrorCode: d.lastErrorCode,
    failedAt: d.nextAttemptAt,
  }));
}

/** A dead letter sent again: pending now, its attempts counted afresh. Returns whether it was dead. */
export async function retryDead(db: DbOrTx, deliveryId: number): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .update(outboxDeliveries)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()` })
    .where(and(eq(outboxDeliveries.id, deliveryId), eq(outboxDeliveries.status, 'dead')))
    .returning();
  return row;
}

/**
 * Replay from a position for one subscriber: every event from `position` on that it takes is sent
 * again (delivered ones too — the receiver dedupes by event id), and ones it never had (a
 * subscriber added later) are added. Returns how many deliveries were queued.
 */
export async function replayFrom(db: DbOrTx, subscriber: SubscriberTypes, position: number): Promise<number> {
  return atomically(db, async (tx) => {
    await tx.execute(sql`
      insert into outbox_deliveries (subscriber, event_id, position, member_id, member_seq)
      select ${subscriber.id}, e.id, e.position, e.member_id, e.member_seq
        from outbox_events e join members m on m.id = e.member_id
       where e.position >= ${position} and e.type = any(${`{${subscriber.types.join(',')}}`}::text[]) and e.fanned_out_at is not null
         and (${subscriber.unionCode}::text is null or m.union_code = ${subscriber.unionCode})
      on conflict (subscriber, event_id) do nothing`);
    const queued = await tx
      .update(outboxDeliveries)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: sql`now()`, deliveredAt: null })
      .where(and(eq(outboxDeliveries.subscriber, subscriber.id), gte(outboxDeliveries.position, position)))
      .returning({ id: outboxDeliveries.id });
    return queued.length;
  });
}

export interface OutboxSummary {
  subscriber: string;
  pending: number;
  delivered: number;
  dead: number;
  lastDeliveredPosition: number | null;
}

export async function summary(db: DbOrTx): Promise<{ unfanned: number; lastPosition: number | null; subscribers: OutboxSummary[] }> {
  const [head] = await db
    .select({ last: sql<string | null>`max(${outboxEvents.position})`, unfanned: sql<number>`(count(*) filter (where ${outboxEvents.fannedOutAt} is null))::int` })
    .from(outboxEvents);
  const rows = await db
    .select({
      subscriber: outboxDeliveries.subscriber,
      pending: sql<number>`(count(*) filter (where ${outboxDeliveries.status} = 'pending'))::int`,
      delivered: sql<number>`(count(*) filter (where ${outboxDeliveries.status} = 'delivered'))::int`,
      dead: sql<number>`(count(*) filter (where ${outboxDeliveries.status} = 'dead'))::int`,
      last: sql<string | null>`max(${outboxDeliveries.position}) filter (where ${outboxDeliveries.status} = 'delivered')`,
    })
    .from(outboxDeliveries)
    .groupBy(outboxDeliveries.subscriber)
    .orderBy(asc(outboxDeliveries.subscriber));
  return {
    unfanned: head?.unfanned ?? 0,
    lastPosition: head?.last == null ? null : Number(head.last),
    subscribers: rows.map((r) => ({ subscriber: r.subscriber, pending: r.pending, delivered: r.delivered, dead: r.dead, lastDeliveredPosition: r.last == null ? null : Number(r.last) })),
  };
}

export async function findDelivery(db: DbOrTx, id: number): Promise<DeliveryRow | undefined> {
  return (await db.select().from(outboxDeliveries).where(eq(outboxDeliveries.id, id)))[0];
}

export async function deliveriesOf(db: DbOrTx, subscriber: string): Promise<DeliveryRow[]> {
  return db.select().from(outboxDeliveries).where(eq(outboxDeliveries.subscriber, subscriber)).orderBy(asc(outboxDeliveries.position));
}

