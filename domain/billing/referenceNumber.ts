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
 * The largest member number the reference scheme takes: 9 digits. The member number sequence
 * starts at 100001 and a fund has at most a few hundred thousand members, so this is never
 * reached in practice; the bound is what keeps yearly and sub-year references apart (below).
 */
export const MAX_MEMBER_NUMBER = 999_999_999;
const MEMBER_DIGITS = String(MAX_MEMBER_NUMBER).length;
/** Leading digit of every sub-year reference: it carries the zero-padded member number after it, since a reference may not start with 0. */
const SUB_YEAR_MARKER = '1';
/** Length of every sub-year reference: marker + member + period code + year code + check digit. */
const SUB_YEAR_LENGTH = 1 + MEMBER_DIGITS + 2 + 2 + 1;

function checkMemberNumber(memberNumber: number): void {
  if (!Number.isSafeInteger(memberNumber) || memberNumber < 1) {
    throw new Error(`a member number must be a positive whole number, got ${memberNumber}`);
  }
  if (memberNumber > MAX_MEMBER_NUMBER) {
    throw new Error(`a member number in a reference must be at most ${MAX_MEMBER_NUMBER} (${MEMBER_DIGITS} digits), got ${memberNumber}`);
  }
}

function yearCode(year: number): string {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new Error(`a fee year in a reference must be ${MIN_YEAR}–${MAX_YEAR}, got ${year}`);
  }
  return String(year % 100).padStart(2, '0');
}

/**
 * The reference base for a member: the member number followed by a two-digit code, which is the
 * fee year's last two digits (2025 → '25') or '00' for the member's permanent reference. Member
 * 1234 gets base '123425' for 2025 and '123400' for the permanent one; createReferenceNumber adds
 * the check digit.
 *
 * Why this shape: the last two digits always hold the code, so parseMemberReference can turn any
 * reference back into (member, year) without a lookup, references of different members never
 * collide, and the number stays short enough to type. Year codes cover 2001–2099; '00' is free
 * because no fee year 2000 or 2100 will be billed by this register. Member numbers above
 * MAX_MEMBER_NUMBER are refused, so these references never reach the length of a sub-year one
 * (invoiceReference).
 */
export function memberReferenceBase(memberNumber: number, year?: number): string {
  checkMemberNumber(memberNumber);
  const code = year === undefined ? NO_YEAR : yearCode(year);
  // At most 9 + 2 digits, so the full reference is at most 12: never SUB_YEAR_LENGTH.
  return `${memberNumber}${code}`;
}

/**
 * The period's code in a sub-year reference: the month 01–12 for a month ('2027-03'), 21–24 for a
 * quarter ('2027-Q1'), or null for the year itself ('2027'). Throws for a period of another year
 * or shape, since parseMemberReference would then read back a different period.
 */
function periodCode(period: string, feeYear: number): string | null {
  const match = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/.exec(period);
  if (!match || Number(match[1]) !== feeYear) {
    throw new Error(`a billing period in fee year ${feeYear} must be '${feeYear}', '${feeYear}-Q1'…'-Q4' or '${feeYear}-01'…'-12', got "${period}"`);
  }
  if (match[2]) return `2${match[2]}`;
  return match[3] ?? null;
}

/**
 * The national reference of a member's invoice for `period` (a year, quarter or month of
 * `feeYear`). Deterministic, so a retried billing chunk computes the same reference.
 *
 * - A yearly invoice gets the member's year reference, memberReferenceBase(member, year) + check
 *   digit: '1234' + '25' → '1234257'. Unchanged since the first issued invoices.
 * - A quarter or month invoice gets a reference of exactly SUB_YEAR_LENGTH (15) digits:
 *   '1' + the member number zero-padded to 9 digits + period code (01–12 month, 21–24 quarter) +
 *   two-digit year + check digit: member 1234, 2025-Q1 → '1' '000001234' '21' '25' + check.
 *   invoices.reference is unique and a member may get several invoices in one fee year, so each
 *   period needs its own.
 *
 * Member numbers are capped at MAX_MEMBER_NUMBER (9 digits), so a yearly or permanent reference
 * has at most 12 digits and can never be 15 long: the length alone tells the two layouts apart and
 * parseMemberReference never reads a sub-year reference as another member's yearly one.
 */
export function invoiceReference(memberNumber: number, feeYear: number, period: string): string {
  const base = memberReferenceBase(memberNumber, feeYear);
  const code = periodCode(period, feeYear);
  if (code === null) return createReferenceNumber(base);
  const padded = String(memberNumber).padStart(MEMBER_DIGITS, '0');
  return createReferenceNumber(`${SUB_YEAR_MARKER}${padded}${code}${yearCode(feeYear)}`);
}

/** What a member reference stands for; see parseMemberReference. */
export interface MemberReference {
  memberNumber: number;
  /** The fee year, or null for the member's permanent reference. */
  year: number | null;
  /** '2027-Q1' or '2027-03' for a quarter or month invoice; null for a yearly or permanent reference. */
  period: string | null;
}

function parseSubYearBase(base: string): MemberReference | null {
  if (!base.startsWith(SUB_YEAR_MARKER)) return null;
  const memberNumber = Number(base.slice(1, 1 + MEMBER_DIGITS));
  const code = Number(base.slice(1 + MEMBER_DIGITS, 3 + MEMBER_DIGITS));
  const yy = base.slice(3 + MEMBER_DIGITS);
  const year = 2000 + Number(yy);
  if (memberNumber < 1 || yy === NO_YEAR) return null;
  if (code >= 1 && code <= 12) return { memberNumber, year, period: `${year}-${String(code).padStart(2, '0')}` };
  if (code >= 21 && code <= 24) return { memberNumber, year, period: `${year}-Q${code - 20}` };
  return null;
}

/**
 * The member, fee year and period behind a reference made by memberReferenceBase or
 * invoiceReference (national or its RF form), or null when `ref` is not a valid reference of
 * either shape. A reference of SUB_YEAR_LENGTH digits is a quarter or month one; up to 12 digits a
 * yearly or permanent one; any other length (13, 14, 16–20) is not ours.
 */
export function parseMemberReference(ref: string): MemberReference | null {
  const parsed = parseReferenceInput(ref);
  if (parsed === null) return null;
  let national = parsed.value;
  if (parsed.kind === 'rf') {
    national = parsed.value.slice(4).replace(/^0+/, '');
    if (!isCanonicalNationalReference(national)) return null;
  }
  const base = national.slice(0, -1);
  if (national.length === SUB_YEAR_LENGTH) return parseSubYearBase(base);
  const memberNumber = Number(base.slice(0, -2));
  const code = base.slice(-2);
  if (!Number.isSafeInteger(memberNumber) || memberNumber < 1 || memberNumber > MAX_MEMBER_NUMBER) return null;
  return { memberNumber, year: code === NO_YEAR ? null : 2000 + Number(code), period: null };
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
