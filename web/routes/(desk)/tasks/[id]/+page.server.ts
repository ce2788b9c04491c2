import { redirect } from '@sveltejs/kit';
import { apiClient, failLoad } from '$lib/server/api';
import { failAction } from '$lib/server/actions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url, locals }) => {
  try {
    const detail = await apiClient(fetch).task(params.id, locals.lang);
    const decided = url.searchParams.get('decided');
    return { detail, decided: decided === 'approved' || decided === 'rejected' ? decided : null };
  } catch (e) {
    failLoad(e, url);
  }
};

function reasonOf(form: FormData): string {
  const reason = form.get('reason');
  return typeof reason === 'string' ? reason.trim() : '';
}

export const actions: Actions = {
  claim: async ({ fetch, params, url }) => {
    try {
      await apiClient(fetch).claim(params.id);
      return { done: 'claimed' as const };
    } catch (e) {
      return failAction(e, url);
    }
  },
  unclaim: async ({ fetch, params, url }) => {
    try {
      await apiClient(fetch).unclaim(params.id);
      return { done: 'unclaimed' as const };
    } catch (e) {
      return failAction(e, url);
    }
  },
  approve: async ({ fetch, params, url }) => {
    let outcome: string;
    try {
      outcome = (await apiClient(fetch).decide(params.id, 'approve')).outcome;
    } catch (e) {
      return failAction(e, url);
    }
    // Redirect after POST, so a reload cannot send the decision again.
    redirect(303, `/tasks/${encodeURIComponent(params.id)}?decided=${outcome}`);
  },
  reject: async ({ fetch, params, url, request }) => {
    const reason = reasonOf(await request.formData());
    let outcome: string;
    try {
      // An empty reason is still sent: the server owns the rule and explains it.
      outcome = (await apiClient(fetch).decide(params.id, 'reject', reason || undefined)).outcome;
    } catch (e) {
      return failAction(e, url, { reason });
    }
    redirect(303, `/tasks/${encodeURIComponent(params.id)}?decided=${outcome}`);
  },
};
