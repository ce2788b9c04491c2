import { randomUUID } from 'node:crypto';
import { TransformError } from '../../transforms/errors';
import { parseXmlSequence, path, textOf, type XmlElement } from '../../transforms/xml';
import { BankRejectedError, type BankAdapter, type EInvoiceBatchMeta, type PaymentFile } from './index';

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
export class FakeBank implements BankAdapter {
  readonly batches = new Map<string, StoredEInvoiceBatch>();
  readonly paymentFiles: PaymentFile[] = [];

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

  async listPaymentFiles(): Promise<PaymentFile[]> {
    return [...this.paymentFiles];
  }
}

/**
 * The process-wide fake used when no bank connection is wired into the activities (as with the
 * messaging fake, `npm start` and the tests run without a bank); tests read what it received.
 */
export const sharedFakeBank = new FakeBank();
