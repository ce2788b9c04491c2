import { apiClient, failLoad, isApiError, problemOf } from '$lib/server/api';
import { auditFiltersOf, auditQueryOf } from './filters';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/** The auditor's view of the audit log: filters in the query string, so a view can be bookmarked. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  const filters = auditFiltersOf(url);
  try {
    const page = await apiClient(fetch).auditLog(auditQueryOf(filters, PAGE_SIZE));
    return { filters, pageSize: PAGE_SIZE, page, problem: null, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { filters, pageSize: PAGE_SIZE, page: null, problem: null, forbidden: true };
    // Filters the API refuses (a reversed range) are explained on the page.
    if (isApiError(e) && e.status === 400) return { filters, pageSize: PAGE_SIZE, page: null, problem: problemOf(e), forbidden: false };
    failLoad(e, url);
  }
};
