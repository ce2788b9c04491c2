import { sql } from 'drizzle-orm';
import type { Principal } from '../../services/principal';
import { ktStatistics, memberStatistics, monthlyStatistics } from '../../services/statistics';
import { clientCredentialsToken } from '../support/oidcLogin';
import { startBenchStack } from './benchStack';
import { median, ms, timeRounds } from './measure';
import { generateMembers } from './generateMembers';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 270_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const origin = 'http://localhost:1';
/** The goal: statistics at a month end over 270,000 members in ≤ 2 s. */
const targetMs = 2000;

const timeRoundsOf = (work: () => Promise<unknown>) => timeRounds(work, rounds);

/**
 * Statistics at a month end over a full-size register: (a) everything the desk's statistics page
 * asks for one month end — members on the day by every breakdown and status, the year's months to
 * that month, and the month's KT table — through the services; (b) the member breakdown over HTTP;
 * (c) the plainest SQL floor: one statement counting the members on the day by sex.
 */
export async function runStatisticsBench() {
  const stack = await startBenchStack();
  try {
    const db = stack.ctx.db;
    await generateMembers(db, memberCount, { log: (line) => console.log(line) });
    // Every tenth member came from another fund, their previous period ending the day before (a transfer in).
    await db.execute(sql`
      INSERT INTO transferred_periods (member_id, fund_name, start_date, end_date, recorded_by)
      SELECT mp.member_id, 'Edellinen kassa', mp.start_date - 700, mp.start_date - 1, 'bench'
      FROM membership_periods mp JOIN members m ON m.id = mp.member_id WHERE m.member_number % 10 = 0
      ON CONFLICT DO NOTHING`);
    await db.execute(sql`VACUUM (ANALYZE) transferred_periods`);

    const monthEnd = '2026-10-31';
    const principal: Principal = { kind: 'user', id: 'bench-admin', name: 'Bench', roles: ['admin'] };
    const page = () => Promise.all([memberStatistics(stack.ctx, principal, monthEnd), monthlyStatistics(stack.ctx, principal, '2026-01', '2026-10'), ktStatistics(stack.ctx, principal, '2026-10')]);
    const sequential = async () => {
      await memberStatistics(stack.ctx, principal, monthEnd);
      await monthlyStatistics(stack.ctx, principal, '2026-01', '2026-10');
      await ktStatistics(stack.ctx, principal, '2026-10');
    };
    const token = await clientCredentialsToken(stack.issuer, 'readonly-reporting', 'readonly-reporting-secret');
    const http = async () => {
      const res = await stack.app.request(`${origin}/api/v1/statistics/members?on=${monthEnd}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`statistics answered ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as { total: number };
    };
    const floor = () =>
      db.execute(sql`
        SELECT substr(p.identity_code, 8, 3)::int % 2 AS sex, count(*)
        FROM membership_periods mp JOIN members m ON m.id = mp.member_id JOIN persons p ON p.id = m.person_id
        WHERE mp.start_date <= ${monthEnd}::date AND (mp.end_date IS NULL OR mp.end_date >= ${monthEnd}::date)
        GROUP BY 1`);

    const total = (await http()).total;
    const [pageMs, seqMs, httpMs, floorMs] = [await timeRoundsOf(page), await timeRoundsOf(sequential), await timeRoundsOf(http), await timeRoundsOf(floor)];
    const parts = { members: await timeRoundsOf(() => memberStatistics(stack.ctx, principal, monthEnd)), monthly: await timeRoundsOf(() => monthlyStatistics(stack.ctx, principal, '2026-01', '2026-10')), kt: await timeRoundsOf(() => ktStatistics(stack.ctx, principal, '2026-10')) };

    console.log(`\nstatistics bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members generated, ${total.toLocaleString('en')} members on ${monthEnd}; median of ${rounds} rounds`);
    console.log(`desk page (members + months Jan–Oct + KT, concurrently): ${ms(median(pageMs))} ms (max ${ms(Math.max(...pageMs))} ms; goal ≤ ${targetMs} ms: ${median(pageMs) <= targetMs ? 'met' : 'NOT met'})`);
    console.log(`the same one after another:  ${ms(median(seqMs))} ms (members ${ms(median(parts.members))} ms, months ${ms(median(parts.monthly))} ms, KT ${ms(median(parts.kt))} ms)`);
    console.log(`member breakdowns over HTTP: ${ms(median(httpMs))} ms`);
    console.log(`plain SQL floor (members on the day by sex, one statement): ${ms(median(floorMs))} ms`);
    console.log(`ratio page / floor: ${(median(pageMs) / median(floorMs)).toFixed(1)}×; members over HTTP / floor: ${(median(httpMs) / median(floorMs)).toFixed(1)}×`);
  } finally {
    await stack.close();
  }
}
