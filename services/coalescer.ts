/**
 * Gathers calls that arrive together into one batch (one SQL statement for many lookups), each call
 * answered with its own result. docs/decisions/048-ekj-lookup-coalescing.md.
 */

/** What a coalescer runs and how much it gathers. */
export interface CoalescerOptions<K, V> {
  /**
   * Runs one batch: a result or an `Error` for each key, in the order of the keys. An `Error` fails
   * that key's call alone; a thrown error (or a wrong number of results) fails every call of the batch.
   */
  run(keys: readonly K[]): Promise<readonly (V | Error)[]>;
  /** At most this many keys in one batch: a batch starts as soon as this many wait. */
  maxBatch: number;
  /**
   * At most this many batches running at once. Keys that arrive while all run wait for the first to
   * finish (as they would wait for a pooled connection), and then go together.
   */
  maxInFlight: number;
}

/** Calls gathered into batches. */
export interface Coalescer<K, V> {
  /** The result for `key`, once the batch it joined has run. */
  load(key: K): Promise<V>;
}

interface Waiting<K, V> {
  key: K;
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * A coalescer: keys asked in the same turn of the event loop (the I/O callbacks of one poll, with
 * their promise chains) go in one batch, started in the loop's check phase (`setImmediate`); no
 * timer, so a lone call waits no longer than that turn. Under load, keys also gather while
 * `maxInFlight` batches run. Nothing is cached and equal keys are not merged: every call is its
 * own entry (each lookup writes its own audit row).
 *
 * @example
 * const reads = createCoalescer({ run: (codes) => readMany(codes), maxBatch: 100, maxInFlight: 4 });
 * const [a, b] = await Promise.all([reads.load('131052-308T'), reads.load('010101-123N')]); // one readMany
 */
export function createCoalescer<K, V>(options: CoalescerOptions<K, V>): Coalescer<K, V> {
  if (!(options.maxBatch >= 1) || !(options.maxInFlight >= 1)) throw new Error('A coalescer needs maxBatch and maxInFlight of at least 1');
  const waiting: Waiting<K, V>[] = [];
  let scheduled = false;
  let inFlight = 0;

  function startBatches() {
    while (waiting.length > 0 && inFlight < options.maxInFlight) void runBatch(waiting.splice(0, options.maxBatch));
  }

  async function runBatch(batch: Waiting<K, V>[]) {
    inFlight++;
    try {
      const results = await options.run(batch.map((w) => w.key));
      if (results.length !== batch.length) throw new Error(`A batch of ${batch.length} keys gave ${results.length} results`);
      batch.forEach((w, i) => {
        const result = results[i]!;
        if (result instanceof Error) w.reject(result);
        else w.resolve(result);
      });
    } catch (error) {
      for (const w of batch) w.reject(error);
    } finally {
      inFlight--;
      startBatches();
    }
  }

  return {
    load(key) {
      return new Promise<V>((resolve, reject) => {
        waiting.push({ key, resolve, reject });
        if (waiting.length >= options.maxBatch) startBatches();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            startBatches();
          });
        }
      });
    },
  };
}
