/**
 * Runs `work` on each of `items`, taken in order by up to `lanes` at once (calls to other systems
 * that answer one at a time). The first failure stops every lane from taking more; it is thrown
 * once the lanes have finished the item each holds, so nothing runs on after the caller has failed.
 */
export async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  let failure: unknown;
  const lane = async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  if (failed) throw failure;
}
