/**
 * Member statistics: the pure rules behind the counts (age bands, months, the FIN-FSA KT table)
 * and the CSV the tables download as. The queries count; these functions name and shape.
 */
import { addDays, addMonths, ageOn, endOfMonth } from './dates';
import type { PeriodEndReason } from './vocabulary';
export { csvField, csvTable } from './csv';

/** Age bands of the statistics, by completed years on the date asked (domain.md §8.3 asks counts; the bands are ours). */
export const ageBands = ['under-25', '25-34', '35-44', '45-54', '55-64', '65-67', '68-'] as const;
export type AgeBand = (typeof ageBands)[number];

export function ageBandOf(age: number): AgeBand {
  if (age < 25) return 'under-25';
  if (age < 35) return '25-34';
  if (age < 45) return '35-44';
  if (age < 55) return '45-54';
  if (age < 65) return '55-64';
  // 68 is the age limit of membership (§1.7): anyone counted there is a case to look at.
  return age < 68 ? '65-67' : '68-';
}

/** Counts per birth date → counts per age band on `on`; every band present, zeros included. */
export function countByAgeBand(byBirthDate: readonly { birthDate: string; count: number }[], on: string): { key: AgeBand; count: number }[] {
  const totals = new Map<AgeBand, number>(ageBands.map((b) => [b, 0]));
  for (const r of byBirthDate) {
    const band = ageBandOf(ageOn(r.birthDate, on));
    totals.set(band, (totals.get(band) ?? 0) + r.count);
  }
  return ageBands.map((key) => ({ key, count: totals.get(key) ?? 0 }));
}

export const sexes = ['female', 'male'] as const;
export type Sex = (typeof sexes)[number] | 'unknown';

/**
 * Legal sex as the identity code tells it: an odd individual number (positions 8–10) is male,
 * even female (as domain/identityCode.ts reads it). The statistics use the current code.
 */
export function sexOfIdentityCode(code: string): Sex {
  const n = /^\d{6}[-+A-FU-Y](\d{3})[0-9A-Y]$/.exec(code)?.[1];
  return n === undefined ? 'unknown' : Number(n) % 2 === 1 ? 'male' : 'female';
}

/** Member statuses on a date: a member, or the reason the latest period ended. */
export const statisticsStatuses = ['member', 'resignation', 'fund-switch', 'expulsion', 'death', 'age-limit', 'eligibility', 'correction'] as const satisfies readonly ('member' | PeriodEndReason)[];
export type StatisticsStatus = (typeof statisticsStatuses)[number];

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
export function isMonth(s: string): boolean {
  return MONTH.test(s);
}

/** 'YYYY-MM' → its first and last day. */
export function monthBounds(month: string): { first: string; last: string } {
  const first = `${month}-01`;
  return { first, last: endOfMonth(first) };
}

/** Every month from `from` to `to` inclusive ('YYYY-MM'); empty when `to` is before `from`. */
export function monthsFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = `${from}-01`; d.slice(0, 7) <= to; d = addMonths(d, 1)) out.push(d.slice(0, 7));
  return out;
}

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  return addDays(`${month}-01`, -1).slice(0, 7);
}

/** The flows of one month, by sex: what the monthly table and the KT table count. */
export interface MonthFlows {
  joins: number;
  /** Joins that brought a previous fund's period with them (one-month rule, §1.6). */
  transfersIn: number;
  resignations: number;
  /** Ended by a switch to another fund. */
  transfersOut: number;
  expulsions: number;
  deaths: number;
  ageLimit: number;
  /** Eligibility ended, or a correction. */
  otherEnds: number;
}

export const emptyFlows = (): MonthFlows => ({ joins: 0, transfersIn: 0, resignations: 0, transfersOut: 0, expulsions: 0, deaths: 0, ageLimit: 0, otherEnds: 0 });

/** Which flow a period's end counts in. */
export function endFlow(reason: PeriodEndReason | null): keyof MonthFlows {
  switch (reason) {
    case 'resignation':
      return 'resignations';
    case 'fund-switch':
      return 'transfersOut';
    case 'expulsion':
      return 'expulsions';
    case 'death':
      return 'deaths';
    case 'age-limit':
      return 'ageLimit';
    default:
      return 'otherEnds';
  }
}

/** The KT lines (FIN-FSA monthly fund statistics, §8.3), in order. The official layout is [U]: docs/statistics.md. */
export const ktItems = [
  'members-at-start',
  'joined',
  'joined-by-transfer',
  'left',
  'left-resignation',
  'left-transfer',
  'left-expulsion',
  'left-death',
  'left-age-limit',
  'left-other',
  'members-at-end',
  'members-at-end-union',
  'members-at-end-direct',
] as const;
export type KtItem = (typeof ktItems)[number];
export interface KtRow {
  item: KtItem;
  female: number;
  male: number;
  unknown: number;
  total: number;
}

type BySex = Record<Sex, number>;
const zeroBySex = (): BySex => ({ female: 0, male: 0, unknown: 0 });

/**
 * The KT table of one month from members at the previous month's end and at this month's end
 * (by sex and channel) and the month's flows by sex.
 */
export function ktTable(input: {
  atStart: readonly { sex: Sex; channel: string; count: number }[];
  atEnd: readonly { sex: Sex; channel: string; count: number }[];
  flows: Record<Sex, MonthFlows>;
}): KtRow[] {
  const sum = (rows: readonly { sex: Sex; channel: string; count: number }[], channel?: string) => {
    const out = zeroBySex();
    for (const r of rows) if (channel === undefined || r.channel === channel) out[r.sex] += r.count;
    return out;
  };
  const flow = (key: keyof MonthFlows): BySex => ({ female: input.flows.female[key], male: input.flows.male[key], unknown: input.flows.unknown[key] });
  const left = (s: Sex) => {
    const f = input.flows[s];
    return f.resignations + f.transfersOut + f.expulsions + f.deaths + f.ageLimit + f.otherEnds;
  };
  const values: Record<KtItem, BySex> = {
    'members-at-start': sum(input.atStart),
    joined: flow('joins'),
    'joined-by-transfer': flow('transfersIn'),
    left: { female: left('female'), male: left('male'), unknown: left('unknown') },
    'left-resignation': flow('resignations'),
    'left-transfer': flow('transfersOut'),
    'left-expulsion': flow('expulsions'),
    'left-death': flow('deaths'),
    'left-age-limit': flow('ageLimit'),
    'left-other': flow('otherEnds'),
    'members-at-end': sum(input.atEnd),
    'members-at-end-union': sum(input.atEnd, 'union'),
    'members-at-end-direct': sum(input.atEnd, 'direct'),
  };
  return ktItems.map((item) => {
    const v = values[item];
    return { item, ...v, total: v.female + v.male + v.unknown };
  });
}
