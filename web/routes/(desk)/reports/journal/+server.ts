import { dateParam } from '$lib/dates';
import { apiClient } from '$lib/server/api';
import { passOnDownload } from '$lib/server/download';
import type { RequestHandler } from './$types';

/**
 * The bookkeeping journal as a download (CSV or JSON) for the reports page's range. The desk asks
 * the API server-side with the user's session, as everywhere else, and passes the file on; a range
 * the API refuses is said by its code in the reader's language.
 */
export const GET: RequestHandler = async ({ fetch, url, locals }) => {
  const from = dateParam(url.searchParams.get('from')) ?? '';
  const to = dateParam(url.searchParams.get('to')) ?? '';
  const format = url.searchParams.get('format') === 'json' ? 'json' : 'csv';
  return passOnDownload(
    () => apiClient(fetch).journal(from, to, format),
    { url, lang: locals.lang },
    { type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json', disposition: `attachment; filename="journal-${from}-${to}.${format}"` },
  );
};
