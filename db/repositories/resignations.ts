import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { resignations } from '../schema';

export type ResignationRow = typeof resignations.$inferSelect;
export type NewResignation = typeof resignations.$inferInsert;

/** Inserts unless the submitter already used the key; returns the stored row either way. */
export async function insertResignationOnce(db: DbOrTx, row: NewResignation): Promise<{ row: ResignationRow; created: boolean }> {
  const inserted = await db.insert(resignations).values(row).onConflictDoNothing().returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  const [existing] = await db
    .select()
    .from(resignations)
    .where(and(eq(resignations.submittedBy, row.submittedBy), eq(resignations.idempotencyKey, row.idempotencyKey)));
  if (!existing) throw new Error('resignation vanished between insert and read');
  return { row: existing, created: false };
}

export async function findResignation(db: DbOrTx, id: string): Promise<ResignationRow | undefined> {
  return (await db.select().from(resignations).where(eq(resignations.id, id)))[0];
}

/** The resignation, only when it is this member's. */
export async function findResignationOfMember(db: DbOrTx, id: string, memberId: string): Promise<ResignationRow | undefined> {
  return (await db.select().from(resignations).where(and(eq(resignations.id, id), eq(resignations.memberId, memberId))))[0];
}

/** The resignation, locked for the rest of the transaction. */
export async function lockResignation(db: DbOrTx, id: string): Promise<ResignationRow | undefined> {
  return (await db.select().from(resignations).where(eq(resignations.id, id)).for('update'))[0];
}

/** The member's resignations and fund switches, newest first. */
export async function resignationsOfMember(db: DbOrTx, memberId: string): Promise<ResignationRow[]> {
  return db.select().from(resignations).where(eq(resignations.memberId, memberId)).orderBy(desc(resignations.createdAt));
}

export async function markResignationWithdrawn(db: DbOrTx, id: string, by: string, reason: string | null): Promise<void> {
  await db.update(resignations).set({ status: 'withdrawn', withdrawnAt: sql`now()`, withdrawnBy: by, withdrawalReason: reason }).where(eq(resignations.id, id));
}

/** Closes an open public request as confirmed ('pending'), rejected or expired; undefined when it was not open. */
export async function decideResignationRequest(
  db: DbOrTx,
  id: string,
  decision: { status: 'pending' | 'rejected' | 'expired'; by: string; reason: string | null },
): Promise<ResignationRow | undefined> {
  const [row] = await db
    .update(resignations)
    .set({ status: decision.status, decidedAt: sql`now()`, decidedBy: decision.by, decisionReason: decision.reason })
    .where(and(eq(resignations.id, id), eq(resignations.status, 'requested')))
    .returning();
  return row;
}

/** The member's open public request, if any (one at a time: a repeated form sends no new link). */
export async function findOpenResignationRequest(db: DbOrTx, memberId: string): Promise<ResignationRow | undefined> {
  return (await db.select().from(resignations).where(and(eq(resignations.memberId, memberId), eq(resignations.status, 'requested'))).limit(1))[0];
}

/** A pending resignation whose withdrawal window has passed becomes effective. */
export async function markResignationEffective(db: DbOrTx, id: string): Promise<void> {
  await db.update(resignations).set({ status: 'effective' }).where(and(eq(resignations.id, id), eq(resignations.status, 'pending')));
}

/** Cancels the member's pending resignations and open requests (the member died); returns them, for stopping their processes. */
export async function cancelPendingResignations(db: DbOrTx, memberId: string): Promise<{ id: string; workflowId: string }[]> {
  return db
    .update(resignations)
    .set({ status: 'cancelled' })
    .where(and(eq(resignations.memberId, memberId), inArray(resignations.status, ['pending', 'requested'])))
    .returning({ id: resignations.id, workflowId: resignations.workflowId });
}
