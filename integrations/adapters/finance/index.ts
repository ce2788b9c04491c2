/**
 * The channel the fund's finance system takes the daily journal file through (SFTP, the finance
 * system's import API — agreed with the fund's bookkeeping). Small, so a real channel and the fake
 * are easy to swap (temporal/adapters.ts chooses). docs/finance-journal-format.md.
 */

export interface JournalFileMeta {
  /** Idempotency key, `journal-<date>`: a real channel must treat the same key twice as one delivery. */
  fileKey: string;
  date: string;
  lines: number;
  debitCents: number;
  creditCents: number;
  sha256: string;
}

export interface JournalFiles {
  /** `journal-<date>.csv` and `journal-<date>.json`: the same lines in both layouts. */
  csv: { name: string; content: string };
  json: { name: string; content: string };
}

export interface FinanceAdapter {
  sendJournalDay(files: JournalFiles, meta: JournalFileMeta): Promise<{ deliveryId: string }>;
}
