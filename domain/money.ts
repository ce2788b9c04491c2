/**
 * Money is integer cents everywhere; these are the only ways it is turned into text.
 *
 * - `decimalAmount`: machine formats (XML, CSV, JSON amounts): '-1234.50', or with a decimal comma
 *   ('1234,50') where a format demands it (Finvoice, the bank transfer form).
 * - `formatMoney`: what a person reads, in their language: '1 234,50 €' (fi, sv), '€1,234.50' (en).
 *   Grouping uses a no-break space and the minus is ASCII, so the text also fits WinAnsi PDFs.
 */

export type MoneyLanguage = 'fi' | 'sv' | 'en';

/** Cents as a plain decimal number with two decimals, e.g. decimalAmount(-123450) === '-1234.50'. */
export function decimalAmount(cents: number, decimalSeparator: '.' | ',' = '.'): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be whole cents, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}${decimalSeparator}${String(abs % 100).padStart(2, '0')}`;
}

/** Groups of three digits separated by `sep` ('1234567' → '1 234 567'). */
function group(digits: string, sep: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, sep);
}

export interface MoneyFormatOptions {
  /** Leave out the cents (chart axes, rounded totals): rounds to whole euros. */
  whole?: boolean;
  /** Leave out the currency sign (the amount field of the bank transfer form). */
  bare?: boolean;
}

/** Euros for a reader: 1 234,50 € (fi, sv), €1,234.50 (en); -12,00 € for a credit. */
export function formatMoney(cents: number, lang: MoneyLanguage, opts: MoneyFormatOptions = {}): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be whole cents, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  let abs = Math.abs(cents);
  if (opts.whole) abs = Math.round(abs / 100) * 100;
  const en = lang === 'en';
  const euros = group(String(Math.floor(abs / 100)), en ? ',' : '\u00a0');
  const number = opts.whole ? euros : `${euros}${en ? '.' : ','}${String(abs % 100).padStart(2, '0')}`;
  if (opts.bare) return `${sign}${number}`;
  return en ? `${sign}€${number}` : `${sign}${number}\u00a0€`;
}

/**
 * Euros as a person types them, in whole cents: '12,50', '12.50', '12', '1 234,5', '12,50 €'.
 * A decimal comma or point with at most two decimals; spaces (also no-break) may group the
 * thousands. Null for anything else, a negative amount or an amount above `max` cents (default
 * one million euros): the caller asks again instead of guessing.
 * @example parseEuros('12,50') === 1250
 */
export function parseEuros(text: string, max = 100_000_000): number | null {
  const s = text.trim().replace(/^€\s*|\s*€$/gu, '');
  const match = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|[1-9]\d*|0)(?:[.,](\d{1,2}))?$/u.exec(s);
  if (!match) return null;
  const cents = Number(match[1]!.replace(/\D/gu, '')) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(cents) && cents <= max ? cents : null;
}
