import { redirect } from '@sveltejs/kit';
import { apiClient, failLoad } from '$lib/server/api';
import { landingFor } from '$lib/roles';
import type { PageServerLoad } from './$types';

/** Each role lands on its own start page. */
export const load: PageServerLoad = async ({ fetch, url }) => {
  let roles: string[];
  try {
    roles = (await apiClient(fetch).me()).roles;
  } catch (e) {
    failLoad(e, url);
  }
  redirect(303, landingFor(roles));
};
