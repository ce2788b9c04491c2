/**
 * The events the register tells the other systems (issue 13, "Events out";
 * docs/decisions/018-outbox.md). Each is written to the outbox in the transaction of the change it
 * reports (db/repositories/outbox.ts `recordEvent`), and delivered to the subscribed systems.
 *
 * Payloads are thin on purpose: ids, dates, codes and the names of changed fields — never a name,
 * an address, an identity code, an e-mail or a phone number. A receiver that needs the data reads
 * it through the read API (decision 016), where its scope and row filter apply and the read is
 * audited. The member is named by the register's internal id (`memberId`, in the envelope).
 */
import * as v from 'valibot';

const isoDate = v.pipe(v.string(), v.isoDate());
const uuid = v.pipe(v.string(), v.uuid());

export const periodEndReasonValues = ['resignation', 'fund-switch', 'death', 'age-limit', 'expulsion', 'eligibility', 'correction'] as const;

/** Each event type and its payload schema; the JSON Schemas published at /api/v1/events/schemas come from these. */
export const eventPayloadSchemas = {
  /** A membership period opened: an approved application (join), with the channel it came through. */
  'membership.joined': v.object({ periodId: uuid, startDate: isoDate, channel: v.string(), unionCode: v.nullable(v.string()) }),
  /** A period ended (or ended earlier than before): the end date and its reason. */
  'membership.period_ended': v.object({ periodId: uuid, endDate: isoDate, endReason: v.picklist(periodEndReasonValues) }),
  /** A period ended by the reasons named was opened again (a withdrawn resignation, a reinstatement). */
  'membership.period_reopened': v.object({ periodId: uuid, previousEndDate: isoDate }),
  /** A period in a previous fund recorded, counting toward the membership condition. */
  'membership.transferred_period_recorded': v.object({ fundName: v.string(), fundBusinessId: v.nullable(v.string()), startDate: isoDate, endDate: isoDate, paidThrough: v.nullable(isoDate) }),
  /** Contact data or delivery preferences changed: which fields, from when (not their values). */
  'member.contact_changed': v.object({ fields: v.array(v.string()), effectiveFrom: isoDate }),
  /** A change of the member's status that is not a period: death recorded, name or identity code corrected, non-disclosure. */
  'member.status_changed': v.object({ change: v.picklist(['deceased', 'name-changed', 'identity-code-corrected', 'non-disclosure-changed']), effectiveFrom: isoDate }),
  /** A reminder level of an overdue invoice was sent. */
  'collection.reminder_sent': v.object({ invoiceId: uuid, level: v.pipe(v.number(), v.integer()), sentOn: isoDate, newDueDate: isoDate }),
  /** A caseworker put the member's collection on hold until a date. */
  'collection.held': v.object({ holdId: uuid, reason: v.picklist(['payment-plan', 'dispute', 'benefit-deduction', 'other']), until: isoDate }),
  /** The hold ended early (resumed by a caseworker). */
  'collection.resumed': v.object({ holdId: uuid }),
  /** A hearing before an expulsion began: its deadline for the member's explanation. */
  'expulsion.hearing_started': v.object({ hearingId: uuid, startedOn: isoDate, deadline: isoDate }),
  /** The hearing's status changed (awaiting decision, closed as paid or without expulsion, expelled). */
  'expulsion.hearing_status_changed': v.object({ hearingId: uuid, status: v.string() }),
  /** The member was expelled: the effective date and the appeal deadline. */
  'expulsion.decided': v.object({ decisionId: uuid, hearingId: uuid, effectiveDate: isoDate, appealDeadline: isoDate }),
  /** The expulsion was undone (corrected by the fund or overturned on appeal); the membership was reinstated. */
  'expulsion.reinstated': v.object({ decisionId: uuid, reinstatedOn: isoDate }),
  /** An appeal against the expulsion was received or its status changed. */
  'expulsion.appeal_changed': v.object({ appealId: uuid, decisionId: v.nullable(uuid), status: v.string(), late: v.nullable(v.boolean()) }),
} as const;

export type EventType = keyof typeof eventPayloadSchemas;
export const eventTypes = Object.keys(eventPayloadSchemas) as EventType[];
export type EventPayload<T extends EventType> = v.InferOutput<(typeof eventPayloadSchemas)[T]>;

/** What a change writes: the type, the member, and the payload of that type. */
export type NewEvent = { [T in EventType]: { type: T; memberId: string; payload: EventPayload<T> } }[EventType];

/** The envelope every delivery carries (the body of the webhook POST). */
export const eventEnvelopeSchema = v.object({
  /** The receiver's idempotency key: the same event is sent with the same id however often it is retried or replayed. */
  id: uuid,
  type: v.picklist(eventTypes),
  /** The register's internal member id. */
  memberId: uuid,
  /** 1, 2, 3, … per member, without gaps: a receiver can tell it missed one. */
  memberSequence: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** The outbox position (grows with every event; replay starts from one). */
  position: v.pipe(v.number(), v.integer(), v.minValue(1)),
  occurredAt: v.pipe(v.string(), v.isoTimestamp()),
  payload: v.record(v.string(), v.unknown()),
});
export type EventEnvelope = v.InferOutput<typeof eventEnvelopeSchema>;

/**
 * Whether a subscriber's pattern list takes an event type: exact types, `prefix.*` for a family,
 * or `*` for all.
 */
export function subscribesTo(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/**
 * The wait before attempt `attempt + 1` after `attempt` failures: exponential from `baseMs`
 * (doubling), capped at `maxMs`. Deterministic; the jitter, if any, is the caller's.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  const n = Math.max(1, attempt);
  return Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
}

/** Whether a delivery that has failed `attempts` times is given up (a dead letter). */
export function isDeadLetter(attempts: number, maxAttempts: number): boolean {
  return attempts >= maxAttempts;
}

/**
 * A subscribed system, configured like the API clients of decision 016: its id (the client id the
 * fund gave it at the IdP, e.g. `ekj`), the event types it takes (patterns, see subscribesTo), its
 * webhook URL and HMAC secret; a union's subscriber names its union code and gets only the events
 * of its own members (the row filter of decision 016, applied when the deliveries are made).
 */
export const subscriberSchema = v.strictObject({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a client id such as ekj')),
  url: v.pipe(v.string(), v.url('must be a URL'), v.regex(/^https?:\/\//, 'must be http(s)')),
  types: v.pipe(v.array(v.string()), v.minLength(1, 'must name at least one type or pattern')),
  secret: v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters')),
  unionCode: v.optional(v.nullable(v.pipe(v.string(), v.regex(/^\d{3}$/, 'must be a union code of three digits'))), null),
});
export type Subscriber = v.InferOutput<typeof subscriberSchema>;
export const subscribersSchema = v.array(subscriberSchema);

export interface OutboxSettings {
  subscribers: readonly Subscriber[];
  /** Failed attempts after which a delivery is a dead letter. */
  maxAttempts: number;
  /** The first retry's wait; doubled per failure up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long one POST may take before it counts as failed. */
  timeoutMs: number;
  /** The delivery process's wait when nothing is due. */
  pollEveryMs: number;
  /**
   * How long a delivered delivery row is kept (the event itself is kept): older ones are deleted a
   * batch at a time by the delivery step. A replay from a position makes them again.
   */
  retainDeliveredMs: number;
}

export const defaultOutboxSettings: OutboxSettings = { subscribers: [], maxAttempts: 10, retryBaseMs: 5_000, retryMaxMs: 3_600_000, timeoutMs: 10_000, pollEveryMs: 2_000, retainDeliveredMs: 30 * 24 * 3_600_000 };

/** The exact event types a subscriber's patterns take. */
export function typesOf(subscriber: Pick<Subscriber, 'types'>): EventType[] {
  return eventTypes.filter((t) => subscribesTo(subscriber.types, t));
}
