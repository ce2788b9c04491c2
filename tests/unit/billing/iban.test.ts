import { describe, expect, it } from 'vitest';
import { finnishBbanToIban, formatIban, ibanToFinnishBban, isValidIban, normalizeIban } from '../../../domain/billing/iban';
import { getFundProfile } from '../../../domain/fundProfile';

describe('IBAN (domain.md §3.3)', () => {
  it('builds FI2112345600000785 from the BBAN 12345600000785', () => {
    expect(finnishBbanToIban('12345600000785')).toBe('FI2112345600000785');
    expect(ibanToFinnishBban('FI2112345600000785')).toBe('12345600000785');
  });

  it('accepts FI37 1590 3000 0007 76 in printed and electronic form', () => {
    expect(isValidIban('FI37 1590 3000 0007 76')).toBe(true);
    expect(isValidIban('FI3715903000000776')).toBe(true);
    expect(isValidIban('fi37 1590 3000 0007 76')).toBe(true);
  });

  it('rejects a wrong check digit, a wrong length and junk', () => {
    expect(isValidIban('FI3815903000000776')).toBe(false);
    expect(isValidIban('FI371590300000077')).toBe(false);
    expect(isValidIban('FI37159030000007760')).toBe(false);
    expect(isValidIban('FI37 1590 3000 0007 7X')).toBe(false);
    expect(isValidIban('')).toBe(false);
    expect(isValidIban('1234')).toBe(false);
  });

  it('accepts foreign SEPA IBANs with their own lengths', () => {
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('SE45 5000 0000 0583 9825 7466')).toBe(true);
    expect(isValidIban('GB29 NWBK 6016 1331 9268 19')).toBe(true);
    expect(isValidIban('DE89 3704 0044 0532 0130 0')).toBe(false);
  });

  it('round-trips BBAN → IBAN → BBAN, including check digits below 10', () => {
    for (const bban of ['15903000000776', '79910000070124', '40550010123459', '00000000000000', '99999999999999']) {
      const iban = finnishBbanToIban(bban);
      expect(iban).toMatch(/^FI\d{16}$/);
      expect(isValidIban(iban)).toBe(true);
      expect(ibanToFinnishBban(iban)).toBe(bban);
    }
  });

  it('agrees with the shipped fund profiles', () => {
    for (const id of ['a-kassa', 'koko']) {
      const { iban } = getFundProfile(id);
      expect(finnishBbanToIban(ibanToFinnishBban(iban))).toBe(iban);
    }
  });

  it('formats in groups of four and normalises', () => {
    expect(formatIban('FI3715903000000776')).toBe('FI37 1590 3000 0007 76');
    expect(formatIban('fi37 159030 0000 0776')).toBe('FI37 1590 3000 0007 76');
    expect(normalizeIban(' fi37 1590 ')).toBe('FI371590');
    expect(() => formatIban('FI3815903000000776')).toThrow(/not a valid IBAN/);
  });

  it('refuses a malformed BBAN and non-Finnish IBANs', () => {
    expect(() => finnishBbanToIban('123456-785')).toThrow(/exactly 14 digits/);
    expect(() => finnishBbanToIban('1234560000078')).toThrow(/exactly 14 digits/);
    expect(() => ibanToFinnishBban('DE89370400440532013000')).toThrow(/not a Finnish IBAN/);
    expect(() => ibanToFinnishBban('FI3815903000000776')).toThrow(/not a valid IBAN/);
  });
});
