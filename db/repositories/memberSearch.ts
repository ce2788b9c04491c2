import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { members, personIdentityCodes, persons } from '../schema';

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
  // In the hit's own row (one round trip per search instead of a second for the periods; decision 049).
  periods: sql<SearchHit['periods']>`coalesce((SELECT json_agg(json_build_object('startDate', mp.start_date, 'endDate', mp.end_date)) FROM membership_periods mp WHERE mp.member_id = ${members.id}), '[]'::json)`,
};

/** Exact identity code, current or earlier (corrections keep the old code findable). */
export async function searchByIdentityCode(db: DbOrTx, code: string, limit: number): Promise<SearchHit[]> {
  const rows = await db
    .select(hitColumns)
    .from(personIdentityCodes)
    .innerJoin(persons, eq(persons.id, personIdentityCodes.personId))
    .innerJoin(members, eq(members.personId, persons.id))
    .where(eq(personIdentityCodes.identityCode, code))
    .limit(limit);
  return rows;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

/** Compared and ordered bytewise ("C"): persons_identity_code_c_idx serves both the prefix and the order. */
export async function searchByIdentityCodePrefix(db: DbOrTx, prefix: string, limit: number): Promise<SearchHit[]> {
  const code = sql`(${persons.identityCode} collate "C")`;
  const rows = await db
    .select(hitColumns)
    .from(persons)
    .innerJoin(members, eq(members.personId, persons.id))
    .where(sql`${code} like ${escapeLike(prefix) + '%'}`)
    .orderBy(code)
    .limit(limit);
  return rows;
}

export async function searchByMemberNumbers(db: DbOrTx, numbers: number[], limit: number): Promise<SearchHit[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .select(hitColumns)
    .from(members)
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(inArray(members.memberNumber, numbers))
    .limit(limit);
  return rows;
}

/**
 * Every word must occur in "last first". Fast path: the first word starts the surname, read in name
 * order off persons_surname_c_idx and stopping after `limit` rows (the other words use strpos, which
 * no index serves, so the planner cannot swap in a misestimated trigram scan). Only when that finds
 * fewer does the trigram index look anywhere in the name, ranking at most 500 candidates.
 */
export async function searchByName(db: DbOrTx, words: string[], limit: number): Promise<SearchHit[]> {
  const haystack = sql`lower(${persons.lastName} || ' ' || ${persons.firstNames})`;
  const contains = (w: string) => sql`${haystack} like ${'%' + escapeLike(w) + '%'}`;
  const surname = sql`(lower(${persons.lastName}) collate "C")`;
  const given = sql`(lower(${persons.firstNames}) collate "C")`;
  const [first = '', ...rest] = words;
  const byPrefix = await db
    .select(hitColumns)
    .from(persons)
    .innerJoin(members, eq(members.personId, persons.id))
    .where(and(sql`${surname} like ${escapeLike(first) + '%'}`, ...rest.map((w) => sql`strpos(${haystack}, ${w}) > 0`)))
    .orderBy(surname, given)
    .limit(limit);
  if (byPrefix.length >= limit) return byPrefix;
  const found = byPrefix.map((r) => r.personId);
  const candidates = db
    .select({ id: persons.id })
    .from(persons)
    .where(and(...words.map(contains), found.length ? notInArray(persons.id, found) : undefined))
    .limit(500)
    .as('candidates');
  const anywhere = await db
    .select(hitColumns)
    .from(candidates)
    .innerJoin(persons, eq(persons.id, candidates.id))
    .innerJoin(members, eq(members.personId, persons.id))
    .orderBy(desc(sql`similarity(${haystack}, ${words.join(' ')})`), persons.lastName, persons.firstNames)
    .limit(limit - byPrefix.length);
  return [...byPrefix, ...anywhere];
}
