/**
 * Webhooks to the subscribed systems (docs/decisions/018-outbox.md): one POST per event, JSON body,
 * signed with HMAC-SHA256 over `<timestamp>.<body>` with the subscriber's secret.
 *
 * Headers:
 * - `Webhook-Id`: the event id (the receiver's idempotency key; the same on every retry and replay)
 * - `Webhook-Timestamp`: seconds since the epoch when this attempt was signed
 * - `Webhook-Signature`: `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
 * A receiver recomputes the HMAC over the raw body, compares in constant time, and refuses a
 * timestamp more than five minutes off (a replayed request).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookFailureCode } from '../../../domain/vocabulary';

export interface WebhookRequest {
  url: string;
  eventId: string;
  body: string;
  secret: string;
  timeoutMs: number;
}

/** 2xx: delivered. Anything else, or a network error (status null), is a failed attempt. */
export interface WebhookResult {
  ok: boolean;
  status: number | null;
  /** Why it failed, as a code the desk translates (decision 070): `http-status` with `status`, `timeout`, `unreachable`. */
  code: WebhookFailureCode | null;
  /** The same in the sender's own words, for an administrator. */
  error: string | null;
}

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResult>;
}

export const signatureHeaders = { id: 'Webhook-Id', timestamp: 'Webhook-Timestamp', signature: 'Webhook-Signature' } as const;

export function sign(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A receiver's check (used by the tests' receiver; shown to integrators in the decision record). */
export function verifySignature(secret: string, timestamp: string, body: string, signature: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The HTTP sender (fetch): what production and the tests use; the tests point it at a real local receiver. */
export function createHttpWebhookSender(opts: { now?: () => number } = {}): WebhookSender {
  const now = opts.now ?? (() => Date.now());
  return {
    async send(r) {
      const timestamp = String(Math.floor(now() / 1000));
      try {
        const res = await fetch(r.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [signatureHeaders.id]: r.eventId,
            [signatureHeaders.timestamp]: timestamp,
            [signatureHeaders.signature]: sign(r.secret, timestamp, r.body),
          },
          body: r.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(r.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        return res.ok ? { ok: true, status: res.status, code: null, error: null } : { ok: false, status: res.status, code: 'http-status', error: `HTTP ${res.status}` };
      } catch (error) {
        const e = error as Error;
        if (e.name === 'TimeoutError') return { ok: false, status: null, code: 'timeout', error: `no answer in ${r.timeoutMs} ms` };
        return { ok: false, status: null, code: 'unreachable', error: (e.cause as Error | undefined)?.message ?? e.message };
      }
    },
  };
}
