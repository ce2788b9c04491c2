import { fail } from '@sveltejs/kit';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import { deskProblem, failAction } from '$lib/server/actions';
import { taskKinds } from '$lib/tasks';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

function pick<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

/** The filters live in the query string so a filtered queue can be bookmarked and shared. */
function filtersOf(url: URL) {
  const page = Number(url.searchParams.get('page'));
  return {
    kind: pick(url.searchParams.get('kind'), ['all', ...taskKinds] as const, 'all'),
    status: pick(url.searchParams.get('status'), ['open', 'closed'] as const, 'open'),
    claimed: pick(url.searchParams.get('claimed'), ['any', 'me', 'unclaimed'] as const, 'any'),
    sort: pick(url.searchParams.get('sort'), ['priority', 'due'] as const, 'priority'),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  const filters = filtersOf(url);
  try {
    // Every queue: the API sends only the tasks the user's roles may act on.
    const list = await apiClient(fetch).tasks({
      ...(filters.kind === 'all' ? {} : { kind: filters.kind }),
      status: filters.status,
      claimed: filters.claimed,
      sort: filters.sort,
      limit: PAGE_SIZE,
      offset: (filters.page - 1) * PAGE_SIZE,
    });
    return { filters, pageSize: PAGE_SIZE, list, forbidden: false };
  } catch (e) {
    // A desk user without a queue role still gets the desk, with an explanation instead of a crash.
    if (isApiError(e) && e.status === 403) return { filters, pageSize: PAGE_SIZE, list: { items: [], total: 0 }, forbidden: true };
    failLoad(e, url);
  }
};

function taskIdOf(form: FormData): string | null {
  const id = form.get('taskId');
  return typeof id === 'string' && id !== '' ? id : null;
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
};
