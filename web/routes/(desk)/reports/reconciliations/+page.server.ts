import { addDays, dateParam, todayInHelsinki } from '$lib/dates';
import { apiClient, failLoad, isApiError, problemOf } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const statuses = ['balanced', 'mismatch', 'open', 'unchecked'] as const;

/** The journal's days sent to the finance system and their checks against the ledger (decision 025); by default the last 31 days. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  const today = todayInHelsinki();
  const q = url.searchParams;
  const filters = {
    from: dateParam(q.get('from')) ?? addDays(today, -31),
    to: dateParam(q.get('to')) ?? today,
    status: (statuses.find((s) => s === q.get('status')) ?? '') as (typeof statuses)[number] | '',
  };
  try {
    const list = await apiClient(fetch).journalReconciliations({ from: filters.from, to: filters.to, status: filters.status || undefined });
    // Newest day first: the one to look at is usually yesterday's.
    return { filters, days: [...list.days].reverse(), problem: null, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { filters, days: [], problem: null, forbidden: true };
    if (isApiError(e) && e.status === 400) return { filters, days: [], problem: problemOf(e), forbidden: false };
    failLoad(e, url);
  }
};
