import { isIsoDate } from './dates';
import { describeIdentityCodeIssue, type IdentityCodeIssue } from './identityCodeIssue';

/** A henkilötunnus that passed every check, with what it tells about its holder. */
export interface IdentityCode {
  /** The code exactly as given; the century sign is part of the identity and is never rewritten. */
  code: string;
  birthDate: string;
  individualNumber: number;
  /** Legal sex when the code was issued (odd individual number = male); it can change with a new code. */
  sexAtRegistration: 'male' | 'female';
  /** Individual numbers 900–999 are temporary or artificial (DVV test data uses them). */
  temporary: boolean;
}

export type IdentityCodeResult =
  | { ok: true; value: IdentityCode }
  | { ok: false; error: string; issue: IdentityCodeIssue };

const CHECK_CHARACTERS = '0123456789ABCDEFHJKLMNPRSTUVWXY';

// Signs in force since 1.1.2023; '-' and 'A' remain the first choice for new codes.
const CENTURY_BY_SIGN: Readonly<Record<string, number>> = {
  '+': 1800,
  '-': 1900, Y: 1900, X: 1900, W: 1900, V: 1900, U: 1900,
  A: 2000, B: 2000, C: 2000, D: 2000, E: 2000, F: 2000,
};

// New codes still get the original sign of their century; the others exist for when it runs out.
const FIRST_SIGN_BY_CENTURY: Readonly<Record<number, string>> = { 1800: '+', 1900: '-', 2000: 'A' };

/** Checks a henkilötunnus (DDMMYYCZZZQ) and reads its birth date, individual number and sex. */
export function parseIdentityCode(code: string): IdentityCodeResult {
  const issue = findIssue(code);
  if (issue) return { ok: false, error: describeIdentityCodeIssue(code, issue).en, issue };

  const century = CENTURY_BY_SIGN[code.charAt(6)] ?? 0;
  const individualNumber = Number(code.slice(7, 10));
  return {
    ok: true,
    value: {
      code,
      birthDate: `${century + Number(code.slice(4, 6))}-${code.slice(2, 4)}-${code.slice(0, 2)}`,
      individualNumber,
      sexAtRegistration: individualNumber % 2 === 1 ? 'male' : 'female',
      temporary: individualNumber >= 900,
    },
  };
}

export function isValidIdentityCode(code: string): boolean {
  return parseIdentityCode(code).ok;
}

/**
 * A valid code with a temporary individual number (900–999), for demo and test data that must
 * never collide with a real person's code.
 */
export function generateTestIdentityCode(birthDate: string, individualNumber: number): string {
  if (!isIsoDate(birthDate)) {
    throw new Error(`generateTestIdentityCode: birth date must be YYYY-MM-DD, got "${birthDate}"`);
  }
  if (!Number.isInteger(individualNumber) || individualNumber < 900 || individualNumber > 999) {
    throw new Error(
      `generateTestIdentityCode: individual number must be 900–999 (temporary range), got ${individualNumber}`,
    );
  }
  const year = Number(birthDate.slice(0, 4));
  const sign = FIRST_SIGN_BY_CENTURY[Math.floor(year / 100) * 100];
  if (sign === undefined) {
    throw new Error(`generateTestIdentityCode: birth year must be 1800–2099, got ${year}`);
  }
  const datePart = `${birthDate.slice(8, 10)}${birthDate.slice(5, 7)}${birthDate.slice(2, 4)}`;
  const numberPart = String(individualNumber);
  return `${datePart}${sign}${numberPart}${checkCharacter(datePart, numberPart)}`;
}

function findIssue(code: string): IdentityCodeIssue | undefined {
  if (code.length !== 11) return { kind: 'length', length: code.length };
  if (code !== code.toUpperCase()) return { kind: 'lowercase', uppercase: code.toUpperCase() };

  const datePart = code.slice(0, 6);
  const sign = code.charAt(6);
  const numberPart = code.slice(7, 10);
  if (!/^\d{6}$/.test(datePart)) return { kind: 'date-digits' };
  const century = CENTURY_BY_SIGN[sign];
  if (century === undefined) return { kind: 'century-sign', sign };
  if (!/^\d{3}$/.test(numberPart)) return { kind: 'individual-number-digits' };

  const day = Number(datePart.slice(0, 2));
  const month = Number(datePart.slice(2, 4));
  const year = century + Number(datePart.slice(4, 6));
  if (!isIsoDate(`${year}-${datePart.slice(2, 4)}-${datePart.slice(0, 2)}`)) {
    return { kind: 'date', day, month, year };
  }
  if (Number(numberPart) < 2) return { kind: 'individual-number', individualNumber: numberPart };

  const expected = checkCharacter(datePart, numberPart);
  if (code.charAt(10) !== expected) return { kind: 'check-character', expected };
  return undefined;
}

function checkCharacter(datePart: string, numberPart: string): string {
  return CHECK_CHARACTERS.charAt(Number(datePart + numberPart) % 31);
}
