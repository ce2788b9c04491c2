/**
 * Member counts for the statistics: set-based SQL over periods, members and persons, no rows of
 * people leave the database. A member on a date has a period with start ≤ date ≤ end (end
 * inclusive, open when null). Sex is the parity of the current identity code's individual number;
 * language and municipality are the current ones (the register keeps no history of them).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import type { PeriodEndReason } from '../../domain/vocabulary';

/** 'male' | 'female' | 'unknown' from persons.identity_code, in SQL. */
/** 'union' for a member through a union, 'direct' for everyone else (the intake writes direct or union). */
const channelSql = sql.raw(`CASE WHEN m.channel = 'union' THEN 'union' ELSE 'direct' END`);

const sexSql = sql.raw(`CASE WHEN substr(p.identity_code, 8, 3) ~ '^[0-9]{3}$' THEN CASE WHEN substr(p.identity_code, 8, 3)::int % 2 = 1 THEN 'male' ELSE 'female' END ELSE 'unknown' END`);

export type Dimension = 'sex' | 'birthDate' | 'municipality' | 'language' | 'channel' | 'union';

/** Members on `on` grouped by each dimension separately (one scan, grouping sets). */
export async function membersOnByDimension(db: DbOrTx, on: string): Promise<{ dimension: Dimension; key: string | null; count: number }[]> {
  const rows = await db.execute<{ sex: string | null; birth: string | null; municipality: string | null; language: string | null; channel: string | null; union_code: string | null; g: number; count: number }>(sql`
    WITH a AS (
      SELECT ${sexSql} AS sex, p.birth_date::text AS birth, p.municipality, p.language, ${channelSql} AS channel, m.union_code
      FROM members m JOIN persons p ON p.id = m.person_id
      WHERE EXISTS (SELECT 1 FROM membership_periods mp WHERE mp.member_id = m.id AND mp.start_date <= ${on}::date AND (mp.end_date IS NULL OR mp.end_date >= ${on}::date))
    )
    SELECT sex, birth, municipality, language, channel, union_code,
      GROUPING(sex, birth, municipality, language, channel, union_code) AS g, count(*)::int AS count
    FROM a
    GROUP BY GROUPING SETS ((sex), (birth), (municipality), (language), (channel), (channel, union_code))`);
  const out: { dimension: Dimension; key: string | null; count: number }[] = [];
  // GROUPING's bits, leftmost argument highest: 0 where the column is grouped.
  for (const r of rows) {
    const g = Number(r.g);
    if (g === 0b011111) out.push({ dimension: 'sex', key: r.sex, count: r.count });
    else if (g === 0b101111) out.push({ dimension: 'birthDate', key: r.birth, count: r.count });
    else if (g === 0b110111) out.push({ dimension: 'municipality', key: r.municipality, count: r.count });
    else if (g === 0b111011) out.push({ dimension: 'language', key: r.language, count: r.count });
    else if (g === 0b111101) out.push({ dimension: 'channel', key: r.channel, count: r.count });
    else if (g === 0b111100 && r.channel === 'union') out.push({ dimension: 'union', key: r.union_code, count: r.count });
  }
  return out;
}

/** Every member who had begun by `on`, by status: 'member' on that day, or the end reason of the latest period. */
export async function statusesOn(db: DbOrTx, on: string): Promise<{ status: string; count: number }[]> {
  return [...(await db.execute<{ status: string; count: number }>(sql`
    SELECT CASE WHEN end_date IS NULL OR end_date >= ${on}::date THEN 'member' ELSE coalesce(end_reason, 'correction') END AS status, count(*)::int AS count
    FROM (
      SELECT DISTINCT ON (member_id) member_id, end_date, end_reason
      FROM membership_periods WHERE start_date <= ${on}::date
      ORDER BY member_id, start_date DESC
    ) latest
    GROUP BY 1`))];
}

/** Members on `on` by sex and channel (direct or union): the KT table's stocks. */
export async function membersOnBySexAndChannel(db: DbOrTx, on: string): Promise<{ sex: string; channel: string; count: number }[]> {
  return [...(await db.execute<{ sex: string; channel: string; count: number }>(sql`
    SELECT ${sexSql} AS sex, ${channelSql} AS channel, count(*)::int AS count
    FROM members m JOIN persons p ON p.id = m.person_id
    WHERE EXISTS (SELECT 1 FROM membership_periods mp WHERE mp.member_id = m.id AND mp.start_date <= ${on}::date AND (mp.end_date IS NULL OR mp.end_date >= ${on}::date))
    GROUP BY 1, 2`))];
}

/**
 * Joins per month (a period's start) in [from, to], by sex, and how many of them came with a
 * transferred period from a previous fund that ended within a month before the start (§1.6).
 */
export async function joinsByMonth(db: DbOrTx, from: string, to: string): Promise<{ month: string; sex: string; joins: number; transfersIn: number }[]> {
  return [...(await db.execute<{ month: string; sex: string; joins: number; transfersIn: number }>(sql`
    SELECT to_char(mp.start_date, 'YYYY-MM') AS month, ${sexSql} AS sex, count(*)::int AS joins,
      count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM transferred_periods tp WHERE tp.member_id = mp.member_id AND tp.end_date < mp.start_date AND tp.end_date >= (mp.start_date - interval '1 month' - interval '1 day')::date
      ))::int AS "transfersIn"
    FROM membership_periods mp JOIN members m ON m.id = mp.member_id JOIN persons p ON p.id = m.person_id
    WHERE mp.start_date BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2`))];
}

/** Ends per month (the last day of membership) in [from, to], by sex and reason. */
export async function endsByMonth(db: DbOrTx, from: string, to: string): Promise<{ month: string; sex: string; reason: PeriodEndReason | null; count: number }[]> {
  return [...(await db.execute<{ month: string; sex: string; reason: PeriodEndReason | null; count: number }>(sql`
    SELECT to_char(mp.end_date, 'YYYY-MM') AS month, ${sexSql} AS sex, mp.end_reason AS reason, count(*)::int AS count
    FROM membership_periods mp JOIN members m ON m.id = mp.member_id JOIN persons p ON p.id = m.person_id
    WHERE mp.end_date BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2, 3`))];
}

/**
 * Members at each month end of [from, to] by sex and channel, in one pass: a period counts at the
 * end of month M when it started in or before M and did not end before M's last day, i.e. the day
 * after its end falls after M. Starts before `from` are folded into `from`'s month.
 */
export async function membersAtMonthEnds(db: DbOrTx, fromMonth: string, toMonth: string): Promise<{ month: string; sex: string; channel: string; starts: number; ends: number }[]> {
  const first = `${fromMonth}-01`;
  return [...(await db.execute<{ month: string; sex: string; channel: string; starts: number; ends: number }>(sql`
    WITH e AS (
      SELECT to_char(greatest(mp.start_date, ${first}::date), 'YYYY-MM') AS s_month,
        CASE WHEN mp.end_date IS NOT NULL THEN to_char(greatest((mp.end_date + 1), ${first}::date), 'YYYY-MM') END AS e_month,
        ${sexSql} AS sex, ${channelSql} AS channel
      FROM membership_periods mp JOIN members m ON m.id = mp.member_id JOIN persons p ON p.id = m.person_id
      WHERE mp.start_date <= (date_trunc('month', ${`${toMonth}-01`}::date) + interval '1 month' - interval '1 day')::date
        AND (mp.end_date IS NULL OR mp.end_date + 1 > ${first}::date)
    )
    SELECT month, sex, channel, sum(starts)::int AS starts, sum(ends)::int AS ends FROM (
      SELECT s_month AS month, sex, channel, 1 AS starts, 0 AS ends FROM e
      UNION ALL
      SELECT e_month, sex, channel, 0, 1 FROM e WHERE e_month IS NOT NULL AND e_month <= ${toMonth}
    ) x
    GROUP BY 1, 2, 3`))];
}
