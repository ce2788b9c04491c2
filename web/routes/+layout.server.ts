import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
  // Read so that SvelteKit reruns this load when only ?lang= changes.
  url.searchParams.get('lang');
  return { lang: locals.lang };
};
