import type { FinanceAdapter, JournalFileMeta, JournalFiles } from './index';

export interface FakeFinanceOptions {
  /** How long each send takes (ms), to see a slow finance system in the process. */
  latencyMs?: number;
  /** The next this many sends fail (a finance system that is down), then sends succeed. */
  failures?: number;
}

/** In-process stand-in for the finance system: keeps the files it was sent, once per file key. */
export class FakeFinance implements FinanceAdapter {
  readonly received = new Map<string, { files: JournalFiles; meta: JournalFileMeta; deliveryId: string }>();
  /** Every call, including repeats of a key and failed ones. */
  calls = 0;
  latencyMs: number;
  failures: number;

  constructor(opts: FakeFinanceOptions = {}) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.failures = opts.failures ?? 0;
  }

  async sendJournalDay(files: JournalFiles, meta: JournalFileMeta): Promise<{ deliveryId: string }> {
    this.calls++;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('fake finance system unavailable');
    }
    const known = this.received.get(meta.fileKey);
    if (known) return { deliveryId: known.deliveryId };
    const deliveryId = `finance-file-${this.received.size + 1}`;
    this.received.set(meta.fileKey, { files, meta, deliveryId });
    return { deliveryId };
  }
}
