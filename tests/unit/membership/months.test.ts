import { describe, expect, it } from 'vitest';
import { addDays, ageOn } from '../../../domain/dates';
import { monthAnniversary } from '../../../domain/membership/months';

describe('monthAnniversary', () => {
  it.each([
    ['2024-04-15', 12, '2025-04-15'],
    ['2025-01-31', 1, '2025-03-01'],
    ['2024-01-31', 1, '2024-03-01'],
    ['2024-01-29', 1, '2024-02-29'],
    ['2025-01-29', 1, '2025-03-01'],
    ['2025-03-31', 1, '2025-05-01'],
    ['2025-01-31', 2, '2025-03-31'],
    ['2024-02-29', 12, '2025-03-01'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2025-05-05', 0, '2025-05-05'],
  ])('%s + %i months starts on %s', (start, n, expected) => {
    expect(monthAnniversary(start, n)).toBe(expected);
  });

  it('matches ageOn for yearly anniversaries, leap days included', () => {
    for (const birth of ['1960-02-29', '1956-02-29', '1958-12-31', '1958-03-01']) {
      for (let years = 1; years <= 70; years++) {
        const day = monthAnniversary(birth, years * 12);
        expect(ageOn(birth, day)).toBe(years);
        expect(ageOn(birth, addDays(day, -1))).toBe(years - 1);
      }
    }
  });
});
