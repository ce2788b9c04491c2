/**
 * The outbox's delivery step (docs/decisions/018-outbox.md): make the deliveries of new events,
 * then send what is due to each subscriber's webhook — a member's events in their order, failures
 * retried with exponential backoff and dead after the configured attempts.
 */
import type { Database } from '../db/client';
import * as outbox from '../db/repositories/outbox';
import { isDeadLetter, retryDelayMs, typesOf, type OutboxSettings, type Subscriber } from '../domain/events';
import type { WebhookSender } from '../integrations/adapters/webhook';
import { heartbeat } from './alive';

export interface OutboxDeliveryDeps {
  db: Database;
  outbox: OutboxSettings;
  webhooks: WebhookSender;
}

export interface DeliveryRound {
  fannedOut: number;
  delivered: number;
  failed: number;
  dead: number;
  /** Delivered rows older than the retention deleted in this round. */
  pruned?: number;
}

/** Claimed per transaction: one POST per (subscriber, member) at a time, sent in parallel. */
const batchSize = 50;
/** At most this often, and this many rows at a time, a round deletes delivered rows past their retention. */
const pruneEveryMs = 10 * 60_000;
const pruneBatch = 5_000;

export function createOutboxDeliveryActivities(deps: OutboxDeliveryDeps) {
  const subscribers = new Map<string, Subscriber>(deps.outbox.subscribers.map((s) => [s.id, s]));
  const fanOutTo = deps.outbox.subscribers.map((s) => ({ id: s.id, types: typesOf(s), unionCode: s.unionCode ?? null }));
  let prunedAt = 0;

  /**
   * One round: fan out, then send batches until nothing is due or `budgetMs` is spent. Each batch
   * is claimed, sent and marked in one transaction (its rows locked, skip locked): a worker that
   * dies mid-batch leaves its rows pending, and they are sent again — the receiver dedupes by the
   * event id. Exactly once for the receiver; at least once on the wire.
   */
  async function deliverOutbox(input: { budgetMs?: number } = {}): Promise<DeliveryRound> {
    const until = Date.now() + (input.budgetMs ?? 20_000);
    const round: DeliveryRound = { fannedOut: 0, delivered: 0, failed: 0, dead: 0 };
    for (;;) {
      const n = await outbox.fanOut(deps.db, fanOutTo);
      round.fannedOut += n;
      if (n < 1000) break;
    }
    while (Date.now() < until) {
      const sent = await deps.db.transaction(async (tx) => {
        const ready = await outbox.claimReady(tx, batchSize);
        const results = await Promise.all(
          ready.map(async (d) => {
            const s = subscribers.get(d.subscriber);
            // A subscriber removed from the configuration: its deliveries wait (a replay after it returns sends them).
            if (!s) return { d, result: { ok: false, status: null, code: 'subscriber-not-configured' as const, error: 'subscriber not configured' } };
            const result = await deps.webhooks.send({ url: s.url, eventId: d.event.id, body: JSON.stringify(d.event), secret: s.secret, timeoutMs: deps.outbox.timeoutMs });
            return { d, result };
          }),
        );
        for (const { d, result } of results) {
          if (result.ok) {
            await outbox.markDelivered(tx, d.deliveryId, result.status ?? 200);
            round.delivered++;
          } else {
            const attempts = d.attempts + 1;
            const dead = isDeadLetter(attempts, deps.outbox.maxAttempts);
            await outbox.markFailed(tx, d.deliveryId, { status: result.status, code: result.code ?? 'unreachable', error: result.error ?? 'failed', retryInMs: retryDelayMs(attempts, deps.outbox.retryBaseMs, deps.outbox.retryMaxMs), dead });
            if (dead) round.dead++;
            else round.failed++;
          }
        }
        return ready.length;
      });
      heartbeat(round);
      if (sent === 0) break;
    }
    // Retention, once nothing more is due: the table of deliveries does not grow without end.
    if (Date.now() - prunedAt >= pruneEveryMs && Date.now() < until) {
      prunedAt = Date.now();
      round.pruned = await outbox.pruneDelivered(deps.db, new Date(Date.now() - deps.outbox.retainDeliveredMs), pruneBatch);
    }
    return round;
  }

  return { deliverOutbox };
}

export type OutboxDeliveryActivities = ReturnType<typeof createOutboxDeliveryActivities>;
