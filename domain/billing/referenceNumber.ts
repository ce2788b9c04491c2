/**
 * Finnish national reference numbers (viitenumero), domain.md §3.1: 4–20 digits whose last digit
 * is a 7-3-1 check digit. Also the register's scheme for deriving a reference from a member.
 */
import { isValidRfReference } from './rfReference';
import { isCanonicalNationalReference, nationalCheckDigit, stripSpaces } from './nationalReference';

/** A payment reference as it arrives on a payment or is typed in, after validation. */
export interface PaymentReference {
  kind: 'national' | 'rf';
  /** Canonical form: digits only for 'national', upper case without spaces for 'rf'. */
  value: string;
}

/** The check digit (0–9) for a base of 3–19 digits. */
export function referenceCheckDigit(base: string): number {
  if (!/^\d{3,19}$/.test(base)) {
    throw new Error(`a reference base must be 3–19 digits, got "${base}"`);
  }
  return nationalCheckDigit(base);
}

/**
 * The full reference for `base`: base + check digit, e.g. '1234567' → '12345672'. A leading zero
 * is refused because banks and barcodes may strip or add zeros, which would make two of our
 * references look alike (domain.md §3.1).
 */
export function createReferenceNumber(base: string): string {
  if (!/^\d+$/.test(base)) throw new Error(`a reference base must be digits only, got "${base}"`);
  if (base.length < 3 || base.length > 19) {
    throw new Error(`a reference base must be 3–19 digits, got ${base.length} ("${base}")`);
  }
  if (base.startsWith('0')) throw new Error(`a reference base must not start with 0, got "${base}"`);
  return base + String(nationalCheckDigit(base));
}

/**
 * True for a valid national reference. Spaces are allowed (the printed groups of five); leading
 * zeros are not, since we never issue them: use parseReferenceInput for bank data that pads.
 */
export function isValidReferenceNumber(ref: string): boolean {
  return isCanonicalNationalReference(stripSpaces(ref));
}

/** Printed form in groups of five counted from the right: '12345672' → '123 45672'. */
export function formatReferenceNumber(ref: string): string {
  const compact = stripSpaces(ref);
  if (!isCanonicalNationalReference(compact)) {
    throw new Error(`cannot format "${ref}": not a valid national reference number`);
  }
  const groups: string[] = [];
  for (let end = compact.length; end > 0; end -= 5) groups.unshift(compact.slice(Math.max(0, end - 5), end));
  return groups.join(' ');
}

/** Two-digit year code that means "no year": the member's permanent reference. */
const NO_YEAR = '00';
const MIN_YEAR = 2001;
const MAX_YEAR = 2099;

/**
 * The reference base for a member: the member number followed by a two-digit code, which is the
 * fee year's last two digits (2025 → '25') or '00' for the member's permanent reference. Member
 * 1234 gets base '123425' for 2025 and '123400' for the permanent one; createReferenceNumber adds
 * the check digit.
 *
 * Why this shape: the last two digits always hold the code, so parseMemberReference can turn any
 * reference back into (member, year) without a lookup, references of different members never
 * collide, and the number stays short enough to type. Year codes cover 2001–2099; '00' is free
 * because no fee year 2000 or 2100 will be billed by this register.
 */
export function memberReferenceBase(memberNumber: number, year?: number): string {
  if (!Number.isSafeInteger(memberNumber) || memberNumber < 1) {
    throw new Error(`a member number must be a positive whole number, got ${memberNumber}`);
  }
  let code = NO_YEAR;
  if (year !== undefined) {
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
      throw new Error(`a fee year in a reference must be ${MIN_YEAR}–${MAX_YEAR}, got ${year}`);
    }
    code = String(year % 100).padStart(2, '0');
  }
  // A safe integer has at most 16 digits, so the base is at most 18: within the 19-digit limit.
  return `${memberNumber}${code}`;
}

/**
 * The member and fee year behind a reference made by memberReferenceBase (national or its RF
 * form), or null when `ref` is not a valid reference of that shape. `year` is null for the
 * member's permanent reference.
 */
export function parseMemberReference(ref: string): { memberNumber: number; year: number | null } | null {
  const parsed = parseReferenceInput(ref);
  if (parsed === null) return null;
  let national = parsed.value;
  if (parsed.kind === 'rf') {
    national = parsed.value.slice(4).replace(/^0+/, '');
    if (!isCanonicalNationalReference(national)) return null;
  }
  const base = national.slice(0, -1);
  const memberNumber = Number(base.slice(0, -2));
  const code = base.slice(-2);
  if (!Number.isSafeInteger(memberNumber) || memberNumber < 1) return null;
  return { memberNumber, year: code === NO_YEAR ? null : 2000 + Number(code) };
}

/**
 * A reference typed by a person or copied from bank data, national or RF, or null if it is
 * neither. Whitespace is dropped and letters upper-cased; leading zeros of a national reference
 * are dropped because bank formats zero-pad the field and the 7-3-1 check ignores them.
 */
export function parseReferenceInput(s: string): PaymentReference | null {
  const compact = stripSpaces(s).toUpperCase();
  if (compact.startsWith('RF')) {
    return isValidRfReference(compact) ? { kind: 'rf', value: compact } : null;
  }
  if (!/^\d+$/.test(compact)) return null;
  const national = compact.replace(/^0+/, '');
  return isCanonicalNationalReference(national) ? { kind: 'national', value: national } : null;
}
