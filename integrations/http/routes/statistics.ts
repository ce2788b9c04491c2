import type { ServiceContext } from '../../../services/context';
import { ktStatistics, memberStatistics, monthlyStatistics, statisticsCsv } from '../../../services/statistics';
import { statisticsRoutes as contract } from '../contract/statistics';
import { implement } from '../routing';

const csv = (body: string, filename: string) => ({ status: 200 as const, body, contentType: 'text/csv; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="${filename}"` } });

export function statisticsRoutes(ctx: ServiceContext) {
  return [
    implement(contract.getMemberStatistics, async (c, { query }) => {
      const members = await memberStatistics(ctx, c.get('principal'), query.on);
      if (query.format === 'csv') {
        const table = query.table ?? 'sex';
        return csv(statisticsCsv(table, { members }), `members-by-${table}-${query.on}.csv`);
      }
      return { status: 200, json: members };
    }),
    implement(contract.getMonthlyStatistics, async (c, { query }) => {
      const monthly = await monthlyStatistics(ctx, c.get('principal'), query.from, query.to);
      if (query.format === 'csv') return csv(statisticsCsv('monthly', { monthly }), `members-monthly-${query.from}-${query.to}.csv`);
      return { status: 200, json: monthly };
    }),
    implement(contract.getKtStatistics, async (c, { query }) => {
      const kt = await ktStatistics(ctx, c.get('principal'), query.month);
      if (query.format === 'csv') return csv(statisticsCsv('kt', { kt }), `kt-${query.month}.csv`);
      return { status: 200, json: kt };
    }),
  ];
}
