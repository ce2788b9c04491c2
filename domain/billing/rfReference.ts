/**
 * RF creditor reference (ISO 11649): 'RF' + 2 check digits + 1–21 letters or digits.
 * In Finland the body is a national reference including its own check digit (domain.md §3.2),
 * so a member can pay with either form and the register still finds the same fee.
 */
import { mod97CheckDigits, passesMod97 } from './mod97';
import { isCanonicalNationalReference, stripSpaces } from './nationalReference';

const RF = /^RF\d{2}[0-9A-Z]{1,21}$/;

/** The RF form of a national reference, e.g. '11112' → 'RF9811112'. Throws for an invalid one. */
export function toRfReference(national: string): string {
  const body = stripSpaces(national);
  if (!isCanonicalNationalReference(body)) {
    throw new Error(`cannot build an RF reference: "${national}" is not a valid national reference number`);
  }
  return `RF${mod97CheckDigits('RF', body)}${body}`;
}

/**
 * True for a valid RF reference. Accepts the printed form too (groups of four, any letter case),
 * because people copy it from paper invoices.
 */
export function isValidRfReference(rf: string): boolean {
  const compact = stripSpaces(rf).toUpperCase();
  return RF.test(compact) && passesMod97(compact.slice(0, 4), compact.slice(4));
}

/**
 * The national reference inside a Finnish RF reference: 'RF9811112' → '11112'. Leading zeros of
 * the body are dropped, since they do not change the 7-3-1 check. Throws when the RF is invalid
 * or its body is not a national reference (e.g. a foreign creditor's alphanumeric reference).
 */
export function rfToNational(rf: string): string {
  const compact = stripSpaces(rf).toUpperCase();
  if (!isValidRfReference(compact)) {
    throw new Error(`"${rf}" is not a valid RF creditor reference`);
  }
  const body = compact.slice(4).replace(/^0+/, '');
  if (!isCanonicalNationalReference(body)) {
    throw new Error(`RF reference "${rf}" does not carry a Finnish national reference number`);
  }
  return body;
}

/** Printed form in groups of four from the left, as ISO 11649 shows it: 'RF33 2348 236'. */
export function formatRfReference(rf: string): string {
  const compact = stripSpaces(rf).toUpperCase();
  if (!isValidRfReference(compact)) {
    throw new Error(`cannot format "${rf}": not a valid RF creditor reference`);
  }
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}
