/**
 * The 54-digit virtual bank barcode (virtuaaliviivakoodi) printed on paper invoices and read by
 * online banks, domain.md §3.4: version 4 carries a national reference, version 5 an RF one.
 */
import { isIsoDate } from '../dates';
import { isValidIban, normalizeIban } from './iban';
import { isCanonicalNationalReference, stripSpaces } from './nationalReference';
import { isValidRfReference } from './rfReference';

export interface VirtualBarcodeV4Input {
  /** A Finnish IBAN: the barcode has room for the 16 digits after 'FI' only. */
  iban: string;
  /** 0–99 999 999 cents; 0 or null print as "no amount given" (00000000). */
  amountCents: number | null;
  /** National reference number. */
  reference: string;
  /** ISO date 2000-01-01..2099-12-31, or null for "no due date" (000000). */
  dueDate: string | null;
}

export interface VirtualBarcodeV5Input {
  iban: string;
  amountCents: number | null;
  /** RF creditor reference with a numeric body (the barcode has digits only). */
  rfReference: string;
  dueDate: string | null;
}

/** Version 4: '4' + IBAN digits + amount + '000' + reference (20) + due date. */
export function virtualBarcodeV4(input: VirtualBarcodeV4Input): string {
  const reference = stripSpaces(input.reference);
  if (!isCanonicalNationalReference(reference)) {
    throw new Error(`virtual barcode v4: "${input.reference}" is not a valid national reference number`);
  }
  return `4${ibanDigits(input.iban)}${amountField(input.amountCents)}000${reference.padStart(20, '0')}${dueDateField(input.dueDate)}`;
}

/** Version 5: '5' + IBAN digits + amount + RF check digits + RF body (21) + due date. */
export function virtualBarcodeV5(input: VirtualBarcodeV5Input): string {
  const rf = stripSpaces(input.rfReference).toUpperCase();
  if (!isValidRfReference(rf)) {
    throw new Error(`virtual barcode v5: "${input.rfReference}" is not a valid RF creditor reference`);
  }
  const body = rf.slice(4);
  if (!/^\d+$/.test(body)) {
    throw new Error(`virtual barcode v5: RF reference "${input.rfReference}" contains letters; the barcode carries digits only`);
  }
  return `5${ibanDigits(input.iban)}${amountField(input.amountCents)}${rf.slice(2, 4)}${body.padStart(21, '0')}${dueDateField(input.dueDate)}`;
}

function ibanDigits(iban: string): string {
  const compact = normalizeIban(iban);
  if (!isValidIban(compact)) throw new Error(`virtual barcode: "${iban}" is not a valid IBAN`);
  if (!compact.startsWith('FI')) {
    throw new Error(`virtual barcode: only Finnish accounts fit the barcode, got "${iban}"`);
  }
  return compact.slice(2);
}

const MAX_CENTS = 99_999_999; // €999,999.99: 6 euro digits + 2 cent digits

function amountField(amountCents: number | null): string {
  if (amountCents === null) return '00000000';
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) {
    throw new Error(`virtual barcode: the amount must be whole cents, 0 or more, got ${amountCents}`);
  }
  if (amountCents > MAX_CENTS) {
    throw new Error(`virtual barcode: amounts of €1,000,000 or more do not fit (got ${amountCents} cents); leave the amount out (null) instead`);
  }
  return String(amountCents).padStart(8, '0');
}

function dueDateField(dueDate: string | null): string {
  if (dueDate === null) return '000000';
  const match = /^20(\d{2})-(\d{2})-(\d{2})$/.exec(dueDate);
  if (!match || !isIsoDate(dueDate)) {
    throw new Error(`virtual barcode: the due date must be a date 2000-01-01..2099-12-31 as YYYY-MM-DD, got "${dueDate}"`);
  }
  return `${match[1]}${match[2]}${match[3]}`;
}
