import { describe, expect, it } from 'vitest';
import { createReferenceNumber } from '../../../domain/billing/referenceNumber';
import { virtualBarcodeV4, virtualBarcodeV5 } from '../../../domain/billing/virtualBarcode';

const IBAN = 'FI37 1590 3000 0007 76';

describe('virtual bank barcode (domain.md §3.4)', () => {
  it('version 4 matches the published test vector', () => {
    expect(virtualBarcodeV4({ iban: IBAN, amountCents: 1225, reference: '11112', dueDate: '2016-12-21' })).toBe(
      '437159030000007760000122500000000000000000011112161221',
    );
  });

  it('version 5 matches the published test vector', () => {
    expect(virtualBarcodeV5({ iban: IBAN, amountCents: 110, rfReference: 'RF9811112', dueDate: '2017-01-01' })).toBe(
      '537159030000007760000011098000000000000000011112170101',
    );
  });

  it('is always 54 digits with the fields in place', () => {
    const reference = createReferenceNumber('1234567890123456789'); // 20 digits, the longest
    const code = virtualBarcodeV4({ iban: 'FI2112345600000785', amountCents: 99_999_999, reference, dueDate: '2099-12-31' });
    expect(code).toMatch(/^\d{54}$/);
    expect(code.slice(0, 1)).toBe('4');
    expect(code.slice(1, 17)).toBe('2112345600000785');
    expect(code.slice(17, 23)).toBe('999999');
    expect(code.slice(23, 25)).toBe('99');
    expect(code.slice(25, 28)).toBe('000');
    expect(code.slice(28, 48)).toBe(reference);
    expect(code.slice(48)).toBe('991231');
  });

  it('writes zeros for a missing amount or due date', () => {
    const code = virtualBarcodeV4({ iban: IBAN, amountCents: null, reference: '11112', dueDate: null });
    expect(code.slice(17, 25)).toBe('00000000');
    expect(code.slice(48)).toBe('000000');
    expect(virtualBarcodeV5({ iban: IBAN, amountCents: 0, rfReference: 'RF98 1111 2', dueDate: null }).slice(17, 25)).toBe('00000000');
  });

  it('accepts printed references', () => {
    expect(virtualBarcodeV4({ iban: IBAN, amountCents: 1225, reference: '1 1112', dueDate: '2016-12-21' })).toBe(
      '437159030000007760000122500000000000000000011112161221',
    );
  });

  it('refuses amounts of €1,000,000 or more, negative or fractional cents', () => {
    const base = { iban: IBAN, reference: '11112', dueDate: '2025-01-31' };
    expect(virtualBarcodeV4({ ...base, amountCents: 99_999_999 })).toHaveLength(54);
    expect(() => virtualBarcodeV4({ ...base, amountCents: 100_000_000 })).toThrow(/€1,000,000 or more/);
    expect(() => virtualBarcodeV4({ ...base, amountCents: -1 })).toThrow(/whole cents, 0 or more/);
    expect(() => virtualBarcodeV4({ ...base, amountCents: 12.5 })).toThrow(/whole cents/);
  });

  it('refuses invalid accounts, references and dates', () => {
    const base = { iban: IBAN, amountCents: 100, reference: '11112', dueDate: '2025-01-31' };
    expect(() => virtualBarcodeV4({ ...base, iban: 'FI3815903000000776' })).toThrow(/not a valid IBAN/);
    expect(() => virtualBarcodeV4({ ...base, iban: 'DE89370400440532013000' })).toThrow(/only Finnish accounts/);
    expect(() => virtualBarcodeV4({ ...base, reference: '11113' })).toThrow(/not a valid national reference/);
    expect(() => virtualBarcodeV4({ ...base, reference: 'RF9811112' })).toThrow(/not a valid national reference/);
    expect(() => virtualBarcodeV4({ ...base, dueDate: '2025-02-30' })).toThrow(/due date/);
    expect(() => virtualBarcodeV4({ ...base, dueDate: '1999-12-31' })).toThrow(/2000-01-01\.\.2099-12-31/);
    expect(() => virtualBarcodeV4({ ...base, dueDate: '31.1.2025' })).toThrow(/due date/);
    const v5 = { iban: IBAN, amountCents: 100, rfReference: 'RF9811112', dueDate: null };
    expect(() => virtualBarcodeV5({ ...v5, rfReference: 'RF9911112' })).toThrow(/not a valid RF/);
    expect(() => virtualBarcodeV5({ ...v5, rfReference: '11112' })).toThrow(/not a valid RF/);
    expect(() => virtualBarcodeV5({ ...v5, rfReference: 'RF71A1B2C3' })).toThrow();
  });

  it('carries a leap day', () => {
    expect(virtualBarcodeV4({ iban: IBAN, amountCents: 800, reference: '11112', dueDate: '2024-02-29' }).slice(48)).toBe('240229');
  });
});
