import { describe, expect, it } from 'vitest';
import { addDays } from '../../../domain/dates';
import { membershipConditionMonths } from '../../../domain/membership/membershipCondition';
import type { Period } from '../../../domain/membership/periods';

const open = (startDate: string): Period => ({ startDate, endDate: null });
const closed = (startDate: string, endDate: string): Period => ({ startDate, endDate });

// An independent oracle for one continuous stretch, on the platform's UTC calendar (fine in
// tests): the k-th month starts on the same day number k months on, or on the 1st of the month
// after when that month is too short.
function oracle(start: string, through: string): { fullMonths: number; days: number } {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const dayAfter = Date.parse(`${addDays(through, 1)}T00:00:00Z`);
  const monthStart = (k: number) => {
    const daysInTarget = new Date(Date.UTC(y, m - 1 + k + 1, 0)).getUTCDate();
    return d <= daysInTarget ? Date.UTC(y, m - 1 + k, d) : Date.UTC(y, m - 1 + k + 1, 1);
  };
  let k = 0;
  while (monthStart(k + 1) <= dayAfter) k++;
  return { fullMonths: k, days: Math.round((dayAfter - monthStart(k)) / 86_400_000) };
}

describe('membershipConditionMonths', () => {
  it('meets 12 months on 14 Apr 2025 for a member who joined 15 Apr 2024 (domain.md §1.5)', () => {
    expect(membershipConditionMonths([open('2024-04-15')], '2025-04-14')).toEqual({ fullMonths: 12, days: 0, totalDays: 365, metOn12: '2025-04-14' });
    expect(membershipConditionMonths([open('2024-04-15')], '2025-04-13')).toMatchObject({ fullMonths: 11, days: 30, metOn12: '2025-04-14' });
  });

  it('counts the first month day by day: joined 15 Apr → one month on 14 May', () => {
    expect(membershipConditionMonths([open('2024-04-15')], '2024-04-15')).toMatchObject({ fullMonths: 0, days: 1, totalDays: 1 });
    expect(membershipConditionMonths([open('2024-04-15')], '2024-05-13')).toMatchObject({ fullMonths: 0, days: 29 });
    expect(membershipConditionMonths([open('2024-04-15')], '2024-05-14')).toMatchObject({ fullMonths: 1, days: 0 });
  });

  it('runs a month from the 29th–31st to the end of a shorter next month', () => {
    expect(membershipConditionMonths([open('2025-01-31')], '2025-02-27')).toMatchObject({ fullMonths: 0, days: 28 });
    expect(membershipConditionMonths([open('2025-01-31')], '2025-02-28')).toMatchObject({ fullMonths: 1, days: 0 });
    expect(membershipConditionMonths([open('2025-01-31')], '2025-03-30')).toMatchObject({ fullMonths: 2, days: 0 });
    expect(membershipConditionMonths([open('2024-01-30')], '2024-02-29')).toMatchObject({ fullMonths: 1, days: 0 });
    expect(membershipConditionMonths([open('2025-03-01')], '2025-03-31')).toMatchObject({ fullMonths: 1, days: 0 });
  });

  it('counts a leap-day joiner: 12 months met on 28 Feb 2025', () => {
    expect(membershipConditionMonths([open('2024-02-29')], '2025-02-27')).toMatchObject({ fullMonths: 11 });
    expect(membershipConditionMonths([open('2024-02-29')], '2025-02-28')).toMatchObject({ fullMonths: 12, days: 0, totalDays: 366, metOn12: '2025-02-28' });
  });

  it('matches the oracle for continuous membership from many start days', () => {
    for (let start = '2023-12-25'; start <= '2024-03-05'; start = addDays(start, 1)) {
      for (const length of [1, 27, 28, 29, 30, 31, 59, 60, 364, 365, 366, 400]) {
        const through = addDays(start, length - 1);
        expect(membershipConditionMonths([open(start)], through), `${start} through ${through}`).toMatchObject(oracle(start, through));
      }
    }
  });

  it('projects the date the condition will be met when still a member', () => {
    expect(membershipConditionMonths([open('2024-04-15')], '2024-06-01')).toEqual({ fullMonths: 1, days: 18, totalDays: 48, metOn12: '2025-04-14' });
    // A known later end date does not change the "if they stay" projection.
    expect(membershipConditionMonths([closed('2024-04-15', '2024-12-31')], '2024-06-01').metOn12).toBe('2025-04-14');
  });

  it('has no projection when the membership has ended or never was', () => {
    expect(membershipConditionMonths([closed('2024-04-15', '2024-09-30')], '2024-12-01')).toEqual({ fullMonths: 5, days: 16, totalDays: 169, metOn12: null });
    expect(membershipConditionMonths([], '2024-12-01')).toEqual({ fullMonths: 0, days: 0, totalDays: 0, metOn12: null });
    expect(membershipConditionMonths([open('2025-01-01')], '2024-12-01')).toEqual({ fullMonths: 0, days: 0, totalDays: 0, metOn12: null });
  });

  it('keeps the date it was met on after the membership has ended', () => {
    expect(membershipConditionMonths([closed('2020-01-01', '2022-06-30')], '2025-01-01')).toMatchObject({ fullMonths: 30, days: 0, metOn12: '2020-12-31' });
  });

  it('counts overlapping periods once', () => {
    const once = membershipConditionMonths([open('2024-04-15')], '2025-04-14');
    expect(membershipConditionMonths([open('2024-04-15'), closed('2024-06-01', '2024-08-31'), open('2024-04-15')], '2025-04-14')).toEqual(once);
  });

  it('counts a transferred period that runs into this fund as one stretch', () => {
    // Old fund to 31 Dec 2024 (switch), this fund from 1 Jan 2025.
    expect(membershipConditionMonths([closed('2024-04-15', '2024-12-31'), open('2025-01-01')], '2025-04-14')).toMatchObject({ fullMonths: 12, days: 0, metOn12: '2025-04-14' });
  });

  it('lays broken periods end to end: the gap days do not count', () => {
    // 15 Apr–14 Oct 2024 (6 months, 183 days), gap 15–31 Oct (17 days), again from 1 Nov.
    const periods = [closed('2024-04-15', '2024-10-14'), open('2024-11-01')];
    const r = membershipConditionMonths(periods, '2025-04-30');
    expect(r.totalDays).toBe(183 + 181);
    // 12 months from 15 Apr 2024 = 365 days; the 365th member day is 17 days after 14 Apr 2025.
    expect(r).toMatchObject({ fullMonths: 11, days: 30, metOn12: '2025-05-01' });
    expect(membershipConditionMonths(periods, '2025-05-01')).toMatchObject({ fullMonths: 12, days: 0, metOn12: '2025-05-01' });
  });

  it('never goes down as days pass, and metOn12 is the first day with 12 months', () => {
    const periods = [closed('2023-01-31', '2023-03-15'), closed('2023-05-01', '2023-05-31'), open('2023-08-30')];
    let previous = -1;
    let firstMet: string | null = null;
    for (let day = '2023-01-01'; day <= '2024-12-31'; day = addDays(day, 1)) {
      const r = membershipConditionMonths(periods, day);
      const months = r.fullMonths + r.days / 32;
      expect(months).toBeGreaterThanOrEqual(previous);
      previous = months;
      if (firstMet === null && r.fullMonths >= 12) firstMet = day;
    }
    expect(firstMet).not.toBeNull();
    expect(membershipConditionMonths(periods, '2023-12-01').metOn12).toBe(firstMet);
    expect(membershipConditionMonths(periods, '2024-12-31').metOn12).toBe(firstMet);
  });

  it('refuses malformed periods', () => {
    expect(() => membershipConditionMonths([closed('2024-05-01', '2024-04-30')], '2025-01-01')).toThrow('periods[0]');
    expect(() => membershipConditionMonths([], '2025-02-29')).toThrow('onDate');
  });
});
