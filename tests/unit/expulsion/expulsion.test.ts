import { describe, expect, it } from 'vitest';
import {
  appealDeadline,
  defaultExpulsionRules,
  expulsionEffectiveDate,
  expulsionPeriodEnd,
  hearingDeadlineDate,
  isLateAppeal,
  notificationDate,
  periodsCountingAfterExpulsion,
} from '../../../domain/expulsion';
import { getFundProfile } from '../../../domain/fundProfile';

describe('expulsion effective date per fund rule (domain.md §1.4)', () => {
  it("'unpaid_from' takes the first day the unpaid fees cover (the law's wording)", () => {
    expect(expulsionEffectiveDate('unpaid_from', '2026-04-01')).toBe('2026-04-01');
    expect(expulsionPeriodEnd(expulsionEffectiveDate('unpaid_from', '2026-04-01'))).toBe('2026-03-31');
  });

  it("'unpaid_year_start' takes 1 January of the unpaid year (KOKO)", () => {
    expect(expulsionEffectiveDate('unpaid_year_start', '2026-04-01')).toBe('2026-01-01');
    expect(expulsionPeriodEnd('2026-01-01')).toBe('2025-12-31');
  });

  it('refuses what is not a date', () => {
    expect(() => expulsionEffectiveDate('unpaid_from', '1.4.2026')).toThrow(/not a date/);
  });

  it('ships A-kassa on the law and KOKO on the start of the year', () => {
    expect(getFundProfile('a-kassa').expulsion.effectiveDate).toBe('unpaid_from');
    expect(getFundProfile('koko').expulsion.effectiveDate).toBe('unpaid_year_start');
    expect(defaultExpulsionRules).toMatchObject({ appealWindowDays: 30, notificationDelayDays: 7, fourEyes: false });
  });
});

describe('appeal window: 30 days from notification, notified on the 7th day after mailing', () => {
  const rules = { appealWindowDays: 30, notificationDelayDays: 7 };

  it('counts the notification and the deadline from the mailing day', () => {
    expect(notificationDate('2026-05-04', 7)).toBe('2026-05-11');
    expect(appealDeadline('2026-05-04', rules)).toBe('2026-06-10');
    // Across a month end and a year end.
    expect(appealDeadline('2026-12-20', rules)).toBe('2027-01-26');
  });

  it('flags an appeal after the deadline as late, the deadline day itself in time', () => {
    const deadline = appealDeadline('2026-05-04', rules);
    expect(isLateAppeal('2026-06-10', deadline)).toBe(false);
    expect(isLateAppeal('2026-06-11', deadline)).toBe(true);
    expect(isLateAppeal('2026-05-05', deadline)).toBe(false);
  });
});

describe('hearing deadline date', () => {
  it('is the start plus the configured wait, whole days rounded up', () => {
    expect(hearingDeadlineDate('2026-03-01', 14 * 86_400_000)).toBe('2026-03-15');
    expect(hearingDeadlineDate('2026-03-01', 5_000)).toBe('2026-03-02');
  });
});

describe('an expelled member loses the accrued membership condition', () => {
  it('drops every period up to the expulsion, transferred ones included, and keeps a later rejoin', () => {
    const own = [
      { startDate: '2023-01-01', endDate: '2025-12-31', endReason: 'expulsion' },
      { startDate: '2026-06-01', endDate: null, endReason: null },
    ];
    const transferred = [{ startDate: '2020-01-01', endDate: '2022-12-31', endReason: null }];
    expect(periodsCountingAfterExpulsion(own, transferred)).toEqual([own[1]]);
  });

  it('changes nothing without an expulsion (or after a reinstatement cleared it)', () => {
    const own = [{ startDate: '2023-01-01', endDate: null, endReason: null }];
    const transferred = [{ startDate: '2020-01-01', endDate: '2022-12-31', endReason: null }];
    expect(periodsCountingAfterExpulsion(own, transferred)).toEqual([...own, ...transferred]);
  });
});
