import { describe, expect, it } from 'vitest';
import {
  afterCreditNote,
  creditOf,
  feeStatus,
  isOpenInvoice,
  openInvoiceTotals,
  paidThroughDate,
  spendCredits,
  withRunningBalance,
  type InvoiceState,
} from '../../../domain/billing/ledger';
import type { InvoiceStatus } from '../../../domain/vocabulary';

const invoice = (periodStart: string, periodEnd: string, status: InvoiceStatus, openCents = status === 'open' ? 9600 : 0): InvoiceState => ({ periodStart, periodEnd, status, openCents });
const year = (y: number, status: InvoiceStatus, openCents?: number) => invoice(`${y}-01-01`, `${y}-12-31`, status, openCents);

describe('isOpenInvoice', () => {
  it('is open with something left to pay while still collected', () => {
    expect(isOpenInvoice({ status: 'open', openCents: 9600 })).toBe(true);
    expect(isOpenInvoice({ status: 'partially-paid', openCents: 1 })).toBe(true);
    expect(isOpenInvoice({ status: 'open', openCents: 0 })).toBe(false);
    expect(isOpenInvoice({ status: 'written-off', openCents: 9600 })).toBe(false);
    expect(isOpenInvoice({ status: 'paid', openCents: 0 })).toBe(false);
  });

  it('totals the open ones', () => {
    expect(openInvoiceTotals([])).toEqual({ openInvoices: 0, openCents: 0 });
    expect(openInvoiceTotals([year(2024, 'paid'), year(2025, 'partially-paid', 1600), year(2026, 'open'), year(2023, 'written-off', 9600)])).toEqual({ openInvoices: 2, openCents: 11200 });
  });
});

describe('paidThroughDate', () => {
  it('is null with no invoices, or none settled', () => {
    expect(paidThroughDate([])).toBeNull();
    expect(paidThroughDate([year(2026, 'open')])).toBeNull();
    expect(paidThroughDate([year(2026, 'written-off')])).toBeNull();
  });

  it('is the end of the last settled period before any open one, whatever the order given', () => {
    expect(paidThroughDate([year(2017, 'open'), year(2015, 'paid'), year(2016, 'paid')])).toBe('2016-12-31');
    expect(paidThroughDate([year(2015, 'paid'), year(2016, 'paid'), year(2017, 'paid')])).toBe('2017-12-31');
  });

  it('stops at an open invoice even when later ones are paid', () => {
    expect(paidThroughDate([year(2015, 'open'), year(2016, 'paid')])).toBeNull();
    expect(paidThroughDate([year(2015, 'paid'), year(2016, 'partially-paid', 100), year(2017, 'paid')])).toBe('2015-12-31');
  });

  it('counts the months a union remitted, after the direct invoices of a member who moved to the union', () => {
    expect(paidThroughDate([], ['2026-02', '2026-01'])).toBe('2026-02-28');
    expect(paidThroughDate([year(2025, 'paid')], ['2026-01', '2026-02', '2026-03'])).toBe('2026-03-31');
    // An open invoice of an earlier period still holds the date back.
    expect(paidThroughDate([year(2025, 'open')], ['2026-01'])).toBeNull();
  });

  it('counts an invoice credited to zero as settled', () => {
    expect(paidThroughDate([year(2015, 'paid'), year(2016, 'credited')])).toBe('2016-12-31');
  });

  it('never counts a written-off period, but lets the periods after it count', () => {
    expect(paidThroughDate([year(2015, 'paid'), year(2016, 'written-off')])).toBe('2015-12-31');
    expect(paidThroughDate([year(2015, 'written-off'), year(2016, 'paid')])).toBe('2016-12-31');
  });

  it('ends on month ends of monthly and quarterly periods, 29 February in a leap year', () => {
    expect(paidThroughDate([invoice('2028-01-01', '2028-01-31', 'paid'), invoice('2028-02-01', '2028-02-29', 'paid'), invoice('2028-03-01', '2028-03-31', 'open')])).toBe('2028-02-29');
    expect(paidThroughDate([invoice('2027-01-01', '2027-03-31', 'paid'), invoice('2027-04-01', '2027-06-30', 'paid')])).toBe('2027-06-30');
  });

  it('keeps the latest end when periods overlap (a yearly invoice, then a monthly one)', () => {
    expect(paidThroughDate([year(2026, 'paid'), invoice('2026-12-01', '2026-12-31', 'paid')])).toBe('2026-12-31');
    expect(paidThroughDate([invoice('2026-01-01', '2026-01-31', 'paid'), invoice('2026-01-01', '2026-03-31', 'paid')])).toBe('2026-03-31');
  });
});

describe('feeStatus', () => {
  const due = (dueDate: string, status: InvoiceStatus = 'open', openCents = 9600) => ({ status, openCents, dueDate });

  it('is not billed yet with neither invoices nor ledger rows', () => {
    expect(feeStatus([], false, '2026-05-01')).toBe('not-billed-yet');
    // A payment on the ledger with no invoice: the member is known to the ledger.
    expect(feeStatus([], true, '2026-05-01')).toBe('in-order');
  });

  it('is open until the due day has passed, overdue from the day after', () => {
    expect(feeStatus([due('2026-05-01')], true, '2026-04-30')).toBe('open');
    expect(feeStatus([due('2026-05-01')], true, '2026-05-01')).toBe('open');
    expect(feeStatus([due('2026-05-01')], true, '2026-05-02')).toBe('overdue');
    expect(feeStatus([due('2028-02-29')], true, '2028-03-01')).toBe('overdue');
  });

  it('is in order when nothing is open, however old', () => {
    expect(feeStatus([due('2020-01-31', 'paid', 0), due('2021-01-31', 'written-off', 9600)], true, '2026-05-01')).toBe('in-order');
  });
});

describe('balances', () => {
  it('runs the balance row by row: + owed, − paid or credited', () => {
    expect(withRunningBalance([])).toEqual([]);
    const rows = withRunningBalance([{ id: 'a', amountCents: 9600 }, { id: 'b', amountCents: -9600 }, { id: 'c', amountCents: -500 }]);
    expect(rows.map((r) => r.runningBalanceCents)).toEqual([9600, 0, -500]);
    expect(rows[0]).toEqual({ id: 'a', amountCents: 9600, runningBalanceCents: 9600 });
  });

  it('is a credit only below zero', () => {
    expect(creditOf(0)).toBe(0);
    expect(creditOf(9600)).toBe(0);
    expect(creditOf(-1)).toBe(1);
    expect(creditOf(-500)).toBe(500);
  });
});

describe('afterCreditNote', () => {
  it('lowers the open amount and keeps the status while something is left', () => {
    expect(afterCreditNote({ status: 'open', openCents: 9600 }, 1600)).toEqual({ openCents: 8000, status: 'open' });
    expect(afterCreditNote({ status: 'partially-paid', openCents: 4600 }, 4599)).toEqual({ openCents: 1, status: 'partially-paid' });
  });

  it('marks an invoice credited to zero as credited', () => {
    expect(afterCreditNote({ status: 'open', openCents: 9600 }, 9600)).toEqual({ openCents: 0, status: 'credited' });
    expect(afterCreditNote({ status: 'partially-paid', openCents: 1 }, 1)).toEqual({ openCents: 0, status: 'credited' });
  });

  it('refuses more than is open, nothing, and an invoice with nothing open', () => {
    expect(() => afterCreditNote({ status: 'open', openCents: 9600 }, 9601)).toThrow(RangeError);
    expect(() => afterCreditNote({ status: 'open', openCents: 9600 }, 0)).toThrow(RangeError);
    expect(() => afterCreditNote({ status: 'open', openCents: 9600 }, -100)).toThrow(RangeError);
    expect(() => afterCreditNote({ status: 'paid', openCents: 0 }, 1)).toThrow(/nothing open/);
    expect(() => afterCreditNote({ status: 'written-off', openCents: 9600 }, 1)).toThrow(/nothing open/);
  });
});

describe('spendCredits', () => {
  const credits = [
    { id: 'old', unallocatedCents: 300 },
    { id: 'mid', unallocatedCents: 500 },
    { id: 'new', unallocatedCents: 1000 },
  ];
  const spent = (amount: number) => spendCredits(credits, amount).map((s) => [s.credit.id, s.unallocatedCents]);

  it('uses the over-payments up oldest first, touching only what the refund reaches', () => {
    expect(spent(200)).toEqual([['old', 100]]);
    expect(spent(300)).toEqual([['old', 0]]);
    expect(spent(301)).toEqual([['old', 0], ['mid', 499]]);
    expect(spent(1800)).toEqual([['old', 0], ['mid', 0], ['new', 0]]);
  });

  it('spends at most what there is, and nothing for a zero refund', () => {
    expect(spent(5000)).toEqual([['old', 0], ['mid', 0], ['new', 0]]);
    expect(spent(0)).toEqual([]);
    expect(spendCredits([], 100)).toEqual([]);
    expect(spendCredits([{ unallocatedCents: 0 }, { unallocatedCents: 50 }], 100).map((s) => s.unallocatedCents)).toEqual([0]);
  });
});
