/**
 * Member statistics (issue 15, domain.md §8.3): counts on a date by sex, age band, municipality,
 * language, direct vs union (per union) and status; joins and ends per month; the FIN-FSA KT
 * table of a month. Aggregates only: no person leaves the database, so a read is not a member
 * read and is not audited per member.
 */
import * as repo from '../db/repositories/statistics';
import {
  countByAgeBand,
  csvTable,
  emptyFlows,
  endFlow,
  ktTable,
  monthBounds,
  monthsFrom,
  previousMonth,
  sexes,
  statisticsStatuses,
  type KtRow,
  type MonthFlows,
  type Sex,
} from '../domain/statistics';
import type { ServiceContext } from './context';
import { failure } from './errors';
import { hasRole, hasScope, type Principal } from './principal';

/** At most this many months in one monthly table (ten years). */
export const MAX_STATISTICS_MONTHS = 120;

export function requireStatistics(p: Principal) {
  if (!hasRole(p, 'billing', 'supervisor', 'admin') && !hasScope(p, 'reports:read')) {
    throw failure(403, 'statistics_role_required', 'Statistics are for billing users, supervisors, administrators and clients with the scope reports:read.');
  }
}

const asSex = (s: string): Sex => (s === 'male' || s === 'female' ? s : 'unknown');
type Count = { key: string; count: number };
const byCountThenKey = (a: Count, b: Count) => b.count - a.count || a.key.localeCompare(b.key);

export interface MemberStatistics {
  on: string;
  total: number;
  bySex: Count[];
  byAgeBand: Count[];
  byMunicipality: Count[];
  byLanguage: Count[];
  byChannel: Count[];
  byUnion: Count[];
  byStatus: Count[];
}

/** Members on `on`, broken down by each dimension; `unknown` where the register has no value. */
export async function memberStatistics(ctx: ServiceContext, p: Principal, on: string): Promise<MemberStatistics> {
  requireStatistics(p);
  const [rows, statuses] = await Promise.all([repo.membersOnByDimension(ctx.db, on), repo.statusesOn(ctx.db, on)]);
  const of = (d: repo.Dimension): Count[] => rows.filter((r) => r.dimension === d).map((r) => ({ key: r.key ?? 'unknown', count: r.count }));
  const bySexRaw = of('sex');
  const bySex = [...sexes, 'unknown' as const].map((key) => ({ key, count: bySexRaw.find((r) => r.key === key)?.count ?? 0 })).filter((r) => r.key !== 'unknown' || r.count > 0);
  const byChannelRaw = of('channel');
  const byStatus = statisticsStatuses.map((key) => ({ key, count: statuses.find((s) => s.status === key)?.count ?? 0 }));
  return {
    on,
    total: bySexRaw.reduce((s, r) => s + r.count, 0),
    bySex,
    byAgeBand: countByAgeBand(of('birthDate').map((r) => ({ birthDate: r.key, count: r.count })), on),
    byMunicipality: of('municipality').sort(byCountThenKey),
    byLanguage: of('language').sort(byCountThenKey),
    byChannel: (['direct', 'union'] as const).map((key) => ({ key, count: byChannelRaw.find((r) => r.key === key)?.count ?? 0 })),
    byUnion: of('union').sort(byCountThenKey),
    byStatus,
  };
}

export interface MonthRow extends MonthFlows {
  month: string;
  /** Members on the month's last day. */
  members: number;
  female: number;
  male: number;
  direct: number;
  union: number;
}

function checkMonths(from: string, to: string) {
  if (from > to) throw failure(400, 'month_range_reversed', 'The first month is after the last.', { extra: { invalidParams: [{ name: 'to', reason: 'must not be before from' }] } });
  if (monthsFrom(from, to).length > MAX_STATISTICS_MONTHS) {
    throw failure(400, 'month_range_too_long', `At most ${MAX_STATISTICS_MONTHS} months at a time; ask for it in parts.`, { params: { maxMonths: MAX_STATISTICS_MONTHS }, extra: { invalidParams: [{ name: 'to', reason: `at most ${MAX_STATISTICS_MONTHS} months after from` }] } });
  }
}

async function flowsByMonthAndSex(ctx: ServiceContext, fromMonth: string, toMonth: string): Promise<Map<string, Record<Sex, MonthFlows>>> {
  const from = monthBounds(fromMonth).first;
  const to = monthBounds(toMonth).last;
  const rows = await repo.flowsByMonth(ctx.db, from, to);
  const out = new Map<string, Record<Sex, MonthFlows>>();
  const cell = (month: string, sex: string) => {
    let m = out.get(month);
    if (!m) out.set(month, (m = { female: emptyFlows(), male: emptyFlows(), unknown: emptyFlows() }));
    return m[asSex(sex)];
  };
  for (const r of rows) {
    const c = cell(r.month, r.sex);
    if (r.kind === 'join') {
      c.joins += r.count;
      c.transfersIn += r.transfersIn;
    } else c[endFlow(r.reason)] += r.count;
  }
  return out;
}

/** Per month of [fromMonth, toMonth]: members at the month's end (by sex and channel), joins and ends by kind. */
export async function monthlyStatistics(ctx: ServiceContext, p: Principal, fromMonth: string, toMonth: string): Promise<{ from: string; to: string; months: MonthRow[] }> {
  requireStatistics(p);
  checkMonths(fromMonth, toMonth);
  const [stock, flows] = await Promise.all([repo.membersAtMonthEnds(ctx.db, fromMonth, toMonth), flowsByMonthAndSex(ctx, fromMonth, toMonth)]);
  const running = { members: 0, female: 0, male: 0, direct: 0, union: 0 };
  const months = monthsFrom(fromMonth, toMonth).map((month): MonthRow => {
    for (const r of stock) {
      if (r.month !== month) continue;
      const net = r.starts - r.ends;
      running.members += net;
      const sex = asSex(r.sex);
      if (sex !== 'unknown') running[sex] += net;
      if (r.channel === 'direct' || r.channel === 'union') running[r.channel] += net;
    }
    const f = flows.get(month);
    const total = emptyFlows();
    if (f) for (const s of [...sexes, 'unknown' as const]) for (const k of Object.keys(total) as (keyof MonthFlows)[]) total[k] += f[s][k];
    return { month, ...running, ...total };
  });
  return { from: fromMonth, to: toMonth, months };
}

/** The KT table (FIN-FSA monthly fund statistics) of `month`, as of its last day. */
export async function ktStatistics(ctx: ServiceContext, p: Principal, month: string): Promise<{ month: string; asOf: string; rows: KtRow[] }> {
  requireStatistics(p);
  const { last } = monthBounds(month);
  const startOn = monthBounds(previousMonth(month)).last;
  const [stocks, flows] = await Promise.all([repo.membersOnTwoDaysBySexAndChannel(ctx.db, startOn, last), flowsByMonthAndSex(ctx, month, month)]);
  const atStart = stocks.map((r) => ({ sex: asSex(r.sex), channel: r.channel, count: r.first }));
  const atEnd = stocks.map((r) => ({ sex: asSex(r.sex), channel: r.channel, count: r.second }));
  return {
    month,
    asOf: last,
    rows: ktTable({ atStart, atEnd, flows: flows.get(month) ?? { female: emptyFlows(), male: emptyFlows(), unknown: emptyFlows() } }),
  };
}

/** The tables a statistics CSV can hold; each is documented in docs/statistics.md. */
export const statisticsTables = ['sex', 'age-band', 'municipality', 'language', 'channel', 'union', 'status', 'monthly', 'kt'] as const;
export type StatisticsTable = (typeof statisticsTables)[number];

/** The first column's header of each breakdown's CSV. */
const breakdownHeader = { sex: 'sex', 'age-band': 'age_band', municipality: 'municipality', language: 'language', channel: 'channel', union: 'union_code', status: 'status' } as const;

/** One table as CSV (formula-safe), with a stable English header. */
export function statisticsCsv(table: StatisticsTable, data: { members?: MemberStatistics; monthly?: { months: MonthRow[] }; kt?: { rows: KtRow[] } }): string {
  if (table === 'monthly') {
    return csvTable(
      ['month', 'members', 'female', 'male', 'direct', 'union', 'joins', 'transfers_in', 'resignations', 'transfers_out', 'expulsions', 'deaths', 'age_limit', 'other_ends'],
      (data.monthly?.months ?? []).map((r) => [r.month, r.members, r.female, r.male, r.direct, r.union, r.joins, r.transfersIn, r.resignations, r.transfersOut, r.expulsions, r.deaths, r.ageLimit, r.otherEnds]),
    );
  }
  if (table === 'kt') return csvTable(['item', 'female', 'male', 'unknown', 'total'], (data.kt?.rows ?? []).map((r) => [r.item, r.female, r.male, r.unknown, r.total]));
  const m = data.members;
  const rows: Record<keyof typeof breakdownHeader, Count[] | undefined> = {
    sex: m?.bySex,
    'age-band': m?.byAgeBand,
    municipality: m?.byMunicipality,
    language: m?.byLanguage,
    channel: m?.byChannel,
    union: m?.byUnion,
    status: m?.byStatus,
  };
  return csvTable([breakdownHeader[table], 'members'], (rows[table] ?? []).map((r) => [r.key, r.count]));
}
