import { apiClient, failLoad, isApiError, problemOf } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** The full results of a member search: where the header search goes without JavaScript, or on Enter. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  const q = (url.searchParams.get('q') ?? '').trim();
  if (q === '') return { q, result: null, problem: null, forbidden: false };
  try {
    return { q, result: await apiClient(fetch).searchMembers(q, 20), problem: null, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { q, result: null, problem: null, forbidden: true };
    // A query the API refuses (too short, too long) is explained on the page rather than as an error page.
    if (isApiError(e) && e.status === 400) return { q, result: null, problem: problemOf(e), forbidden: false };
    failLoad(e, url);
  }
};
