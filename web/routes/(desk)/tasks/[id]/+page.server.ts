import { apiClient, failLoad } from '$lib/server/api';
import { taskActions } from '$lib/server/taskActions';
import type { Actions, PageServerLoad } from './$types';

/**
 * One page for every task worked here; the API sends what the kind is decided on (an
 * application, a member's two addresses, an eligibility review) and the page renders by kind.
 */
export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
  try {
    const detail = await apiClient(fetch).task(params.id, locals.lang);
    const decided = url.searchParams.get('decided');
    return { detail, decided: decided === 'approved' || decided === 'rejected' ? decided : null };
  } catch (e) {
    failLoad(e, url);
  }
};

export const actions: Actions = taskActions;
