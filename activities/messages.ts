import { ApplicationFailure } from '@temporalio/common';
import type { Database, DbOrTx } from '../db/client';
import * as membersRepo from '../db/repositories/members';
import * as messagesRepo from '../db/repositories/messages';
import type { MessageRecipient } from '../domain/vocabulary';
import type { FundProfile, Language, MessageChannel, MessageKind } from '../domain/fundProfile';
import { messageRecipient, shippedDeliveryRules } from '../domain/messageDelivery';
import { renderMessage, type RenderedVariants } from '../domain/messageTemplates';
import { MessageRejectedError, type MessageAttachment, type MessagingAdapter, type OutgoingMessage } from '../integrations/adapters/messaging';

/** Queues a templated message to a member in the outbox, once per key. */
export async function queueMemberMessage(
  db: DbOrTx,
  profile: FundProfile,
  memberId: string,
  kind: MessageKind,
  key: string,
  values: Record<string, string>,
): Promise<void> {
  const row = await membersRepo.findMemberWithPerson(db, memberId);
  if (!row) throw ApplicationFailure.nonRetryable(`member ${memberId} not found`);
  const person = row.person;
  const lang = (person.language as Language) ?? 'fi';
  const all = { firstName: person.firstNames.split(' ')[0] ?? person.firstNames, fundName: profile.name[lang], ...values };
  // One channel by the fund's delivery rules (decision 045), so the service cannot pick another.
  const recipient = messageRecipient({ ...person, name: `${person.firstNames} ${person.lastName}` }, kind, profile.deliveryRules ?? shippedDeliveryRules);
  await messagesRepo.queueMessageOnce(db, {
    messageKey: key,
    kind,
    memberId,
    language: lang,
    recipient,
    ...renderMessage(profile, kind, lang, all),
  });
}

type KeptMessage = { messageKey: string; recipient: MessageRecipient; language: string; subject: string; body: string; variants?: RenderedVariants | null };

/** What the messaging service is handed for a message as the register keeps it, with the channels' own texts. */
export function outgoingOf(message: KeptMessage, attachments?: MessageAttachment[]): OutgoingMessage {
  const variants = Object.entries(message.variants ?? {}).map(([channel, v]) => [channel, { subject: v.subject, body: v.body }] as const);
  return {
    key: message.messageKey,
    recipient: message.recipient,
    language: message.language as Language,
    subject: message.subject,
    body: message.body,
    ...(variants.length ? { variants: Object.fromEntries(variants) } : {}),
    ...(attachments ? { attachments } : {}),
  };
}

/** The message as sent on `channel`: that channel's own text and template version where it has one (decision 039). */
export function sentVia<T extends { subject: string; body: string; templateVersion?: string | null; variants?: RenderedVariants | null }>(message: T, channel: string): T {
  const v = message.variants?.[channel as MessageChannel];
  return v ? { ...message, subject: v.subject, body: v.body, templateVersion: v.templateVersion } : message;
}

/**
 * Sends a message as the register keeps it unless it went already (sent, suppressed) or its member
 * has died (`deceased`: suppressed instead); marks it sent, or failed when the service refuses it
 * for good (a non-retryable failure). deliverMessage's steps after its reads.
 */
export async function sendKept(deps: { db: Database; messaging: MessagingAdapter }, message: messagesRepo.MessageRow, deceased: boolean): Promise<{ externalId: string | null }> {
  const { db } = deps;
  const messageKey = message.messageKey;
  if (message.status === 'sent' || message.status === 'suppressed') return { externalId: message.externalId };
  if (deceased) {
    await messagesRepo.markMessageSuppressed(db, messageKey);
    return { externalId: null };
  }
  try {
    const receipt = await deps.messaging.send(outgoingOf(message));
    await messagesRepo.markMessageSent(db, messageKey, receipt.externalId, receipt.channel, sentVia(message, receipt.channel));
    return { externalId: receipt.externalId };
  } catch (error) {
    if (error instanceof MessageRejectedError) {
      await messagesRepo.markMessageFailed(db, messageKey, error.message);
      throw ApplicationFailure.nonRetryable(`message ${messageKey} refused: ${error.message}`);
    }
    throw error;
  }
}

/** Delivery through the messaging service; nothing goes to a person who has died. */
export function createMessageActivities(deps: { db: Database; messaging: MessagingAdapter }) {
  const { db } = deps;
  return {
    async deliverMessage({ messageKey }: { messageKey: string }) {
      // The message and whether its member has died in one read, as the intake decider's batches read them.
      const [kept] = await messagesRepo.findMessagesForDelivery(db, [messageKey]);
      if (!kept) throw ApplicationFailure.nonRetryable(`message ${messageKey} not found`);
      return sendKept(deps, kept.message, kept.deceased);
    },
  };
}

export type MessageActivities = ReturnType<typeof createMessageActivities>;
