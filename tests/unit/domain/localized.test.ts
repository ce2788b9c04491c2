import { describe, expect, it } from 'vitest';
import { formatDate, formatHelsinkiDate } from '../../../domain/localized';

describe('formatDate', () => {
  it('writes d.m.yyyy in Finnish and Swedish and the month name in English', () => {
    expect(formatDate('2025-03-01', 'fi')).toBe('1.3.2025');
    expect(formatDate('2025-03-01', 'sv')).toBe('1.3.2025');
    expect(formatDate('2025-03-01', 'en')).toBe('1 March 2025');
    expect(formatDate('2025-12-31', 'en')).toBe('31 December 2025');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => formatDate('2025-02-29', 'fi')).toThrow('YYYY-MM-DD');
    expect(() => formatDate('1.3.2025', 'fi')).toThrow('YYYY-MM-DD');
  });
});

describe('formatHelsinkiDate', () => {
  it('prints the Finnish day of an instant between 00:00 and 03:00 Helsinki time, not the UTC day', () => {
    // Winter (UTC+2): 00:00 and 01:59 on 2 March in Helsinki are still 1 March in UTC.
    expect(formatHelsinkiDate(new Date('2025-03-01T22:00:00Z'), 'fi')).toBe('2.3.2025');
    expect(formatHelsinkiDate(new Date('2025-03-01T23:59:59Z'), 'sv')).toBe('2.3.2025');
    expect(formatHelsinkiDate(new Date('2025-03-01T21:59:59Z'), 'fi')).toBe('1.3.2025');
    // Summer (UTC+3): 00:00–02:59 on 1 July in Helsinki is 30 June in UTC.
    expect(formatHelsinkiDate(new Date('2025-06-30T21:00:00Z'), 'en')).toBe('1 July 2025');
    expect(formatHelsinkiDate(new Date('2025-06-30T23:59:59Z'), 'fi')).toBe('1.7.2025');
    expect(formatHelsinkiDate(new Date('2025-06-30T20:59:59Z'), 'fi')).toBe('30.6.2025');
  });

  it('turns the year at Helsinki midnight', () => {
    expect(formatHelsinkiDate(new Date('2025-12-31T22:30:00Z'), 'en')).toBe('1 January 2026');
  });
});
