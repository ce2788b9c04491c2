import { randomUUID } from 'node:crypto';
import { TransformError } from '../../transforms/errors';
import { parseXmlSequence, path, textOf, type XmlElement } from '../../transforms/xml';
import { BankRejectedError, BankUnavailableError, type BankAdapter, type BankPaymentFileRef, type EInvoiceBatchMeta } from './index';

export interface StoredEInvoiceBatch {
  batchId: string;
  xml: string;
  meta: EInvoiceBatchMeta;
  /** MessageIdentifier of each Finvoice message in the file, in file order. */
  messageIds: string[];
}

/**
 * Behaves like the bank's e-invoice channel: parses every file it receives and refuses one that
 * is not a Finvoice transmission file (or whose invoice count disagrees with the metadata), and
 * answers a repeated batch key with the first receipt instead of sending the invoices twice.
 */
export interface FakeBankOptions {
  /** Added to every call, to feel a slow bank. */
  latencyMs?: number;
  /** Share of calls to the payment-file service that fail with a 503 (0..1), to exercise retries. */
  unavailableRate?: number;
  random?: () => number;
}

interface StoredPaymentFile extends BankPaymentFileRef {
  bytes: Uint8Array;
  status: 'NEW' | 'DLD';
}

export class FakeBank implements BankAdapter {
  readonly batches = new Map<string, StoredEInvoiceBatch>();
  private readonly files = new Map<string, StoredPaymentFile>();
  private sequence = 0;
  private readonly options: Required<FakeBankOptions>;

  constructor(options: FakeBankOptions = {}) {
    this.options = { latencyMs: 0, unavailableRate: 0, random: Math.random, ...options };
  }

  /** The bank receives a day's payment file for the fund (what the test or the demo puts there). */
  depositPaymentFile(file: { name: string; format: 'camt054' | 'ktl'; bytes: Uint8Array }): string {
    const reference = `BANKFILE-${String(++this.sequence).padStart(8, '0')}`;
    this.files.set(reference, { reference, ...file, createdAt: new Date().toISOString(), status: 'NEW' });
    return reference;
  }

  /** The status the bank keeps for a file: NEW until the fund confirms it. */
  paymentFileStatus(reference: string): 'NEW' | 'DLD' | undefined {
    return this.files.get(reference)?.status;
  }

  /** Not ready only when configured wholly unavailable (a rate of 1): the knob a readiness test turns. */
  async ready(): Promise<void> {
    if (this.options.unavailableRate >= 1) throw new BankUnavailableError('bank file service unavailable (503)');
  }

  private async call(): Promise<void> {
    if (this.options.latencyMs > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    if (this.options.random() < this.options.unavailableRate) throw new BankUnavailableError('bank file service unavailable (503), try again later');
  }

  async listPaymentFiles(): Promise<BankPaymentFileRef[]> {
    await this.call();
    return [...this.files.values()].filter((f) => f.status === 'NEW').map(({ reference, name, format, createdAt }) => ({ reference, name, format, createdAt }));
  }

  async downloadPaymentFile(reference: string): Promise<Uint8Array> {
    await this.call();
    const file = this.files.get(reference);
    if (!file) throw new BankRejectedError(`no payment file ${reference} at the bank`);
    return file.bytes;
  }

  async confirmPaymentFile(reference: string): Promise<void> {
    await this.call();
    const file = this.files.get(reference);
    if (!file) throw new BankRejectedError(`no payment file ${reference} at the bank`);
    file.status = 'DLD';
  }

  async sendEInvoiceBatch(xml: string, meta: EInvoiceBatchMeta): Promise<{ batchId: string }> {
    const earlier = this.batches.get(meta.batchKey);
    if (earlier) return { batchId: earlier.batchId };
    let elements: XmlElement[];
    try {
      elements = parseXmlSequence(xml, { format: 'finvoice' });
    } catch (error) {
      if (error instanceof TransformError) throw new BankRejectedError(`e-invoice batch ${meta.batchKey} is not well-formed: ${error.message}`);
      throw error;
    }
    const invoices = elements.filter((e) => e.localName === 'Finvoice');
    const envelopes = elements.filter((e) => e.localName === 'Envelope');
    if (invoices.length !== meta.invoiceCount || envelopes.length !== invoices.length) {
      throw new BankRejectedError(
        `e-invoice batch ${meta.batchKey} holds ${invoices.length} invoices and ${envelopes.length} envelopes, but ${meta.invoiceCount} were announced`,
      );
    }
    const messageIds = invoices.map((invoice, i) => {
      if (invoice.attributes.Version !== '3.0') throw new BankRejectedError(`invoice ${i + 1} of batch ${meta.batchKey} is not Finvoice 3.0`);
      const messageId = path(invoice, 'MessageTransmissionDetails', 'MessageDetails', 'MessageIdentifier');
      if (!messageId) throw new BankRejectedError(`invoice ${i + 1} of batch ${meta.batchKey} has no MessageIdentifier`);
      return textOf(messageId);
    });
    const batchId = `einv-${randomUUID()}`;
    this.batches.set(meta.batchKey, { batchId, xml, meta, messageIds });
    return { batchId };
  }

}

