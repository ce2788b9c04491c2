import { apiClient, failLoad, isApiError } from '$lib/server/api';
import { failAction } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const { items } = await apiClient(fetch).schedules();
    return { schedules: items, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { schedules: [], forbidden: true };
    failLoad(e, url);
  }
};

/** Pause, resume or run now: the API checks the role, the schedule and the reason, and audits. */
const change =
  (verb: 'pause' | 'resume' | 'trigger') =>
  async ({ fetch, request, url }: { fetch: typeof globalThis.fetch; request: Request; url: URL }) => {
    const form = await request.formData();
    const id = String(form.get('id') ?? '');
    const reason = String(form.get('reason') ?? '');
    try {
      await apiClient(fetch).changeSchedule(verb, id, reason);
      return { done: { id, verb } };
    } catch (e) {
      return failAction(e, url, { id });
    }
  };

/** Backfill a range of days: the API checks that the schedule allows it and the range, and audits. */
const backfill = async ({ fetch, request, url }: { fetch: typeof globalThis.fetch; request: Request; url: URL }) => {
  const form = await request.formData();
  const id = String(form.get('id') ?? '');
  const overlap = String(form.get('overlap') ?? 'buffer-all') as 'buffer-all' | 'allow-all' | 'skip';
  try {
    const res = await apiClient(fetch).backfillSchedule(id, { from: String(form.get('from') ?? ''), to: String(form.get('to') ?? ''), overlap, reason: String(form.get('reason') ?? '') });
    return { done: { id, verb: 'backfill' as const, count: res.backfilledTimes.length } };
  } catch (e) {
    return failAction(e, url, { id });
  }
};

export const actions: Actions = { pause: change('pause'), resume: change('resume'), trigger: change('trigger'), backfill };
