import { redirect } from '@sveltejs/kit';
import type { TaxRunView } from '$contract';
import { failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const api = apiClient(fetch);
    const { today, items } = await api.taxYears();
    // The run in view: the one named in the address, else the newest run of the newest year.
    const wanted = url.searchParams.get('run') ?? items.flatMap((y) => y.runs).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]?.id ?? null;
    let run: TaxRunView | null = null;
    if (wanted) run = await api.taxRun(wanted);
    const decided = url.searchParams.get('decided');
    return { today, years: items, run, decided: decided === 'approved' || decided === 'rejected' ? decided : null, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { today: '', years: [], run: null, decided: null, forbidden: true };
    failLoad(e, url);
  }
};

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

export const actions: Actions = {
  start: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const kind = text(form, 'kind') === 'correction' ? 'correction' : 'annual';
    let run: TaxRunView;
    try {
      run = await apiClient(fetch).startTaxReport({ year: Number(text(form, 'year')), kind });
    } catch (e) {
      return failAction(e, url);
    }
    redirect(303, `/tax?run=${encodeURIComponent(run.id)}`);
  },
  approve: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const runId = text(form, 'runId');
    try {
      await apiClient(fetch).decide(text(form, 'taskId'), 'approve');
    } catch (e) {
      return failAction(e, url);
    }
    redirect(303, `/tax?run=${encodeURIComponent(runId)}&decided=approved`);
  },
  reject: async ({ fetch, request, url }) => {
    const form = await request.formData();
    const runId = text(form, 'runId');
    try {
      await apiClient(fetch).decide(text(form, 'taskId'), 'reject', text(form, 'reason') || undefined);
    } catch (e) {
      return failAction(e, url);
    }
    redirect(303, `/tax?run=${encodeURIComponent(runId)}&decided=rejected`);
  },
};
