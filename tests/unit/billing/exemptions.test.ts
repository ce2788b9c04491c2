import { describe, expect, it } from 'vitest';
import { exemptForPeriod, exemptMonths, periodsLessExemptions } from '../../../domain/billing/exemptions';
import { feeForPeriod } from '../../../domain/billing/fees';
import { getFundProfile } from '../../../domain/fundProfile';

const aKassa = getFundProfile('a-kassa');
const open = (startDate: string) => [{ startDate, endDate: null }];

describe('periodsLessExemptions', () => {
  it('cuts an exemption out of an open period, leaving the days before and after', () => {
    expect(periodsLessExemptions(open('2025-01-01'), [{ startDate: '2025-03-10', endDate: '2025-05-31' }])).toEqual([
      { startDate: '2025-01-01', endDate: '2025-03-09' },
      { startDate: '2025-06-01', endDate: null },
    ]);
  });

  it('an open exemption ends billing from its first day; one covering the period removes it', () => {
    expect(periodsLessExemptions(open('2025-01-01'), [{ startDate: '2025-04-01', endDate: null }])).toEqual([{ startDate: '2025-01-01', endDate: '2025-03-31' }]);
    expect(periodsLessExemptions([{ startDate: '2025-02-01', endDate: '2025-02-28' }], [{ startDate: '2025-01-15', endDate: null }])).toEqual([]);
  });

  it('leaves periods an exemption does not touch, and handles several exemptions and periods', () => {
    const periods = [
      { startDate: '2024-01-01', endDate: '2024-06-30' },
      { startDate: '2025-01-01', endDate: null },
    ];
    const exemptions = [
      { startDate: '2025-02-01', endDate: '2025-02-28' },
      { startDate: '2025-09-01', endDate: '2025-10-15' },
    ];
    expect(periodsLessExemptions(periods, exemptions)).toEqual([
      { startDate: '2024-01-01', endDate: '2024-06-30' },
      { startDate: '2025-01-01', endDate: '2025-01-31' },
      { startDate: '2025-03-01', endDate: '2025-08-31' },
      { startDate: '2025-10-16', endDate: null },
    ]);
  });

  it('refuses an exemption that ends before it starts or is no date', () => {
    expect(() => periodsLessExemptions(open('2025-01-01'), [{ startDate: '2025-05-01', endDate: '2025-04-30' }])).toThrow(/ends \(2025-04-30\) before it starts/);
    expect(() => periodsLessExemptions(open('2025-01-01'), [{ startDate: '2025-13-01', endDate: null }])).toThrow(/not a date/);
  });
});

describe('exemptMonths and the fee', () => {
  it('a month with one paying day of membership is billed; a wholly exempt one is not', () => {
    const exemptions = [{ startDate: '2025-04-10', endDate: '2025-05-31' }];
    // April has 9 paying days, May none.
    expect(exemptMonths(open('2025-01-01'), exemptions, '2025-04-01', '2025-06-30')).toEqual([5]);
    const fee = feeForPeriod(aKassa, periodsLessExemptions(open('2025-01-01'), exemptions), '2025-04-01', '2025-06-30', 'direct');
    expect(fee.months).toEqual([4, 6]);
    expect(fee.amountCents).toBe(1600);
  });

  it('a month whose only membership days are exempt is exempt even if the exemption does not cover the whole month', () => {
    // Membership ends on 10 March; the exemption runs from 1 March: March has no paying day.
    const periods = [{ startDate: '2025-01-01', endDate: '2025-03-10' }];
    expect(exemptMonths(periods, [{ startDate: '2025-03-01', endDate: null }], '2025-01-01', '2025-12-31')).toEqual([3]);
  });

  it('no exemption, or one outside the period, exempts nothing', () => {
    expect(exemptMonths(open('2025-01-01'), [], '2025-01-01', '2025-12-31')).toEqual([]);
    expect(exemptMonths(open('2025-01-01'), [{ startDate: '2024-01-01', endDate: '2024-12-31' }], '2025-01-01', '2025-12-31')).toEqual([]);
  });

  it('refuses a period across a year end', () => {
    expect(() => exemptMonths(open('2025-01-01'), [], '2025-12-01', '2026-01-31')).toThrow(/within one year/);
  });
});

describe('exemptForPeriod', () => {
  it('is true only when membership touches the period and every month of it is exempt', () => {
    const q2 = ['2025-04-01', '2025-06-30'] as const;
    expect(exemptForPeriod(open('2025-01-01'), [{ startDate: '2025-03-15', endDate: '2025-07-31' }], ...q2)).toBe(true);
    expect(exemptForPeriod(open('2025-01-01'), [{ startDate: '2025-04-02', endDate: '2025-07-31' }], ...q2)).toBe(false);
    expect(exemptForPeriod(open('2025-01-01'), [{ startDate: '2025-04-01', endDate: '2025-06-29' }], ...q2)).toBe(false);
    // Not a member in the period at all: nothing to exempt.
    expect(exemptForPeriod(open('2025-08-01'), [{ startDate: '2025-01-01', endDate: null }], ...q2)).toBe(false);
  });
});
