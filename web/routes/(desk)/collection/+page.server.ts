import { collectionBucketPattern } from '$contract';
import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** A page of a group's members. */
const PAGE_SIZE = 50;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const asked = url.searchParams.get('bucket');
  const bucket = asked && collectionBucketPattern.test(asked) ? asked : undefined;
  const offset = bucket && /^\d{1,6}$/.test(url.searchParams.get('offset') ?? '') ? Number(url.searchParams.get('offset')) : 0;
  try {
    const overview = await apiClient(fetch).collectionOverview(bucket ? { bucket, limit: String(PAGE_SIZE), ...(offset ? { offset: String(offset) } : {}) } : {});
    return { overview, bucket: bucket ?? null, offset, pageSize: PAGE_SIZE, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { overview: null, bucket: null, offset: 0, pageSize: PAGE_SIZE, forbidden: true };
    failLoad(e, url);
  }
};
