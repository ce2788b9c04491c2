import { redirect } from '@sveltejs/kit';
import { dateParam } from '$lib/dates';
import { problemText } from '$lib/i18n';
import { apiClient, isApiError, loginUrl, problemOf } from '$lib/server/api';
import type { RequestHandler } from './$types';

/**
 * The bookkeeping journal as a download (CSV or JSON) for the reports page's range. The desk asks
 * the API server-side with the user's session, as everywhere else, and passes the file on.
 */
export const GET: RequestHandler = async ({ fetch, url, locals }) => {
  const from = dateParam(url.searchParams.get('from')) ?? '';
  const to = dateParam(url.searchParams.get('to')) ?? '';
  const format = url.searchParams.get('format') === 'json' ? 'json' : 'csv';
  try {
    const res = await apiClient(fetch).journal(from, to, format);
    const type = res.headers.get('content-type') ?? (format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json');
    const disposition = res.headers.get('content-disposition') ?? `attachment; filename="journal-${from}-${to}.${format}"`;
    return new Response(res.body, { status: 200, headers: { 'content-type': type, 'content-disposition': disposition, 'cache-control': 'no-store' } });
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    // A range the API refuses: why, by its code in the reader's language, as plain text in the browser's tab.
    return new Response(`${problemText(locals.lang, problemOf(e))}\n`, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
};
