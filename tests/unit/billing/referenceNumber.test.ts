import { describe, expect, it } from 'vitest';
import {
  createReferenceNumber,
  formatReferenceNumber,
  invoiceReference,
  isValidReferenceNumber,
  MAX_MEMBER_NUMBER,
  memberReferenceBase,
  parseMemberReference,
  parseReferenceInput,
  referenceCheckDigit,
} from '../../../domain/billing/referenceNumber';
import { formatRfReference, toRfReference } from '../../../domain/billing/rfReference';

describe('national reference numbers (domain.md §3.1)', () => {
  it.each([
    ['1234567', '12345672'],
    ['123456', '1234561'],
    ['1111', '11112'],
  ])('the worked example %s → %s', (base, ref) => {
    expect(createReferenceNumber(base)).toBe(ref);
    expect(referenceCheckDigit(base)).toBe(Number(ref.slice(-1)));
    expect(isValidReferenceNumber(ref)).toBe(true);
  });

  it('gives check digit 0 when the weighted sum is a multiple of ten', () => {
    // '505' from the right: 5·7 + 0·3 + 5·1 = 40, and (10 − 0) mod 10 = 0.
    expect(createReferenceNumber('505')).toBe('5050');
  });

  it('accepts bases of 3 to 19 digits only, without a leading zero', () => {
    expect(createReferenceNumber('100')).toBe('1009');
    expect(createReferenceNumber('1'.repeat(19))).toHaveLength(20);
    expect(() => createReferenceNumber('12')).toThrow(/3–19 digits/);
    expect(() => createReferenceNumber('1'.repeat(20))).toThrow(/3–19 digits/);
    expect(() => createReferenceNumber('0123')).toThrow(/must not start with 0/);
    expect(() => createReferenceNumber('12a4')).toThrow(/digits only/);
    expect(() => createReferenceNumber('')).toThrow(/digits only/);
    expect(() => referenceCheckDigit('12')).toThrow(/3–19 digits/);
  });

  it('validates the check digit, the length and the characters', () => {
    expect(isValidReferenceNumber('12345673')).toBe(false);
    expect(isValidReferenceNumber('112')).toBe(false); // too short even though 11 → check 2 would hold
    expect(isValidReferenceNumber('1'.repeat(21))).toBe(false);
    expect(isValidReferenceNumber('1234567X')).toBe(false);
    expect(isValidReferenceNumber('')).toBe(false);
  });

  it('accepts the printed form with spaces but not leading zeros', () => {
    expect(isValidReferenceNumber('123 45672')).toBe(true);
    expect(isValidReferenceNumber('012345672')).toBe(false);
  });

  it('formats in groups of five counted from the right', () => {
    expect(formatReferenceNumber('12345672')).toBe('123 45672');
    expect(formatReferenceNumber('1231234')).toBe('12 31234');
    expect(formatReferenceNumber('11112')).toBe('11112');
    const longest = createReferenceNumber('1234567890123456789');
    expect(formatReferenceNumber(longest)).toBe(`${longest.slice(0, 5)} ${longest.slice(5, 10)} ${longest.slice(10, 15)} ${longest.slice(15)}`);
    expect(formatReferenceNumber('123 4567 2')).toBe('123 45672');
    expect(() => formatReferenceNumber('12345673')).toThrow(/not a valid national reference/);
  });
});

describe('member references', () => {
  it('appends the two-digit fee year, or 00 for the permanent reference', () => {
    expect(memberReferenceBase(1234, 2025)).toBe('123425');
    expect(memberReferenceBase(1234, 2030)).toBe('123430');
    expect(memberReferenceBase(1234)).toBe('123400');
    expect(memberReferenceBase(1)).toBe('100');
    expect(memberReferenceBase(7, 2009)).toBe('709');
  });

  it('always gives a base createReferenceNumber accepts', () => {
    for (const member of [1, 9, 10, 99, 12345, MAX_MEMBER_NUMBER]) {
      for (const year of [undefined, 2001, 2025, 2099]) {
        const ref = createReferenceNumber(memberReferenceBase(member, year));
        expect(isValidReferenceNumber(ref)).toBe(true);
        expect(parseMemberReference(ref)).toEqual({ memberNumber: member, year: year ?? null, period: null });
      }
    }
  });

  it('never gives two members or years the same reference', () => {
    const seen = new Set<string>();
    for (let member = 1; member <= 300; member++) {
      for (const year of [undefined, 2024, 2025, 2026]) {
        const ref = createReferenceNumber(memberReferenceBase(member, year));
        expect(seen.has(ref)).toBe(false);
        seen.add(ref);
      }
    }
  });

  it('refuses member numbers and years outside the scheme', () => {
    expect(() => memberReferenceBase(0)).toThrow(/positive whole number/);
    expect(() => memberReferenceBase(-5, 2025)).toThrow(/positive whole number/);
    expect(() => memberReferenceBase(1.5)).toThrow(/positive whole number/);
    expect(() => memberReferenceBase(12, 2000)).toThrow(/2001–2099/);
    expect(() => memberReferenceBase(12, 2100)).toThrow(/2001–2099/);
    expect(() => memberReferenceBase(MAX_MEMBER_NUMBER + 1)).toThrow(/at most 999999999 \(9 digits\)/);
    expect(() => memberReferenceBase(Number.MAX_SAFE_INTEGER, 2025)).toThrow(/at most 999999999/);
  });

  it('reads the member back from the RF form and rejects other references', () => {
    expect(parseMemberReference(toRfReference('1234257'))).toEqual({ memberNumber: 1234, year: 2025, period: null });
    expect(parseMemberReference('RF00 1234 257')).toBeNull(); // wrong RF check digits
    expect(parseMemberReference('1234257')).toEqual({ memberNumber: 1234, year: 2025, period: null });
    expect(parseMemberReference('12345673')).toBeNull();
    expect(parseMemberReference('nonsense')).toBeNull();
  });
});

describe('invoice references', () => {
  const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
  const subYearPeriods = (year: number) => [...MONTHS.map((m) => `${year}-${m}`), ...[1, 2, 3, 4].map((q) => `${year}-Q${q}`)];

  it('gives a yearly invoice the member\'s year reference, exactly as before', () => {
    expect(invoiceReference(1234, 2025, '2025')).toBe('1234257');
    expect(invoiceReference(1234, 2025, '2025')).toBe(createReferenceNumber(memberReferenceBase(1234, 2025)));
    for (const member of [1, 100001, 987654321, MAX_MEMBER_NUMBER]) {
      for (const year of [2001, 2026, 2099]) {
        const ref = invoiceReference(member, year, String(year));
        expect(ref).toBe(createReferenceNumber(`${member}${String(year % 100).padStart(2, '0')}`));
        expect(parseMemberReference(ref)).toEqual({ memberNumber: member, year, period: null });
      }
    }
  });

  it('lays a sub-year reference out as 1 + member (9 digits) + period code + year + check digit', () => {
    expect(invoiceReference(1234, 2025, '2025-Q1')).toBe(createReferenceNumber('10000012342125'));
    expect(invoiceReference(1234, 2025, '2025-Q4')).toBe(createReferenceNumber('10000012342425'));
    expect(invoiceReference(1234, 2025, '2025-03')).toBe(createReferenceNumber('10000012340325'));
    expect(invoiceReference(1234, 2025, '2025-12')).toBe(createReferenceNumber('10000012341225'));
    expect(invoiceReference(1234, 2025, '2025-Q1')).toHaveLength(15);
  });

  it('reads every month and quarter back, for the smallest and largest member and year', () => {
    for (const member of [1, 9, 100001, 123456789, MAX_MEMBER_NUMBER]) {
      for (const year of [2001, 2009, 2027, 2099]) {
        for (const period of subYearPeriods(year)) {
          const ref = invoiceReference(member, year, period);
          expect(ref).toHaveLength(15);
          expect(isValidReferenceNumber(ref)).toBe(true);
          expect(parseMemberReference(ref)).toEqual({ memberNumber: member, year, period });
          expect(parseMemberReference(formatReferenceNumber(ref))).toEqual({ memberNumber: member, year, period });
        }
      }
    }
  });

  it('reads the RF form back too, yearly and sub-year', () => {
    for (const period of ['2027', '2027-Q1', '2027-03']) {
      const rf = toRfReference(invoiceReference(100001, 2027, period));
      expect(parseMemberReference(rf)).toEqual({ memberNumber: 100001, year: 2027, period: period === '2027' ? null : period });
      expect(parseMemberReference(formatRfReference(rf).toLowerCase())).toEqual(parseMemberReference(rf));
    }
  });

  it('never reads a sub-year reference as another member', () => {
    // The old layout put the code between member and year: member 1234's 2025-Q1 reference was
    // '1234' + '21' + '25', which reads as member 123421's 2025 reference.
    const seen = new Map<string, string>();
    for (const member of [1, 2, 12, 21, 123, 1234, 123421, 100001, 10000121, 99999999, MAX_MEMBER_NUMBER]) {
      for (const year of [2025, 2026]) {
        for (const period of [String(year), ...subYearPeriods(year)]) {
          const ref = invoiceReference(member, year, period);
          expect(seen.get(ref), `${ref} for ${member} ${period}`).toBeUndefined();
          seen.set(ref, `${member} ${period}`);
          expect(parseMemberReference(ref)?.memberNumber).toBe(member);
        }
      }
      const permanent = createReferenceNumber(memberReferenceBase(member));
      expect(seen.has(permanent)).toBe(false);
      seen.set(permanent, `${member}`);
    }
  });

  it('does not read references of other lengths or unknown codes as a member', () => {
    expect(parseMemberReference(createReferenceNumber('1234567890123'))).toBeNull(); // 14 digits
    expect(parseMemberReference(createReferenceNumber('123456789012'))).toBeNull(); // 13 digits
    expect(parseMemberReference(createReferenceNumber('1'.repeat(19)))).toBeNull(); // 20 digits
    expect(parseMemberReference(createReferenceNumber('20000012342125'))).toBeNull(); // 15 digits, no marker
    expect(parseMemberReference(createReferenceNumber('10000012341325'))).toBeNull(); // month 13
    expect(parseMemberReference(createReferenceNumber('10000012340025'))).toBeNull(); // period 00
    expect(parseMemberReference(createReferenceNumber('10000012342525'))).toBeNull(); // quarter 5
    expect(parseMemberReference(createReferenceNumber('10000012342100'))).toBeNull(); // year code 00
    expect(parseMemberReference(createReferenceNumber('10000000002125'))).toBeNull(); // member 0
  });

  it('refuses a member number over the bound, years outside 2001–2099 and periods of another year', () => {
    expect(() => invoiceReference(MAX_MEMBER_NUMBER + 1, 2025, '2025-Q1')).toThrow(/at most 999999999 \(9 digits\)/);
    expect(() => invoiceReference(MAX_MEMBER_NUMBER + 1, 2025, '2025')).toThrow(/at most 999999999/);
    expect(() => invoiceReference(0, 2025, '2025-01')).toThrow(/positive whole number/);
    expect(() => invoiceReference(12, 2000, '2000-01')).toThrow(/2001–2099/);
    expect(() => invoiceReference(12, 2100, '2100-Q1')).toThrow(/2001–2099/);
    expect(() => invoiceReference(12, 2025, '2026-Q1')).toThrow(/billing period in fee year 2025/);
    expect(() => invoiceReference(12, 2025, '2025-13')).toThrow(/billing period/);
    expect(() => invoiceReference(12, 2025, '2025-Q5')).toThrow(/billing period/);
    expect(() => invoiceReference(12, 2025, '')).toThrow(/billing period/);
  });
});

describe('parseReferenceInput', () => {
  it('strips spaces and zero padding from national references', () => {
    expect(parseReferenceInput(' 123 45672 ')).toEqual({ kind: 'national', value: '12345672' });
    expect(parseReferenceInput('00000000000000011112')).toEqual({ kind: 'national', value: '11112' });
  });

  it('accepts RF references in printed form and any case', () => {
    expect(parseReferenceInput('RF98 1111 2')).toEqual({ kind: 'rf', value: 'RF9811112' });
    expect(parseReferenceInput('rf9811112')).toEqual({ kind: 'rf', value: 'RF9811112' });
  });

  it('returns null for anything else', () => {
    expect(parseReferenceInput('12345673')).toBeNull();
    expect(parseReferenceInput('RF9911112')).toBeNull();
    expect(parseReferenceInput('')).toBeNull();
    expect(parseReferenceInput('000')).toBeNull();
    expect(parseReferenceInput('jäsenmaksu 2025')).toBeNull();
  });
});
