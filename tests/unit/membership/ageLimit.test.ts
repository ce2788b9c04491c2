import { describe, expect, it } from 'vitest';
import { addDays, ageOn, compareDates } from '../../../domain/dates';
import { ageLimitEndDate, ageLimitNoticeDate, ageLimitSweepBornBy, ageLimitSweepStep, birthdayOfAge, isAgeLimitDue, isAgeLimitNoticeDue } from '../../../domain/membership/ageLimit';

describe('ageLimitEndDate', () => {
  it.each([
    ['1958-05-15', '2026-05-31'],
    ['1958-05-01', '2026-05-31'],
    ['1958-05-31', '2026-05-31'],
    ['1957-12-31', '2025-12-31'],
    ['1958-01-01', '2026-01-31'],
    ['1960-02-10', '2028-02-29'], // February of a leap year
    ['1961-02-10', '2029-02-28'],
  ])('born %s → membership ends %s', (birth, end) => {
    expect(ageLimitEndDate(birth)).toBe(end);
  });

  it('ends a 29 February birth at the end of February when the 68th birthday exists', () => {
    expect(ageLimitEndDate('1960-02-29')).toBe('2028-02-29');
  });

  it('ends a 29 February birth at the end of March when the 68th year is common (born 2032, turns 68 in 2100)', () => {
    expect(birthdayOfAge('2032-02-29', 68)).toBe('2100-03-01');
    expect(ageLimitEndDate('2032-02-29')).toBe('2100-03-31');
    // Another configured age: 69 for a 1956 leap-day birth falls in common 2025.
    expect(ageLimitEndDate('1956-02-29', 69)).toBe('2025-03-31');
  });

  it('agrees with ageOn: the member is 67 the day before the birthday and the age limit on the end date', () => {
    for (const birth of ['1958-05-15', '1960-02-29', '2032-02-29', '1957-12-31', '1958-01-01']) {
      const birthday = birthdayOfAge(birth, 68);
      expect(ageOn(birth, addDays(birthday, -1))).toBe(67);
      expect(ageOn(birth, birthday)).toBe(68);
      expect(ageOn(birth, ageLimitEndDate(birth))).toBe(68);
    }
  });

  it('follows a configured age limit', () => {
    expect(ageLimitEndDate('1958-05-15', 65)).toBe('2023-05-31');
  });

  it('names a malformed argument', () => {
    expect(() => ageLimitEndDate('1958-02-30')).toThrow('birthDate');
    expect(() => ageLimitEndDate('1958-02-10', -1)).toThrow('age');
  });
});

describe('ageLimitNoticeDate', () => {
  it('is the window before the end date', () => {
    expect(ageLimitNoticeDate('2026-05-31', '30d')).toBe('2026-05-01');
    expect(ageLimitNoticeDate('2028-03-31', '31d')).toBe('2028-02-29');
    expect(ageLimitNoticeDate('2026-05-31', '0d')).toBe('2026-05-31');
  });

  it('rounds a part-day window up, so the notice is never late', () => {
    expect(ageLimitNoticeDate('2026-05-31', '36h')).toBe('2026-05-29');
    expect(ageLimitNoticeDate('2026-05-31', '90s')).toBe('2026-05-30');
  });
});

describe('isAgeLimitDue / isAgeLimitNoticeDue', () => {
  it('is due from the last day of membership on', () => {
    expect(isAgeLimitDue('1958-05-15', '2026-05-30')).toBe(false);
    expect(isAgeLimitDue('1958-05-15', '2026-05-31')).toBe(true);
    expect(isAgeLimitDue('1958-05-15', '2027-01-01')).toBe(true);
  });

  it('is due at the end of March for the 2032 leap-day birth, not February', () => {
    expect(isAgeLimitDue('2032-02-29', '2100-02-28')).toBe(false);
    expect(isAgeLimitDue('2032-02-29', '2100-03-30')).toBe(false);
    expect(isAgeLimitDue('2032-02-29', '2100-03-31')).toBe(true);
  });

  it('sends the notice from the notice date through the end date', () => {
    expect(isAgeLimitNoticeDue('1958-05-15', '2026-04-30', 68, '30d')).toBe(false);
    expect(isAgeLimitNoticeDue('1958-05-15', '2026-05-01', 68, '30d')).toBe(true);
    expect(isAgeLimitNoticeDue('1958-05-15', '2026-05-31', 68, '30d')).toBe(true);
    expect(isAgeLimitNoticeDue('1958-05-15', '2026-06-01', 68, '30d')).toBe(false);
  });
});

describe('ageLimitSweepStep', () => {
  // Born 10.12.1958: 68 on 10.12.2026, membership ends 31.12.2026, notice 30 days before (1.12.).
  const born = '1958-12-10';
  const step = (today: string, endDate: string | null = null) => ageLimitSweepStep({ birthDate: born, endDate }, today, 68, '30d');

  it('does nothing before the notice date, sends the notice from it up to the end date, then the ending message', () => {
    expect(step('2026-11-30')).toBeNull();
    expect(step('2026-12-01')).toEqual({ endDate: '2026-12-31', message: 'age-limit-notice' });
    expect(step('2026-12-31')).toEqual({ endDate: '2026-12-31', message: 'age-limit-notice' });
    expect(step('2027-01-01')).toEqual({ endDate: '2026-12-31', message: 'membership-ended-age' });
  });

  it('leaves a period that already ends by the age-limit date alone until that date has passed', () => {
    expect(step('2026-12-05', '2026-12-15')).toBeNull();
    expect(step('2026-12-05', '2026-12-31')).toBeNull();
    expect(step('2026-12-05', '2027-06-30')).toEqual({ endDate: '2026-12-31', message: 'age-limit-notice' });
    expect(step('2027-01-02', '2026-12-31')).toEqual({ endDate: '2026-12-31', message: 'membership-ended-age' });
  });

  it('refuses a today that is not a date', () => {
    expect(() => step('31.12.2026')).toThrow('today must be a date');
  });
});

describe('ageLimitSweepBornBy', () => {
  it('reaches a month past the notice window, ageLimit years back', () => {
    // 30 days' notice + 31 days: 1.11.2026 + 61 days = 1.1.2027 → born by 1.1.1959.
    expect(ageLimitSweepBornBy('2026-11-01', 68, '30d')).toBe('1959-01-01');
    // Whoever the sweep acts on that day is born by then.
    expect(ageLimitSweepStep({ birthDate: '1959-01-01', endDate: null }, '2026-11-01', 68, '30d')).toBeNull();
    expect(compareDates(ageLimitSweepBornBy('2026-12-01', 68, '30d'), '1958-12-10')).toBeGreaterThanOrEqual(0);
  });

  it('turns a 29 February that the earlier year lacks into 28 February', () => {
    // 30.12.2027 + 61 days = 29.2.2028; 67 years back 1961 has no 29 February.
    expect(ageLimitSweepBornBy('2027-12-30', 67, '30d')).toBe('1961-02-28');
    expect(ageLimitSweepBornBy('2027-12-30', 68, '30d')).toBe('1960-02-29');
  });
});
