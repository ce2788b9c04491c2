import { describe, expect, it } from 'vitest';
import { countingPeriods, lastExpulsion, membershipOnDate, membershipOverInterval, type StoredPeriod } from '../../../domain/membership/membershipRead';

const period = (startDate: string, endDate: string | null, endReason: string | null = null): StoredPeriod => ({ startDate, endDate, endReason });

describe('membershipOnDate', () => {
  const periods = [period('2024-04-15', '2025-06-30', 'resignation')];

  it('before the period: starting, no period, nothing counted', () => {
    const r = membershipOnDate(periods, [], '2024-04-14');
    expect(r.status).toBe('starting');
    expect(r.periodOnDate).toBeNull();
    expect(r.membershipCondition).toMatchObject({ fullMonths: 0, totalDays: 0, met: false, metOn: null });
  });

  it('within the period: active, the period, the condition met on 14 Apr 2025 (domain.md §1.5)', () => {
    const r = membershipOnDate(periods, [], '2025-04-14');
    expect(r.status).toBe('active');
    expect(r.periodOnDate).toEqual(periods[0]);
    expect(r.membershipCondition).toMatchObject({ asOf: '2025-04-14', fullMonths: 12, days: 0, met: true, metOn: '2025-04-14' });
    expect(membershipOnDate(periods, [], '2025-04-13').membershipCondition).toMatchObject({ fullMonths: 11, met: false, metOn: '2025-04-14' });
  });

  it('after the period: ended, the end reason stays on the period, the months stop counting', () => {
    const r = membershipOnDate(periods, [], '2025-09-01');
    expect(r.status).toBe('ended');
    expect(r.periodOnDate).toBeNull();
    expect(r.membershipCondition.totalDays).toBe(membershipOnDate(periods, [], '2025-06-30').membershipCondition.totalDays);
  });

  it('counts transferred periods from a previous fund', () => {
    const r = membershipOnDate([period('2025-01-01', null)], [{ startDate: '2024-01-01', endDate: '2024-12-31' }], '2025-01-31');
    expect(r.membershipCondition).toMatchObject({ fullMonths: 13, met: true });
  });

  it('an expulsion wipes the membership before it, also when asked about a day before it', () => {
    const ps = [period('2020-01-01', '2023-06-30', 'expulsion'), period('2024-03-01', null)];
    const before = membershipOnDate(ps, [], '2023-06-01');
    expect(before.status).toBe('active');
    expect(before.expelledThrough).toBe('2023-06-30');
    expect(before.membershipCondition).toMatchObject({ totalDays: 0, met: false });
    expect(membershipOnDate([period('2020-01-01', '2023-06-30', 'resignation')], [], '2023-06-01').membershipCondition.met).toBe(true);
    const after = membershipOnDate(ps, [{ startDate: '2019-01-01', endDate: '2019-12-31' }], '2024-03-31');
    expect(after.expelledThrough).toBe('2023-06-30');
    expect(after.membershipCondition).toMatchObject({ fullMonths: 1, days: 0, totalDays: 31, met: false });
  });
});

describe('a period cut to nothing (an ending recorded before its start)', () => {
  const ps = [period('2020-01-01', '2024-12-31', 'resignation'), period('2025-03-01', '2025-02-10', 'death')];
  it('holds no day on the date, in the condition or in an interval, and fails nothing', () => {
    expect(membershipOnDate(ps, [], '2025-03-15')).toMatchObject({ status: 'ended', periodOnDate: null });
    expect(membershipOnDate(ps, [], '2025-02-01').status).toBe('starting');
    expect(membershipOnDate(ps, [], '2025-03-15').membershipCondition.totalDays).toBe(membershipOnDate(ps, [], '2024-12-31').membershipCondition.totalDays);
    expect(membershipOverInterval(ps, '2025-01-01', '2025-12-31')).toMatchObject({ memberDays: 0, stretches: [] });
  });
});

describe('countingPeriods and lastExpulsion', () => {
  it('keeps everything without an expulsion', () => {
    expect(countingPeriods([period('2020-01-01', null)], [{ startDate: '2019-01-01', endDate: '2019-12-31' }])).toHaveLength(2);
    expect(lastExpulsion([period('2020-01-01', '2020-12-31', 'resignation')])).toBeNull();
  });
  it('takes the latest expulsion', () => {
    expect(lastExpulsion([period('2010-01-01', '2012-01-31', 'expulsion'), period('2013-01-01', '2015-01-31', 'expulsion'), period('2016-01-01', null)])).toBe('2015-01-31');
  });
});

describe('membershipOverInterval', () => {
  const ps = [period('2024-01-01', '2024-03-31'), period('2024-04-01', '2024-06-30'), period('2024-09-01', null)];

  it('an interval wholly inside membership (adjacent periods are one stretch)', () => {
    expect(membershipOverInterval(ps, '2024-02-01', '2024-05-31')).toEqual({
      from: '2024-02-01',
      to: '2024-05-31',
      days: 121,
      memberDays: 121,
      wholeInterval: true,
      stretches: [{ startDate: '2024-02-01', endDate: '2024-05-31' }],
    });
  });

  it('a gap inside the interval', () => {
    const r = membershipOverInterval(ps, '2024-06-01', '2024-09-30');
    expect(r.stretches).toEqual([
      { startDate: '2024-06-01', endDate: '2024-06-30' },
      { startDate: '2024-09-01', endDate: '2024-09-30' },
    ]);
    expect(r).toMatchObject({ days: 122, memberDays: 60, wholeInterval: false });
  });

  it('an interval before any membership', () => {
    expect(membershipOverInterval(ps, '2023-01-01', '2023-12-31')).toMatchObject({ memberDays: 0, wholeInterval: false, stretches: [] });
  });

  it('refuses a reversed interval', () => {
    expect(() => membershipOverInterval(ps, '2024-02-01', '2024-01-01')).toThrow(RangeError);
  });
});
