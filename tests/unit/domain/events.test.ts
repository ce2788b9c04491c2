import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { eventPayloadSchemas, eventTypes, isDeadLetter, retryDelayMs, subscribersSchema, subscribesTo, typesOf } from '../../../domain/events';
import { sign, verifySignature } from '../../../integrations/adapters/webhook';

describe('event types and subscriptions', () => {
  it('matches exact types, families and all', () => {
    expect(subscribesTo(['membership.*'], 'membership.period_ended')).toBe(true);
    expect(subscribesTo(['membership.*'], 'member.contact_changed')).toBe(false);
    expect(subscribesTo(['member.contact_changed'], 'member.contact_changed')).toBe(true);
    expect(subscribesTo(['*'], 'expulsion.decided')).toBe(true);
    expect(typesOf({ types: ['collection.*'] })).toEqual(['collection.reminder_sent', 'collection.held', 'collection.resumed']);
  });

  it('has a payload schema for every type, and refuses a payload with a missing field', () => {
    expect(eventTypes).toHaveLength(Object.keys(eventPayloadSchemas).length);
    expect(v.safeParse(eventPayloadSchemas['membership.period_ended'], { periodId: '7f1c0f52-4f7e-4c5e-9a59-3f6d2b1e0c11', endDate: '2025-01-31' }).success).toBe(false);
  });

  it('backs off exponentially up to the cap, and gives up after the attempts', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1000, 10_000))).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(isDeadLetter(9, 10)).toBe(false);
    expect(isDeadLetter(10, 10)).toBe(true);
  });

  it('parses the subscriber configuration and refuses a short secret', () => {
    const ok = v.safeParse(subscribersSchema, [{ id: 'ekj', url: 'https://ekj.example.fi/hook', types: ['membership.*'], secret: 'x'.repeat(32) }]);
    expect(ok.success && ok.output[0]!.unionCode).toBe(null);
    expect(v.safeParse(subscribersSchema, [{ id: 'ekj', url: 'https://ekj.example.fi/hook', types: ['*'], secret: 'short' }]).success).toBe(false);
  });
});

describe('webhook signature', () => {
  const secret = 's'.repeat(40);
  it('verifies its own signature and refuses a changed body, another secret or an old timestamp', () => {
    const now = 1_800_000_000;
    const sig = sign(secret, String(now), '{"a":1}');
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, String(now), '{"a":1}', sig, now)).toBe(true);
    expect(verifySignature(secret, String(now), '{"a":2}', sig, now)).toBe(false);
    expect(verifySignature('t'.repeat(40), String(now), '{"a":1}', sig, now)).toBe(false);
    expect(verifySignature(secret, String(now), '{"a":1}', sig, now + 301)).toBe(false);
  });
});
