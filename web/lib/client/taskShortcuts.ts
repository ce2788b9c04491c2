import { shortcutAllowed } from './shortcuts';

/**
 * Keyboard shortcuts of the task page, by the same rules as the queue's (queueShortcuts.ts): `d`
 * goes to the decision, `n` to the next task in the queue, `c` claims or releases, `q` back to
 * the queue, `?` shows the help.
 */
export interface TaskShortcutOptions {
  /** The first control of the decision form, when there is one. */
  decision: () => HTMLElement | null | undefined;
  /** The claim or release button. */
  claim: () => HTMLElement | null | undefined;
  next: () => void;
  queue: () => void;
  showHelp: () => void;
}

export function attachTaskShortcuts(opts: TaskShortcutOptions): () => void {
  function onKeydown(event: KeyboardEvent): void {
    if (!shortcutAllowed(event)) return;
    switch (event.key) {
      case 'd': {
        const target = opts.decision();
        if (!target) return;
        event.preventDefault();
        target.focus();
        target.scrollIntoView({ block: 'nearest' });
        return;
      }
      case 'n':
        event.preventDefault();
        opts.next();
        return;
      case 'c': {
        const button = opts.claim();
        if (!button) return;
        event.preventDefault();
        button.click();
        return;
      }
      case 'q':
        event.preventDefault();
        opts.queue();
        return;
      case '?':
        event.preventDefault();
        opts.showHelp();
        return;
    }
  }
  document.addEventListener('keydown', onKeydown);
  return () => document.removeEventListener('keydown', onKeydown);
}
