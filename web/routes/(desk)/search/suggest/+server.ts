import { json } from '@sveltejs/kit';
import { apiClient, isApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** How many hits the as-you-type list shows; the full results page shows the API's page. */
const SUGGESTIONS = 20;

/**
 * The header search's as-you-type results. The browser asks the desk, same origin and session, with
 * the query in a POST body (never the URL: it may be an identity code); the desk asks the API
 * server-side, so no token ever reaches the page.
 */
export const POST: RequestHandler = async ({ fetch, request }) => {
  const body = (await request.json().catch(() => null)) as { q?: unknown } | null;
  const q = typeof body?.q === 'string' ? body.q : '';
  try {
    return json(await apiClient(fetch).searchMembers(q, SUGGESTIONS), { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (!isApiError(e)) throw e;
    // The API's problem passes through as it is, so the list can say what went wrong.
    return json(
      { title: e.title, status: e.status, detail: e.detail || e.title, code: e.code, params: e.params, invalidParams: e.invalidParams },
      { status: e.status, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } },
    );
  }
};
