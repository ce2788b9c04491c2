import { fail } from '@sveltejs/kit';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** Events out (decision 018): each subscriber's deliveries and the dead letters, for administrators. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const api = apiClient(fetch);
    const [status, dead] = await Promise.all([api.outboxStatus(), api.deadLetters()]);
    return { status, deadLetters: dead.items, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { status: null, deadLetters: [], forbidden: true };
    failLoad(e, url);
  }
};

export const actions: Actions = {
  retry: async ({ fetch, request, url }) => {
    const id = (await request.formData()).get('id');
    if (typeof id !== 'string' || !/^\d{1,18}$/.test(id)) return fail(400, { problem: deskProblem(400, 'dead_letter_not_found', 'No such dead letter.') });
    try {
      await apiClient(fetch).retryDeadLetter(id);
      return { retried: id };
    } catch (e) {
      return failAction(e, url);
    }
  },
  replay: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const subscriber = String(form.get('subscriber') ?? '');
    const fromPosition = Number(form.get('fromPosition'));
    try {
      const result = await apiClient(fetch).replayOutbox({ subscriber, fromPosition });
      return { replayed: result };
    } catch (e) {
      return failAction(e, url);
    }
  },
};
