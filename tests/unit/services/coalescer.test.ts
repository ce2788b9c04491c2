import { describe, expect, it } from 'vitest';
import { createCoalescer } from '../../../services/coalescer';

/** A batch function that records its batches and answers each key after `release()`, or at once. */
function recorder<K, V>(answer: (key: K) => V | Error, opts: { held?: boolean } = {}) {
  const batches: K[][] = [];
  const releases: (() => void)[] = [];
  let running = 0;
  let mostRunning = 0;
  const run = async (keys: readonly K[]) => {
    batches.push([...keys]);
    running++;
    mostRunning = Math.max(mostRunning, running);
    if (opts.held) await new Promise<void>((r) => releases.push(r));
    running--;
    return keys.map(answer);
  };
  return { run, batches, releaseAll: () => releases.splice(0).forEach((r) => r()), mostRunning: () => mostRunning };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('createCoalescer', () => {
  it('gathers the calls of one turn into one batch and answers each with its own result, in order', async () => {
    const r = recorder((k: number) => k * 10);
    const c = createCoalescer({ run: r.run, maxBatch: 100, maxInFlight: 4 });
    const results = await Promise.all([3, 1, 2, 1].map((k) => c.load(k)));
    expect(results).toEqual([30, 10, 20, 10]);
    // Equal keys are not merged: each call is its own entry.
    expect(r.batches).toEqual([[3, 1, 2, 1]]);
    // The next turn is the next batch.
    expect(await c.load(7)).toBe(70);
    expect(r.batches).toEqual([[3, 1, 2, 1], [7]]);
  });

  it('calls from separate turns go separately when a statement is free', async () => {
    const r = recorder((k: string) => k.toUpperCase());
    const c = createCoalescer({ run: r.run, maxBatch: 100, maxInFlight: 4 });
    const a = c.load('a');
    await turn();
    const b = c.load('b');
    expect(await Promise.all([a, b])).toEqual(['A', 'B']);
    expect(r.batches).toEqual([['a'], ['b']]);
  });

  it('starts a batch as soon as maxBatch keys wait, and splits what arrives beyond it', async () => {
    const r = recorder((k: number) => k);
    const c = createCoalescer({ run: r.run, maxBatch: 3, maxInFlight: 10 });
    const all = Promise.all([1, 2, 3, 4, 5, 6, 7].map((k) => c.load(k)));
    // Each full batch started at once, before the turn ended; the rest waits for it.
    expect(r.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await all).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('runs at most maxInFlight batches; calls arriving meanwhile wait and then go together', async () => {
    const r = recorder((k: number) => -k, { held: true });
    const c = createCoalescer({ run: r.run, maxBatch: 100, maxInFlight: 2 });
    const first = c.load(1);
    await turn();
    const second = c.load(2);
    await turn();
    // Both statements run: these wait, over several turns, for one to finish.
    const later = [c.load(3)];
    await turn();
    later.push(c.load(4), c.load(5));
    await turn();
    expect(r.batches).toEqual([[1], [2]]);
    r.releaseAll();
    expect(await Promise.all([first, second])).toEqual([-1, -2]);
    await turn();
    expect(r.batches).toEqual([[1], [2], [3, 4, 5]]);
    r.releaseAll();
    expect(await Promise.all(later)).toEqual([-3, -4, -5]);
    expect(r.mostRunning()).toBe(2);
  });

  it("an Error for one key fails that call alone; the batch's other calls get their results", async () => {
    const r = recorder((k: string) => (k === 'bad' ? new Error(`no such key ${k}`) : `ok ${k}`));
    const c = createCoalescer({ run: r.run, maxBatch: 100, maxInFlight: 4 });
    const results = await Promise.allSettled(['x', 'bad', 'y'].map((k) => c.load(k)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 'ok x' },
      { status: 'rejected', reason: new Error('no such key bad') },
      { status: 'fulfilled', value: 'ok y' },
    ]);
    expect(r.batches).toHaveLength(1);
  });

  it('a batch that throws fails its own calls only; the next batch runs', async () => {
    let calls = 0;
    const c = createCoalescer({
      run: async (keys: readonly number[]) => {
        if (calls++ === 0) throw new Error('connection lost');
        return keys.map((k) => k + 1);
      },
      maxBatch: 100,
      maxInFlight: 1,
    });
    const failed = Promise.allSettled([c.load(1), c.load(2), c.load(3)]);
    await turn();
    // Arrived in the next turn: a batch of its own.
    const after = c.load(4);
    const rejected = { status: 'rejected', reason: new Error('connection lost') };
    expect(await failed).toEqual([rejected, rejected, rejected]);
    expect(await after).toBe(5);
  });

  it('a batch function that answers the wrong number of results fails its batch, not a neighbour', async () => {
    const c = createCoalescer({ run: async (keys: readonly number[]) => keys.slice(1), maxBatch: 100, maxInFlight: 4 });
    await expect(Promise.all([c.load(1), c.load(2)])).rejects.toThrow('A batch of 2 keys gave 1 results');
    const c2 = createCoalescer({ run: async (keys: readonly number[]) => (keys.length > 1 ? keys.slice(1) : keys), maxBatch: 100, maxInFlight: 4 });
    expect(await c2.load(9)).toBe(9);
  });

  it('a batch function that throws before its first await fails its calls too', async () => {
    const c = createCoalescer<number, number>({
      run: () => {
        throw new Error('bad statement');
      },
      maxBatch: 100,
      maxInFlight: 4,
    });
    await expect(c.load(1)).rejects.toThrow('bad statement');
  });

  it('refuses a batch size or concurrency below 1', () => {
    expect(() => createCoalescer({ run: async () => [], maxBatch: 0, maxInFlight: 1 })).toThrow(/at least 1/);
    expect(() => createCoalescer({ run: async () => [], maxBatch: 1, maxInFlight: 0 })).toThrow(/at least 1/);
  });
});
