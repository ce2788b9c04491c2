import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { ExistingMembership } from '../../domain/application';
import type { SupplementData } from '../../domain/supplement';
import type { DbOrTx } from '../client';
import { applications, applicationSupplements, members, membershipPeriods, persons } from '../schema';

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

/** The application, or undefined; `forUpdate` locks its row to the end of the transaction. */
export async function findApplication(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<ApplicationRow | undefined> {
  const query = db.select().from(applications).where(eq(applications.id, id));
  const rows = await (opts.forUpdate ? query.for('update') : query);
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

/** Stores a round's supplement once; false when that round was stored before. */
export async function insertSupplementOnce(db: DbOrTx, s: { applicationId: string; round: number; data: SupplementData; submittedBy: string }): Promise<boolean> {
  const inserted = await db.insert(applicationSupplements).values(s).onConflictDoNothing().returning({ id: applicationSupplements.id });
  return inserted.length > 0;
}

/** The undecided applications of an identity code (their processes are still running). */
export async function undecidedApplicationsOfIdentityCode(db: DbOrTx, identityCode: string): Promise<{ id: string; workflowId: string }[]> {
  return db
    .select({ id: applications.id, workflowId: applications.workflowId })
    .from(applications)
    .where(and(eq(applications.identityCode, identityCode), inArray(applications.status, [...undecided])));
}

/** Every application of an identity code, for the member's list of processes. */
export async function applicationsOfIdentityCode(db: DbOrTx, identityCode: string) {
  return db
    .select({ id: applications.id, status: applications.status, workflowId: applications.workflowId, createdAt: applications.createdAt, receivedOn: applications.receivedOn })
    .from(applications)
    .where(eq(applications.identityCode, identityCode));
}

/** The member's latest approved application: where the entrepreneur's start is recorded. */
export async function latestApprovedApplicationOfMember(db: DbOrTx, memberId: string): Promise<Pick<ApplicationRow, 'data'> | undefined> {
  const [row] = await db
    .select({ data: applications.data })
    .from(applications)
    .where(and(eq(applications.memberId, memberId), eq(applications.status, 'approved')))
    .orderBy(desc(applications.receivedOn), desc(applications.createdAt))
    .limit(1);
  return row;
}

/**
 * Members whose approved application says they are entrepreneurs and who have a period open on
 * `today`, with the start of the business as written there (one row per period).
 */
export async function entrepreneursWithOpenPeriods(db: DbOrTx, today: string): Promise<{ memberId: string | null; since: string | null }[]> {
  return db
    .select({ memberId: applications.memberId, since: sql<string | null>`${applications.data}->'employment'->>'entrepreneurSince'` })
    .from(applications)
    .innerJoin(membershipPeriods, eq(membershipPeriods.memberId, applications.memberId))
    .where(and(eq(applications.status, 'approved'), sql`${applications.data}->'employment'->>'status' = 'entrepreneur'`, or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, today))));
}

/**
 * Claims up to `limit` received applications left to the process `workflowId` (the batched
 * intake decider, decision 063), oldest first, locked to the end of the transaction; rows another
 * decider holds are skipped, not waited for.
 */
export async function claimReceivedApplications(db: DbOrTx, workflowId: string, limit: number): Promise<ApplicationRow[]> {
  return db
    .select()
    .from(applications)
    .where(and(eq(applications.status, 'received'), eq(applications.workflowId, workflowId)))
    .orderBy(applications.createdAt, applications.id)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** membershipsOfIdentityCode for many identity codes in one statement, by code. */
export async function membershipsOfIdentityCodes(db: DbOrTx, identityCodes: string[]): Promise<Map<string, ExistingMembership[]>> {
  const byCode = new Map<string, ExistingMembership[]>(identityCodes.map((c) => [c, []]));
  if (!identityCodes.length) return byCode;
  const rows = await db
    .select({ identityCode: persons.identityCode, memberId: members.id, startDate: membershipPeriods.startDate, endDate: membershipPeriods.endDate })
    .from(membershipPeriods)
    .innerJoin(members, eq(members.id, membershipPeriods.memberId))
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(inArray(persons.identityCode, identityCodes));
  for (const { identityCode, ...m } of rows) byCode.get(identityCode)?.push(m);
  return byCode;
}

/** The undecided applications of many identity codes in one statement (countOtherUndecidedApplications for a batch). */
export async function undecidedApplicationsOfIdentityCodes(db: DbOrTx, identityCodes: string[]): Promise<{ id: string; identityCode: string }[]> {
  if (!identityCodes.length) return [];
  return db
    .select({ id: applications.id, identityCode: applications.identityCode })
    .from(applications)
    .where(and(inArray(applications.identityCode, identityCodes), inArray(applications.status, [...undecided])));
}
