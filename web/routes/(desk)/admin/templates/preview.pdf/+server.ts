import { redirect } from '@sveltejs/kit';
import { apiClient, isApiError, loginUrl } from '$lib/server/api';
import { isLang, memberNumberOf, typedTemplate } from '$lib/server/templateForm';
import type { RequestHandler } from './$types';

/** The draft as the printed letter: the editor's form posted here, the API's PDF passed on (opened in a new tab). */
export const POST: RequestHandler = async ({ fetch, request, url }) => {
  const values = await typedTemplate(request);
  const memberNumber = memberNumberOf(values);
  if (memberNumber === null || !isLang(values.language)) return new Response('Give a member number.\n', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  try {
    const res = await apiClient(fetch).previewMessageTemplatePdf(values.kind, values.language, { memberNumber, channel: 'letter', template: { subject: values.subject, body: values.body } });
    const disposition = res.headers.get('content-disposition') ?? 'inline; filename="preview.pdf"';
    return new Response(res.body, { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': disposition, 'cache-control': 'private, no-store' } });
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    return new Response(`${e.title}: ${e.detail}\n`, { status: e.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  }
};
