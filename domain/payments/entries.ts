/** Bank entries as the register books them: direction, and why one waits for a person. */

/** The payment file formats the register reads. */
export const bankFileFormats = ['camt054', 'ktl'] as const;
export type BankFileFormat = (typeof bankFileFormats)[number];

/** One booked transaction of a payment file, as the register stores it. */
export interface BankEntryFields {
  /** The bank's archive id (arkistointitunnus): the entry's identity, whichever file brings it. */
  archiveId: string;
  bookingDate: string;
  valueDate: string | null;
  /** Signed: money in is positive, money out (a debit or a reversal) negative. */
  amountCents: number;
  reversal: boolean;
  /** The (first) structured reference, canonical form. */
  reference: string | null;
  unstructured: string | null;
  debtorName: string | null;
}

/** Ledger kind and amount of money moving on the fund's account (ledger sign: + the member owes more). */
export function bankMovement(amountCents: number): { kind: 'payment' | 'reversal'; ledgerCents: number } {
  return { kind: amountCents >= 0 ? 'payment' : 'reversal', ledgerCents: -amountCents };
}

/** A reversal with a reference is settled against the entry it undoes once the whole file is in. */
export function awaitsOriginal(entry: { reversal: boolean; reference: string | null }): boolean {
  return entry.reversal && entry.reference !== null;
}

export type UnmatchedReason = 'reversal-without-original' | 'debit' | 'no-reference' | 'unknown-reference';

/** Why an entry could not be booked to a member (the title of its task). */
export function unmatchedReason(entry: { amountCents: number; reversal: boolean; reference: string | null }): UnmatchedReason {
  if (entry.amountCents < 0) return entry.reversal ? 'reversal-without-original' : 'debit';
  return entry.reference === null ? 'no-reference' : 'unknown-reference';
}
