import { apiClient, failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** One application in any status: where a caseworker finds one the queue does not list (waiting for a supplement). */
export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
  try {
    return { application: await apiClient(fetch).applicationOverview(params.id, locals.lang) };
  } catch (e) {
    failLoad(e, url);
  }
};
