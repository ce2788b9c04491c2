import { fail } from '@sveltejs/kit';
import { apiClient, isApiError } from '$lib/server/api';
import { formProblemOf, readValues, supplementFieldNames, toSupplementData } from '$lib/server/applicationForm';
import type { Actions, PageServerLoad } from './$types';

type LinkOutcome = 'forbidden' | 'conflict' | 'notFound';

/** The link in the completion request carries the round and a signed token; both travel on as hidden fields. */
function linkOf(id: string, round: string | null, token: string | null) {
  const n = Number(round);
  return { id, round: Number.isInteger(n) && n > 0 ? n : undefined, token: token ?? '' };
}

export const load: PageServerLoad = ({ params, url }) => {
  const link = linkOf(params.id, url.searchParams.get('round'), url.searchParams.get('token'));
  return { link, linkComplete: link.token !== '' };
};

export const actions: Actions = {
  default: async ({ fetch, request, params }) => {
    const form = await request.formData();
    const values = readValues(form, supplementFieldNames);
    const round = form.get('round');
    const token = form.get('token');
    const link = linkOf(params.id, typeof round === 'string' ? round : null, typeof token === 'string' ? token : null);
    try {
      await apiClient(fetch).submitSupplement(link.id, link.round, link.token, toSupplementData(values));
      return { done: true as const };
    } catch (e) {
      // A bad link or an application no longer waiting is not something the applicant can fix in the form.
      if (isApiError(e) && (e.status === 403 || e.status === 409 || e.status === 404)) {
        const outcome: LinkOutcome = e.status === 403 ? 'forbidden' : e.status === 409 ? 'conflict' : 'notFound';
        return fail(e.status, { values, errors: {}, outcome });
      }
      if (isApiError(e) && e.status === 400 && e.invalidParams.every((p) => !p.name.startsWith('data'))) {
        // The id or round in the link was malformed rather than anything the applicant typed.
        return fail(400, { values, errors: {}, outcome: 'notFound' as LinkOutcome });
      }
      return fail(400, { values, ...formProblemOf(e, values) });
    }
  },
};
