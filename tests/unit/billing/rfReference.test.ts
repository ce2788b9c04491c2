import { describe, expect, it } from 'vitest';
import { formatRfReference, isValidRfReference, rfToNational, toRfReference } from '../../../domain/billing/rfReference';

// Independent oracle (domain.md §3.2): move 'RFkk' to the end, letters → numbers, mod 97 must be 1.
function rfMod97(rf: string): bigint {
  const rearranged = rf.slice(4) + rf.slice(0, 4);
  return BigInt(rearranged.replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55))) % 97n;
}

describe('RF creditor references (ISO 11649)', () => {
  it.each([
    ['11112', 'RF9811112'],
    ['2348236', 'RF332348236'],
    ['1234561', 'RF341234561'],
  ])('the published example %s → %s', (national, rf) => {
    expect(toRfReference(national)).toBe(rf);
    expect(rfMod97(rf)).toBe(1n);
    expect(isValidRfReference(rf)).toBe(true);
    expect(rfToNational(rf)).toBe(national);
  });

  it('zero-pads check digits below 10', () => {
    // Search a small range for a national reference whose RF check digits start with 0.
    const found = Array.from({ length: 2000 }, (_, i) => String(1000 + i))
      .map((base) => base + String((10 - [...base].reverse().reduce((s, d, j) => s + Number(d) * [7, 3, 1][j % 3]!, 0) % 10) % 10))
      .map((national) => toRfReference(national))
      .find((rf) => rf.startsWith('RF0'));
    expect(found).toBeDefined();
    expect(found).toMatch(/^RF0\d/);
    expect(rfMod97(found!)).toBe(1n);
  });

  it('validates the printed form and alphanumeric bodies', () => {
    expect(isValidRfReference('RF33 2348 236')).toBe(true);
    expect(isValidRfReference('rf332348236')).toBe(true);
    expect(isValidRfReference('RF18 5390 0754 7034')).toBe(true); // ISO 11649 sample
    expect(isValidRfReference('RF18000000000539007547034')).toBe(true); // same, zero-padded to 21
    expect(isValidRfReference('RF71 A1B2 C3')).toBe(rfMod97('RF71A1B2C3') === 1n);
  });

  it('rejects wrong check digits, bad characters and lengths', () => {
    expect(isValidRfReference('RF9911112')).toBe(false);
    expect(isValidRfReference('RF98')).toBe(false);
    expect(isValidRfReference('RF98 1111 2-')).toBe(false);
    expect(isValidRfReference('RF9' + '1'.repeat(22))).toBe(false);
    expect(isValidRfReference('XX9811112')).toBe(false);
    expect(isValidRfReference('')).toBe(false);
  });

  it('refuses to build an RF from an invalid national reference', () => {
    expect(() => toRfReference('11113')).toThrow(/not a valid national reference/);
    expect(() => toRfReference('011112')).toThrow(/not a valid national reference/);
  });

  it('extracts the national reference, ignoring zero padding, and refuses foreign bodies', () => {
    expect(rfToNational('RF98 1111 2')).toBe('11112');
    expect(rfToNational('RF98' + '11112'.padStart(21, '0'))).toBe('11112');
    expect(() => rfToNational('RF18 5390 0754 7034')).toThrow(/does not carry a Finnish national reference/);
    expect(() => rfToNational('RF9911112')).toThrow(/not a valid RF/);
  });

  it('prints in groups of four', () => {
    expect(formatRfReference('RF332348236')).toBe('RF33 2348 236');
    expect(formatRfReference('RF9811112')).toBe('RF98 1111 2');
    expect(() => formatRfReference('RF9911112')).toThrow(/not a valid RF/);
  });
});
