/**
 * ISO 7064 MOD 97-10, shared by IBAN (ISO 13616) and the RF creditor reference (ISO 11649).
 * Internal to billing: callers use iban.ts and rfReference.ts.
 */

/** Letters become two-digit numbers (A=10 … Z=35), digits stay, as both standards prescribe. */
export function lettersToDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) out += ch;
    else if (code >= 65 && code <= 90) out += String(code - 55);
    else throw new Error(`mod 97: "${ch}" is neither a digit nor an upper-case letter A–Z`);
  }
  return out;
}

/**
 * `digits` mod 97. Done in chunks of 7 digits because the number is up to ~70 digits long, far
 * beyond exact double precision, and BigInt would buy nothing here.
 */
export function mod97(digits: string): number {
  let remainder = 0;
  for (let i = 0; i < digits.length; i += 7) {
    remainder = Number(String(remainder) + digits.slice(i, i + 7)) % 97;
  }
  return remainder;
}

/** True when `prefix4` moved behind `body` passes the check (remainder 1). */
export function passesMod97(prefix4: string, body: string): boolean {
  return mod97(lettersToDigits(body + prefix4)) === 1;
}

/** The two check digits for `body` under the two-letter code (e.g. 'FI' or 'RF'), zero-padded. */
export function mod97CheckDigits(code: string, body: string): string {
  const check = 98 - mod97(lettersToDigits(`${body}${code}00`));
  return String(check).padStart(2, '0');
}
