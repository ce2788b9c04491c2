import { fail, redirect } from '@sveltejs/kit';
import type { ApplicationSearchResult, MemberSearchResult } from '$contract';
import { apiClient, isApiError, loginUrl, problemOf, type ApiClient } from '$lib/server/api';
import type { ProblemCode } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

/** One half of the results: the hits, or why there are none (a refused query, a role without access). */
type Outcome<T> = { result: T | null; problem: ProblemCode | null; forbidden: boolean };

const APPLICATION_ID = /^\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$/i;

async function outcome<T>(work: () => Promise<T>, url: URL): Promise<Outcome<T>> {
  try {
    return { result: await work(), problem: null, forbidden: false };
  } catch (e) {
    if (!isApiError(e)) throw e;
    if (e.status === 401) redirect(303, loginUrl(url));
    if (e.status === 403) return { result: null, problem: null, forbidden: true };
    return { result: null, problem: problemOf(e), forbidden: false };
  }
}

/**
 * The search page opens empty: a query never comes in the URL (where an identity code would stay
 * in browser history and proxy logs). An old link's `?q=` is dropped.
 */
export const load: PageServerLoad = ({ url }) => {
  if (url.searchParams.has('q')) redirect(303, '/search');
  return {};
};

async function search(api: ApiClient, q: string, url: URL) {
  // An application id names no member; a member or reference number names no application.
  const byId = APPLICATION_ID.test(q);
  const [members, applications] = await Promise.all([
    byId ? Promise.resolve<Outcome<MemberSearchResult>>({ result: null, problem: null, forbidden: false }) : outcome(() => api.searchMembers(q, 20), url),
    outcome<ApplicationSearchResult>(() => api.searchApplications(q, 20), url),
  ]);
  return { members, applications };
}

export const actions: Actions = {
  /** The header search and this page's form post here: members and applications at once. */
  default: async ({ fetch, request, url }) => {
    const value = (await request.formData()).get('q');
    const q = typeof value === 'string' ? value.trim() : '';
    if (q === '') return fail(400, { q, missing: true as const });
    return { q, ...(await search(apiClient(fetch), q, url)) };
  },
};
