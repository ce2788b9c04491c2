import { describe, expect, it } from 'vitest';
import {
  billableMonths,
  feeForPeriod,
  feeForYear,
  feeRuleForYear,
  fullYearFeeCents,
  invoicePeriods,
  monthlyFeeCents,
  withFeeYears,
  type FeeProfile,
  type MembershipPeriod,
} from '../../../domain/billing/fees';
import { getFundProfile } from '../../../domain/fundProfile';

const aKassa = getFundProfile('a-kassa');
const koko = getFundProfile('koko');
const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

const open = (startDate: string): MembershipPeriod => ({ startDate, endDate: null });
const closed = (startDate: string, endDate: string): MembershipPeriod => ({ startDate, endDate });

/** A made-up fund whose yearly fee does not divide by 12. */
const oddProfile: FeeProfile = {
  id: 'koko',
  fees: {
    years: { '2025': { model: 'per-year-by-month', yearlyCents: 10_000, confirmed: true } },
    invoicing: { rhythms: ['yearly'], defaultRhythm: 'yearly' },
    unionMembersBilledByFund: false,
  },
};

describe('fund profile fee configuration', () => {
  it('A-kassa: €8/month, 2023–2025 confirmed, 2026 provisional', () => {
    for (const year of [2023, 2024, 2025, 2026]) {
      expect(feeRuleForYear(aKassa, year)).toEqual({ model: 'per-month', monthlyCents: 800, confirmed: year !== 2026 });
    }
    expect(aKassa.fees.invoicing).toMatchObject({ rhythms: ['yearly', 'quarterly', 'monthly'], defaultRhythm: 'yearly' });
    expect(aKassa.fees.unionMembersBilledByFund).toBe(false);
  });

  it('KOKO: €63/year by month 2022–2024 confirmed, 2025–2026 provisional', () => {
    for (const year of [2022, 2023, 2024, 2025, 2026]) {
      expect(feeRuleForYear(koko, year)).toEqual({ model: 'per-year-by-month', yearlyCents: 6300, confirmed: year <= 2024 });
    }
    expect(koko.fees.invoicing.invoiceMonths).toEqual([1, 2]);
    expect(koko.fees.unionMembersBilledByFund).toBe(false);
  });

  it('an unknown year names the year and says to add it to the profile', () => {
    expect(() => feeRuleForYear(aKassa, 2027)).toThrow(/2027.*"a-kassa".*add fees\.years\["2027"\] to the fund profile/);
    expect(() => feeForYear(koko, [open('2019-01-01')], 2019, 'direct')).toThrow(/no membership fee for 2019/);
    expect(() => feeForPeriod(aKassa, [open('2022-01-01')], '2022-01-01', '2022-03-31', 'direct')).toThrow(/2022/);
  });

  it('refuses a rule without the amount its model needs', () => {
    const broken: FeeProfile = {
      id: 'a-kassa',
      fees: { ...oddProfile.fees, years: { '2025': { model: 'per-month', yearlyCents: 9600, confirmed: true } } },
    };
    expect(() => feeRuleForYear(broken, 2025)).toThrow(/monthlyCents must be a whole number of cents/);
  });
});

describe('billableMonths', () => {
  it('counts the joining month in full', () => {
    expect(billableMonths([open('2025-03-31')], 2025)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(billableMonths([open('2025-03-01')], 2025)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('counts the leaving month in full, and no further', () => {
    expect(billableMonths([closed('2020-05-05', '2025-06-10')], 2025)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(billableMonths([closed('2020-05-05', '2025-06-30')], 2025)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(billableMonths([closed('2020-05-05', '2025-07-01')], 2025)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('counts a one-day membership and one spanning two months', () => {
    expect(billableMonths([closed('2025-08-15', '2025-08-15')], 2025)).toEqual([8]);
    expect(billableMonths([closed('2025-04-30', '2025-05-01')], 2025)).toEqual([4, 5]);
  });

  it('handles leap days', () => {
    expect(billableMonths([closed('2024-02-29', '2024-02-29')], 2024)).toEqual([2]);
    expect(billableMonths([closed('2023-01-01', '2024-02-29')], 2024)).toEqual([1, 2]);
    expect(billableMonths([open('2024-02-29')], 2025)).toEqual(ALL_MONTHS);
    expect(() => billableMonths([open('2025-02-29')], 2025)).toThrow(/not a date/);
  });

  it('splits at year boundaries', () => {
    const period = closed('2024-12-31', '2025-01-01');
    expect(billableMonths([period], 2024)).toEqual([12]);
    expect(billableMonths([period], 2025)).toEqual([1]);
    expect(billableMonths([period], 2023)).toEqual([]);
    expect(billableMonths([open('2026-01-01')], 2025)).toEqual([]);
  });

  it('merges several periods, counting a shared month once', () => {
    const periods = [closed('2025-01-10', '2025-03-05'), open('2025-03-20')];
    expect(billableMonths(periods, 2025)).toEqual(ALL_MONTHS);
    expect(billableMonths([closed('2025-01-10', '2025-02-05'), closed('2025-06-20', '2025-07-01')], 2025)).toEqual([1, 2, 6, 7]);
    expect(billableMonths([], 2025)).toEqual([]);
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => billableMonths([closed('2025-05-01', '2025-04-30')], 2025)).toThrow(/ends \(2025-04-30\) before it starts/);
  });
});

describe('feeForYear', () => {
  it('A-kassa: a full year is €96', () => {
    const fee = feeForYear(aKassa, [open('2020-01-01')], 2025, 'direct');
    expect(fee.amountCents).toBe(9600);
    expect(fee.months).toEqual(ALL_MONTHS);
    expect(fee.lines).toEqual(ALL_MONTHS.map((month) => ({ month, cents: 800 })));
    expect(fee.confirmed).toBe(true);
  });

  it('A-kassa: mid-month join and leave pay both months in full', () => {
    const fee = feeForYear(aKassa, [closed('2025-03-15', '2025-10-02')], 2025, 'direct');
    expect(fee.months).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fee.amountCents).toBe(8 * 800);
  });

  it('KOKO: a full year is exactly €63', () => {
    for (const year of [2022, 2023, 2024, 2025, 2026]) {
      const fee = feeForYear(koko, [open('2019-06-01')], year, 'direct');
      expect(fee.amountCents).toBe(6300);
      expect(fee.lines.every((line) => line.cents === 525)).toBe(true);
    }
  });

  it('KOKO: charged for the months of membership from the joining month', () => {
    const fee = feeForYear(koko, [open('2024-09-20')], 2024, 'direct');
    expect(fee.months).toEqual([9, 10, 11, 12]);
    expect(fee.amountCents).toBe(4 * 525);
  });

  it('KOKO: €66 in 2020–2021', () => {
    expect(feeForYear(koko, [open('2019-01-01')], 2021, 'direct').amountCents).toBe(6600);
  });

  it('marks a provisional year', () => {
    expect(feeForYear(aKassa, [open('2020-01-01')], 2026, 'direct').confirmed).toBe(false);
    expect(feeForYear(koko, [open('2020-01-01')], 2025, 'direct').confirmed).toBe(false);
  });

  it('union members owe the fund 0, even in a year without a configured fee', () => {
    for (const profile of [aKassa, koko]) {
      const fee = feeForYear(profile, [open('2020-01-01')], 2025, 'union');
      expect(fee.amountCents).toBe(0);
      expect(fee.months).toEqual(ALL_MONTHS);
      expect(fee.lines.every((line) => line.cents === 0)).toBe(true);
    }
    expect(feeForYear(aKassa, [open('2020-01-01')], 2031, 'union').amountCents).toBe(0);
  });

  it('a year without membership costs 0 but still needs its fee configured', () => {
    expect(feeForYear(aKassa, [closed('2023-01-01', '2023-12-31')], 2025, 'direct')).toEqual({
      year: 2025, months: [], amountCents: 0, lines: [], confirmed: true,
    });
    expect(() => feeForYear(aKassa, [], 2030, 'direct')).toThrow(/2030/);
  });

  it('refuses a bad year or channel', () => {
    expect(() => feeForYear(aKassa, [], 2025.5, 'direct')).toThrow(/whole year/);
    expect(() => feeForYear(aKassa, [], 2025, 'other' as never)).toThrow(/unknown fee channel/);
  });
});

describe('spreading a yearly fee over months', () => {
  it('sums to exactly the yearly fee and differs by at most a cent', () => {
    const rule = feeRuleForYear(oddProfile, 2025);
    const shares = ALL_MONTHS.map((m) => monthlyFeeCents(rule, m));
    expect(shares.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    // Cumulative rounding: floor(10000·m/12) − floor(10000·(m−1)/12).
    expect(shares).toEqual([833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833, 834]);
    expect(feeForYear(oddProfile, [open('2020-01-01')], 2025, 'direct').amountCents).toBe(10_000);
  });

  it('sums to the yearly fee for any amount', () => {
    for (const yearlyCents of [0, 1, 11, 6300, 6301, 6311, 9999, 123_457]) {
      const rule = { model: 'per-year-by-month' as const, yearlyCents, confirmed: true };
      expect(ALL_MONTHS.reduce((sum, m) => sum + monthlyFeeCents(rule, m), 0)).toBe(yearlyCents);
    }
  });

  it('invoicing quarter by quarter adds up to the yearly invoice', () => {
    const periods = [open('2020-01-01')];
    const quarters = invoicePeriods(2025, 'quarterly').map((q) => feeForPeriod(oddProfile, periods, q.fromDate, q.toDate, 'direct').amountCents);
    expect(quarters.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('refuses a month outside 1–12', () => {
    expect(() => monthlyFeeCents(feeRuleForYear(koko, 2024), 13)).toThrow(/1–12/);
  });

  it('gives the full year as twelve monthly fees, for either model', () => {
    expect(fullYearFeeCents({ model: 'per-month', monthlyCents: 800, confirmed: true })).toBe(9600);
    expect(fullYearFeeCents({ model: 'per-month', monthlyCents: 0, confirmed: false })).toBe(0);
    expect(fullYearFeeCents({ model: 'per-year-by-month', yearlyCents: 10_001, confirmed: true })).toBe(10_001);
    expect(() => fullYearFeeCents({ model: 'per-month', monthlyCents: -1, confirmed: true })).toThrow(/whole number of cents/);
  });
});

describe('feeForPeriod and invoicePeriods', () => {
  it('bills a quarter for the months of membership in it', () => {
    const fee = feeForPeriod(aKassa, [open('2025-05-20')], '2025-04-01', '2025-06-30', 'direct');
    expect(fee.months).toEqual([5, 6]);
    expect(fee.amountCents).toBe(1600);
  });

  it('bills one month', () => {
    expect(feeForPeriod(koko, [closed('2024-01-01', '2024-02-29')], '2024-02-01', '2024-02-29', 'direct').amountCents).toBe(525);
    expect(feeForPeriod(koko, [closed('2024-01-01', '2024-02-29')], '2024-03-01', '2024-03-31', 'direct').amountCents).toBe(0);
  });

  it('union members owe 0 for any period', () => {
    expect(feeForPeriod(aKassa, [open('2025-01-01')], '2025-01-01', '2025-12-31', 'union').amountCents).toBe(0);
  });

  it('insists on whole months within one year', () => {
    const periods = [open('2025-01-01')];
    expect(() => feeForPeriod(aKassa, periods, '2025-04-15', '2025-06-30', 'direct')).toThrow(/first day of a month/);
    expect(() => feeForPeriod(aKassa, periods, '2025-04-01', '2025-06-29', 'direct')).toThrow(/last day of a month/);
    expect(() => feeForPeriod(aKassa, periods, '2025-12-01', '2026-01-31', 'direct')).toThrow(/within one year/);
    expect(() => feeForPeriod(aKassa, periods, '2025-06-01', '2025-04-30', 'direct')).toThrow(/before it starts/);
  });

  it('lists yearly, quarterly and monthly periods', () => {
    expect(invoicePeriods(2025, 'yearly')).toEqual([{ fromDate: '2025-01-01', toDate: '2025-12-31' }]);
    expect(invoicePeriods(2024, 'quarterly')).toEqual([
      { fromDate: '2024-01-01', toDate: '2024-03-31' },
      { fromDate: '2024-04-01', toDate: '2024-06-30' },
      { fromDate: '2024-07-01', toDate: '2024-09-30' },
      { fromDate: '2024-10-01', toDate: '2024-12-31' },
    ]);
    const months = invoicePeriods(2024, 'monthly');
    expect(months).toHaveLength(12);
    expect(months[1]).toEqual({ fromDate: '2024-02-01', toDate: '2024-02-29' });
  });

  it('monthly invoices over a year equal the yearly fee', () => {
    const periods = [closed('2025-02-14', '2025-11-03')];
    const monthly = invoicePeriods(2025, 'monthly').reduce(
      (sum, p) => sum + feeForPeriod(aKassa, periods, p.fromDate, p.toDate, 'direct').amountCents,
      0,
    );
    expect(monthly).toBe(feeForYear(aKassa, periods, 2025, 'direct').amountCents);
    expect(monthly).toBe(10 * 800);
  });
});

describe('fee years set in the register (withFeeYears)', () => {
  it('a year set in the register wins over the shipped one; the other years stay as shipped', () => {
    const merged = withFeeYears(aKassa, { '2026': { model: 'per-month', monthlyCents: 850, confirmed: true } });
    expect(feeForYear(merged, [open('2020-01-01')], 2026, 'direct').amountCents).toBe(12 * 850);
    expect(feeForYear(merged, [open('2020-01-01')], 2025, 'direct').amountCents).toBe(12 * 800);
    // The shipped profile itself is untouched.
    expect(feeForYear(aKassa, [open('2020-01-01')], 2026, 'direct').amountCents).toBe(12 * 800);
  });

  it('adds a year the profile does not know, and a model change goes with it', () => {
    expect(() => feeRuleForYear(koko, 2031)).toThrow(/no membership fee for 2031/);
    const merged = withFeeYears(koko, { '2031': { model: 'per-month', monthlyCents: 600, confirmed: false } });
    const fee = feeForYear(merged, [closed('2031-03-15', '2031-05-02')], 2031, 'direct');
    expect(fee).toMatchObject({ months: [3, 4, 5], amountCents: 1800, confirmed: false });
  });

  it('no register years: the very same profile', () => {
    expect(withFeeYears(aKassa, {})).toBe(aKassa);
  });
});
