/**
 * Keyboard shortcuts shared by the whole desk. Page-specific shortcuts (the work queue's) live in
 * their own modules and use the same rules for when a key is left alone.
 */

/** True when the key belongs to a field the user is typing in. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  // Buttons and checkboxes take no text, so shortcuts stay on while they have focus.
  const type = (target as HTMLInputElement).type;
  return !['button', 'submit', 'reset', 'checkbox', 'radio'].includes(type);
}

/** A shortcut acts only on a plain key press outside text fields and outside an open modal dialog. */
export function shortcutAllowed(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
  if (isTyping(event.target)) return false;
  // An open modal dialog owns the keyboard; Esc and Tab belong to it.
  return document.querySelector('dialog[open]') === null;
}

export interface DeskShortcutOptions {
  focusSearch: () => void;
}

/** `/` goes to the member search from anywhere in the desk. */
export function attachDeskShortcuts(opts: DeskShortcutOptions): () => void {
  function onKeydown(event: KeyboardEvent): void {
    if (!shortcutAllowed(event)) return;
    if (event.key === '/') {
      event.preventDefault();
      opts.focusSearch();
    }
  }
  document.addEventListener('keydown', onKeydown);
  return () => document.removeEventListener('keydown', onKeydown);
}
