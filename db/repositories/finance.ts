/** The journal files sent to the finance system and the checks of the journal against the ledger (decision 025). */
import { asc, between, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { financeJournalPushes, journalReconciliations, tasks } from '../schema';

export type JournalPushRow = typeof financeJournalPushes.$inferSelect;
export type JournalReconciliationRow = typeof journalReconciliations.$inferSelect;

export async function findPush(db: DbOrTx, day: string): Promise<JournalPushRow | null> {
  return (await db.select().from(financeJournalPushes).where(eq(financeJournalPushes.day, day)))[0] ?? null;
}

/** Records the day's delivery once; a second record of the day keeps the first and answers it. */
export async function recordPush(db: DbOrTx, row: typeof financeJournalPushes.$inferInsert): Promise<JournalPushRow> {
  const inserted = await db.insert(financeJournalPushes).values(row).onConflictDoNothing({ target: financeJournalPushes.day }).returning();
  return inserted[0] ?? (await findPush(db, row.day))!;
}

export async function pushesBetween(db: DbOrTx, from: string, to: string): Promise<JournalPushRow[]> {
  return db.select().from(financeJournalPushes).where(between(financeJournalPushes.day, from, to)).orderBy(asc(financeJournalPushes.day));
}

export async function latestReconciliation(db: DbOrTx, day: string): Promise<JournalReconciliationRow | null> {
  return (await db.select().from(journalReconciliations).where(eq(journalReconciliations.day, day)).orderBy(desc(journalReconciliations.checkedAt)).limit(1))[0] ?? null;
}

export async function insertReconciliation(db: DbOrTx, row: typeof journalReconciliations.$inferInsert): Promise<JournalReconciliationRow> {
  return (await db.insert(journalReconciliations).values(row).returning())[0]!;
}

export async function findReconciliation(db: DbOrTx, id: string): Promise<JournalReconciliationRow | null> {
  return (await db.select().from(journalReconciliations).where(eq(journalReconciliations.id, id)))[0] ?? null;
}

export async function setResolution(db: DbOrTx, id: string, resolution: string): Promise<void> {
  await db.update(journalReconciliations).set({ resolution }).where(eq(journalReconciliations.id, id));
}

/** The latest check of each day in [from, to]. */
export async function latestReconciliations(db: DbOrTx, from: string, to: string): Promise<JournalReconciliationRow[]> {
  return db
    .selectDistinctOn([journalReconciliations.day])
    .from(journalReconciliations)
    .where(between(journalReconciliations.day, from, to))
    .orderBy(asc(journalReconciliations.day), desc(journalReconciliations.checkedAt));
}

export async function setMismatchWorkflow(db: DbOrTx, id: string, workflowId: string): Promise<void> {
  await db.update(journalReconciliations).set({ mismatchWorkflowId: workflowId }).where(eq(journalReconciliations.id, id));
}

/** Every check of a day, newest first, with the task of its mismatch (if any) and that task's status. */
export async function reconciliationsOfDay(db: DbOrTx, day: string): Promise<(JournalReconciliationRow & { taskId: string | null; taskStatus: string | null })[]> {
  const rows = await db
    .select({ r: journalReconciliations, taskId: tasks.id, taskStatus: tasks.status })
    .from(journalReconciliations)
    .leftJoin(tasks, eq(tasks.workflowId, journalReconciliations.mismatchWorkflowId))
    .where(eq(journalReconciliations.day, day))
    .orderBy(desc(journalReconciliations.checkedAt));
  return rows.map(({ r, taskId, taskStatus }) => ({ ...r, taskId, taskStatus }));
}
