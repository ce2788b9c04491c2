import { randomUUID } from 'node:crypto';
import { MessageRejectedError, type DeliveryReceipt, type MessagingAdapter, type OutgoingMessage } from './index';

export interface FakeMessagingOptions {
  /** Added to every send, to feel a slow service. */
  latencyMs?: number;
  /** Share of sends that fail with a transient error (0..1), to exercise retries. */
  transientFailureRate?: number;
  random?: () => number;
}

/**
 * Behaves like the messaging service: picks e-mail, then SMS, then letter from what the recipient
 * has, refuses a message with no deliverable channel, and answers a repeated key with the first receipt.
 */
export class FakeMessaging implements MessagingAdapter {
  readonly delivered = new Map<string, OutgoingMessage & DeliveryReceipt>();
  private readonly options: Required<FakeMessagingOptions>;

  constructor(options: FakeMessagingOptions = {}) {
    this.options = { latencyMs: 0, transientFailureRate: 0, random: Math.random, ...options };
  }

  async send(message: OutgoingMessage): Promise<DeliveryReceipt> {
    if (this.options.latencyMs > 0) await new Promise((r) => setTimeout(r, this.options.latencyMs));
    const earlier = this.delivered.get(message.key);
    if (earlier) return { externalId: earlier.externalId, channel: earlier.channel };
    if (this.options.random() < this.options.transientFailureRate) {
      throw new Error('messaging service unavailable (503), try again later');
    }
    const channel = chooseChannel(message);
    if (!channel) throw new MessageRejectedError('recipient has no e-mail, phone or postal address');
    if (!message.subject.trim() || !message.body.trim()) throw new MessageRejectedError('subject and body are required');
    const receipt: DeliveryReceipt = { externalId: `msg-${randomUUID()}`, channel };
    this.delivered.set(message.key, { ...message, ...receipt });
    return receipt;
  }
}

function chooseChannel(message: OutgoingMessage) {
  if (message.recipient.email) return 'email' as const;
  if (message.recipient.phone) return 'sms' as const;
  if (message.recipient.address) return 'letter' as const;
  return null;
}
