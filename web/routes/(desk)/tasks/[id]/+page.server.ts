import { apiClient, failLoad } from '$lib/server/api';
import { taskActions } from '$lib/server/taskActions';
import { taskHref } from '$lib/tasks';
import type { Actions, PageServerLoad } from './$types';

/**
 * One page for every task worked here; the API sends what the kind is decided on (an
 * application, a member's two addresses, an eligibility review) and the page renders by kind.
 */
export const load: PageServerLoad = async ({ fetch, params, url, locals, parent }) => {
  try {
    const api = apiClient(fetch);
    const { me } = await parent();
    const supervisor = me.roles.includes('supervisor');
    const [detail, queue, assignees, groups] = await Promise.all([
      api.task(params.id, locals.lang),
      // The next task (the `n` shortcut): the queue's first open one the user may take, other than this.
      api.tasks({ limit: 20 }),
      supervisor ? api.taskAssignees() : Promise.resolve({ items: [] }),
      api.taskGroups(),
    ]);
    const next = queue.items.find((x) => x.id !== params.id && (x.claimedBy === null || x.claimedBy.id === me.id));
    const decided = url.searchParams.get('decided');
    // An expulsion decision, its four-eyes confirmation or an appeal's reconsideration: the member's hearing case.
    const hearings = detail.task.kind.startsWith('expulsion-') && detail.task.subject.type === 'member' ? await api.memberHearings(detail.task.subject.id) : null;
    return {
      detail,
      hearings,
      decided: decided === 'approved' || decided === 'rejected' ? decided : null,
      nextHref: next ? taskHref(next) : null,
      assignees: assignees.items,
      groups: groups.items.map((g) => g.code),
    };
  } catch (e) {
    failLoad(e, url);
  }
};

export const actions: Actions = taskActions;
