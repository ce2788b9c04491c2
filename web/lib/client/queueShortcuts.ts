import { shortcutAllowed } from './shortcuts';

/**
 * Keyboard shortcuts of the work queue. The selection is the row holding focus (or the last one
 * chosen), so a screen reader follows it and the shortcuts only add speed to plain tabbing.
 * `/` (member search) belongs to the whole desk: see shortcuts.ts.
 */
export interface QueueShortcutOptions {
  /** The element holding the task rows (`[data-testid="task-row"]`). */
  table: () => HTMLElement | null | undefined;
  focusFilter: () => void;
  showHelp: () => void;
}

const ROW = '[data-testid="task-row"]';
const SELECTED = 'data-selected';

export function attachQueueShortcuts(opts: QueueShortcutOptions): () => void {
  let selectedId: string | null = null;

  const rows = (): HTMLElement[] => [...(opts.table()?.querySelectorAll<HTMLElement>(ROW) ?? [])];

  function currentIndex(list: HTMLElement[]): number {
    const focused = document.activeElement?.closest<HTMLElement>(ROW);
    if (focused && list.includes(focused)) return list.indexOf(focused);
    return list.findIndex((row) => row.dataset.taskId === selectedId);
  }

  function select(list: HTMLElement[], index: number): void {
    const row = list[index];
    if (!row) return;
    for (const r of list) r.removeAttribute(SELECTED);
    row.setAttribute(SELECTED, 'true');
    selectedId = row.dataset.taskId ?? null;
    row.querySelector<HTMLElement>('[data-action="open"]')?.focus();
    row.scrollIntoView({ block: 'nearest' });
  }

  function move(delta: number): void {
    const list = rows();
    if (list.length === 0) return;
    const at = currentIndex(list);
    const next = at === -1 ? (delta > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + delta));
    select(list, next);
  }

  function press(action: 'open' | 'claim' | 'unclaim'): boolean {
    const list = rows();
    const row = list[currentIndex(list)];
    const control = row?.querySelector<HTMLElement>(`[data-action="${action}"]`);
    if (!control) return false;
    control.click();
    return true;
  }

  function onKeydown(event: KeyboardEvent): void {
    if (!shortcutAllowed(event)) return;

    switch (event.key) {
      case 'j':
      case 'ArrowDown':
        event.preventDefault();
        move(1);
        return;
      case 'k':
      case 'ArrowUp':
        event.preventDefault();
        move(-1);
        return;
      case 'Enter': {
        // A focused link or button already acts on Enter by itself.
        const active = document.activeElement;
        if (active instanceof HTMLAnchorElement || active instanceof HTMLButtonElement) return;
        if (press('open')) event.preventDefault();
        return;
      }
      case 'c':
        if (press('claim')) event.preventDefault();
        return;
      case 'u':
        if (press('unclaim')) event.preventDefault();
        return;
      case 'f':
        event.preventDefault();
        opts.focusFilter();
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
