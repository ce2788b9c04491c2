import { apiClient, failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url }) => {
  try {
    return { member: await apiClient(fetch).member(params.id) };
  } catch (e) {
    failLoad(e, url);
  }
};
