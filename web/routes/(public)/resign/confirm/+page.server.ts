import { fail } from '@sveltejs/kit';
import { apiClient, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** Why the link cannot confirm anything (anything else is a failure of ours, shown as an error page). */
type LinkProblem = 'invalid' | 'expired' | 'closed' | 'unavailable';

/** The API's stable code of a refused link, as this page words it. */
function problemOf(e: unknown): LinkProblem | null {
  if (!isApiError(e)) return null;
  const code = e.code ?? '';
  if (e.status === 403 || (e.status === 400 && e.invalidParams.some((p) => p.name === 'token'))) return 'invalid';
  if (code === 'resignation_request_expired') return 'expired';
  if (code === 'resignation_request_closed') return 'closed';
  if (code === 'resignation_confirmation_unavailable') return 'unavailable';
  return null;
}

// The token stays out of logs: it is read here and sent on only in request bodies.
export const load: PageServerLoad = async ({ fetch, url }) => {
  const token = url.searchParams.get('token') ?? '';
  if (!token) return { token, request: null, problem: 'invalid' as LinkProblem };
  try {
    return { token, request: await apiClient(fetch).previewResignationConfirmation(token), problem: null };
  } catch (e) {
    const problem = problemOf(e);
    if (!problem) throw e;
    return { token, request: null, problem };
  }
};

export const actions: Actions = {
  default: async ({ fetch, request }) => {
    const token = (await request.formData()).get('token');
    try {
      const confirmed = await apiClient(fetch).confirmResignation(typeof token === 'string' ? token : '');
      return { confirmed };
    } catch (e) {
      const problem = problemOf(e);
      if (!problem) throw e;
      return fail(isApiError(e) ? e.status : 400, { problem });
    }
  },
};
