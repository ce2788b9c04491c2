import { describe, expect, it } from 'vitest';
import { billablePeriods, invoicedMonths, invoiceMonth, linesNotYetInvoiced } from '../../../domain/billing/billableMonths';
import { feeForPeriod } from '../../../domain/billing/fees';
import { getFundProfile } from '../../../domain/fundProfile';

const aKassa = getFundProfile('a-kassa');

describe('billablePeriods', () => {
  it('keeps the periods as they are while the member lives', () => {
    expect(billablePeriods([['2025-03-10', null], ['2020-01-01', '2024-02-29']], null)).toEqual([
      { startDate: '2025-03-10', endDate: null },
      { startDate: '2020-01-01', endDate: '2024-02-29' },
    ]);
  });

  it('ends an open period, or one ending later, on the date of death', () => {
    expect(billablePeriods([['2020-01-01', null]], '2026-03-15')).toEqual([{ startDate: '2020-01-01', endDate: '2026-03-15' }]);
    expect(billablePeriods([['2020-01-01', '2026-12-31']], '2026-03-15')).toEqual([{ startDate: '2020-01-01', endDate: '2026-03-15' }]);
  });

  it('leaves a period that ended by the death as it is', () => {
    expect(billablePeriods([['2020-01-01', '2026-03-15']], '2026-03-15')).toEqual([{ startDate: '2020-01-01', endDate: '2026-03-15' }]);
    expect(billablePeriods([['2020-01-01', '2025-06-30']], '2026-03-15')).toEqual([{ startDate: '2020-01-01', endDate: '2025-06-30' }]);
  });

  it('bills a period that starts on the day of death for that day, and none starting after it', () => {
    expect(billablePeriods([['2026-03-15', null]], '2026-03-15')).toEqual([{ startDate: '2026-03-15', endDate: '2026-03-15' }]);
    expect(billablePeriods([['2020-01-01', '2025-12-31'], ['2026-03-16', null]], '2026-03-15')).toEqual([{ startDate: '2020-01-01', endDate: '2025-12-31' }]);
    expect(billablePeriods([['2027-01-01', null]], '2026-03-15')).toEqual([]);
  });

  it('bills the month of death in full (a partial month is a full month)', () => {
    const fee = feeForPeriod(aKassa, billablePeriods([['2020-01-01', null]], '2026-03-01'), '2026-01-01', '2026-12-31', 'direct');
    expect(fee.months).toEqual([1, 2, 3]);
    // Died on 29 February of a leap year: February is the last month.
    const leap = feeForPeriod(
      { ...aKassa, fees: { ...aKassa.fees, years: { '2028': { model: 'per-month', monthlyCents: 800, confirmed: true } } } },
      billablePeriods([['2027-11-20', null]], '2028-02-29'),
      '2028-01-01',
      '2028-12-31',
      'direct',
    );
    expect(leap.months).toEqual([1, 2]);
  });
});

describe('months already invoiced', () => {
  it('writes a month as YYYY-MM', () => {
    expect(invoiceMonth(2026, 1)).toBe('2026-01');
    expect(invoiceMonth(2026, 12)).toBe('2026-12');
  });

  it('collects the months of every invoice', () => {
    expect(invoicedMonths([])).toEqual(new Set());
    expect(invoicedMonths([{ lines: [{ month: '2026-01' }, { month: '2026-02' }] }, { lines: [{ month: '2026-02' }, { month: '2026-12' }] }])).toEqual(
      new Set(['2026-01', '2026-02', '2026-12']),
    );
  });

  it('bills only the months no invoice has', () => {
    const lines = [1, 2, 3].map((month) => ({ month, cents: 800 }));
    expect(linesNotYetInvoiced(2026, lines, new Set())).toEqual([
      { month: '2026-01', cents: 800 },
      { month: '2026-02', cents: 800 },
      { month: '2026-03', cents: 800 },
    ]);
    expect(linesNotYetInvoiced(2026, lines, new Set(['2026-02', '2025-03']))).toEqual([
      { month: '2026-01', cents: 800 },
      { month: '2026-03', cents: 800 },
    ]);
    expect(linesNotYetInvoiced(2026, lines, new Set(['2026-01', '2026-02', '2026-03']))).toEqual([]);
  });
});
