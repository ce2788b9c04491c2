import { describe, expect, it } from 'vitest';
import { inLanes } from '../../../activities/lanes';

const tick = () => new Promise((r) => setImmediate(r));

describe('inLanes', () => {
  it('takes every item once, in order, never more than `lanes` at once', async () => {
    const taken: number[] = [];
    let running = 0;
    let most = 0;
    await inLanes([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      taken.push(n);
      most = Math.max(most, ++running);
      await tick();
      running -= 1;
    });
    expect(taken).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('after the first failure takes nothing more, lets the lanes finish what they hold, then throws that failure', async () => {
    const finished: number[] = [];
    const error = await inLanes([1, 2, 3, 4, 5, 6], 2, async (n) => {
      await tick();
      if (n === 2) throw new Error('two failed');
      await tick();
      finished.push(n);
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('two failed');
    // 1 was held when 2 failed and finished; 3 and later were never taken.
    expect(finished).toEqual([1]);
  });

  it('does nothing for no items', async () => {
    await expect(inLanes([], 4, async () => { throw new Error('never'); })).resolves.toBeUndefined();
  });
});
