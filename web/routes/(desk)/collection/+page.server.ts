import { apiClient, failLoad, isApiError } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const BUCKET = /^(level-\d{1,2}|on-hold|hearing)$/;

export const load: PageServerLoad = async ({ fetch, url }) => {
  const asked = url.searchParams.get('bucket');
  const bucket = asked && BUCKET.test(asked) ? asked : undefined;
  try {
    return { overview: await apiClient(fetch).collectionOverview(bucket), bucket: bucket ?? null, forbidden: false };
  } catch (e) {
    if (isApiError(e) && e.status === 403) return { overview: null, bucket: null, forbidden: true };
    failLoad(e, url);
  }
};
