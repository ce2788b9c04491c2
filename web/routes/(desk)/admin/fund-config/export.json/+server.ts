import { apiClient } from '$lib/server/api';
import { passOnDownload } from '$lib/server/download';
import type { RequestHandler } from './$types';

/** The fund's configuration document (settings and message templates) as a download; the API audits the export. */
export const GET: RequestHandler = async ({ fetch, url, locals }) =>
  passOnDownload(
    async () => {
      const doc = await apiClient(fetch).exportFundConfig();
      return new Response(`${JSON.stringify(doc, null, 2)}\n`, { headers: { 'content-disposition': `attachment; filename="fund-config-${doc.fund}-${doc.exportedAt.slice(0, 10)}.json"` } });
    },
    { url, lang: locals.lang },
    { type: 'application/json; charset=utf-8', disposition: 'attachment; filename="fund-config.json"' },
  );
