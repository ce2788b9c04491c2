import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { ExistingMembership } from '../../domain/application';
import type { DbOrTx } from '../client';
import { applications, members, membershipPeriods, persons } from '../schema';

export type ApplicationRow = typeof applications.$inferSelect;
export type NewApplication = typeof applications.$inferInsert;

const undecided = ['received', 'awaiting-supplement', 'in-review'] as const;

/** Inserts unless the submitter already used the key; returns the stored row either way. */
export async function insertApplicationOnce(db: DbOrTx, row: NewApplication): Promise<{ row: ApplicationRow; created: boolean }> {
  const inserted = await db
    .insert(applications)
    .values(row)
    .onConflictDoNothing({ target: [applications.submittedBy, applications.idempotencyKey] })
    .returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  const existing = await db
    .select()
    .from(applications)
    .where(and(eq(applications.submittedBy, row.submittedBy), eq(applications.idempotencyKey, row.idempotencyKey)));
  if (!existing[0]) throw new Error('application vanished between insert and read');
  return { row: existing[0], created: false };
}

export async function findApplication(db: DbOrTx, id: string): Promise<ApplicationRow | undefined> {
  const rows = await db.select().from(applications).where(eq(applications.id, id));
  return rows[0];
}

export async function lockApplication(db: DbOrTx, id: string): Promise<ApplicationRow> {
  const rows = await db.select().from(applications).where(eq(applications.id, id)).for('update');
  if (!rows[0]) throw new Error(`application ${id} not found`);
  return rows[0];
}

export async function updateApplication(db: DbOrTx, id: string, patch: Partial<NewApplication>): Promise<void> {
  await db
    .update(applications)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(applications.id, id));
}

export async function countOtherUndecidedApplications(db: DbOrTx, identityCode: string, exceptId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(applications)
    .where(and(eq(applications.identityCode, identityCode), ne(applications.id, exceptId), inArray(applications.status, [...undecided])));
  return rows[0]?.n ?? 0;
}

export async function membershipsOfIdentityCode(db: DbOrTx, identityCode: string): Promise<ExistingMembership[]> {
  return db
    .select({ memberId: members.id, startDate: membershipPeriods.startDate, endDate: membershipPeriods.endDate })
    .from(membershipPeriods)
    .innerJoin(members, eq(members.id, membershipPeriods.memberId))
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(eq(persons.identityCode, identityCode));
}
