import { apiClient, failLoad } from '$lib/server/api';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ fetch, url }) => {
  try {
    return { me: await apiClient(fetch).me() };
  } catch (e) {
    failLoad(e, url);
  }
};
