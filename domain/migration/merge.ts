/**
 * A later batch over what an earlier one loaded (phased migration), field by field, three ways:
 * `loaded` is what the migration last wrote, `current` what the register holds now, `incoming`
 * what the new batch says. A field the register still holds as loaded takes the incoming value; a
 * field changed in the register since (current ≠ loaded) keeps the register's value and is named.
 */
export interface MergeResult<T> {
  /** The fields to write (only those that change). */
  changes: Partial<T>;
  /** Fields the register changed since the last load; the incoming value was not written. */
  kept: (keyof T & string)[];
  /** What the migration now counts as loaded: the incoming values, so the next batch compares against them. */
  loaded: T;
}

export function mergeLoaded<T extends Record<string, unknown>>(loaded: T, current: T, incoming: T): MergeResult<T> {
  const changes: Partial<T> = {};
  const kept: (keyof T & string)[] = [];
  for (const key of Object.keys(incoming) as (keyof T & string)[]) {
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    if (same(incoming[key], loaded[key])) continue;
    if (!same(current[key], loaded[key])) {
      if (!same(current[key], incoming[key])) kept.push(key);
      continue;
    }
    changes[key] = incoming[key];
  }
  return { changes, kept, loaded: incoming };
}
