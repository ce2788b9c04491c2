/**
 * Member statistics (issue 15): every count the service gives is held to a direct SQL count over
 * the same register (the whole database, so other files' members count too), on dates and month
 * ends where the seeded members join, leave, die, switch funds and come by transfer. The API's CSV
 * is formula-safe and the API refuses callers without the reports right.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, membershipPeriods, persons, transferredPeriods } from '../../db/schema';
import { ageBands } from '../../domain/statistics';
import { addDays, endOfMonth } from '../../domain/dates';
import type { PeriodEndReason } from '../../domain/vocabulary';
import type { Principal } from '../../services/principal';
import { ktStatistics, memberStatistics, monthlyStatistics } from '../../services/statistics';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { startStack, type Stack } from '../support/stack';
import { seededRandom as prng } from '../../temporal/demo/demoApplicants';

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
const admin: Principal = { kind: 'user', id: 'stats-admin', name: 'Admin', roles: ['admin'] };


const SEEDED = 240;
const reasons: PeriodEndReason[] = ['resignation', 'fund-switch', 'expulsion', 'death', 'age-limit', 'eligibility'];
const municipalities = ['Helsinki', 'Tampere', 'Vaasa', '=cmd|calc', null];

beforeAll(async () => {
  stack = await startStack();
  api = apiClient(stack).api;
  const rnd = prng(15);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const existing = new Set((await stack.db.select({ code: persons.identityCode }).from(persons)).map((r) => r.code));
  for (let i = 0; i < SEEDED; i++) {
    let code = uniqueIdentityCode(1958 + Math.floor(rnd() * 50));
    while (existing.has(code)) code = uniqueIdentityCode();
    const yy = Number(code.slice(4, 6));
    const century = code[6] === 'A' ? 2000 : 1900;
    const birthDate = `${century + yy}-${code.slice(2, 4)}-${code.slice(0, 2)}`;
    const [person] = await stack.db
      .insert(persons)
      .values({ identityCode: code, firstNames: 'Tilasto', lastName: 'Testi', birthDate, language: pick(['fi', 'fi', 'fi', 'sv', 'en']), municipality: pick(municipalities) })
      .returning({ id: persons.id });
    const union = rnd() < 0.3;
    const [member] = await stack.db
      .insert(members)
      .values({ personId: person!.id, channel: union ? 'union' : 'direct', unionCode: union ? pick(['015', '016']) : null })
      .returning({ id: members.id });
    // Starts over 2025–2026; a third end within the same span, some come back later.
    const start = addDays('2025-01-01', Math.floor(rnd() * 600));
    const ends = rnd() < 0.35;
    const end = ends ? addDays(start, Math.floor(rnd() * 200)) : null;
    const reason = ends ? pick(reasons) : null;
    await stack.db.insert(membershipPeriods).values({ memberId: member!.id, startDate: start, endDate: end, endReason: reason, endedBy: end ? 'test' : null });
    if (end && reason === 'resignation' && rnd() < 0.5) {
      await stack.db.insert(membershipPeriods).values({ memberId: member!.id, startDate: addDays(end, 40 + Math.floor(rnd() * 60)), endDate: null });
    }
    if (rnd() < 0.15) {
      // Came by transfer: a previous fund's period that ended the day before, or (not a transfer) 3 months before.
      const gap = rnd() < 0.7 ? 1 : 90;
      await stack.db.insert(transferredPeriods).values({ memberId: member!.id, fundName: 'Edellinen kassa', startDate: addDays(start, -800), endDate: addDays(start, -gap), recordedBy: 'test' });
    }
  }
}, 120_000);
afterAll(async () => stack?.close());

const one = async (q: ReturnType<typeof sql>) => Number(((await stack.db.execute<{ n: string | number }>(q)) as unknown as { n: string | number }[])[0]!.n);
const coveringOn = (on: string) => sql`EXISTS (SELECT 1 FROM membership_periods mp WHERE mp.member_id = m.id AND mp.start_date <= ${on}::date AND coalesce(mp.end_date, 'infinity'::date) >= ${on}::date)`;

describe('member statistics against direct SQL counts', () => {
  for (const on of ['2025-06-30', '2026-01-31', '2026-02-14']) {
    it(`counts members on ${on} by every breakdown`, async () => {
      const s = await memberStatistics(stack.ctx, admin, on);
      const base = sql`FROM members m JOIN persons p ON p.id = m.person_id WHERE ${coveringOn(on)}`;
      expect(s.total).toBe(await one(sql`SELECT count(*) AS n ${base}`));
      expect(s.total).toBeGreaterThan(20);
      for (const r of s.bySex) {
        const odd = r.key === 'male' ? 1 : 0;
        expect(r.count, `sex ${r.key}`).toBe(await one(sql`SELECT count(*) AS n ${base} AND substr(p.identity_code, 8, 3)::int % 2 = ${odd}`));
      }
      const bounds: Record<string, [number, number]> = { 'under-25': [-200, 24], '25-34': [25, 34], '35-44': [35, 44], '45-54': [45, 54], '55-64': [55, 64], '65-67': [65, 67], '68-': [68, 200] };
      expect(s.byAgeBand.map((r) => r.key)).toEqual([...ageBands]);
      for (const r of s.byAgeBand) {
        const [lo, hi] = bounds[r.key]!;
        expect(r.count, `age ${r.key}`).toBe(await one(sql`SELECT count(*) AS n ${base} AND date_part('year', age(${on}::date, p.birth_date)) BETWEEN ${lo} AND ${hi}`));
      }
      for (const r of s.byMunicipality) {
        const cond = r.key === 'unknown' ? sql`p.municipality IS NULL` : sql`p.municipality = ${r.key}`;
        expect(r.count, `municipality ${r.key}`).toBe(await one(sql`SELECT count(*) AS n ${base} AND ${cond}`));
      }
      for (const r of s.byLanguage) expect(r.count, `language ${r.key}`).toBe(await one(sql`SELECT count(*) AS n ${base} AND p.language = ${r.key}`));
      for (const r of s.byChannel) {
        const cond = r.key === 'union' ? sql`m.channel = 'union'` : sql`m.channel <> 'union'`;
        expect(r.count, `channel ${r.key}`).toBe(await one(sql`SELECT count(*) AS n ${base} AND ${cond}`));
      }
      for (const r of s.byUnion) expect(r.count, `union ${r.key}`).toBe(await one(sql`SELECT count(*) AS n ${base} AND m.channel = 'union' AND m.union_code = ${r.key}`));
      for (const list of [s.bySex, s.byAgeBand, s.byMunicipality, s.byLanguage, s.byChannel]) expect(list.reduce((n, r) => n + r.count, 0)).toBe(s.total);
      // Status: a member on the day, or why the latest period that had begun ended (a period ended
      // with no reason recorded, as migrated ones may be, counts as a correction).
      expect(s.byStatus.find((r) => r.key === 'member')!.count).toBe(s.total);
      for (const r of s.byStatus.filter((x) => x.key !== 'member')) {
        const direct = await one(sql`SELECT count(*) AS n FROM members m WHERE NOT ${coveringOn(on)} AND (
          SELECT coalesce(mp.end_reason, 'correction') FROM membership_periods mp WHERE mp.member_id = m.id AND mp.start_date <= ${on}::date ORDER BY mp.start_date DESC LIMIT 1) = ${r.key}`);
        expect(r.count, `status ${r.key}`).toBe(direct);
      }
      expect(s.byStatus.filter((r) => r.key !== 'member').reduce((n, r) => n + r.count, 0)).toBeGreaterThan(0);
    });
  }

  it('counts members at each month end, and joins and ends per month', async () => {
    const m = await monthlyStatistics(stack.ctx, admin, '2025-01', '2026-06');
    expect(m.months.map((r) => r.month)).toHaveLength(18);
    let flows = 0;
    for (const r of m.months) {
      const last = endOfMonth(`${r.month}-01`);
      const first = `${r.month}-01`;
      const at = sql`FROM members m JOIN persons p ON p.id = m.person_id WHERE ${coveringOn(last)}`;
      expect(r.members, `${r.month} members`).toBe(await one(sql`SELECT count(*) AS n ${at}`));
      expect(r.female, `${r.month} female`).toBe(await one(sql`SELECT count(*) AS n ${at} AND substr(p.identity_code, 8, 3)::int % 2 = 0`));
      expect(r.union, `${r.month} union`).toBe(await one(sql`SELECT count(*) AS n ${at} AND m.channel = 'union'`));
      expect(r.direct + r.union).toBe(r.members);
      const inMonth = (col: 'start_date' | 'end_date') => sql`FROM membership_periods mp WHERE mp.${sql.raw(col)} BETWEEN ${first}::date AND ${last}::date`;
      expect(r.joins, `${r.month} joins`).toBe(await one(sql`SELECT count(*) AS n ${inMonth('start_date')}`));
      expect(r.transfersIn, `${r.month} transfers in`).toBe(
        await one(sql`SELECT count(*) AS n ${inMonth('start_date')} AND EXISTS (SELECT 1 FROM transferred_periods tp WHERE tp.member_id = mp.member_id AND tp.end_date < mp.start_date AND tp.end_date >= (mp.start_date - interval '1 month' - interval '1 day'))`),
      );
      const ended = (reason: string) => one(sql`SELECT count(*) AS n ${inMonth('end_date')} AND mp.end_reason = ${reason}`);
      expect(r.resignations, `${r.month} resignations`).toBe(await ended('resignation'));
      expect(r.transfersOut, `${r.month} transfers out`).toBe(await ended('fund-switch'));
      expect(r.expulsions, `${r.month} expulsions`).toBe(await ended('expulsion'));
      expect(r.deaths, `${r.month} deaths`).toBe(await ended('death'));
      expect(r.ageLimit, `${r.month} age limit`).toBe(await ended('age-limit'));
      flows += r.joins + r.resignations + r.transfersOut + r.expulsions + r.deaths + r.transfersIn;
    }
    expect(flows).toBeGreaterThan(SEEDED);
    expect(m.months.some((r) => r.transfersIn > 0)).toBe(true);
  });

  it('builds the KT table of a month as of its last day, by sex', async () => {
    const kt = await ktStatistics(stack.ctx, admin, '2025-09');
    expect(kt.asOf).toBe('2025-09-30');
    const row = (item: string) => kt.rows.find((r) => r.item === item)!;
    const at = (on: string, extra = sql``) => one(sql`SELECT count(*) AS n FROM members m JOIN persons p ON p.id = m.person_id WHERE ${coveringOn(on)} ${extra}`);
    expect(row('members-at-start').total).toBe(await at('2025-08-31'));
    expect(row('members-at-end').total).toBe(await at('2025-09-30'));
    expect(row('members-at-end').male).toBe(await at('2025-09-30', sql`AND substr(p.identity_code, 8, 3)::int % 2 = 1`));
    expect(row('members-at-end-union').total).toBe(await at('2025-09-30', sql`AND m.channel = 'union'`));
    expect(row('joined').total).toBe(await one(sql`SELECT count(*) AS n FROM membership_periods WHERE start_date BETWEEN '2025-09-01' AND '2025-09-30'`));
    expect(row('left').total).toBe(await one(sql`SELECT count(*) AS n FROM membership_periods WHERE end_date BETWEEN '2025-09-01' AND '2025-09-30'`));
    // A member whose last day is the month's last day is both left in the month and counted at its end.
    const lastDayLeavers = await one(sql`SELECT count(*) AS n FROM membership_periods WHERE end_date = '2025-09-30'`);
    expect(row('members-at-start').total + row('joined').total - row('left').total + lastDayLeavers).toBe(row('members-at-end').total);
    for (const r of kt.rows) expect(r.total).toBe(r.female + r.male + r.unknown);
  });
});

describe('statistics over the API', () => {
  it('downloads a breakdown as formula-safe CSV', async () => {
    const token = await stack.token('readonly-reporting');
    const res = await api('/api/v1/statistics/members?on=2026-01-31&format=csv&table=municipality', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = String(res.body);
    expect(text.split('\r\n')[0]).toBe('municipality,members');
    // A municipality that looks like a formula is written as text, never as =cmd.
    expect(text).toMatch(/^'=cmd\|calc,\d+$/m);
    expect(text).not.toMatch(/^=/m);
    const kt = await api('/api/v1/statistics/kt?month=2025-09&format=csv', { token });
    expect(String(kt.body).split('\r\n')[0]).toBe('item,female,male,unknown,total');
  });

  it('refuses a caller without the reports right, and a reversed month range', async () => {
    const denied = await api('/api/v1/statistics/members?on=2026-01-31', { token: await stack.token('ekj') });
    expect(denied.status).toBe(403);
    const reversed = await api('/api/v1/statistics/monthly?from=2026-05&to=2026-01', { token: await stack.token('readonly-reporting') });
    expect(reversed.status).toBe(400);
    expect((reversed.body as { code: string }).code).toBe('month_range_reversed');
  });
});
