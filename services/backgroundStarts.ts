import type { Connection } from '@temporalio/client';
import { isTemporalUnavailable } from './temporalErrors';

/** How a start accepted but not yet made is tried again (docs/decisions/028). */
export interface BackgroundStartSettings {
  /** How long a start keeps being tried before it is left to reconcile (default 60 s). */
  budgetMs: number;
  /** The wait before the first retry (default 250 ms); doubled after each, up to `maxDelayMs` (default 5 s). */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long one attempt may take (default 10 s). */
  attemptMs: number;
  /** On shutdown, how long an attempt under way may still finish before it is cancelled (default 2 s). */
  shutdownGraceMs: number;
}

export const defaultBackgroundStartSettings: BackgroundStartSettings = { budgetMs: 60_000, firstDelayMs: 250, maxDelayMs: 5_000, attemptMs: 10_000, shutdownGraceMs: 2_000 };

type TemporalCalls = Pick<Connection, 'withDeadline' | 'withAbortSignal'>;

/**
 * Process starts that a request accepted (202) but could not make in time because Temporal was
 * slow or away. Each is tried again in the background with backoff for a bounded time, so its
 * process starts within seconds of Temporal answering instead of at the next reconcile (which
 * still starts whatever this gives up on, under the same workflow id).
 *
 * Every start is tracked: the process's shutdown calls `close()` before it closes the Temporal
 * connection, so no attempt runs on a closed connection. Waiting retries are dropped at once, an
 * attempt under way gets a short grace and is then cancelled; what is left is logged and left to
 * reconcile. A start never throws to anyone: failures are logged by the process's id only.
 */
export class BackgroundStarts {
  private readonly settings: BackgroundStartSettings;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Aborted when shutdown begins: no new attempt, no more waiting. */
  private readonly stopping = new AbortController();
  /** Aborted after the shutdown grace: cancels the attempts still under way. */
  private readonly cancelling = new AbortController();

  constructor(
    settings: Partial<BackgroundStartSettings> = {},
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {
    this.settings = { ...defaultBackgroundStartSettings, ...settings };
  }

  /** Starts still being tried. */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * Tries `start` (idempotent: it starts the process under its deterministic id) until it succeeds,
   * fails for a reason retrying cannot mend, the time budget ends or shutdown begins. `processId`
   * names the process (its workflow id), never a person; a second call for a process already being
   * tried adds nothing. `connection` is the one `start` calls through, so its calls can be cancelled.
   * The first attempt waits the first retry delay (the caller's own attempt just failed) unless
   * `immediately` (a start made off the answer path from the outset).
   */
  start(processId: string, connection: TemporalCalls, start: () => Promise<void>, { immediately = false } = {}): void {
    if (this.inFlight.has(processId)) return;
    if (this.stopping.signal.aborted) {
      this.log(`[start-later] ${processId}: shutting down; reconcile starts it`);
      return;
    }
    const run = this.retry(processId, connection, start, immediately)
      .catch((error: unknown) => this.log(`[start-later] ${processId}: ${describe(error)}; reconcile starts it`))
      .finally(() => this.inFlight.delete(processId));
    this.inFlight.set(processId, run);
  }

  private async retry(processId: string, connection: TemporalCalls, start: () => Promise<void>, immediately: boolean): Promise<void> {
    const { budgetMs, firstDelayMs, maxDelayMs, attemptMs } = this.settings;
    const began = Date.now();
    let delay = firstDelayMs;
    for (let attempt = 1; ; attempt++) {
      if (!(await pause(attempt === 1 && immediately ? 0 : delay, this.stopping.signal))) {
        this.log(`[start-later] ${processId}: shutting down after ${attempt - 1} attempt(s); reconcile starts it`);
        return;
      }
      try {
        await connection.withAbortSignal(this.cancelling.signal, () => connection.withDeadline(Date.now() + attemptMs, start));
        // Quiet when a start made off the answer path went through at once; a late start is worth a line.
        if (attempt > 1 || !immediately) this.log(`[start-later] ${processId}: started on attempt ${attempt}, ${Date.now() - began} ms after it was accepted`);
        return;
      } catch (error) {
        if (this.stopping.signal.aborted) {
          this.log(`[start-later] ${processId}: shutting down during attempt ${attempt} (${describe(error)}); reconcile starts it`);
          return;
        }
        if (!isTemporalUnavailable(error)) {
          this.log(`[start-later] ${processId}: attempt ${attempt} failed (${describe(error)}); not retried, reconcile starts it`);
          return;
        }
        if (attempt > 1 || !immediately) delay = Math.min(delay * 2, maxDelayMs);
        if (Date.now() - began + delay >= budgetMs) {
          this.log(`[start-later] ${processId}: Temporal did not take it in ${attempt} attempt(s) over ${Date.now() - began} ms; reconcile starts it`);
          return;
        }
      }
    }
  }

  /**
   * Shutdown, before the Temporal connection closes: no new attempts; an attempt under way gets the
   * grace time and is then cancelled. Resolves when every start has ended (never rejects).
   */
  async close(): Promise<void> {
    this.stopping.abort();
    if (!this.inFlight.size) return;
    const cut = setTimeout(() => this.cancelling.abort(), this.settings.shutdownGraceMs);
    // Bounded as well: a call the SDK never settles (its gRPC retry timer failing on a connection
    // already closed under it) must not hold the shutdown.
    let giveUp: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      Promise.allSettled([...this.inFlight.values()]).then(() => true),
      new Promise<false>((resolve) => (giveUp = setTimeout(() => resolve(false), this.settings.shutdownGraceMs + 3_000))),
    ]);
    clearTimeout(cut);
    clearTimeout(giveUp);
    if (!ended) this.log(`[start-later] shutdown: ${[...this.inFlight.keys()].join(', ')} did not end; reconcile starts them`);
  }
}

/** How long a submission waits for Temporal to take its process by default (ServiceContext.startWaitMs). */
export const START_WAIT_MS = 3000;

/**
 * Starts a process a request just stored (idempotent: under its deterministic id) within `waitMs`;
 * when Temporal does not answer in time, the start is tried again in the background for a while and
 * the caller answers 202 anyway: the stored row is the acceptance, and reconcile starts whatever
 * the background gives up on (decision 028). False when the start was left to the background;
 * failures other than Temporal being away or slow are thrown. `tag` starts the log line, which
 * names the process by its id only.
 */
export async function startWithin(
  temporal: { connection: TemporalCalls },
  starts: BackgroundStarts,
  processId: string,
  waitMs: number,
  start: () => Promise<void>,
  tag: string,
): Promise<boolean> {
  try {
    await temporal.connection.withDeadline(Date.now() + waitMs, start);
    return true;
  } catch (error) {
    if (!isTemporalUnavailable(error)) throw error;
    console.warn(`[${tag}] Temporal did not take ${processId} in ${waitMs} ms; trying again in the background`);
    starts.start(processId, temporal.connection, start);
    return false;
  }
}

/** Waits `ms` unless `signal` aborts first; false when it aborted. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort);
  });
}

/** An error's kind and code for the log: Temporal's and gRPC's messages name processes, not people. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const code = (error as { code?: unknown }).code;
  return `${error.name}${code !== undefined ? ` ${String(code)}` : ''}: ${error.message.slice(0, 200)}`;
}
