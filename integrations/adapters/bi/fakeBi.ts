import type { BiFileMeta, BiFileSink } from './index';

export interface FakeBiOptions {
  latencyMs?: number;
  /** The next this many stores fail, then they succeed. */
  failures?: number;
}

/** In-process stand-in for the BI's file store: keeps each file once per file key. */
export class FakeBiSink implements BiFileSink {
  readonly files = new Map<string, { name: string; content: string | Uint8Array; meta: BiFileMeta }>();
  calls = 0;
  latencyMs: number;
  failures: number;

  constructor(opts: FakeBiOptions = {}) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.failures = opts.failures ?? 0;
  }

  async storeFile(name: string, content: string | Uint8Array, meta: BiFileMeta): Promise<{ location: string }> {
    this.calls++;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('fake BI store unavailable');
    }
    if (!this.files.has(meta.fileKey)) this.files.set(meta.fileKey, { name, content, meta });
    return { location: `fake-bi://${meta.clientId}/${meta.date}/${name}` };
  }
}
