import { fail, redirect } from '@sveltejs/kit';
import type { FormProblem } from '$lib/forms/actionResult';
import { isApiError, loginUrl } from './api';

/** What a failed desk action hands back to its page: the API's own words, shown in an alert. */
export interface ActionProblem {
  problem: FormProblem;
}

/** A problem the desk finds itself, before asking the API: shown by its code like the API's. */
export function deskProblem(status: number, code: string, detail: string): FormProblem {
  return { title: detail, detail, status, code, params: {} };
}

/**
 * Maps an API failure inside a form action: an expired session logs in again (returning to the
 * page), anything the API explained becomes a `fail` the page can show.
 */
export function failAction<Extra extends Record<string, unknown>>(e: unknown, url: URL, extra?: Extra) {
  if (!isApiError(e)) throw e;
  if (e.status === 401) {
    const back = new URL(url);
    for (const key of [...back.searchParams.keys()]) if (key.startsWith('/')) back.searchParams.delete(key);
    redirect(303, loginUrl(back));
  }
  const body: ActionProblem = { problem: { title: e.title, detail: e.detail || e.title, status: e.status, code: e.code, params: e.params } };
  return fail(e.status, { ...(extra as Extra), ...body });
}
