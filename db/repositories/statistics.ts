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

/** Members on each of two days (a month's eve and its last day) by sex and channel, in one scan: the KT table's stocks (periods of a member never overlap, so a period is a member). */
export async function membersOnTwoDaysBySexAndChannel(db: DbOrTx, first: string, second: string): Promise<{ sex: string; channel: string; first: number; second: number }[]> {
  return [...(await db.execute<{ sex: string; channel: string; first: number; second: number }>(sql`
    SELECT ${sexSql} AS sex, ${channelSql} AS channel,
      count(*) FILTER (WHERE mp.start_date <= ${first}::date AND (mp.end_date IS NULL OR mp.end_date >= ${first}::date))::int AS first,
      count(*) FILTER (WHERE mp.start_date <= ${second}::date AND (mp.end_date IS NULL OR mp.end_date >= ${second}::date))::int AS second
    FROM membership_periods mp JOIN members m ON m.id = mp.member_id JOIN persons p ON p.id = m.person_id
    WHERE mp.start_date <= ${second}::date AND (mp.end_date IS NULL OR mp.end_date >= ${first}::date)
    GROUP BY 1, 2`))];
}

/**
 * Joins (a period's start) and ends (its last day) per month in [from, to], by sex, in one scan;
 * a join counts as a transfer in when a previous fund's period ended within a month before the
 * start (§1.6). An end's `reason` is the period's end reason; a join's is null.
 */
export async function flowsByMonth(db: DbOrTx, from: string, to: string): Promise<{ kind: 'join' | 'end'; month: string; sex: string; reason: PeriodEndReason | null; count: number; transfersIn: number }[]> {
  return [...(await db.execute<{ kind: 'join' | 'end'; month: string; sex: string; reason: PeriodEndReason | null; count: number; transfersIn: number }>(sql`
    WITH f AS (
      SELECT mp.member_id, mp.start_date, mp.end_date, mp.end_reason, ${sexSql} AS sex
      FROM membership_periods mp JOIN members m ON m.id = mp.member_id JOIN persons p ON p.id = m.person_id
      WHERE mp.start_date BETWEEN ${from}::date AND ${to}::date OR mp.end_date BETWEEN ${from}::date AND ${to}::date
    )
    SELECT 'join' AS kind, to_char(start_date, 'YYYY-MM') AS month, sex, NULL AS reason, count(*)::int AS count,
      count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM transferred_periods tp WHERE tp.member_id = f.member_id AND tp.end_date < f.start_date AND tp.end_date >= (f.start_date - interval '1 month' - interval '1 day')::date
      ))::int AS "transfersIn"
    FROM f WHERE start_date BETWEEN ${from}::date AND ${to}::date
    GROUP BY 2, 3
    UNION ALL
    SELECT 'end', to_char(end_date, 'YYYY-MM'), sex, end_reason, count(*)::int, 0
    FROM f WHERE end_date BETWEEN ${from}::date AND ${to}::date
    GROUP BY 2, 3, 4`))];
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
        -- A period cut to nothing (it ends before it starts: a death recorded before a future start,
        -- a correction) holds no day; in the running sum its end would count before its start.
        AND (mp.end_date IS NULL OR mp.end_date >= mp.start_date)
    )
    SELECT month, sex, channel, sum(starts)::int AS starts, sum(ends)::int AS ends FROM (
      SELECT s_month AS month, sex, channel, 1 AS starts, 0 AS ends FROM e
      UNION ALL
      SELECT e_month, sex, channel, 0, 1 FROM e WHERE e_month IS NOT NULL AND e_month <= ${toMonth}
    ) x
    GROUP BY 1, 2, 3`))];
}
