import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { members, membershipPeriods, personIdentityCodes, persons } from '../schema';

export interface SearchHit {
  memberId: string;
  memberNumber: number;
  personId: string;
  identityCode: string;
  firstNames: string;
  lastName: string;
  birthDate: string;
  dateOfDeath: string | null;
  periods: { startDate: string; endDate: string | null }[];
}

const hitColumns = {
  memberId: members.id,
  memberNumber: members.memberNumber,
  personId: persons.id,
  identityCode: persons.identityCode,
  firstNames: persons.firstNames,
  lastName: persons.lastName,
  birthDate: persons.birthDate,
  dateOfDeath: persons.dateOfDeath,
};

async function withPeriods(db: DbOrTx, rows: Omit<SearchHit, 'periods'>[]): Promise<SearchHit[]> {
  if (rows.length === 0) return [];
  const periods = await db
    .select({ memberId: membershipPeriods.memberId, startDate: membershipPeriods.startDate, endDate: membershipPeriods.endDate })
    .from(membershipPeriods)
    .where(inArray(membershipPeriods.memberId, rows.map((r) => r.memberId)));
  return rows.map((r) => ({ ...r, periods: periods.filter((p) => p.memberId === r.memberId).map(({ startDate, endDate }) => ({ startDate, endDate })) }));
}

/** Exact identity code, current or earlier (corrections keep the old code findable). */
export async function searchByIdentityCode(db: DbOrTx, code: string, limit: number): Promise<SearchHit[]> {
  const rows = await db
    .select(hitColumns)
    .from(personIdentityCodes)
    .innerJoin(persons, eq(persons.id, personIdentityCodes.personId))
    .innerJoin(members, eq(members.personId, persons.id))
    .where(eq(personIdentityCodes.identityCode, code))
    .limit(limit);
  return withPeriods(db, rows);
}

/** The start of an identity code (birth date, then more), for as-you-type search. */
export async function searchByIdentityCodePrefix(db: DbOrTx, prefix: string, limit: number): Promise<SearchHit[]> {
  const rows = await db
    .select(hitColumns)
    .from(persons)
    .innerJoin(members, eq(members.personId, persons.id))
    .where(sql`${persons.identityCode} like ${prefix.replace(/[%_\\]/g, '\\$&') + '%'}`)
    .orderBy(persons.identityCode)
    .limit(limit);
  return withPeriods(db, rows);
}

export async function searchByMemberNumbers(db: DbOrTx, numbers: number[], limit: number): Promise<SearchHit[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .select(hitColumns)
    .from(members)
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(inArray(members.memberNumber, numbers))
    .limit(limit);
  return withPeriods(db, rows);
}

/** Name search: every word must occur in "last first" (trigram index), closest matches first. */
export async function searchByName(db: DbOrTx, words: string[], limit: number): Promise<SearchHit[]> {
  const haystack = sql`lower(${persons.lastName} || ' ' || ${persons.firstNames})`;
  const conditions = words.map((w) => sql`${haystack} like ${'%' + w.replace(/[%_\\]/g, '\\$&') + '%'}`);
  const query = words.join(' ');
  const rows = await db
    .select(hitColumns)
    .from(persons)
    .innerJoin(members, eq(members.personId, persons.id))
    .where(sql.join(conditions, sql` and `))
    .orderBy(desc(sql`similarity(${haystack}, ${query})`), persons.lastName, persons.firstNames)
    .limit(limit);
  return withPeriods(db, rows);
}
