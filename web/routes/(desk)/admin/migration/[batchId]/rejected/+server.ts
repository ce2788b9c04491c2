import { redirect } from '@sveltejs/kit';
import { problemText } from '$lib/i18n';
import { apiClient, isApiError, loginUrl, problemOf } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** A run's rejected records of one entity as a CSV download, passed on from the API (which audits it). */
export const GET: RequestHandler = async ({ fetch, url, params, locals }) => {
  try {
    const res = await apiClient(fetch).migrationRejectedCsv(params.batchId, url.searchParams.get('run') ?? '', url.searchParams.get('entity') ?? '');
    const disposition = res.headers.get('content-disposition') ?? 'attachment; filename="rejected.csv"';
    return new Response(res.body, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition, 'cache-control': 'private, no-store' } });
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    return new Response(`${problemText(locals.lang, problemOf(e))}\n`, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
};
