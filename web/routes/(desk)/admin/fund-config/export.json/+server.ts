import { redirect } from '@sveltejs/kit';
import { apiClient, isApiError, loginUrl } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The fund's configuration document (settings and message templates) as a download; the API audits the export. */
export const GET: RequestHandler = async ({ fetch, url }) => {
  try {
    const doc = await apiClient(fetch).exportFundConfig();
    const day = doc.exportedAt.slice(0, 10);
    return new Response(`${JSON.stringify(doc, null, 2)}\n`, {
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="fund-config-${doc.fund}-${day}.json"`, 'cache-control': 'private, no-store' },
    });
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    return new Response(`${e.title}: ${e.detail}\n`, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
};
