/** Member statistics and the FIN-FSA KT table (issue 15, domain.md §8.3). */
import * as v from 'valibot';
import { isIsoDate } from '../../../domain/dates';
import { isMonth } from '../../../domain/statistics';
import { count, date } from './common';
import { defineRoute, jsonOrText } from './define';
import { str } from './fields';

const isoDate = v.pipe(str('must be a date YYYY-MM-DD'), v.check((s) => isIsoDate(s), 'must be a real date in the form YYYY-MM-DD'), v.metadata({ format: 'date' }));
const month = v.pipe(str('must be a month YYYY-MM'), v.check((s) => isMonth(s), 'must be a month in the form YYYY-MM'));
const format = v.optional(v.picklist(['csv', 'json'], 'must be csv or json'));

export const memberStatisticsQuerySchema = v.strictObject({
  on: isoDate,
  format,
  /** With format=csv: which breakdown (docs/statistics.md). */
  table: v.optional(v.picklist(['sex', 'age-band', 'municipality', 'language', 'channel', 'union', 'status'], 'must be sex, age-band, municipality, language, channel, union or status')),
});
export const monthlyStatisticsQuerySchema = v.strictObject({ from: month, to: month, format });
export const ktStatisticsQuerySchema = v.strictObject({ month, format });

const counts = v.array(v.object({ key: v.string(), count }));
export const memberStatisticsSchema = v.object({
  on: date,
  total: count,
  bySex: counts,
  byAgeBand: counts,
  byMunicipality: counts,
  byLanguage: counts,
  byChannel: counts,
  byUnion: counts,
  byStatus: counts,
});
export const monthlyStatisticsSchema = v.object({
  from: v.string(),
  to: v.string(),
  months: v.array(
    v.object({
      month: v.string(),
      members: count,
      female: count,
      male: count,
      direct: count,
      union: count,
      joins: count,
      transfersIn: count,
      resignations: count,
      transfersOut: count,
      expulsions: count,
      deaths: count,
      ageLimit: count,
      otherEnds: count,
    }),
  ),
});
export const ktStatisticsSchema = v.object({
  month: v.string(),
  asOf: date,
  rows: v.array(v.object({ item: v.string(), female: count, male: count, unknown: count, total: count })),
});

const access = { kind: 'restricted', roles: ['billing', 'supervisor', 'admin'], scopes: ['reports:read'] } as const;

export const statisticsRoutes = {
  getMemberStatistics: defineRoute({
    operationId: 'getMemberStatistics',
    method: 'get',
    path: '/v1/statistics/members',
    tag: 'Reports',
    summary: 'Members on a date by sex, age band, municipality, language, direct vs union, union and status',
    description: 'format=csv&table=… answers one breakdown as formula-safe RFC 4180 CSV (docs/statistics.md).',
    access,
    query: memberStatisticsQuerySchema,
    responses: {
      200: jsonOrText(memberStatisticsSchema, 'The counts', ['text/csv'], {
        example: {
          on: '2026-10-31',
          total: 3,
          bySex: [{ key: 'female', count: 2 }, { key: 'male', count: 1 }],
          byAgeBand: [{ key: '25-34', count: 3 }],
          byMunicipality: [{ key: 'Helsinki', count: 3 }],
          byLanguage: [{ key: 'fi', count: 3 }],
          byChannel: [{ key: 'direct', count: 2 }, { key: 'union', count: 1 }],
          byUnion: [{ key: '015', count: 1 }],
          byStatus: [{ key: 'member', count: 3 }],
        },
      }),
    },
    problems: [400, 401, 403],
  }),
  getMonthlyStatistics: defineRoute({
    operationId: 'getMonthlyStatistics',
    method: 'get',
    path: '/v1/statistics/monthly',
    tag: 'Reports',
    summary: 'Per month: members at the month end, joins, resignations, expulsions, deaths and transfers (at most 120 months)',
    description: 'format=csv answers the table as formula-safe RFC 4180 CSV (docs/statistics.md).',
    access,
    query: monthlyStatisticsQuerySchema,
    responses: {
      200: jsonOrText(monthlyStatisticsSchema, 'Every month of the range', ['text/csv'], {
        example: { from: '2026-01', to: '2026-01', months: [{ month: '2026-01', members: 120, female: 70, male: 50, direct: 90, union: 30, joins: 4, transfersIn: 1, resignations: 2, transfersOut: 1, expulsions: 0, deaths: 0, ageLimit: 0, otherEnds: 0 }] },
      }),
    },
    problems: [400, 401, 403],
  }),
  getKtStatistics: defineRoute({
    operationId: 'getKtStatistics',
    method: 'get',
    path: '/v1/statistics/kt',
    tag: 'Reports',
    summary: "The FIN-FSA monthly fund statistics (KT) data as of the month's last day, by sex",
    description: 'The official layout is not known to us; format=csv answers the documented CSV (docs/statistics.md).',
    access,
    query: ktStatisticsQuerySchema,
    responses: {
      200: jsonOrText(ktStatisticsSchema, 'The KT lines', ['text/csv'], {
        example: { month: '2026-10', asOf: '2026-10-31', rows: [{ item: 'members-at-end', female: 70, male: 50, unknown: 0, total: 120 }] },
      }),
    },
    problems: [400, 401, 403],
  }),
};
