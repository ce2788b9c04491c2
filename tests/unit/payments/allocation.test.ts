import { describe, expect, it } from 'vitest';
import {
  entryStatusAfterSpread,
  invoiceStatusAfterPayment,
  invoiceStatusAfterReversal,
  isAllocatableInvoice,
  memberShares,
  reversibleAllocations,
  spreadOverReferences,
  spreadPayment,
  type OpenInvoice,
} from '../../../domain/payments/allocation';

const inv = (id: string, openCents: number, reference = `ref-${id}`): OpenInvoice => ({ id, reference, openCents });

describe('spreadPayment', () => {
  it('settles invoices in the given order and keeps the rest as credit', () => {
    expect(spreadPayment(15000, [inv('a', 6300), inv('b', 6300)])).toEqual({
      parts: [{ invoiceId: 'a', amountCents: 6300 }, { invoiceId: 'b', amountCents: 6300 }],
      restCents: 2400,
    });
  });

  it('pays the last invoice it reaches only partly', () => {
    expect(spreadPayment(8000, [inv('a', 6300), inv('b', 6300)])).toEqual({
      parts: [{ invoiceId: 'a', amountCents: 6300 }, { invoiceId: 'b', amountCents: 1700 }],
      restCents: 0,
    });
  });

  it('exactly the open amount leaves no rest and touches nothing further', () => {
    expect(spreadPayment(6300, [inv('a', 6300), inv('b', 100)])).toEqual({ parts: [{ invoiceId: 'a', amountCents: 6300 }], restCents: 0 });
  });

  it('skips invoices with nothing open', () => {
    expect(spreadPayment(100, [inv('a', 0), inv('b', -5), inv('c', 100)]).parts).toEqual([{ invoiceId: 'c', amountCents: 100 }]);
  });

  it('without invoices, all of it is credit', () => {
    expect(spreadPayment(500, [])).toEqual({ parts: [], restCents: 500 });
  });

  it('a zero or negative amount settles nothing', () => {
    expect(spreadPayment(0, [inv('a', 100)])).toEqual({ parts: [], restCents: 0 });
    expect(spreadPayment(-100, [inv('a', 100)])).toEqual({ parts: [], restCents: -100 });
  });

  it('an invoice listed twice takes at most its open amount, and the input is not changed', () => {
    const a = inv('a', 100);
    expect(spreadPayment(300, [a, a])).toEqual({ parts: [{ invoiceId: 'a', amountCents: 100 }], restCents: 200 });
    expect(a.openCents).toBe(100);
  });
});

describe('statuses after a payment', () => {
  it('an invoice is paid at zero open, partly paid above', () => {
    expect(invoiceStatusAfterPayment(0)).toBe('paid');
    expect(invoiceStatusAfterPayment(1)).toBe('partially-paid');
  });

  it('an entry is allocated without a rest, overpaid with one', () => {
    expect(entryStatusAfterSpread(0)).toBe('allocated');
    expect(entryStatusAfterSpread(1)).toBe('overpaid');
  });

  it('a reopened invoice is partly paid while other payments still stand on it', () => {
    expect(invoiceStatusAfterReversal(0)).toBe('open');
    expect(invoiceStatusAfterReversal(-1)).toBe('open');
    expect(invoiceStatusAfterReversal(1)).toBe('partially-paid');
  });
});

describe('spreadOverReferences', () => {
  const invoices: Record<string, OpenInvoice[]> = {
    m1: [inv('m1-2018', 6300, 'R2018'), inv('m1-2019', 6300, 'R2019'), inv('m1-2020', 6300, 'R2020')],
    m2: [inv('m2-2019', 9600, 'S2019')],
  };
  const open = (memberId: string) => invoices[memberId] ?? [];

  it('no known reference: nothing to spread', () => {
    expect(spreadOverReferences(100, [], open)).toBeNull();
  });

  it('one reference: the quoted invoice, then the member’s oldest, then credit (as before several references)', () => {
    expect(spreadOverReferences(15000, [{ memberId: 'm1', invoiceReference: 'R2019' }], open)).toEqual({
      memberId: 'm1',
      parts: [
        { invoiceId: 'm1-2019', amountCents: 6300, memberId: 'm1' },
        { invoiceId: 'm1-2018', amountCents: 6300, memberId: 'm1' },
        { invoiceId: 'm1-2020', amountCents: 2400, memberId: 'm1' },
      ],
      restCents: 0,
    });
  });

  it('a reference that names only the member: the member’s open invoices oldest first', () => {
    expect(spreadOverReferences(7000, [{ memberId: 'm1', invoiceReference: null }], open)?.parts).toEqual([
      { invoiceId: 'm1-2018', amountCents: 6300, memberId: 'm1' },
      { invoiceId: 'm1-2019', amountCents: 700, memberId: 'm1' },
    ]);
  });

  it('a quoted invoice that is no longer open: the member’s oldest open ones', () => {
    expect(spreadOverReferences(100, [{ memberId: 'm1', invoiceReference: 'PAID' }], open)?.parts).toEqual([{ invoiceId: 'm1-2018', amountCents: 100, memberId: 'm1' }]);
  });

  it('two references of one member: both quoted invoices in the payer’s order, before older ones', () => {
    const spread = spreadOverReferences(12600, [
      { memberId: 'm1', invoiceReference: 'R2020' },
      { memberId: 'm1', invoiceReference: 'R2019' },
    ], open);
    expect(spread).toEqual({
      memberId: 'm1',
      parts: [
        { invoiceId: 'm1-2020', amountCents: 6300, memberId: 'm1' },
        { invoiceId: 'm1-2019', amountCents: 6300, memberId: 'm1' },
      ],
      restCents: 0,
    });
  });

  it('too little for both references: the first reference is paid first', () => {
    expect(spreadOverReferences(7000, [{ memberId: 'm1', invoiceReference: 'R2020' }, { memberId: 'm1', invoiceReference: 'R2019' }], open)?.parts).toEqual([
      { invoiceId: 'm1-2020', amountCents: 6300, memberId: 'm1' },
      { invoiceId: 'm1-2019', amountCents: 700, memberId: 'm1' },
    ]);
  });

  it('references of two members: each member’s invoice; the rest settles the payer’s other invoices, then is the payer’s credit', () => {
    const spread = spreadOverReferences(30000, [
      { memberId: 'm2', invoiceReference: 'S2019' },
      { memberId: 'm1', invoiceReference: 'R2019' },
    ], open);
    expect(spread).toEqual({
      memberId: 'm2',
      parts: [
        { invoiceId: 'm2-2019', amountCents: 9600, memberId: 'm2' },
        { invoiceId: 'm1-2019', amountCents: 6300, memberId: 'm1' },
      ],
      restCents: 14100,
    });
  });

  it('the same reference twice counts once', () => {
    expect(spreadOverReferences(20000, [{ memberId: 'm2', invoiceReference: 'S2019' }, { memberId: 'm2', invoiceReference: 'S2019' }], open)).toMatchObject({
      parts: [{ invoiceId: 'm2-2019', amountCents: 9600 }],
      restCents: 10400,
    });
  });
});

describe('memberShares', () => {
  it('one member: all of it', () => {
    expect(memberShares('m1', 15000, [{ invoiceId: 'a', amountCents: 6300, memberId: 'm1' }])).toEqual([{ memberId: 'm1', amountCents: 15000 }]);
  });

  it('two members: each what went to their invoices, the payer also the rest', () => {
    expect(
      memberShares('m2', 30000, [
        { invoiceId: 'a', amountCents: 9600, memberId: 'm2' },
        { invoiceId: 'b', amountCents: 6300, memberId: 'm1' },
        { invoiceId: 'c', amountCents: 100, memberId: 'm1' },
      ]),
    ).toEqual([
      { memberId: 'm2', amountCents: 23600 },
      { memberId: 'm1', amountCents: 6400 },
    ]);
  });

  it('a negative amount (a reversal) divides the same way', () => {
    expect(memberShares('m2', -16000, [{ invoiceId: 'b', amountCents: -6300, memberId: 'm1' }])).toEqual([
      { memberId: 'm2', amountCents: -9700 },
      { memberId: 'm1', amountCents: -6300 },
    ]);
  });
});

describe('isAllocatableInvoice', () => {
  const base = { memberId: 'm1', openCents: 100, status: 'open' };
  it.each([
    ['open', base, true],
    ['partly paid', { ...base, status: 'partially-paid' }, true],
    ['missing', undefined, false],
    ['another member’s', { ...base, memberId: 'm2' }, false],
    ['nothing open', { ...base, openCents: 0 }, false],
    ['paid', { ...base, status: 'paid' }, false],
    ['credited', { ...base, status: 'credited' }, false],
    ['written off', { ...base, status: 'written-off' }, false],
  ])('%s', (_name, invoice, ok) => {
    expect(isAllocatableInvoice(invoice, 'm1')).toBe(ok);
  });
});

describe('reversibleAllocations', () => {
  it('nets each invoice, drops the ones already taken back, and sorts by invoice id', () => {
    expect(
      reversibleAllocations([
        { invoiceId: 'b', amountCents: 500 },
        { invoiceId: 'a', amountCents: 300 },
        { invoiceId: 'c', amountCents: 200 },
        { invoiceId: 'c', amountCents: -200 },
        { invoiceId: 'a', amountCents: 100 },
      ]),
    ).toEqual([
      { invoiceId: 'a', amountCents: 400 },
      { invoiceId: 'b', amountCents: 500 },
    ]);
  });

  it('nothing allocated: nothing to take back', () => {
    expect(reversibleAllocations([])).toEqual([]);
  });
});
