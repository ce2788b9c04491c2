import { redirect } from '@sveltejs/kit';
import type { BillingRunView } from '$contract';
import { failAction } from '$lib/server/actions';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, url }) => {
  try {
    const { items } = await apiClient(fetch).billingRuns();
    return { runs: items, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { runs: [], forbidden: true };
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
    const values = { period: text(form, 'period'), dueDate: text(form, 'dueDate') };
    let run: BillingRunView;
    try {
      // Empty fields are sent as they are: the API owns the rules and names the field it refuses.
      run = await apiClient(fetch).startBillingRun(values);
    } catch (e) {
      const errors = isApiError(e) ? Object.fromEntries(e.invalidParams.map((p) => [p.name, p.reason])) : {};
      return failAction(e, url, { values, errors });
    }
    // Redirect after POST: the run's own page follows its progress, and a reload sends nothing again.
    redirect(303, `/billing/${encodeURIComponent(run.subjectId)}`);
  },
};
