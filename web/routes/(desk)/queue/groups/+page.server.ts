import { apiClient, failLoad, isApiError } from '$lib/server/api';
import { failAction } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

/** The candidate groups, their members and the task kinds the processes send them; supervisors edit. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  const api = apiClient(fetch);
  try {
    const groups = await api.taskGroups();
    // Only supervisors may list colleagues (and set members); anyone else reads the groups.
    const colleagues = await api.taskAssignees().catch((e: unknown) => {
      if (isApiError(e) && e.status === 403) return null;
      throw e;
    });
    return { groups: groups.items, colleagues: colleagues?.items ?? [], canEdit: colleagues !== null, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { groups: [], colleagues: [], canEdit: false, forbidden: true };
    failLoad(e, url);
  }
};

export const actions: Actions = {
  /** Sets a group's members (an empty list removes it); the API checks the code and the users and audits. */
  save: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const group = String(form.get('group') ?? '').trim();
    const members = form.getAll('members').map(String);
    try {
      await apiClient(fetch).setTaskGroupMembers(group, members);
      return { done: { group, members: members.length } };
    } catch (e) {
      return failAction(e, url, { group });
    }
  },
};
