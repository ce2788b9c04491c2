import { fail, redirect } from '@sveltejs/kit';
import { deskProblem, failAction } from '$lib/server/actions';
import { apiClient, failLoad } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url, depends }) => {
  // The page polls this while the run previews or commits (invalidate('app:billing-run')).
  depends('app:billing-run');
  try {
    const run = await apiClient(fetch).billingRun(params.id);
    const decided = url.searchParams.get('decided');
    return { run, decided: decided === 'approved' || decided === 'rejected' ? decided : null };
  } catch (e) {
    failLoad(e, url);
  }
};

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}


/** The approval task the page showed: the API refuses it if it is no longer the run's current one. */
function taskIdOf(form: FormData) {
  const taskId = field(form, 'taskId');
  return taskId === '' ? null : taskId;
}

export const actions: Actions = {
  approve: async ({ fetch, params, request, url }) => {
    const form = await request.formData();
    const taskId = taskIdOf(form);
    if (!taskId) return fail(400, { problem: deskProblem(400, 'task_id_missing', 'taskId is missing') });
    // The provisional fee year's warning, ticked by the approver (the API insists on it).
    const acknowledgeProvisionalFeeYear = field(form, 'acknowledgeProvisionalFeeYear') === 'yes';
    let outcome: string;
    try {
      outcome = (await apiClient(fetch).decide(taskId, 'approve', undefined, { acknowledgeProvisionalFeeYear })).outcome;
    } catch (e) {
      return failAction(e, url);
    }
    // Redirect after POST, so a reload cannot send the decision again.
    redirect(303, `/billing/${encodeURIComponent(params.id)}?decided=${outcome}`);
  },
  reject: async ({ fetch, params, request, url }) => {
    const form = await request.formData();
    const taskId = taskIdOf(form);
    const reason = field(form, 'reason');
    if (!taskId) return fail(400, { problem: deskProblem(400, 'task_id_missing', 'taskId is missing'), reason });
    let outcome: string;
    try {
      // An empty reason is still sent: the run's process owns the rule and explains it.
      outcome = (await apiClient(fetch).decide(taskId, 'reject', reason || undefined)).outcome;
    } catch (e) {
      return failAction(e, url, { reason });
    }
    redirect(303, `/billing/${encodeURIComponent(params.id)}?decided=${outcome}`);
  },
};
