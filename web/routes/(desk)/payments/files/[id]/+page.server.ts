import { apiClient, failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url, depends }) => {
  // The page polls this while the file's process books it (invalidate('app:payment-file')).
  depends('app:payment-file');
  try {
    return { file: await apiClient(fetch).paymentFile(params.id), repeat: url.searchParams.get('repeat') === '1' };
  } catch (e) {
    failLoad(e, url);
  }
};
