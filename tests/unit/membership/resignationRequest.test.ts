import { describe, expect, it } from 'vitest';
import { remainingConfirmationMs, resignationRequestState } from '../../../domain/membership/resignationRequest';

const now = new Date('2026-12-04T10:00:00.000Z');
const later = new Date('2026-12-18T10:00:00.000Z');
const earlier = new Date('2026-12-04T09:59:59.000Z');

describe('resignationRequestState', () => {
  it('awaits confirmation while the link is valid, and is expired from its expiry on, even before the process says so', () => {
    expect(resignationRequestState('requested', later, now)).toBe('awaiting-confirmation');
    expect(resignationRequestState('requested', earlier, now)).toBe('expired');
    expect(resignationRequestState('requested', now, now)).toBe('expired');
    expect(resignationRequestState('expired', later, now)).toBe('expired');
  });

  it('is confirmed once it became a resignation, and closed when rejected, withdrawn or cancelled', () => {
    expect(resignationRequestState('pending', later, now)).toBe('confirmed');
    expect(resignationRequestState('effective', earlier, now)).toBe('confirmed');
    for (const status of ['rejected', 'withdrawn', 'cancelled'] as const) expect(resignationRequestState(status, later, now)).toBe('closed');
  });
});

describe('remainingConfirmationMs', () => {
  it('is the time left, but never under a second', () => {
    expect(remainingConfirmationMs(later, now)).toBe(14 * 86_400_000);
    expect(remainingConfirmationMs(earlier, now)).toBe(1000);
    expect(remainingConfirmationMs(new Date(now.getTime() + 500), now)).toBe(1000);
  });
});
