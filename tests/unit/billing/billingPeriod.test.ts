import { describe, expect, it } from 'vitest';
import { parseBillingPeriod } from '../../../domain/billing/billingPeriod';
import { billingRunAttempt, billingRunWorkflowId } from '../../../workflows/definitions/billingRun';

const span = (period: string) => {
  const p = parseBillingPeriod(period);
  return p && [p.periodStart, p.periodEnd, p.feeYear];
};

describe('parseBillingPeriod', () => {
  it('reads a year as its twelve months', () => {
    expect(parseBillingPeriod('2027')).toEqual({ period: '2027', periodStart: '2027-01-01', periodEnd: '2027-12-31', feeYear: 2027 });
  });

  it('reads each quarter to the end of its last month', () => {
    expect(span('2027-Q1')).toEqual(['2027-01-01', '2027-03-31', 2027]);
    expect(span('2027-Q2')).toEqual(['2027-04-01', '2027-06-30', 2027]);
    expect(span('2027-Q3')).toEqual(['2027-07-01', '2027-09-30', 2027]);
    expect(span('2027-Q4')).toEqual(['2027-10-01', '2027-12-31', 2027]);
  });

  it('ends a month on its own last day, 29 February in a leap year', () => {
    expect(span('2027-01')).toEqual(['2027-01-01', '2027-01-31', 2027]);
    expect(span('2027-02')).toEqual(['2027-02-01', '2027-02-28', 2027]);
    expect(span('2028-02')).toEqual(['2028-02-01', '2028-02-29', 2028]);
    expect(span('2027-04')).toEqual(['2027-04-01', '2027-04-30', 2027]);
    expect(span('2027-12')).toEqual(['2027-12-01', '2027-12-31', 2027]);
  });

  it('accepts the years 2001–2099 only', () => {
    expect(span('2001')).toEqual(['2001-01-01', '2001-12-31', 2001]);
    expect(span('2099-Q4')).toEqual(['2099-10-01', '2099-12-31', 2099]);
    expect(parseBillingPeriod('2000')).toBeNull();
    expect(parseBillingPeriod('2100-01')).toBeNull();
  });

  it.each(['', '27', '20270', '2027-13', '2027-00', '2027-1', '2027-Q0', '2027-Q5', '2027-q1', '2027-H1', '2027-03-01', ' 2027', '2027 ', '2027-Q1-01', '2027/03'])(
    'refuses %j',
    (period) => expect(parseBillingPeriod(period)).toBeNull(),
  );
});

describe('billing run ids', () => {
  it('is billing-run/<fund>/<period> for the first attempt and adds -rN for later ones', () => {
    expect(billingRunWorkflowId('a-kassa', '2027')).toBe('billing-run/a-kassa/2027');
    expect(billingRunWorkflowId('a-kassa', '2027-Q1', 1)).toBe('billing-run/a-kassa/2027-Q1');
    expect(billingRunWorkflowId('koko', '2027-03', 2)).toBe('billing-run/koko/2027-03-r2');
  });

  it('reads the attempt back, 1 for the first', () => {
    expect(billingRunAttempt('billing-run/a-kassa/2027')).toBe(1);
    expect(billingRunAttempt('billing-run/a-kassa/2027-03')).toBe(1);
    expect(billingRunAttempt('billing-run/koko/2027-03-r2')).toBe(2);
    expect(billingRunAttempt(billingRunWorkflowId('a-kassa', '2027-Q4', 12))).toBe(12);
  });
});
