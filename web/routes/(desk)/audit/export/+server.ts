import { redirect } from '@sveltejs/kit';
import { apiClient, isApiError, loginUrl } from '$lib/server/api';
import { auditFiltersOf, auditQueryOf } from '../filters';
import type { RequestHandler } from './$types';

/** The filtered audit log as a CSV download: the desk asks the API with the user's session and passes the file on. */
export const GET: RequestHandler = async ({ fetch, url }) => {
  try {
    const res = await apiClient(fetch).auditLogCsv(auditQueryOf(auditFiltersOf(url)));
    const type = res.headers.get('content-type') ?? 'text/csv; charset=utf-8';
    const disposition = res.headers.get('content-disposition') ?? 'attachment; filename="audit-log.csv"';
    return new Response(res.body, { status: 200, headers: { 'content-type': type, 'content-disposition': disposition, 'cache-control': 'no-store' } });
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    return new Response(`${e.title}: ${e.detail}\n`, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
};
