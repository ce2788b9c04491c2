import { asc, desc, eq } from 'drizzle-orm';
import type { ApplicationData } from '../../domain/application';
import type { DbOrTx } from '../client';
import { members, membershipPeriods, messages, persons } from '../schema';

/** Creates the person or refreshes their contact data from a newer application. */
export async function upsertPersonFromApplication(db: DbOrTx, data: ApplicationData, birthDate: string): Promise<string> {
  const values = {
    identityCode: data.identityCode,
    firstNames: data.firstNames,
    lastName: data.lastName,
    birthDate,
    language: data.language,
    email: data.email ?? null,
    phone: data.phone ?? null,
    streetAddress: data.address?.street ?? null,
    postalCode: data.address?.postalCode ?? null,
    city: data.address?.city ?? null,
    country: data.address?.country ?? null,
  };
  const rows = await db
    .insert(persons)
    .values(values)
    .onConflictDoUpdate({ target: persons.identityCode, set: { ...values, updatedAt: new Date() } })
    .returning({ id: persons.id });
  return rows[0]!.id;
}

export async function ensureMember(
  db: DbOrTx,
  personId: string,
  attrs: { channel: string; unionCode: string | null; eligibilityBasis: string | null },
): Promise<string> {
  await db
    .insert(members)
    .values({ personId, ...attrs })
    .onConflictDoNothing({ target: members.personId });
  const rows = await db.select({ id: members.id }).from(members).where(eq(members.personId, personId));
  return rows[0]!.id;
}

export async function openPeriodOnce(db: DbOrTx, memberId: string, startDate: string, sourceApplicationId: string): Promise<void> {
  await db
    .insert(membershipPeriods)
    .values({ memberId, startDate, sourceApplicationId })
    .onConflictDoNothing({ target: membershipPeriods.sourceApplicationId });
}

export async function findMemberView(db: DbOrTx, memberId: string) {
  const rows = await db
    .select({ member: members, person: persons })
    .from(members)
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(eq(members.id, memberId));
  const row = rows[0];
  if (!row) return undefined;
  const [periods, history] = await Promise.all([
    db.select().from(membershipPeriods).where(eq(membershipPeriods.memberId, memberId)).orderBy(asc(membershipPeriods.startDate)),
    db.select().from(messages).where(eq(messages.memberId, memberId)).orderBy(desc(messages.createdAt)),
  ]);
  return { ...row, periods, messages: history };
}
