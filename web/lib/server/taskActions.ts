import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { t } from '$lib/i18n';
import { deskProblem, failAction } from './actions';
import { apiClient } from './api';

/*
 * The task page's actions, for every kind of task it shows: claim and release, and the decision.
 * Application tasks send it with two buttons (?/approve, ?/reject), the member tasks (address
 * conflict, eligibility review) with one form and a choice (?/decide); all end in the same call,
 * so a stale or repeated decision is the API's 409 on every kind.
 */

type TaskEvent = RequestEvent<{ id: string }>;

function reasonOf(form: FormData): string {
  const reason = form.get('reason');
  return typeof reason === 'string' ? reason.trim() : '';
}

async function decide({ fetch, params, url }: TaskEvent, decision: 'approve' | 'reject', reason: string, kept: Record<string, string> = {}) {
  let outcome: string;
  try {
    // A reason goes with either answer when given (an expulsion needs one both ways); the server
    // owns the rule and explains a missing one.
    outcome = (await apiClient(fetch).decide(params.id, decision, reason || undefined)).outcome;
  } catch (e) {
    return failAction(e, url, { reason, ...kept });
  }
  // Redirect after POST, so a reload cannot send the decision again.
  redirect(303, `/tasks/${encodeURIComponent(params.id)}?decided=${outcome}`);
}

export const taskActions = {
  claim: async ({ fetch, params, url }: TaskEvent) => {
    try {
      await apiClient(fetch).claim(params.id);
      return { done: 'claimed' as const };
    } catch (e) {
      return failAction(e, url);
    }
  },
  unclaim: async ({ fetch, params, url }: TaskEvent) => {
    try {
      await apiClient(fetch).unclaim(params.id);
      return { done: 'unclaimed' as const };
    } catch (e) {
      return failAction(e, url);
    }
  },
  approve: async (event: TaskEvent) => decide(event, 'approve', ''),
  reject: async (event: TaskEvent) => decide(event, 'reject', reasonOf(await event.request.formData())),
  /** One form with a choice: `decision` is approve or reject, `reason` goes with a rejection. */
  decide: async (event: TaskEvent) => {
    const form = await event.request.formData();
    const choice = form.get('decision');
    const reason = reasonOf(form);
    if (choice !== 'approve' && choice !== 'reject') {
      const detail = t(event.locals.lang, 'task.review.choose');
      return fail(400, { reason, decision: '', problem: deskProblem(400, 'decision_choice_required', detail) });
    }
    return decide(event, choice, reason, { decision: choice });
  },
};
