import { apiClient, failLoad } from '$lib/server/api';
import { taskActions } from '$lib/server/taskActions';
import type { Actions, PageServerLoad } from './$types';

/**
 * One page for every task worked here; the API sends what the kind is decided on (an
 * application, a member's two addresses, an eligibility review) and the page renders by kind.
 */
export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
  try {
    const api = apiClient(fetch);
    const detail = await api.task(params.id, locals.lang);
    const decided = url.searchParams.get('decided');
    // An expulsion decision, its four-eyes confirmation or an appeal's reconsideration: the member's hearing case.
    const hearings = detail.task.kind.startsWith('expulsion-') && detail.task.subject.type === 'member' ? await api.memberHearings(detail.task.subject.id) : null;
    return { detail, hearings, decided: decided === 'approved' || decided === 'rejected' ? decided : null };
  } catch (e) {
    failLoad(e, url);
  }
};

export const actions: Actions = taskActions;
