import { and, desc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { executePrepared, type Database, type DbOrTx } from '../client';
import { members, personIdentityCodes, persons } from '../schema';
import type { AuditEntry } from './audit';

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

// --- The desk's search, each kind one statement that also writes the search's audit row
// (docs/decisions/054-member-search-prepared-with-its-audit-row.md). The statements above stay
// for other callers (the audit log's member-number filter) and as the tests' reference.

/** Who searched and the query's kind: the `member.search` audit row (the query itself may be an identity code, so only its kind). */
export interface SearchAudit extends Pick<AuditEntry, 'actor' | 'actorKind'> {
  kind: string;
}

/** A half-open range of strings in "C" order (`to` null: no upper bound); domain/membership/memberQuery.ts prefixRange. */
export interface PrefixRange {
  from: string;
  to: string | null;
}

const hitSelect = sql.raw(`m.id AS "memberId", m.member_number AS "memberNumber", p.id AS "personId", p.identity_code AS "identityCode",
  p.first_names AS "firstNames", p.last_name AS "lastName", p.birth_date AS "birthDate", p.date_of_death AS "dateOfDeath",
  coalesce((SELECT json_agg(json_build_object('startDate', mp.start_date, 'endDate', mp.end_date)) FROM membership_periods mp WHERE mp.member_id = m.id), '[]'::json) AS periods`);

/** `column` (already collated "C") within the range: two parameters a generic plan still turns into index bounds. */
const inRange = (column: SQL, r: PrefixRange) => (r.to === null ? sql`${column} >= ${r.from}::text` : sql`${column} >= ${r.from}::text AND ${column} < ${r.to}::text`);

/** A Postgres array literal of member numbers (safe integers only), so the statement's text does not vary with their count. */
const numberArray = (numbers: readonly number[]) => `{${numbers.filter((n) => Number.isSafeInteger(n)).join(',')}}`;

type AuditedRow = Omit<SearchHit, 'memberNumber'> & { memberNumber: string | number; audited: number };

/**
 * The hits `hits` selects (hitSelect's columns, maybe more) and, in the same statement, the
 * search's audit row with the number of results. One round trip, one commit; PostgreSQL answers
 * after the commit. The answer is one row even with no hits (then only `audited`), ordered by
 * `order` (over the hits' columns, as `h`).
 */
function withAuditRow(hits: SQL, order: SQL | null, audit: SearchAudit): SQL {
  return sql`
    WITH hits AS MATERIALIZED (${hits}),
    audited AS (
      INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id, details)
      SELECT ${audit.actor}::text, ${audit.actorKind}::text, 'member.search', 'member', '*', jsonb_build_object('kind', ${audit.kind}::text, 'results', n.results)
      FROM (SELECT count(*)::int AS results FROM hits) n
      RETURNING 1)
    SELECT a.audited, h.* FROM (SELECT count(*)::int AS audited FROM audited) a LEFT JOIN hits h ON true${order ? sql` ORDER BY ${order}` : sql``}`;
}

/** The hits of an audited statement, and whether it wrote the audit row. */
function hitsOf(rows: readonly AuditedRow[]): { hits: SearchHit[]; audited: boolean } {
  const hits: SearchHit[] = [];
  for (const r of rows) {
    if (r.memberId === null) continue;
    hits.push({
      memberId: r.memberId,
      memberNumber: Number(r.memberNumber),
      personId: r.personId,
      identityCode: r.identityCode,
      firstNames: r.firstNames,
      lastName: r.lastName,
      birthDate: r.birthDate,
      dateOfDeath: r.dateOfDeath,
      periods: r.periods,
    });
  }
  return { hits, audited: (rows[0]?.audited ?? 0) > 0 };
}

/** Runs an audited search statement that must write its audit row; refuses to answer if it did not. */
async function auditedHits(run: Promise<AuditedRow[]>): Promise<SearchHit[]> {
  const { hits, audited } = hitsOf(await run);
  if (!audited) throw new Error('member search: the audit row was not written');
  return hits;
}

/** Exact identity code, current or earlier, audited; a prepared statement (its text never varies). */
export function searchByIdentityCodeAudited(db: Database, code: string, limit: number, audit: SearchAudit): Promise<SearchHit[]> {
  const hits = sql`SELECT ${hitSelect} FROM person_identity_codes pic JOIN persons p ON p.id = pic.person_id JOIN members m ON m.person_id = p.id
    WHERE pic.identity_code = ${code}::text LIMIT ${limit}::int`;
  return auditedHits(executePrepared<AuditedRow>(db, withAuditRow(hits, null, audit)));
}

/** Member numbers, audited; prepared. */
export function searchByMemberNumbersAudited(db: Database, numbers: readonly number[], limit: number, audit: SearchAudit): Promise<SearchHit[]> {
  const hits = sql`SELECT ${hitSelect} FROM members m JOIN persons p ON p.id = m.person_id
    WHERE m.member_number = ANY(${numberArray(numbers)}::bigint[]) LIMIT ${limit}::int`;
  return auditedHits(executePrepared<AuditedRow>(db, withAuditRow(hits, null, audit)));
}

/**
 * The start of an identity code (a birth date and more) in code order, and first the members
 * whose number it may be (six digits are both; none for a longer prefix), each member once, at
 * most `limit`; audited; prepared: the prefix is a range (persons_identity_code_c_idx serves the
 * range and the order in a generic plan too).
 */
export function searchByIdentityCodePrefixAudited(db: Database, range: PrefixRange, numbers: readonly number[], limit: number, audit: SearchAudit): Promise<SearchHit[]> {
  const code = sql.raw(`(p.identity_code COLLATE "C")`);
  const hits = sql`
    WITH by_number AS (
      SELECT ${hitSelect} FROM members m JOIN persons p ON p.id = m.person_id
      WHERE m.member_number = ANY(${numberArray(numbers)}::bigint[]) LIMIT ${limit}::int),
    by_birth AS (
      SELECT ${hitSelect} FROM persons p JOIN members m ON m.person_id = p.id
      WHERE ${inRange(code, range)} ORDER BY ${code} LIMIT ${limit}::int)
    SELECT * FROM (
      SELECT *, 0 AS part FROM by_number
      UNION ALL
      SELECT *, 1 AS part FROM by_birth b WHERE b."memberId" NOT IN (SELECT "memberId" FROM by_number)) x
    ORDER BY part, ("identityCode" COLLATE "C") LIMIT ${limit}::int`;
  return auditedHits(executePrepared<AuditedRow>(db, withAuditRow(hits, sql.raw(`h.part, (h."identityCode" COLLATE "C")`), audit)));
}

/**
 * The name search, both steps in one statement with its audit row; prepared (one text per number
 * of words, at most five), docs/decisions/058-member-search-name-in-one-statement.md.
 * - The fast path: surnames starting with `range` (the first word) in name order
 *   (persons_surname_c_idx, stopping after `limit`), each of the other words somewhere in
 *   "last first" (strpos); the page's ids by an index-only scan (the index holds the names and
 *   the id, migration 0042), so a word tested over thousands of one surname reads no heap.
 * - Only when that fills less than `limit` (a one-time filter: otherwise the fallback's scan never
 *   runs), the fallback: every word anywhere in "last first" (the trigram index; a generic plan
 *   still scans it with the patterns as parameters), not the persons the fast path found, the best
 *   of at most 500 candidates by similarity, as many as the page has room for.
 * The fast path's hits first in name order, then the fallback's by similarity; one audit row
 * counting both (as the two statements it replaced wrote it in the step that ended the search).
 */
export function searchByNameAudited(db: Database, range: PrefixRange, words: readonly string[], limit: number, audit: SearchAudit): Promise<SearchHit[]> {
  const surname = sql.raw(`(lower(p.last_name) COLLATE "C")`);
  const given = sql.raw(`(lower(p.first_names) COLLATE "C")`);
  const haystack = sql.raw(`lower(p.last_name || ' ' || p.first_names)`);
  const rest = words.slice(1).map((w) => sql` AND strpos(${haystack}, ${w}::text) > 0`);
  const contains = words.map((w) => sql`lower(last_name || ' ' || first_names) LIKE ${'%' + escapeLike(w) + '%'}::text`);
  const hits = sql`
    WITH fast AS MATERIALIZED (
      SELECT ${hitSelect}, 0 AS part, NULL::real AS rank
      FROM (SELECT p.id FROM persons p JOIN members m ON m.person_id = p.id
        WHERE ${inRange(surname, range)}${sql.join(rest)} ORDER BY ${surname}, ${given}, p.last_name, p.first_names, p.id LIMIT ${limit}::int) f
      JOIN persons p ON p.id = f.id JOIN members m ON m.person_id = p.id),
    anywhere AS MATERIALIZED (
      SELECT ${hitSelect}, 1 AS part, similarity(${haystack}, ${words.join(' ')}::text) AS rank
      FROM (SELECT id FROM persons WHERE ${sql.join(contains, sql` AND `)}
        AND id NOT IN (SELECT "personId" FROM fast) AND (SELECT count(*) FROM fast) < ${limit}::int LIMIT 500) c
      JOIN persons p ON p.id = c.id JOIN members m ON m.person_id = p.id
      ORDER BY rank DESC, p.last_name, p.first_names LIMIT greatest(${limit}::int - (SELECT count(*) FROM fast), 0))
    SELECT * FROM fast UNION ALL SELECT * FROM anywhere`;
  // Within each part the order of the statements it replaced: the fast path's in the order of
  // persons_surname_c_idx (the lowercased names in "C" order, then the names, then the id), the
  // fallback's by rank, then the names.
  const order = sql.raw(
    `h.part, h.rank DESC, (CASE WHEN h.part = 0 THEN lower(h."lastName") END) COLLATE "C", (CASE WHEN h.part = 0 THEN lower(h."firstNames") END) COLLATE "C", h."lastName", h."firstNames", (CASE WHEN h.part = 0 THEN h."personId" END)`,
  );
  return auditedHits(executePrepared<AuditedRow>(db, withAuditRow(hits, order, audit)));
}
