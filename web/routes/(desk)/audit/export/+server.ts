import { apiClient } from '$lib/server/api';
import { passOnDownload } from '$lib/server/download';
import { auditFiltersOf, auditQueryOf } from '../filters';
import type { RequestHandler } from './$types';

/** The filtered audit log as a CSV download: the desk asks the API with the user's session and passes the file on. */
export const GET: RequestHandler = async ({ fetch, url, locals }) =>
  passOnDownload(
    () => apiClient(fetch).auditLogCsv(auditQueryOf(auditFiltersOf(url))),
    { url, lang: locals.lang },
    { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="audit-log.csv"' },
  );
