/**
 * The Tax Administration's filing channel for information returns (Ilmoitin.fi / the
 * machine-to-machine interface): a file goes in, and later an acknowledgement comes back, either
 * accepting the whole file or listing records it rejected with reasons. Small, so the real
 * channel and the fake are easy to swap (temporal/adapters.ts chooses).
 */

export interface TaxSubmissionMeta {
  /** Idempotency key, e.g. the run id: the same key twice is one submission. */
  submissionKey: string;
  year: number;
  recordCount: number;
}

export type TaxAcknowledgement =
  | { status: 'pending' }
  | { status: 'accepted' }
  | { status: 'records-rejected'; rejected: { recordNumber: number; reason: string }[] }
  /** The whole file was refused (its form, not a record's content). */
  | { status: 'file-rejected'; reason: string };

export interface TaxFilingAdapter {
  /**
   * Resolves when the system answers, rejects when it does not (for the worker's /readyz; it never
   * changes anything). Optional: an adapter that cannot be asked is not listed.
   */
  ready?(): Promise<void>;
  submit(file: Uint8Array, meta: TaxSubmissionMeta): Promise<{ submissionId: string }>;
  acknowledgement(submissionId: string): Promise<TaxAcknowledgement>;
}

/** The channel is unreachable or busy: try again later. */
export class TaxChannelUnavailableError extends Error {
  override name = 'TaxChannelUnavailableError';
}
