import { describe, expect, it } from 'vitest';
import { isAcceptableReceivedOn } from '../../../domain/membership/receipt';

describe('isAcceptableReceivedOn', () => {
  it('takes today and any day of the past 366 days, not tomorrow and not before', () => {
    expect(isAcceptableReceivedOn('2025-03-01', '2025-03-01')).toBe(true);
    expect(isAcceptableReceivedOn('2025-03-02', '2025-03-01')).toBe(false);
    expect(isAcceptableReceivedOn('2024-02-29', '2025-03-01')).toBe(true);
    expect(isAcceptableReceivedOn('2024-02-28', '2025-03-01')).toBe(false);
  });

  it('refuses what is not a date', () => {
    expect(() => isAcceptableReceivedOn('1.3.2025', '2025-03-01')).toThrow('receivedOn must be a date');
  });
});
