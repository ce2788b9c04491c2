import { describe, expect, it } from 'vitest';
import { entrepreneurLimitDate, isEntrepreneurOverLimit } from '../../../domain/membership/entrepreneur';
import { isRecent } from '../../../domain/membership/recentChanges';
import { instantMs } from '../../../domain/membership/instant';

describe('entrepreneurLimitDate', () => {
  it.each([
    ['2024-01-01', '2025-06-30'],
    ['2024-01-15', '2025-07-14'],
    ['2023-08-31', '2025-02-28'], // February has no 31st: the 18th month runs to its end
    ['2022-08-31', '2024-02-29'], // leap February
    ['2024-02-29', '2025-08-28'],
    ['2023-09-30', '2025-03-29'],
  ])('business since %s → last day in a wage-earner fund %s', (since, last) => {
    expect(entrepreneurLimitDate(since)).toBe(last);
  });

  it('follows a configured limit', () => {
    expect(entrepreneurLimitDate('2024-01-01', 12)).toBe('2024-12-31');
    expect(() => entrepreneurLimitDate('2024-01-01', 0)).toThrow('maxMonths');
  });

  it('is over the limit only after the last day', () => {
    expect(isEntrepreneurOverLimit('2024-01-01', '2025-06-30')).toBe(false);
    expect(isEntrepreneurOverLimit('2024-01-01', '2025-07-01')).toBe(true);
    expect(isEntrepreneurOverLimit('2024-01-01', '2024-01-01')).toBe(false);
  });
});

describe('isRecent', () => {
  const now = '2025-03-15T12:00:00Z';

  it('is recent while younger than the window, not at exactly the window', () => {
    expect(isRecent('2025-03-01T12:00:00.001Z', now, '14d')).toBe(true);
    expect(isRecent('2025-03-01T12:00:00Z', now, '14d')).toBe(false);
    expect(isRecent('2025-03-01T11:59:59Z', now, '14d')).toBe(false);
  });

  it('compares instants, not wall-clock text, across offsets', () => {
    expect(isRecent('2025-03-01T14:00:00.001+02:00', now, '14d')).toBe(true);
    expect(isRecent('2025-03-01T14:00:00+02:00', now, '14d')).toBe(false);
  });

  it('keeps a change stamped in the future (clock skew) recent', () => {
    expect(isRecent('2025-03-15T12:00:05Z', now, '14d')).toBe(true);
  });

  it('works with plain dates in whole days', () => {
    expect(isRecent('2025-03-02', '2025-03-15', '14d')).toBe(true);
    expect(isRecent('2025-03-01', '2025-03-15', '14d')).toBe(false);
  });

  it('refuses a timestamp without an offset', () => {
    expect(() => isRecent('2025-03-01T12:00:00', now, '14d')).toThrow(/offset/);
  });
});

describe('instantMs', () => {
  it('agrees with the platform for timestamps with offsets', () => {
    for (const iso of ['1970-01-01T00:00:00Z', '2025-03-01T14:00:00.5+02:00', '2024-02-29T23:59:59.999-05:30', '2000-01-01T00:00Z', '1969-12-31T23:00:00Z']) {
      expect(instantMs(iso)).toBe(Date.parse(iso));
    }
  });

  it('refuses nonsense', () => {
    expect(() => instantMs('2025-02-30T00:00:00Z')).toThrow();
    expect(() => instantMs('2025-03-01T24:00:00Z')).toThrow(/out of range/);
  });
});
