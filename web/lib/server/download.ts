import { redirect } from '@sveltejs/kit';
import { problemText, type Lang } from '$lib/i18n';
import { isApiError, loginUrl, problemOf } from './api';

/** What the desk says of a file when the API's response does not: its type and download name. */
export interface DownloadDefaults {
  type: string;
  disposition: string;
}

/**
 * A file the API makes (CSV, JSON, PDF), passed on to the browser by a desk route that asked with the
 * user's session. A lapsed session goes to the login; a refusal is the API's problem in the reader's
 * language as plain text in the tab, never a page of the desk's error handler.
 */
export async function passOnDownload(
  fetchFile: () => Promise<Response>,
  ctx: { url: URL; lang: Lang },
  defaults: DownloadDefaults,
): Promise<Response> {
  try {
    const res = await fetchFile();
    return new Response(res.body, {
      status: 200,
      headers: {
        'content-type': res.headers.get('content-type') ?? defaults.type,
        'content-disposition': res.headers.get('content-disposition') ?? defaults.disposition,
        'cache-control': 'private, no-store',
      },
    });
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(ctx.url));
    return new Response(`${problemText(ctx.lang, problemOf(e))}\n`, {
      status: e.status,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
}
