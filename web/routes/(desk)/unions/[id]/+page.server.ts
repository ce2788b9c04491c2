import { apiClient, failLoad } from '$lib/server/api';
import { outcomeGroups } from '$lib/unions';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 500;
const groups = [...outcomeGroups, 'problems'] as const;

/** One union batch: counts per outcome, progress while it is processed, and its lines with what each became and why. */
export const load: PageServerLoad = async ({ fetch, url, params, depends }) => {
  depends('app:union-batch');
  const group = groups.find((g) => g === url.searchParams.get('group')) ?? '';
  const offset = /^\d{1,6}$/.test(url.searchParams.get('offset') ?? '') ? Number(url.searchParams.get('offset')) : 0;
  try {
    return { batch: await apiClient(fetch).unionBatch(params.id, { group: group || undefined, limit: PAGE_SIZE, offset: offset || undefined }), group, offset, pageSize: PAGE_SIZE };
  } catch (e) {
    failLoad(e, url);
  }
};
