import { apiClient, failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** One journal day: the file sent and every check against the ledger with its differences per account. */
export const load: PageServerLoad = async ({ fetch, url, params }) => {
  try {
    return { day: await apiClient(fetch).journalReconciliation(params.date) };
  } catch (e) {
    failLoad(e, url);
  }
};
