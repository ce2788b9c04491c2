import { describe, expect, it } from 'vitest';
import { billedMonthsText } from '../../../domain/billing/billedMonths';

describe('billedMonthsText', () => {
  it('names one month', () => {
    expect(billedMonthsText(['2026-12'])).toBe('12/2026');
  });
  it('names a quarter as a range', () => {
    expect(billedMonthsText(['2026-03', '2026-01', '2026-02'])).toBe('1–3/2026');
  });
  it('names a whole year as 1–12', () => {
    expect(billedMonthsText(Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`))).toBe('1–12/2026');
  });
  it('spans the end of a year', () => {
    expect(billedMonthsText(['2026-11', '2026-12', '2027-01', '2027-02'])).toBe('11/2026–2/2027');
  });
  it('joins separate runs and ignores repeats', () => {
    expect(billedMonthsText(['2026-06', '2026-01', '2026-02', '2026-03', '2026-06'])).toBe('1–3/2026, 6/2026');
  });
  it('is empty for no months and refuses a malformed month', () => {
    expect(billedMonthsText([])).toBe('');
    expect(() => billedMonthsText(['2026-13'])).toThrow('YYYY-MM');
  });
});
