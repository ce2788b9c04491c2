import type { SubmitFunction } from '@sveltejs/kit';

/**
 * use:enhance for actions that change the page in place (claim, unclaim). SvelteKit moves focus
 * to the top of the page after a successful action; a keyboard user working down the queue
 * would lose their place, so focus goes back to where it was.
 */
export const keepFocus: SubmitFunction = () => {
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return async ({ update }) => {
    await update({ reset: false });
    if (active?.isConnected && document.activeElement !== active) active.focus({ preventScroll: true });
  };
};
