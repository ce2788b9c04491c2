/**
 * IBAN (ISO 13616) with the mod-97 check, domain.md §3.3. Finnish IBANs are 'FI' + 2 check
 * digits + the 14-digit BBAN; foreign SEPA IBANs are accepted too, because refunds may go to a
 * member's account abroad.
 */
import { mod97CheckDigits, passesMod97 } from './mod97';

/**
 * Lengths of the SEPA countries' IBANs. A country missing here is checked only against the
 * general shape (15–34 characters), so a new IBAN country is not refused outright.
 */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24,
  FI: 18, FO: 18, FR: 27, GB: 22, GI: 23, GL: 18, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26,
  IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25,
  RO: 24, SE: 24, SI: 19, SK: 24, SM: 27, VA: 22,
};

const IBAN_SHAPE = /^[A-Z]{2}\d{2}[0-9A-Z]{11,30}$/;
const FINNISH_BBAN = /^\d{14}$/;

/** The electronic form: no spaces, upper case. Does not validate. */
export function normalizeIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}

/** True for a valid IBAN, in electronic or printed form ('FI37 1590 3000 0007 76'). */
export function isValidIban(iban: string): boolean {
  const compact = normalizeIban(iban);
  if (!IBAN_SHAPE.test(compact)) return false;
  const expectedLength = IBAN_LENGTHS[compact.slice(0, 2)];
  if (expectedLength !== undefined && compact.length !== expectedLength) return false;
  return passesMod97(compact.slice(0, 4), compact.slice(4));
}

/** The printed form in groups of four: 'FI37 1590 3000 0007 76'. Throws for an invalid IBAN. */
export function formatIban(iban: string): string {
  const compact = normalizeIban(iban);
  if (!isValidIban(compact)) throw new Error(`cannot format "${iban}": not a valid IBAN`);
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The Finnish IBAN for a 14-digit BBAN in machine format, e.g. '12345600000785' →
 * 'FI2112345600000785'. The older short form with a hyphen ('123456-785') is refused: expanding
 * it depends on the bank group, which is the bank's business, not ours.
 */
export function finnishBbanToIban(bban14: string): string {
  if (!FINNISH_BBAN.test(bban14)) {
    throw new Error(`a Finnish BBAN must be exactly 14 digits, got "${bban14}"`);
  }
  return `FI${mod97CheckDigits('FI', bban14)}${bban14}`;
}

/** The 14-digit BBAN of a valid Finnish IBAN. Throws for an invalid or non-Finnish IBAN. */
export function ibanToFinnishBban(iban: string): string {
  const compact = normalizeIban(iban);
  if (!isValidIban(compact)) throw new Error(`"${iban}" is not a valid IBAN`);
  if (!compact.startsWith('FI')) throw new Error(`"${iban}" is not a Finnish IBAN (it starts with ${compact.slice(0, 2)})`);
  return compact.slice(4);
}
