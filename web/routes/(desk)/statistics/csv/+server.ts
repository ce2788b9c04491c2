import { redirect } from '@sveltejs/kit';
import { dateParam } from '$lib/dates';
import { problemText } from '$lib/i18n';
import { apiClient, isApiError, loginUrl, problemOf } from '$lib/server/api';
import type { RequestHandler } from './$types';

const tables = ['sex', 'age-band', 'municipality', 'language', 'channel', 'union', 'status'];

/**
 * One statistics table as a CSV download: the desk asks the API with the user's session and passes
 * the file on. The API writes it formula-safe (a cell starting =, +, -, @ is quoted as text).
 */
export const GET: RequestHandler = async ({ fetch, url, locals }) => {
  const p = url.searchParams;
  const table = p.get('table') ?? '';
  try {
    const api = apiClient(fetch);
    const res =
      table === 'monthly'
        ? await api.statisticsCsv('monthly', { from: p.get('from') ?? '', to: p.get('to') ?? '' })
        : table === 'kt'
          ? await api.statisticsCsv('kt', { month: p.get('month') ?? '' })
          : await api.statisticsCsv('members', { on: dateParam(p.get('on')) ?? '', table: tables.includes(table) ? table : 'sex' });
    const disposition = res.headers.get('content-disposition') ?? 'attachment; filename="statistics.csv"';
    return new Response(res.body, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition, 'cache-control': 'no-store' } });
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    return new Response(`${problemText(locals.lang, problemOf(e))}\n`, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
};
