import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../../domain/dates';
import { monthAnniversary } from '../../../domain/membership/months';
import { fundSwitchEnd, switchEndDate, transferEligible, type TransferInput } from '../../../domain/membership/fundSwitch';

describe('switchEndDate', () => {
  it('is the day before the new membership starts, across month, year and leap days', () => {
    expect(switchEndDate('2025-06-15')).toBe('2025-06-14');
    expect(switchEndDate('2025-03-01')).toBe('2025-02-28');
    expect(switchEndDate('2024-03-01')).toBe('2024-02-29');
    expect(switchEndDate('2025-01-01')).toBe('2024-12-31');
  });

  it('names a malformed date', () => {
    expect(() => switchEndDate('2025-13-01')).toThrow('newFundStartDate');
  });
});

describe('fundSwitchEnd', () => {
  it('ends the day before the new fund starts, the fee owed to the end of that month', () => {
    expect(fundSwitchEnd({ newFundStartDate: '2025-04-01', periodStart: '2020-01-01' })).toEqual({ endDate: '2025-03-31', feeOwedUntil: '2025-03-31' });
    expect(fundSwitchEnd({ newFundStartDate: '2025-03-15', periodStart: '2020-01-01' })).toEqual({ endDate: '2025-03-14', feeOwedUntil: '2025-03-31' });
  });

  it('never ends before the period began: a new fund starting on or before it leaves one day', () => {
    expect(fundSwitchEnd({ newFundStartDate: '2025-03-02', periodStart: '2025-03-01' })).toEqual({ endDate: '2025-03-01', feeOwedUntil: '2025-03-31' });
    expect(fundSwitchEnd({ newFundStartDate: '2025-03-01', periodStart: '2025-03-01' })).toEqual({ endDate: '2025-03-01', feeOwedUntil: '2025-03-31' });
    expect(fundSwitchEnd({ newFundStartDate: '2025-01-10', periodStart: '2025-03-01' })).toEqual({ endDate: '2025-03-01', feeOwedUntil: '2025-03-31' });
  });

  it('refuses dates in another form', () => {
    expect(() => fundSwitchEnd({ newFundStartDate: '1.4.2025', periodStart: '2020-01-01' })).toThrow('newFundStartDate');
    expect(() => fundSwitchEnd({ newFundStartDate: '2025-04-01', periodStart: '2020-1-1' })).toThrow('periodStart');
  });
});

describe('transferEligible', () => {
  const base = (previousEnd: string, newStart: string, extra: Partial<TransferInput> = {}): TransferInput => ({
    previousEnd,
    newStart,
    expelled: false,
    feesPaidThrough: previousEnd,
    ...extra,
  });

  // [previous end, latest qualifying new start]
  it.each([
    ['2025-01-15', '2025-02-16'], // gap 16 Jan–15 Feb
    ['2025-01-31', '2025-03-01'], // gap = all of February
    ['2024-01-31', '2024-03-01'], // gap = all of February, leap year
    ['2025-02-28', '2025-04-01'], // gap = all of March
    ['2024-02-28', '2024-03-29'], // gap from the leap day 29 Feb to 28 Mar
    ['2024-02-29', '2024-04-01'], // left on the leap day: gap = all of March
    ['2025-01-30', '2025-03-01'], // gap from 31 Jan runs to the end of February
    ['2024-01-30', '2024-03-01'], // same, leap year
    ['2024-01-28', '2024-02-29'], // gap 29 Jan–28 Feb 2024
    ['2025-01-28', '2025-03-01'], // gap from 29 Jan: February 2025 has no 29th
    ['2025-03-30', '2025-05-01'], // gap from 31 Mar runs to the end of April
    ['2025-04-29', '2025-05-30'],
    ['2024-12-31', '2025-02-01'], // across the year: gap = all of January
  ])('left %s → may start by %s, not a day later', (previousEnd, latest) => {
    const onTime = transferEligible(base(previousEnd, latest));
    expect(onTime).toMatchObject({ eligible: true, code: 'within-gap', latestStart: latest });
    const late = transferEligible(base(previousEnd, addDays(latest, 1)));
    expect(late).toMatchObject({ eligible: false, code: 'gap-too-long', latestStart: latest });
    expect(late.reason).toContain(`latest start ${latest}`);
  });

  it('lets the gap be one month from the first day without membership, every day of two years', () => {
    for (let d = '2024-01-01'; d <= '2025-12-31'; d = addDays(d, 1)) {
      const latest = monthAnniversary(addDays(d, 1), 1);
      // Never shorter than addMonths would make it, and at most the few clamped days longer.
      const clamped = addMonths(addDays(d, 1), 1);
      expect(latest >= clamped && addDays(clamped, 3) >= latest).toBe(true);
      expect(transferEligible(base(d, latest)).eligible).toBe(true);
      expect(transferEligible(base(d, addDays(latest, 1))).eligible).toBe(false);
    }
  });

  it('accepts no gap at all, and an overlap', () => {
    expect(transferEligible(base('2025-05-31', '2025-06-01')).eligible).toBe(true);
    expect(transferEligible(base('2025-05-31', '2025-05-15')).eligible).toBe(true);
  });

  it('follows a configured gap of more months', () => {
    expect(transferEligible(base('2025-01-31', '2025-04-01', { gapMaxMonths: 2 })).eligible).toBe(true);
    expect(transferEligible(base('2025-01-31', '2025-04-02', { gapMaxMonths: 2 })).reason).toContain('more than 2 months');
  });

  it('refuses an expelled member whatever the gap', () => {
    expect(transferEligible(base('2025-01-31', '2025-02-01', { expelled: true }))).toMatchObject({ eligible: false, code: 'expelled' });
  });

  it('needs the fees paid to the last day of membership, or an exemption', () => {
    expect(transferEligible(base('2025-01-31', '2025-02-01', { feesPaidThrough: '2025-01-30' }))).toMatchObject({ eligible: false, code: 'fees-unpaid' });
    expect(transferEligible(base('2025-01-31', '2025-02-01', { feesPaidThrough: null })).reason).toContain('not known to be paid');
    expect(transferEligible(base('2025-01-31', '2025-02-01', { feesPaidThrough: '2025-12-31' })).eligible).toBe(true);
    expect(transferEligible(base('2025-01-31', '2025-02-01', { feesPaidThrough: null, feeExemption: true })).eligible).toBe(true);
  });

  it('reports the expulsion first, then the gap, then the fees', () => {
    expect(transferEligible(base('2025-01-31', '2025-06-01', { expelled: true, feesPaidThrough: null })).code).toBe('expelled');
    expect(transferEligible(base('2025-01-31', '2025-06-01', { feesPaidThrough: null })).code).toBe('gap-too-long');
  });

  it('names a malformed argument', () => {
    expect(() => transferEligible(base('2025-02-29', '2025-03-01'))).toThrow('previousEnd');
    expect(() => transferEligible(base('2025-02-28', '2025-03-01', { feesPaidThrough: 'yes' }))).toThrow('feesPaidThrough');
    expect(() => transferEligible(base('2025-02-28', '2025-03-01', { gapMaxMonths: 1.5 }))).toThrow('gapMaxMonths');
  });
});
