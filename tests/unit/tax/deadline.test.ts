import { describe, expect, it } from 'vitest';
import { easterSunday, filingDeadline, filingWarningFrom, finnishHolidays, isBusinessDay, onOrNextBusinessDay } from '../../../domain/tax';

describe('easterSunday', () => {
  it('matches the published Easter dates of ten years', () => {
    const known: Record<number, string> = {
      2017: '2017-04-16', 2018: '2018-04-01', 2019: '2019-04-21', 2020: '2020-04-12', 2021: '2021-04-04',
      2022: '2022-04-17', 2023: '2023-04-09', 2024: '2024-03-31', 2025: '2025-04-20', 2026: '2026-04-05',
      2027: '2027-03-28', 2028: '2028-04-16', 2029: '2029-04-01',
    };
    for (const [year, date] of Object.entries(known)) expect(easterSunday(Number(year))).toBe(date);
  });
});

describe('finnishHolidays', () => {
  it('has fifteen distinct closed days every year, the Easter-based ones and the moving Saturdays right', () => {
    for (let year = 2017; year <= 2030; year++) {
      const days = finnishHolidays(year);
      expect(new Set(days.map((d) => d.date)).size).toBe(15);
      for (const d of days) expect(d.date.startsWith(String(year))).toBe(true);
    }
    const h2026 = Object.fromEntries(finnishHolidays(2026).map((h) => [h.key, h.date]));
    expect(h2026).toMatchObject({
      'good-friday': '2026-04-03', 'easter-monday': '2026-04-06', ascension: '2026-05-14', whitsun: '2026-05-24',
      'midsummer-eve': '2026-06-19', 'midsummer-day': '2026-06-20', 'all-saints': '2026-10-31',
    });
    const h2025 = Object.fromEntries(finnishHolidays(2025).map((h) => [h.key, h.date]));
    expect(h2025).toMatchObject({ ascension: '2025-05-29', 'midsummer-day': '2025-06-21', 'all-saints': '2025-11-01' });
  });

  it('moves a day off a holiday run to the next business day', () => {
    expect(isBusinessDay('2022-04-15')).toBe(false); // Good Friday
    expect(onOrNextBusinessDay('2022-04-15')).toBe('2022-04-19'); // past Easter Monday
    expect(onOrNextBusinessDay('2025-12-24')).toBe('2025-12-29'); // Christmas Eve, Day, Boxing Day, weekend
    expect(onOrNextBusinessDay('2026-06-19')).toBe('2026-06-22'); // Midsummer
    expect(onOrNextBusinessDay('2026-05-14')).toBe('2026-05-15'); // Ascension Thursday
    expect(onOrNextBusinessDay('2027-01-06')).toBe('2027-01-07'); // Epiphany, a Wednesday
    expect(onOrNextBusinessDay('2026-12-06')).toBe('2026-12-07'); // Independence Day on a Sunday
    expect(onOrNextBusinessDay('2026-03-03')).toBe('2026-03-03');
  });
});

describe('filingDeadline', () => {
  it('is 31 January, or the next business day, over ten payment years', () => {
    const expected: Record<number, string> = {
      2016: '2017-01-31', 2017: '2018-01-31', 2018: '2019-01-31', 2019: '2020-01-31',
      2020: '2021-02-01', // Sunday
      2021: '2022-01-31', 2022: '2023-01-31', 2023: '2024-01-31', 2024: '2025-01-31',
      2025: '2026-02-02', // Saturday
      2026: '2027-02-01', // Sunday
    };
    for (const [year, date] of Object.entries(expected)) expect(filingDeadline(Number(year))).toBe(date);
  });

  it('follows a configured due day onto holidays too', () => {
    expect(filingDeadline(2026, { month: 1, day: 6 })).toBe('2027-01-07');
    expect(filingDeadline(2016, { month: 2, day: 20 })).toBe('2017-02-20'); // the 2017 instructions' day
    expect(filingDeadline(2021, { month: 4, day: 15 })).toBe('2022-04-19');
  });

  it('warns a week before', () => {
    expect(filingWarningFrom(2025, { deadline: { month: 1, day: 31 }, warnDaysBefore: 7 })).toBe('2026-01-26');
  });
});
