import type { SubmitFunction } from '@sveltejs/kit';

/**
 * A desk form's "being sent" state for `use:enhance`: `busy` is true from the submit until the page
 * has taken the answer, so its buttons are disabled and a second click sends nothing twice.
 *
 * @example
 *   const sending = new Pending({ keepValues: true });
 *   <form method="POST" use:enhance={sending.enhance}> … <button disabled={sending.busy}>
 */
export class Pending {
  busy = $state(false);
  readonly #keepValues: () => boolean;

  /**
   * `keepValues`: leave what was typed in the form after a success (a form that stays on the page
   * with its values); by default SvelteKit clears it. A function is read at each answer.
   */
  constructor(opts: { keepValues?: boolean | (() => boolean) } = {}) {
    const keep = opts.keepValues ?? false;
    this.#keepValues = typeof keep === 'function' ? keep : () => keep;
  }

  readonly enhance: SubmitFunction = () => {
    this.busy = true;
    return async ({ update }) => {
      try {
        await update({ reset: !this.#keepValues() });
      } finally {
        this.busy = false;
      }
    };
  };
}
