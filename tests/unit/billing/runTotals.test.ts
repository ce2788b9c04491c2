import { describe, expect, it } from 'vitest';
import { billingTotals } from '../../../domain/billing/runTotals';

describe('billingTotals', () => {
  it('is all zeros for a run with nobody in it', () => {
    expect(billingTotals([])).toEqual({ members: 0, invoices: 0, amountCents: 0, byCategory: {}, byDelivery: {}, exceptions: 0 });
  });

  it('counts every member once by category; invoices also by delivery, and only they make the amount', () => {
    const totals = billingTotals([
      { category: 'invoice', delivery: 'letter', count: 3, amountCents: 28800 },
      { category: 'invoice', delivery: 'email', count: 2, amountCents: 9600 },
      { category: 'invoice', delivery: null, count: 1, amountCents: 800 },
      { category: 'union', delivery: null, count: 4, amountCents: 0 },
      { category: 'exception', delivery: null, count: 2, amountCents: 1600 },
      { category: 'zero', delivery: null, count: 1, amountCents: 0 },
    ]);
    expect(totals).toEqual({
      members: 13,
      invoices: 6,
      amountCents: 39200,
      byCategory: {
        invoice: { count: 6, amountCents: 39200 },
        union: { count: 4, amountCents: 0 },
        exception: { count: 2, amountCents: 1600 },
        zero: { count: 1, amountCents: 0 },
      },
      byDelivery: { letter: 3, email: 2, none: 1 },
      exceptions: 2,
    });
  });
});
