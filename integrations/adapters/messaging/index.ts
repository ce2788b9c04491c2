import type { Language, MessageChannel } from '../../../domain/fundProfile';
import type { MessageRecipient } from '../../../domain/vocabulary';

export type DeliveryChannel = MessageChannel;

export interface OutgoingMessage {
  /** Idempotency key: the messaging service delivers a key once, however often it is sent. */
  key: string;
  recipient: MessageRecipient;
  language: Language;
  subject: string;
  body: string;
  /**
   * A channel's own text (decision 039): on that channel the service sends it instead of subject
   * and body (an SMS shows no subject, so its variant may have an empty one).
   */
  variants?: Partial<Record<DeliveryChannel, { subject: string; body: string }>>;
  /** Files that go with the message: the invoice PDF of a letter (printed) or an e-mail (attached). */
  attachments?: MessageAttachment[];
}

export interface MessageAttachment {
  filename: string;
  contentType: 'application/pdf';
  bytes: Uint8Array;
}

export interface DeliveryReceipt {
  externalId: string;
  channel: DeliveryChannel;
}

/** The shared messaging service (SMS, secure e-mail, printed letter); it chooses the channel. */
export interface MessagingAdapter {
  /**
   * Resolves when the system answers, rejects when it does not (for the worker's /readyz; it never
   * changes anything). Optional: an adapter that cannot be asked is not listed.
   */
  ready?(): Promise<void>;
  send(message: OutgoingMessage): Promise<DeliveryReceipt>;
}

/** A refusal the service will repeat on every retry (bad recipient); retrying is pointless. */
export class MessageRejectedError extends Error {
  override name = 'MessageRejectedError';
}
