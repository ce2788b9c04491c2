import { dateParam } from '$lib/dates';
import { apiClient } from '$lib/server/api';
import { passOnDownload } from '$lib/server/download';
import type { RequestHandler } from './$types';

const tables = ['sex', 'age-band', 'municipality', 'language', 'channel', 'union', 'status'];

/**
 * One statistics table as a CSV download: the desk asks the API with the user's session and passes
 * the file on. The API writes it formula-safe (a cell starting =, +, -, @ is quoted as text).
 */
export const GET: RequestHandler = async ({ fetch, url, locals }) => {
  const p = url.searchParams;
  const table = p.get('table') ?? '';
  const api = apiClient(fetch);
  return passOnDownload(
    () =>
      table === 'monthly'
        ? api.statisticsCsv('monthly', { from: p.get('from') ?? '', to: p.get('to') ?? '' })
        : table === 'kt'
          ? api.statisticsCsv('kt', { month: p.get('month') ?? '' })
          : api.statisticsCsv('members', { on: dateParam(p.get('on')) ?? '', table: tables.includes(table) ? table : 'sex' }),
    { url, lang: locals.lang },
    { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="statistics.csv"' },
  );
};
