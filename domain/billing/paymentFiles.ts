/** Bank files the fund receives: their formats and how large one upload may be. */

/** camt.054 (ISO 20022 XML) or the legacy KTL reference-payment file. */
export type { BankFileFormat } from '../payments/entries';

/**
 * The largest file POST /api/v1/payment-files takes in one request. A camt.054 of 100,000 entries
 * (a February day at 270,000 members) is 25–80 MB depending on how much the bank writes per
 * entry, so a desk upload of the busiest day's file fits; the bank adapter calls importPaymentFile
 * directly. The parser keeps one entry's tree at a time, so memory is the file twice over.
 */
export const MAX_PAYMENT_FILE_BYTES = 128 * 1024 * 1024;
export const MAX_PAYMENT_FILE_MIB = MAX_PAYMENT_FILE_BYTES / 1024 / 1024;
