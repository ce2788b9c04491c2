import { parseIdentityCode } from '../../../domain/identityCode';
import { defaultTaxReportSettings, type TaxReportSettings } from '../../../domain/tax/settings';
import { TransformError } from '../../transforms/errors';
import { parseTaxReportFile } from '../../transforms/taxReport';
import { TaxChannelUnavailableError, type TaxAcknowledgement, type TaxFilingAdapter, type TaxSubmissionMeta } from './index';

export interface FakeTaxOptions {
  /** Added to every call, to feel a slow channel. */
  latencyMs?: number;
  /** Share of calls that fail as unavailable (0..1), to exercise retries. */
  unavailableRate?: number;
  /** How many acknowledgement polls answer 'pending' before the answer is ready. */
  pendingPolls?: number;
  /** Field codes the channel reads (the fund's settings). */
  settings?: TaxReportSettings;
  random?: () => number;
}

interface Submission {
  submissionId: string;
  meta: TaxSubmissionMeta;
  bytes: Uint8Array;
  polls: number;
  /** The channel's verdict, made when the acknowledgement is first asked for (the channel reads files after taking them). */
  answer: TaxAcknowledgement | null;
}

/**
 * Behaves like the filing channel: takes a file at once and reads it when first asked for its
 * acknowledgement (a file that is not tunnus:tieto, or whose record count disagrees, is refused
 * whole), checks each record's identity code and amount, and answers after `pendingPolls` polls
 * with an acceptance or the rejected records. A test rejects chosen identity codes with
 * `rejectIdentityCode`.
 */
export class FakeTax implements TaxFilingAdapter {
  readonly submissions = new Map<string, Submission>();
  private readonly byKey = new Map<string, string>();
  private readonly rejectCodes = new Map<string, string>();
  private sequence = 0;
  private readonly options: Required<FakeTaxOptions>;

  constructor(options: FakeTaxOptions = {}) {
    this.options = { latencyMs: 0, unavailableRate: 0, pendingPolls: 1, settings: defaultTaxReportSettings, random: Math.random, ...options };
  }

  /** The channel will reject a record with this identity code, with `reason`. */
  rejectIdentityCode(code: string, reason = 'The identity code is not known to the Tax Administration.'): void {
    this.rejectCodes.set(code, reason);
  }

  /** The channel accepts this identity code again. */
  acceptIdentityCode(code: string): void {
    this.rejectCodes.delete(code);
  }

  setOptions(options: Partial<FakeTaxOptions>): void {
    Object.assign(this.options, options);
  }

  /** Not ready only when configured wholly unavailable (a rate of 1): the knob a readiness test turns. */
  async ready(): Promise<void> {
    if (this.options.unavailableRate >= 1) throw new TaxChannelUnavailableError('filing channel unavailable (503)');
  }

  private async call(): Promise<void> {
    if (this.options.latencyMs > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    if (this.options.random() < this.options.unavailableRate) throw new TaxChannelUnavailableError('filing channel unavailable (503), try again later');
  }

  async submit(file: Uint8Array, meta: TaxSubmissionMeta): Promise<{ submissionId: string }> {
    await this.call();
    const earlier = this.byKey.get(meta.submissionKey);
    if (earlier) return { submissionId: earlier };
    const submissionId = `VERO-${String(++this.sequence).padStart(8, '0')}`;
    this.byKey.set(meta.submissionKey, submissionId);
    this.submissions.set(submissionId, { submissionId, meta, bytes: file, polls: 0, answer: null });
    return { submissionId };
  }

  async acknowledgement(submissionId: string): Promise<TaxAcknowledgement> {
    await this.call();
    const s = this.submissions.get(submissionId);
    if (!s) return { status: 'file-rejected', reason: `no submission ${submissionId}` };
    s.answer ??= this.check(s.bytes, s.meta);
    s.polls += 1;
    return s.polls <= this.options.pendingPolls ? { status: 'pending' } : s.answer;
  }

  private check(bytes: Uint8Array, meta: TaxSubmissionMeta): TaxAcknowledgement {
    const f = this.options.settings.fields;
    let records;
    try {
      records = parseTaxReportFile(bytes, this.options.settings);
    } catch (error) {
      if (error instanceof TransformError) return { status: 'file-rejected', reason: error.message };
      throw error;
    }
    if (records.length !== meta.recordCount) return { status: 'file-rejected', reason: `the file has ${records.length} records, the submission says ${meta.recordCount}` };
    const rejected: { recordNumber: number; reason: string }[] = [];
    for (const r of records) {
      const code = r.fields.get(f.identityCode) ?? '';
      const amount = r.fields.get(f.fundFeeAmount) ?? '';
      if (r.fields.get(f.paymentYear) !== String(meta.year)) rejected.push({ recordNumber: r.number, reason: 'The payment year is missing or wrong.' });
      else if (!parseIdentityCode(code).ok) rejected.push({ recordNumber: r.number, reason: 'The identity code is not valid.' });
      else if (this.rejectCodes.has(code)) rejected.push({ recordNumber: r.number, reason: this.rejectCodes.get(code)! });
      else if (!/^\d+,\d{2}$/.test(amount)) rejected.push({ recordNumber: r.number, reason: 'The amount is not a decimal-comma number.' });
    }
    return rejected.length ? { status: 'records-rejected', rejected } : { status: 'accepted' };
  }
}
