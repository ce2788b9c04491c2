import { apiClient } from '$lib/server/api';
import { passOnDownload } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** A run's rejected records of one entity as a CSV download, passed on from the API (which audits it). */
export const GET: RequestHandler = async ({ fetch, url, params, locals }) =>
  passOnDownload(
    () => apiClient(fetch).migrationRejectedCsv(params.batchId, url.searchParams.get('run') ?? '', url.searchParams.get('entity') ?? ''),
    { url, lang: locals.lang },
    { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="rejected.csv"' },
  );
