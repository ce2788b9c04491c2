import { fail } from '@sveltejs/kit';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import { deskProblem, failAction } from '$lib/server/actions';
import { taskKinds } from '$lib/tasks';
import { problemText, t } from '$lib/i18n';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** A free-text filter value (a holder's id, a group's code), kept short and plain. */
function plain(value: string | null, max: number): string {
  return value && value.length <= max && /^[\w.@:-]+$/.test(value) ? value : '';
}

/** The filters live in the query string so a filtered queue can be bookmarked, shared and saved. */
function filtersOf(url: URL) {
  const page = Number(url.searchParams.get('page'));
  return {
    // A kind the desk does not list yet (a new process's) still filters: the API knows it.
    kind: plain(url.searchParams.get('kind'), 50) || pick(url.searchParams.get('kind'), ['all', ...taskKinds] as const, 'all'),
    status: pick(url.searchParams.get('status'), ['open', 'closed'] as const, 'open'),
    claimed: pick(url.searchParams.get('claimed'), ['any', 'me', 'unclaimed'] as const, 'any'),
    sort: pick(url.searchParams.get('sort'), ['priority', 'due'] as const, 'priority'),
    followUp: pick(url.searchParams.get('followUp'), ['hide', 'only', 'any'] as const, 'hide'),
    overdue: url.searchParams.get('overdue') === 'true',
    holder: plain(url.searchParams.get('holder'), 200),
    group: plain(url.searchParams.get('group'), 40),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

type Filters = ReturnType<typeof filtersOf>;

/** The filters that differ from the defaults, as the query string and a saved filter hold them. */
function savedFieldsOf(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.kind !== 'all') out.kind = f.kind;
  if (f.status !== 'open') out.status = f.status;
  if (f.claimed !== 'any') out.claimed = f.claimed;
  if (f.sort !== 'priority') out.sort = f.sort;
  if (f.followUp !== 'hide') out.followUp = f.followUp;
  if (f.overdue) out.overdue = 'true';
  if (f.holder) out.holder = f.holder;
  if (f.group) out.group = f.group;
  return out;
}

export const load: PageServerLoad = async ({ fetch, url, parent }) => {
  const filters = filtersOf(url);
  const { me } = await parent();
  const supervisor = me.roles.includes('supervisor');
  const api = apiClient(fetch);
  try {
    // Every queue: the API sends only the tasks the user's roles and groups may act on.
    const [list, summary, saved, groups, assignees] = await Promise.all([
      api.tasks({
        ...(filters.kind === 'all' ? {} : { kind: filters.kind }),
        status: filters.status,
        claimed: filters.claimed,
        sort: filters.sort,
        followUp: filters.followUp,
        ...(filters.overdue ? { overdue: 'true' as const } : {}),
        ...(filters.holder ? { holder: filters.holder } : {}),
        ...(filters.group ? { group: filters.group } : {}),
        limit: PAGE_SIZE,
        offset: (filters.page - 1) * PAGE_SIZE,
      }),
      api.taskSummary(),
      api.savedTaskFilters(),
      api.taskGroups(),
      supervisor ? api.taskAssignees() : Promise.resolve({ items: [] }),
    ]);
    return { filters, saveable: savedFieldsOf(filters), pageSize: PAGE_SIZE, list, summary, saved: saved.items, groups: groups.items, assignees: assignees.items, forbidden: false };
  } catch (e) {
    // A desk user without a queue role still gets the desk, with an explanation instead of a crash.
    if (isApiError(e) && e.status === 403 && e.code === 'forbidden') {
      return { filters, saveable: {}, pageSize: PAGE_SIZE, list: { items: [], total: 0 }, summary: null, saved: [], groups: [], assignees: [], forbidden: true };
    }
    failLoad(e, url);
  }
};

function taskIdOf(form: FormData): string | null {
  const id = form.get('taskId');
  return typeof id === 'string' && id !== '' ? id : null;
}

function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

export const actions: Actions = {
  claim: async ({ fetch, request, url }) => {
    const taskId = taskIdOf(await request.formData());
    if (!taskId) return fail(400, { problem: deskProblem(400, 'task_id_missing', 'taskId is missing') });
    try {
      await apiClient(fetch).claim(taskId);
      return { done: 'claimed' as const, taskId };
    } catch (e) {
      return failAction(e, url, { taskId });
    }
  },
  unclaim: async ({ fetch, request, url }) => {
    const taskId = taskIdOf(await request.formData());
    if (!taskId) return fail(400, { problem: deskProblem(400, 'task_id_missing', 'taskId is missing') });
    try {
      await apiClient(fetch).unclaim(taskId);
      return { done: 'unclaimed' as const, taskId };
    } catch (e) {
      return failAction(e, url, { taskId });
    }
  },
  /** Claim, release or assign the ticked tasks; the answer says per task what was refused and why. */
  bulk: async ({ fetch, request, url, locals }) => {
    const form = await request.formData();
    const taskIds = form.getAll('taskIds').filter((v): v is string => typeof v === 'string' && v !== '');
    const action = textOf(form, 'bulkAction');
    const userId = textOf(form, 'userId');
    if (taskIds.length === 0) return fail(400, { problem: deskProblem(400, 'task_selection_missing', t(locals.lang, 'code.task_selection_missing')) });
    if (action === 'assign' && !userId) return fail(400, { problem: deskProblem(400, 'assignee_missing', t(locals.lang, 'code.assignee_missing')) });
    const body = action === 'assign' ? { action: 'assign' as const, taskIds, userId } : { action: action === 'release' ? ('release' as const) : ('claim' as const), taskIds };
    try {
      const result = await apiClient(fetch).bulkTasks(body);
      const refused = result.items.flatMap((i) => (i.ok ? [] : [{ taskId: i.taskId, reason: problemText(locals.lang, i) }]));
      return { bulk: { action: body.action, succeeded: result.succeeded, failed: result.failed, refused } };
    } catch (e) {
      return failAction(e, url);
    }
  },
  saveFilter: async ({ fetch, request, url, locals }) => {
    const name = textOf(await request.formData(), 'name');
    if (!name) return fail(400, { problem: deskProblem(400, 'filter_name_missing', t(locals.lang, 'code.filter_name_missing')) });
    try {
      await apiClient(fetch).saveTaskFilter({ name: name.slice(0, 60), filter: savedFieldsOf(filtersOf(url)) });
      return { done: 'filterSaved' as const };
    } catch (e) {
      return failAction(e, url);
    }
  },
  deleteFilter: async ({ fetch, request, url }) => {
    const id = textOf(await request.formData(), 'filterId');
    if (!id) return fail(400, { problem: deskProblem(400, 'task_id_missing', 'filterId is missing') });
    try {
      await apiClient(fetch).deleteTaskFilter(id);
      return { done: 'filterDeleted' as const };
    } catch (e) {
      return failAction(e, url);
    }
  },
};
