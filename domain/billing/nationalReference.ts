/**
 * The national reference check (7-3-1 weights), kept apart from referenceNumber.ts so that both
 * it and rfReference.ts can use it without importing each other.
 */

const WEIGHTS = [7, 3, 1] as const;

/** A national reference in canonical form: 4–20 digits, no leading zero, check digit last. */
export const NATIONAL_REFERENCE = /^[1-9]\d{3,19}$/;

/** The 7-3-1 check digit of a run of digits; the caller has checked the length and characters. */
export function nationalCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Weights run from the rightmost digit leftwards: 7, 3, 1, 7, 3, 1, …
    const digit = Number(digits[digits.length - 1 - i]);
    sum += digit * WEIGHTS[i % 3]!;
  }
  return (10 - (sum % 10)) % 10;
}

/** Canonical national reference with a correct check digit (no spaces, no leading zeros). */
export function isCanonicalNationalReference(ref: string): boolean {
  return NATIONAL_REFERENCE.test(ref) && nationalCheckDigit(ref.slice(0, -1)) === Number(ref.slice(-1));
}

/** Spaces are only a printing aid (groups of five), so every parser drops them. */
export function stripSpaces(s: string): string {
  return s.replace(/\s+/g, '');
}
