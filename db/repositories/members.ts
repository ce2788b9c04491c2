import { asc, desc, eq } from 'drizzle-orm';
import type { ApplicationData } from '../../domain/application';
import type { DbOrTx } from '../client';
import * as personsRepo from './persons';
import type { ChangeContext } from './persons';
import { members, membershipPeriods, messages, persons } from '../schema';

/**
 * Finds the applicant by any identity code they have had, or creates them with their histories;
 * a returning member's name, address and contact data from the new application are recorded as changes.
 */
export async function upsertPersonFromApplication(db: DbOrTx, data: ApplicationData, birthDate: string, ctx: ChangeContext): Promise<string> {
  const existing = await personsRepo.findPersonByAnyIdentityCode(db, data.identityCode);
  if (!existing) {
    return personsRepo.createPerson(db, { ...data, birthDate, address: data.address ?? null }, { ...ctx, source: 'application' });
  }
  await personsRepo.changeName(db, existing, { firstNames: data.firstNames, lastName: data.lastName }, { ...ctx, source: 'application' });
  const a = data.address;
  if (a && (a.street !== existing.streetAddress || a.postalCode !== existing.postalCode || a.city !== existing.city)) {
    await personsRepo.changeAddress(db, existing, a, { ...ctx, source: 'application' });
  }
  await personsRepo.changeContact(db, existing, { email: data.email ?? existing.email, phone: data.phone ?? existing.phone, language: data.language }, ctx);
  return existing.id;
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
