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

function textOf(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

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
  /** A supervisor gives the task to a colleague; the holder the page showed goes along, so a stale page changes nothing. */
  assign: async ({ fetch, params, url, request, locals }: TaskEvent) => {
    const form = await request.formData();
    const userId = textOf(form, 'userId');
    if (!userId) return fail(400, { problem: deskProblem(400, 'assignee_missing', t(locals.lang, 'code.assignee_missing')) });
    try {
      const task = await apiClient(fetch).assign(params.id, userId, textOf(form, 'expectedHolder') || null);
      return { done: 'assigned' as const, assignee: task.claimedBy?.name ?? userId };
    } catch (e) {
      return failAction(e, url);
    }
  },
  followUp: async ({ fetch, params, url, request, locals }: TaskEvent) => {
    const form = await request.formData();
    const clear = form.get('clear') === 'true';
    const date = textOf(form, 'followUpOn');
    if (!clear && !date) return fail(400, { problem: deskProblem(400, 'follow_up_date_missing', t(locals.lang, 'code.follow_up_date_missing')) });
    try {
      const task = await apiClient(fetch).setFollowUp(params.id, clear ? null : date);
      return { done: task.followUpOn ? ('followUpSet' as const) : ('followUpCleared' as const), followUpOn: task.followUpOn };
    } catch (e) {
      return failAction(e, url);
    }
  },
  group: async ({ fetch, params, url, request }: TaskEvent) => {
    const group = textOf(await request.formData(), 'group');
    try {
      await apiClient(fetch).setTaskGroup(params.id, group || null);
      return { done: 'groupSet' as const };
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
