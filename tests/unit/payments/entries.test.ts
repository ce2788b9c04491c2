import { describe, expect, it } from 'vitest';
import { awaitsOriginal, bankMovement, unmatchedReason } from '../../../domain/payments/entries';

describe('bankMovement', () => {
  it('money in is a payment that lowers what the member owes', () => {
    expect(bankMovement(9600)).toEqual({ kind: 'payment', ledgerCents: -9600 });
  });
  it('money out is a reversal that raises it', () => {
    expect(bankMovement(-9600)).toEqual({ kind: 'reversal', ledgerCents: 9600 });
  });
  it('zero counts as a payment', () => {
    expect(bankMovement(0).kind).toBe('payment');
  });
});

describe('awaitsOriginal', () => {
  it('only a reversal with a reference', () => {
    expect(awaitsOriginal({ reversal: true, reference: '12345672' })).toBe(true);
    expect(awaitsOriginal({ reversal: true, reference: null })).toBe(false);
    expect(awaitsOriginal({ reversal: false, reference: '12345672' })).toBe(false);
  });
});

describe('unmatchedReason', () => {
  it.each([
    [{ amountCents: -100, reversal: true, reference: '12345672' }, 'reversal-without-original'],
    [{ amountCents: -100, reversal: false, reference: null }, 'debit'],
    [{ amountCents: 100, reversal: false, reference: null }, 'no-reference'],
    [{ amountCents: 100, reversal: false, reference: '12345672' }, 'unknown-reference'],
    [{ amountCents: 0, reversal: false, reference: null }, 'no-reference'],
  ])('%o → %s', (entry, reason) => {
    expect(unmatchedReason(entry)).toBe(reason);
  });
});
