import { describe, expect, it } from 'vitest';
import { activePeriod, memberStatus, membershipStatus, mergeIntervals, overlaps, storedMembershipStatus, type Period } from '../../../domain/membership/periods';

const open = (startDate: string): Period => ({ startDate, endDate: null });
const closed = (startDate: string, endDate: string, endReason: string | null = null): Period => ({ startDate, endDate, endReason });

describe('membershipStatus', () => {
  it('is none without periods', () => {
    expect(membershipStatus([], '2025-01-01')).toBe('none');
  });

  it('is active from the start day through the end day, inclusive', () => {
    const periods = [closed('2025-01-10', '2025-03-31')];
    expect(membershipStatus(periods, '2025-01-09')).toBe('starting');
    expect(membershipStatus(periods, '2025-01-10')).toBe('active');
    expect(membershipStatus(periods, '2025-03-31')).toBe('active');
    expect(membershipStatus(periods, '2025-04-01')).toBe('ended');
  });

  it('is active on an open period however far ahead', () => {
    expect(membershipStatus([open('2020-02-29')], '2099-12-31')).toBe('active');
  });

  it('counts a one-day membership (resigned before it started)', () => {
    const periods = [closed('2025-05-01', '2025-05-01', 'resignation')];
    expect(membershipStatus(periods, '2025-05-01')).toBe('active');
    expect(membershipStatus(periods, '2025-05-02')).toBe('ended');
  });

  it('prefers active over starting, and starting over ended (rejoined member)', () => {
    const periods = [closed('2020-01-01', '2021-06-30'), open('2025-09-01')];
    expect(membershipStatus(periods, '2021-01-01')).toBe('active');
    expect(membershipStatus(periods, '2024-01-01')).toBe('starting');
    expect(membershipStatus(periods, '2025-09-01')).toBe('active');
  });

  it('refuses malformed input', () => {
    expect(() => membershipStatus([closed('2025-03-01', '2025-02-28')], '2025-03-01')).toThrow('periods[0]: endDate 2025-02-28 is before startDate 2025-03-01');
    expect(() => membershipStatus([open('2025-02-30')], '2025-03-01')).toThrow('periods[0].startDate');
    expect(() => membershipStatus([], '1.3.2025')).toThrow('today must be a date');
  });
});

describe('storedMembershipStatus', () => {
  it('agrees with membershipStatus on well-formed periods, at the start and end days', () => {
    const periods = [closed('2025-01-10', '2025-03-31')];
    for (const day of ['2025-01-09', '2025-01-10', '2025-03-31', '2025-04-01']) {
      expect(storedMembershipStatus(periods, day)).toBe(membershipStatus(periods, day));
    }
    expect(storedMembershipStatus([], '2025-01-01')).toBe('none');
  });

  it('never counts a period cut short before its start as active', () => {
    // An approved application starting 1.6., the member died on 15.5.: the period ends before it starts.
    const cut = [closed('2025-06-01', '2025-05-15', 'death')];
    expect(storedMembershipStatus(cut, '2025-05-20')).toBe('starting');
    expect(storedMembershipStatus(cut, '2025-06-01')).toBe('ended');
    expect(storedMembershipStatus([...cut, closed('2020-01-01', '2025-05-15', 'death')], '2025-05-15')).toBe('active');
  });

  it('refuses a today that is not a date', () => {
    expect(() => storedMembershipStatus([], '2025-1-1')).toThrow('today must be a date');
  });
});

describe('memberStatus', () => {
  it('is deceased once a date of death is recorded, whatever the periods say', () => {
    expect(memberStatus({ periods: [open('2020-01-01')], dateOfDeath: '2025-05-15' }, '2025-05-10')).toBe('deceased');
    expect(memberStatus({ periods: [], dateOfDeath: '2025-05-15' }, '2025-05-20')).toBe('deceased');
  });

  it('is the stored membership status otherwise', () => {
    expect(memberStatus({ periods: [open('2025-06-01')], dateOfDeath: null }, '2025-05-31')).toBe('starting');
    expect(memberStatus({ periods: [open('2025-06-01')], dateOfDeath: null }, '2025-06-01')).toBe('active');
    expect(memberStatus({ periods: [closed('2025-06-01', '2025-05-15')], dateOfDeath: null }, '2025-07-01')).toBe('ended');
    expect(memberStatus({ periods: [], dateOfDeath: null }, '2025-06-01')).toBe('none');
  });
});

describe('activePeriod', () => {
  it('finds the period in force on a day, or nothing', () => {
    const first = closed('2020-01-01', '2021-06-30', 'resignation');
    const second = open('2022-01-01');
    expect(activePeriod([first, second], '2021-06-30')).toBe(first);
    expect(activePeriod([first, second], '2021-07-01')).toBeUndefined();
    expect(activePeriod([first, second], '2022-01-01')).toBe(second);
  });

  it('picks the period joined last when periods overlap (domain.md §1.1)', () => {
    const older = open('2020-01-01');
    const newer = closed('2024-03-01', '2024-12-31');
    expect(activePeriod([newer, older], '2024-06-01')).toBe(newer);
    expect(activePeriod([newer, older], '2025-01-01')).toBe(older);
  });
});

describe('overlaps', () => {
  it('treats end days as inclusive', () => {
    expect(overlaps(closed('2025-01-01', '2025-01-31'), closed('2025-01-31', '2025-02-28'))).toBe(true);
    expect(overlaps(closed('2025-01-01', '2025-01-30'), closed('2025-01-31', '2025-02-28'))).toBe(false);
  });

  it('treats a null end as open-ended, in either argument', () => {
    expect(overlaps(open('2025-01-01'), closed('2030-01-01', '2030-01-01'))).toBe(true);
    expect(overlaps(closed('2030-01-01', '2030-01-01'), open('2025-01-01'))).toBe(true);
    expect(overlaps(open('2025-01-01'), closed('2024-01-01', '2024-12-31'))).toBe(false);
    expect(overlaps(open('2025-01-01'), open('2020-01-01'))).toBe(true);
  });
});

describe('mergeIntervals', () => {
  it('merges overlapping and adjacent periods, and keeps gaps', () => {
    expect(
      mergeIntervals([
        closed('2024-03-01', '2024-03-31'),
        closed('2024-01-01', '2024-02-15'),
        closed('2024-02-10', '2024-02-29'),
        closed('2024-04-02', '2024-04-30'),
      ]),
    ).toEqual([
      { startDate: '2024-01-01', endDate: '2024-03-31' },
      { startDate: '2024-04-02', endDate: '2024-04-30' },
    ]);
  });

  it('joins a fund switch (old ends the day before the new starts) into one stretch', () => {
    expect(mergeIntervals([closed('2020-01-01', '2024-12-31'), open('2025-01-01')])).toEqual([{ startDate: '2020-01-01', endDate: null }]);
  });

  it('lets an open period swallow everything after its start', () => {
    expect(mergeIntervals([open('2020-01-01'), closed('2021-01-01', '2021-12-31'), closed('2019-01-01', '2019-12-30')])).toEqual([
      { startDate: '2019-01-01', endDate: '2019-12-30' },
      { startDate: '2020-01-01', endDate: null },
    ]);
  });

  it('keeps a contained period from shortening the outer one', () => {
    expect(mergeIntervals([closed('2024-01-01', '2024-12-31'), closed('2024-03-01', '2024-03-31')])).toEqual([{ startDate: '2024-01-01', endDate: '2024-12-31' }]);
  });

  it('does not change its input', () => {
    const input = [closed('2024-02-01', '2024-02-29'), closed('2024-01-01', '2024-01-31')];
    const copy = structuredClone(input);
    mergeIntervals(input);
    expect(input).toEqual(copy);
  });
});
