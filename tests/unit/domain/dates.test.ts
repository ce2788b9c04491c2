import { describe, expect, it } from 'vitest';
import { addDays, addMonths, ageOn, compareDates, daysBetween, endOfMonth, isIsoDate, maxDate, helsinkiDate, helsinkiDayClock, helsinkiDayStart, todayInHelsinki } from '../../../domain/dates';

// An independent oracle: the platform's UTC calendar (fine in tests, banned in domain code).
function viaDateUtc(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

describe('isIsoDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-12-31', '1899-01-01'])('accepts %s', (s) => {
    expect(isIsoDate(s)).toBe(true);
  });
  it.each(['2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-01', ' 2024-01-01', '2024-01-01T00:00', '', '20240101'])(
    'rejects %j',
    (s) => {
      expect(isIsoDate(s)).toBe(false);
    },
  );
});

describe('addDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2024-05-05', 0)).toBe('2024-05-05');
  });

  it('agrees with the UTC calendar over a long range', () => {
    for (let n = -40_000; n <= 40_000; n += 997) {
      expect(addDays('1999-12-31', n)).toBe(viaDateUtc('1999-12-31', n));
    }
  });

  it('refuses a bad date or a fractional count', () => {
    expect(() => addDays('2023-02-29', 1)).toThrow('"2023-02-29"');
    expect(() => addDays('2023-02-01', 1.5)).toThrow(/whole number/);
  });
});

describe('addMonths', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-05-31', 1)).toBe('2024-06-30');
  });

  it('moves across years in both directions', () => {
    expect(addMonths('2024-11-15', 3)).toBe('2025-02-15');
    expect(addMonths('2024-01-15', -13)).toBe('2022-12-15');
    expect(addMonths('2024-01-15', 0)).toBe('2024-01-15');
  });
});

describe('endOfMonth', () => {
  it.each([
    ['2024-02-10', '2024-02-29'],
    ['2023-02-10', '2023-02-28'],
    ['2024-04-01', '2024-04-30'],
    ['2024-12-31', '2024-12-31'],
  ])('%s -> %s', (d, expected) => {
    expect(endOfMonth(d)).toBe(expected);
  });
});

describe('compareDates and maxDate', () => {
  it('orders dates', () => {
    expect(compareDates('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareDates('2024-01-02', '2024-01-02')).toBe(0);
    expect(compareDates('2025-01-01', '2024-12-31')).toBe(1);
    expect(maxDate('2024-03-01', '2024-02-29')).toBe('2024-03-01');
    expect(maxDate('2024-02-29', '2024-03-01')).toBe('2024-03-01');
  });
});

describe('ageOn', () => {
  it('counts completed years, turning older on the birthday itself', () => {
    expect(ageOn('1957-05-15', '2025-05-14')).toBe(67);
    expect(ageOn('1957-05-15', '2025-05-15')).toBe(68);
    expect(ageOn('1957-05-15', '2025-12-31')).toBe(68);
    expect(ageOn('2000-01-01', '2000-01-01')).toBe(0);
  });

  it('makes a 29 February child older on 1 March in common years', () => {
    expect(ageOn('2004-02-29', '2023-02-28')).toBe(18);
    expect(ageOn('2004-02-29', '2023-03-01')).toBe(19);
    expect(ageOn('2004-02-29', '2024-02-28')).toBe(19);
    expect(ageOn('2004-02-29', '2024-02-29')).toBe(20);
  });
});

describe('daysBetween', () => {
  it('is signed, from the first date to the second', () => {
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2025-01-01', '2024-01-01')).toBe(-366);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2024-06-06', '2024-06-06')).toBe(0);
  });
});

describe('helsinkiDate / todayInHelsinki', () => {
  it('is the Finnish calendar day, not the UTC one', () => {
    // 22:30 UTC in winter (UTC+2) and 21:30 UTC in summer (UTC+3) are already the next day in Helsinki.
    expect(helsinkiDate('2026-01-14T22:30:00Z')).toBe('2026-01-15');
    expect(helsinkiDate('2026-07-14T21:30:00Z')).toBe('2026-07-15');
    expect(helsinkiDate('2026-07-14T20:59:59Z')).toBe('2026-07-14');
    expect(todayInHelsinki(new Date('2026-12-31T22:00:00Z'))).toBe('2027-01-01');
  });

  it('helsinkiDayClock keeps its answer only within that Helsinki day, across midnight and the clock changes both ways', () => {
    let now = new Date(0);
    const today = helsinkiDayClock(() => now);
    const ask = (at: Date) => ((now = at), today());
    // Each pair: the last millisecond of a day, then the first of the next; asked in order and out of order.
    const edges: [string, string, string, string][] = [
      ['2026-01-14T21:59:59.999Z', '2026-01-14', '2026-01-14T22:00:00.000Z', '2026-01-15'],
      ['2026-03-28T21:59:59.999Z', '2026-03-28', '2026-03-28T22:00:00.000Z', '2026-03-29'], // the night summer time begins (29 March 03:00 → 04:00)
      ['2026-03-29T20:59:59.999Z', '2026-03-29', '2026-03-29T21:00:00.000Z', '2026-03-30'], // a 23-hour day
      ['2026-10-25T21:59:59.999Z', '2026-10-25', '2026-10-25T22:00:00.000Z', '2026-10-26'], // a 25-hour day (04:00 → 03:00)
    ];
    for (const [before, dayBefore, after, dayAfter] of edges) {
      expect(ask(new Date(before))).toBe(dayBefore);
      expect(ask(new Date(after))).toBe(dayAfter);
      expect(ask(new Date(before))).toBe(dayBefore);
      expect(ask(new Date(Date.parse(after) + 3_600_000))).toBe(dayAfter);
    }
    for (let t = Date.parse('2026-10-24T00:00:00Z'); t < Date.parse('2026-10-27T00:00:00Z'); t += 15 * 60_000) {
      expect(ask(new Date(t))).toBe(helsinkiDate(t));
    }
  });

  it('refuses what is not an instant', () => {
    expect(() => helsinkiDate('yesterday')).toThrow(RangeError);
  });
});

describe('helsinkiDayStart', () => {
  it('is midnight in Helsinki: UTC+2 in winter, UTC+3 in summer', () => {
    expect(helsinkiDayStart('2025-01-15').toISOString()).toBe('2025-01-14T22:00:00.000Z');
    expect(helsinkiDayStart('2025-07-01').toISOString()).toBe('2025-06-30T21:00:00.000Z');
    // The day summer time begins (03:00 → 04:00) still starts at midnight, UTC+2.
    expect(helsinkiDayStart('2025-03-30').toISOString()).toBe('2025-03-29T22:00:00.000Z');
  });
});
