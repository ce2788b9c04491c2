import { invalidate } from '$app/navigation';

/**
 * Re-loads `dependency` every `intervalMs` while `active()` holds; call inside `$effect` and
 * return its result, so the timer stops when the condition ends or the page goes away.
 */
export function pollWhile(active: boolean, dependency: string, intervalMs = 1000): (() => void) | undefined {
  if (!active) return undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = async () => {
    try {
      await invalidate(dependency);
    } finally {
      if (!stopped) timer = setTimeout(poll, intervalMs);
    }
  };
  timer = setTimeout(poll, intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
