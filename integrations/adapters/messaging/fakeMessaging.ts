import { randomUUID } from 'node:crypto';
import { MessageRejectedError, type DeliveryReceipt, type MessageAttachment, type MessagingAdapter, type OutgoingMessage } from './index';

export interface FakeMessagingOptions {
  /** Added to every send, to feel a slow service. */
  latencyMs?: number;
  /** Share of sends that fail with a transient error (0..1), to exercise retries. */
  transientFailureRate?: number;
  random?: () => number;
  /**
   * Keep each attachment's bytes in `delivered` (for a test that reads the PDF back). Off by
   * default: a billing run sends ~100,000 letters, and only their count and size are recorded.
   */
  keepAttachmentBytes?: boolean;
  /**
   * Keep every message in `delivered` (default). A benchmark sending 170,000 invoices turns it off:
   * the fake then keeps only each key's receipt, as much as the real service's idempotency needs.
   */
  keepMessages?: boolean;
}

/** An attachment as the fake records it: its size always, its bytes only with keepAttachmentBytes. */
export interface RecordedAttachment {
  filename: string;
  contentType: MessageAttachment['contentType'];
  size: number;
  bytes?: Uint8Array;
}

export type DeliveredMessage = Omit<OutgoingMessage, 'attachments'> & DeliveryReceipt & { attachments: RecordedAttachment[] };

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/**
 * Behaves like the messaging service: picks e-mail, then SMS, then letter from what the recipient
 * has, refuses a message with no deliverable channel, and answers a repeated key with the first receipt.
 * Attachments must be what they say: a PDF starts with "%PDF-", or the message is refused.
 */
export class FakeMessaging implements MessagingAdapter {
  readonly delivered = new Map<string, DeliveredMessage>();
  /** Every key's first receipt: a repeated key is answered with it. */
  private readonly receipts = new Map<string, DeliveryReceipt>();
  /** Attachments accepted so far, and their bytes in total. */
  attachmentCount = 0;
  attachmentBytes = 0;
  private readonly options: Required<FakeMessagingOptions>;

  constructor(options: FakeMessagingOptions = {}) {
    this.options = { latencyMs: 0, transientFailureRate: 0, random: Math.random, keepAttachmentBytes: false, keepMessages: true, ...options };
  }

  /** Not ready only when configured wholly unavailable (a rate of 1): the knob a readiness test turns. */
  async ready(): Promise<void> {
    if (this.options.transientFailureRate >= 1) throw new Error('messaging service unavailable (503)');
  }

  async send(message: OutgoingMessage): Promise<DeliveryReceipt> {
    if (this.options.latencyMs > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const earlier = this.receipts.get(message.key);
    if (earlier) return earlier;
    if (this.options.random() < this.options.transientFailureRate) {
      throw new Error('messaging service unavailable (503), try again later');
    }
    const channel = chooseChannel(message);
    if (!channel) throw new MessageRejectedError('recipient has no e-mail, phone or postal address');
    // The channel's own text where the register sent one (an SMS shows no subject).
    const text = message.variants?.[channel] ?? { subject: message.subject, body: message.body };
    if ((channel !== 'sms' && !text.subject.trim()) || !text.body.trim()) throw new MessageRejectedError('subject and body are required');
    const { attachments = [], variants: _variants, ...rest } = message;
    if (attachments.length > 0 && channel === 'sms') throw new MessageRejectedError('an SMS cannot carry attachments: the recipient needs an e-mail or postal address');
    attachments.forEach(checkAttachment);
    const receipt: DeliveryReceipt = { externalId: `msg-${randomUUID()}`, channel };
    const recorded = attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: a.bytes.byteLength,
      ...(this.options.keepAttachmentBytes ? { bytes: a.bytes } : {}),
    }));
    this.attachmentCount += recorded.length;
    this.attachmentBytes += recorded.reduce((sum, a) => sum + a.size, 0);
    this.receipts.set(message.key, receipt);
    if (this.options.keepMessages) this.delivered.set(message.key, { ...rest, ...text, ...receipt, attachments: recorded });
    return receipt;
  }
}

function checkAttachment(attachment: MessageAttachment, index: number): void {
  const where = `attachment ${index + 1} ("${attachment.filename}")`;
  if (!attachment.filename?.trim()) throw new MessageRejectedError(`attachment ${index + 1} has no file name`);
  if (attachment.contentType !== 'application/pdf') throw new MessageRejectedError(`${where}: only application/pdf is accepted, got ${String(attachment.contentType)}`);
  const bytes = attachment.bytes;
  if (!(bytes instanceof Uint8Array) || PDF_MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new MessageRejectedError(`${where} is declared application/pdf but is not a PDF (it does not start with %PDF-)`);
  }
}

function chooseChannel(message: OutgoingMessage) {
  if (message.recipient.email) return 'email' as const;
  if (message.recipient.phone) return 'sms' as const;
  if (message.recipient.address) return 'letter' as const;
  return null;
}
