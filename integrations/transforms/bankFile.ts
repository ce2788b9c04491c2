/**
 * A payment file (camt.054 or KTL) as the register books it: the booked entries in one shape,
 * amounts signed (money out negative), every structured reference kept. Read by the API to refuse
 * a malformed file before storing it and by the booking activity from the stored file.
 */
import type { BankEntryFields, BankFileFormat } from '../../domain/payments/entries';
import { parseCamt054 } from './camt054';
import { parseKtl } from './ktl';

/**
 * A booked transaction of the file. `unstructured` holds the free text, with the structured
 * references after the first, so a person placing the entry sees them all.
 */
export interface BankFileEntry extends BankEntryFields {
  /** Every structured reference in the payer's order; `reference` is the first. */
  references: string[];
}

export interface ReadBankFile {
  entries: BankFileEntry[];
  /** Entries the bank did not book (e.g. pending) and KTL records of other types: not imported. */
  skipped: number;
  /** Net of the booked entries: money in minus money out. */
  totalCents: number;
}

/**
 * The booked entries of a camt.054 or KTL file. Throws TransformError naming the line and element
 * of a malformed file.
 */
export function readBankFile(format: BankFileFormat, content: string): ReadBankFile {
  const entries: BankFileEntry[] = [];
  let skipped = 0;
  if (format === 'camt054') {
    for (const e of parseCamt054(content).entries) {
      if (e.status !== null && e.status !== 'BOOK') {
        skipped++;
        continue;
      }
      const references = e.references.map((r) => r.value);
      const text = [...references.slice(1), ...(e.unstructured === null ? [] : [e.unstructured])];
      entries.push({
        archiveId: e.archiveId,
        bookingDate: e.bookingDate,
        valueDate: e.valueDate,
        amountCents: e.creditDebit === 'DBIT' ? -e.amountCents : e.amountCents,
        reversal: e.reversal,
        reference: references[0] ?? null,
        references,
        unstructured: text.length > 0 ? text.join(' ') : null,
        debtorName: e.debtorName,
      });
    }
  } else {
    const file = parseKtl(content);
    skipped = file.skipped.length;
    for (const r of file.records) {
      entries.push({
        archiveId: r.archiveId,
        bookingDate: r.bookingDate,
        valueDate: r.paymentDate,
        // Correction code 1: the bank takes back an earlier payment of this amount.
        amountCents: r.correction ? -r.amountCents : r.amountCents,
        reversal: r.correction,
        reference: r.reference,
        references: r.reference === null ? [] : [r.reference],
        unstructured: r.reference === null && r.rawReference !== '' ? r.rawReference : null,
        debtorName: r.payerName || null,
      });
    }
  }
  return { entries, skipped, totalCents: entries.reduce((sum, e) => sum + e.amountCents, 0) };
}
