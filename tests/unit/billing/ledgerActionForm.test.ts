import { describe, expect, it } from 'vitest';
import { isLedgerActionKind, ledgerFieldOf, readLedgerAction } from '../../../web/lib/forms/ledgerAction';

const invoiceId = '7b0d7c1e-5d7e-4a8e-9a52-0d6b3c3f1a11';

describe('readLedgerAction (the desk’s ledger dialogs)', () => {
  it('reads a credit note typed the Finnish way', () => {
    expect(readLedgerAction('creditNote', { invoiceId, amount: '12,50', reason: ' Ended in February ', idempotencyKey: 'key-12345678' })).toEqual({
      request: { kind: 'creditNote', invoiceId, amountCents: 1250, reason: 'Ended in February', idempotencyKey: 'key-12345678' },
    });
  });

  it('a write-off takes no amount: the API writes off what is open', () => {
    expect(readLedgerAction('writeOff', { invoiceId, amount: 'ignored', reason: 'Estate without funds' })).toEqual({ request: { kind: 'writeOff', invoiceId, reason: 'Estate without funds' } });
  });

  it('a refund needs a valid IBAN, compacted', () => {
    expect(readLedgerAction('refund', { amount: '16', iban: 'fi21 1234 5600 0007 85', reason: 'Paid twice', idempotencyKey: 'key-12345678' })).toEqual({
      request: { kind: 'refund', amountCents: 1600, iban: 'FI2112345600000785', reason: 'Paid twice', idempotencyKey: 'key-12345678' },
    });
    expect(readLedgerAction('refund', { amount: '16', iban: 'FI2112345600000786', reason: 'Paid twice' })).toEqual({ errors: { iban: 'invalid' } });
  });

  it('names each missing or wrong field', () => {
    expect(readLedgerAction('creditNote', { invoiceId, amount: '', reason: '' })).toEqual({ errors: { amount: 'required', reason: 'required' } });
    expect(readLedgerAction('creditNote', { invoiceId, amount: '12,505', reason: 'x' })).toEqual({ errors: { amount: 'invalid' } });
    expect(readLedgerAction('creditNote', { invoiceId, amount: '0,00', reason: 'x' })).toEqual({ errors: { amount: 'invalid' } });
    expect(readLedgerAction('refund', { amount: '-5', iban: '', reason: 'x'.repeat(141) })).toEqual({ errors: { amount: 'invalid', iban: 'required', reason: 'tooLong' } });
    expect(readLedgerAction('writeOff', { invoiceId, reason: 'x'.repeat(500) })).toHaveProperty('request');
  });

  it('an invoice action without its invoice is a broken form', () => {
    expect(readLedgerAction('creditNote', { amount: '1', reason: 'x' })).toBeNull();
    expect(readLedgerAction('writeOff', { reason: 'x' })).toBeNull();
  });

  it('knows its kinds and the API’s field names', () => {
    expect(isLedgerActionKind('refund')).toBe(true);
    expect(isLedgerActionKind('delete')).toBe(false);
    expect(isLedgerActionKind(undefined)).toBe(false);
    expect(ledgerFieldOf('amountCents')).toBe('amount');
    expect(ledgerFieldOf('iban')).toBe('iban');
    expect(ledgerFieldOf('idempotencyKey')).toBeNull();
  });
});
