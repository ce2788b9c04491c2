import { dateParam } from '$lib/dates';
import { apiClient, failLoad, isApiError, problemOf } from '$lib/server/api';
import { batchStatuses as statuses } from '$lib/unions';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/** The union batches received (issue 13): filters in the query string, so a view can be bookmarked. */
export const load: PageServerLoad = async ({ fetch, url, depends }) => {
  depends('app:union-batches');
  const q = url.searchParams;
  const status: (typeof statuses)[number] | '' = statuses.find((s) => s === q.get('status')) ?? '';
  const union = /^\d{3}$/.test(q.get('union') ?? '') ? q.get('union')! : '';
  const offset = /^\d{1,6}$/.test(q.get('offset') ?? '') ? Number(q.get('offset')) : 0;
  const filters = { union, status, from: dateParam(q.get('from')) ?? '', to: dateParam(q.get('to')) ?? '', problems: q.get('problems') === 'true', offset };
  try {
    const list = await apiClient(fetch).unionBatches({
      union: filters.union,
      status: filters.status || undefined,
      from: filters.from,
      to: filters.to,
      problems: filters.problems ? 'true' : undefined,
      limit: PAGE_SIZE,
      offset: filters.offset || undefined,
    });
    return { filters, pageSize: PAGE_SIZE, list, problem: null, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { filters, pageSize: PAGE_SIZE, list: null, problem: null, forbidden: true };
    // Filters the API refuses (a reversed range) are explained on the page.
    if (isApiError(e) && (e.status === 400 || e.status === 404)) return { filters, pageSize: PAGE_SIZE, list: null, problem: problemOf(e), forbidden: false };
    failLoad(e, url);
  }
};
