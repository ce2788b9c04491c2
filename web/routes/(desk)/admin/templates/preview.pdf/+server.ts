import { apiClient } from '$lib/server/api';
import { passOnDownload } from '$lib/server/download';
import { isLang, memberNumberOf, typedTemplate } from '$lib/server/templateForm';
import type { RequestHandler } from './$types';

/** The draft as the printed letter: the editor's form posted here, the API's PDF passed on (opened in a new tab). */
export const POST: RequestHandler = async ({ fetch, request, url, locals }) => {
  const values = await typedTemplate(request);
  const memberNumber = memberNumberOf(values);
  const language = values.language;
  if (memberNumber === null || !isLang(language)) return new Response('Give a member number.\n', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  return passOnDownload(
    () => apiClient(fetch).previewMessageTemplatePdf(values.kind, language, { memberNumber, channel: 'letter', template: { subject: values.subject, body: values.body } }),
    { url, lang: locals.lang },
    { type: 'application/pdf', disposition: 'inline; filename="preview.pdf"' },
  );
};
