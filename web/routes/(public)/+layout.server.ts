import { apiClient, isApiError } from '$lib/server/api';
import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ fetch }) => {
  try {
    return { fund: await apiClient(fetch).fund() };
  } catch (e) {
    if (isApiError(e)) error(e.status >= 500 ? 503 : e.status, { message: e.detail || e.title, code: e.code ?? undefined, params: e.params });
    throw e;
  }
};
