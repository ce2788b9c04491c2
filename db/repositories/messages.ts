import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { applications, members, messages, persons } from '../schema';

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Queues a message once per key (the outbox); delivery happens in its own activity. */
export async function queueMessageOnce(db: DbOrTx, message: NewMessage): Promise<void> {
  await db.insert(messages).values(message).onConflictDoNothing({ target: messages.messageKey });
}

export async function findMessageByKey(db: DbOrTx, key: string): Promise<MessageRow | undefined> {
  const rows = await db.select().from(messages).where(eq(messages.messageKey, key));
  return rows[0];
}

/** The messages with these keys, each with whether its member has died (deliverMessage's two reads, for many). */
export async function findMessagesForDelivery(db: DbOrTx, keys: string[]): Promise<{ message: MessageRow; deceased: boolean }[]> {
  if (!keys.length) return [];
  const rows = await db
    .select({ message: messages, dateOfDeath: persons.dateOfDeath })
    .from(messages)
    .leftJoin(members, eq(members.id, messages.memberId))
    .leftJoin(persons, eq(persons.id, members.personId))
    .where(inArray(messages.messageKey, keys));
  return rows.map((r) => ({ message: r.message, deceased: Boolean(r.dateOfDeath) }));
}

/**
 * Sent on `channel`: the message keeps what went, `sent` being its text and template version as
 * sent on that channel (activities/messages.ts sentVia, decision 039).
 */
export async function markMessageSent(db: DbOrTx, key: string, externalId: string, channel: string, sent: { subject: string; body: string; templateVersion: string | null }): Promise<void> {
  await db
    .update(messages)
    .set({ status: 'sent', externalId, channel, sentAt: sql`now()`, subject: sent.subject, body: sent.body, templateVersion: sent.templateVersion })
    .where(eq(messages.messageKey, key));
}

export async function markMessageFailed(db: DbOrTx, key: string, reason: string): Promise<void> {
  await db.update(messages).set({ status: 'failed', failureReason: reason.slice(0, 500) }).where(eq(messages.messageKey, key));
}

export async function linkApplicationMessagesToMember(db: DbOrTx, applicationId: string, memberId: string): Promise<void> {
  await db.update(messages).set({ memberId }).where(eq(messages.applicationId, applicationId));
}

/** A message that must not go out (its recipient has died). */
export async function markMessageSuppressed(db: DbOrTx, key: string): Promise<void> {
  await db.update(messages).set({ status: 'suppressed' }).where(eq(messages.messageKey, key));
}

/** Suppresses every message still waiting to go to the member (the member died). */
export async function suppressPendingMessagesOfMember(db: DbOrTx, memberId: string): Promise<void> {
  await db.update(messages).set({ status: 'suppressed' }).where(and(eq(messages.memberId, memberId), eq(messages.status, 'pending')));
}

/** The member's messages, newest first. */
export async function messagesOfMember(db: DbOrTx, memberId: string, limit: number): Promise<MessageRow[]> {
  return db.select().from(messages).where(eq(messages.memberId, memberId)).orderBy(desc(messages.createdAt)).limit(limit);
}

/**
 * Decision messages still pending of applications the process `workflowId` decided (the batched
 * intake decider, decision 063): what a run that stopped between its batch's commit and the sends
 * left unsent. Read through the partial index on pending messages.
 */
export async function pendingDecisionMessagesOf(db: DbOrTx, workflowId: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ messageKey: messages.messageKey })
    .from(messages)
    .innerJoin(applications, eq(applications.id, messages.applicationId))
    .where(and(eq(messages.status, 'pending'), eq(messages.kind, 'application-approved'), eq(applications.workflowId, workflowId)))
    .limit(limit);
  return rows.map((r) => r.messageKey);
}
