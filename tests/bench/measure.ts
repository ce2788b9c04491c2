// Shared measuring tools for the benchmarks (percentiles and the PRNG are in readSeed.ts): the CPU
// split between Node, PostgreSQL and Temporal, one-at-a-time timing, an open-loop load generator.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * CPU seconds used so far by this process, by its PostgreSQL and Temporal dev server child
 * processes and by its worker processes (Node children; Linux /proc; reaped children such as
 * parallel workers count via cutime). Shows where the 2 cores went during a phase.
 */
export function cpuSnapshot(): Record<'node' | 'workers' | 'postgres' | 'temporal', number> {
  const usage = process.cpuUsage();
  const totals = { node: (usage.user + usage.system) / 1e6, workers: 0, postgres: 0, temporal: 0 };
  const procs = new Map<number, { ppid: number; comm: string; own: number; reaped: number }>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return totals;
  }
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    const tick = (i: number) => Number(fields[i] ?? 0) / 100;
    procs.set(Number(pid), { ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close), own: tick(11) + tick(12), reaped: tick(13) + tick(14) });
  }
  const descends = (pid: number) => {
    for (let p = procs.get(pid)?.ppid, hops = 0; p && hops < 10; p = procs.get(p)?.ppid, hops++) if (p === process.pid) return true;
    return false;
  };
  for (const [pid, p] of procs) {
    if (!descends(pid)) continue;
    if (p.comm === 'postgres') totals.postgres += p.own + p.reaped;
    else if (p.comm.startsWith('temporal')) totals.temporal += p.own + p.reaped;
    else if (p.comm === 'node' || p.comm.startsWith('node ')) totals.workers += p.own;
  }
  return totals;
}

export function cpuSplit(before: ReturnType<typeof cpuSnapshot>, seconds: number) {
  const after = cpuSnapshot();
  const share = (k: keyof typeof after) => `${k} ${(((after[k] - before[k]) / seconds) * 100).toFixed(0)} %`;
  const workers = after.workers > 0 ? `, worker processes ${(((after.workers - before.workers) / seconds) * 100).toFixed(0)} %` : '';
  return `CPU (100 % = one core): ${share('node')}${workers}, ${share('postgres')}, ${share('temporal')}`;
}

/**
 * CPU milliseconds each item cost since `before`, by process group: less sensitive to other work
 * on the machine than a rate is (a starved system decides fewer per second, not more per item).
 */
export function cpuPerItem(before: ReturnType<typeof cpuSnapshot>, items: number, what: string) {
  const after = cpuSnapshot();
  const per = (k: keyof typeof after) => (((after[k] - before[k]) * 1000) / Math.max(items, 1)).toFixed(1);
  const total = (Object.keys(after) as (keyof typeof after)[]).reduce((sum, k) => sum + after[k] - before[k], 0);
  const workers = after.workers > 0 ? `, worker processes ${per('workers')}` : '';
  return `CPU ms per ${what}: ${((total * 1000) / Math.max(items, 1)).toFixed(1)} (node ${per('node')}${workers}, postgres ${per('postgres')}, temporal ${per('temporal')})`;
}

/** Runs `work` over `items` one at a time; returns each item's latency in ms. */
export async function timeEach<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await work(item);
    latencies.push(performance.now() - t);
  }
  return latencies;
}

/** The median of some timings. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Milliseconds as printed: one decimal under 10. */
export const ms = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));

/** Runs `work` once to warm up, then `rounds` times; returns each round's time in ms. */
export async function timeRounds(work: () => Promise<unknown>, rounds: number): Promise<number[]> {
  await work();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await work();
    out.push(performance.now() - t);
  }
  return out;
}

export interface OpenLoopResult {
  /** Epoch ms at which request 0 was due; request i was due at start + i × 1000 / rate. */
  start: number;
  /** Per request: ms from its scheduled send time to its answer (NaN where `send` threw). */
  latencies: number[];
  errors: Map<string, number>;
  /** Seconds from the first scheduled send to the last answer. */
  seconds: number;
  /** How far behind its schedule the generator sent a request at worst (its own event loop lag), ms. */
  maxSendLag: number;
}

/**
 * Open-loop load: `rate` requests a second for `seconds`, each sent on its schedule whether or
 * not earlier ones have been answered (a late generator sends the overdue ones at once). Latency
 * is measured from the scheduled send time, not the actual one, so a stall in the system under
 * test or in the generator counts against the system (no coordinated omission). `send` throws to
 * count an error; the message's first line is the error's key.
 */
export async function openLoop(rate: number, seconds: number, send: (i: number, scheduledAt: number) => Promise<void>): Promise<OpenLoopResult> {
  const n = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Array<number>(n).fill(NaN);
  const errors = new Map<string, number>();
  const start = Date.now() + 50;
  const t0 = performance.now() + 50;
  let maxSendLag = 0;
  let lastAnswer = t0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    maxSendLag = Math.max(maxSendLag, performance.now() - due);
    inFlight.push(
      send(i, start + i * interval).then(
        () => {
          lastAnswer = Math.max(lastAnswer, performance.now());
          latencies[i] = performance.now() - due;
        },
        (error: unknown) => {
          lastAnswer = Math.max(lastAnswer, performance.now());
          const key = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 120);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { start, latencies, errors, seconds: (lastAnswer - t0) / 1000, maxSendLag };
}

/** One request the HTTP load generator sends: its path (with the query) and, for a POST, its JSON body. */
export interface HttpLoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface HttpOpenLoopResult {
  /** Per request, in order: ms from its due time to the end of its answer (NaN when it failed). */
  latencies: number[];
  errors: number;
  firstError: string | null;
  /** ms from the first due time to the last answer. */
  wall: number;
  /** How far behind its schedule the generator sent a request at worst, ms. */
  maxSendLag: number;
  /** The share of the generator thread's time spent working (its event loop utilisation): its cost on the machine. */
  generatorBusy: number;
  /** Epoch ms at which request 0 was due; request i was due at startEpoch + i × 1000 / rate. */
  startEpoch: number;
}

/**
 * The open-loop HTTP load generator, in its own thread so its timers do not queue behind the
 * server's work: request i is due at start + i / rate whether or not earlier ones have answered,
 * and its latency counts from when it was due (so a stall is not hidden by sending less: no
 * coordinated omission). HTTP/1.1 written and read by hand on keep-alive sockets, one request at a
 * time per socket (a new socket whenever all are busy): fetch (undici) cost about 1 ms of CPU per
 * request and node:http about 0.5 ms, as much as the server's own work, on the same 2 cores. An
 * answer is framed by its Content-Length (what @hono/node-server sends); anything but 200 is an
 * error.
 */
const httpGenerator = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { origin, headers, requests, rate, seconds } = workerData;
const { hostname, port, host } = new URL(origin);
const head = Object.entries({ host, ...headers }).map(([k, v]) => k + ': ' + v + '\\r\\n').join('');
const wire = requests.map((r) => {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body);
  const extra = r.body === undefined ? '' : 'content-type: application/json\\r\\ncontent-length: ' + body.length + '\\r\\n';
  return Buffer.concat([Buffer.from(r.method + ' ' + r.path + ' HTTP/1.1\\r\\n' + head + extra + '\\r\\n'), body]);
});
const total = Math.round(rate * seconds);
const latencies = new Array(total).fill(NaN);
let errors = 0, firstError = null, done = 0, sent = 0, maxSendLag = 0;
const idle = [];
const sockets = new Set();
const elu0 = performance.eventLoopUtilization();
const start = performance.now() + 50;
function finish(i, due, error) {
  if (error) { errors++; firstError ??= error; } else latencies[i] = performance.now() - due;
  if (++done === total) {
    const busy = performance.eventLoopUtilization(elu0).utilization;
    for (const s of sockets) s.destroy();
    parentPort.postMessage({ latencies, errors, firstError, wall: performance.now() - start, maxSendLag, generatorBusy: busy, startEpoch: performance.timeOrigin + start });
  }
}
function connection() {
  const s = net.connect({ host: hostname, port: Number(port) });
  s.setNoDelay(true);
  sockets.add(s);
  let buf = null, current = null;
  const fail = (e) => { sockets.delete(s); const i = idle.indexOf(s); if (i >= 0) idle.splice(i, 1); if (current) { const c = current; current = null; finish(c.i, c.due, String(e)); } };
  s.on('error', fail);
  s.on('close', () => fail('connection closed'));
  s.on('data', (chunk) => {
    buf = buf ? Buffer.concat([buf, chunk]) : chunk;
    const end = buf.indexOf('\\r\\n\\r\\n');
    if (end < 0 || !current) return;
    const header = buf.toString('latin1', 0, end);
    const length = /\\r\\ncontent-length: *(\\d+)/i.exec(header);
    if (!length) return s.destroy(new Error('an answer without Content-Length'));
    if (buf.length < end + 4 + Number(length[1])) return;
    buf = buf.length > end + 4 + Number(length[1]) ? buf.subarray(end + 4 + Number(length[1])) : null;
    const status = Number(header.slice(9, 12));
    const c = current;
    current = null;
    idle.push(s);
    finish(c.i, c.due, status === 200 ? null : 'HTTP ' + status);
  });
  s.send = (i, due) => { current = { i, due }; s.write(wire[i % wire.length]); };
  return s;
}
function fire(i) {
  const due = start + (i * 1000) / rate;
  maxSendLag = Math.max(maxSendLag, performance.now() - due);
  (idle.pop() ?? connection()).send(i, due);
}
function tick() {
  const now = performance.now();
  while (sent < total && start + (sent * 1000) / rate <= now) fire(sent++);
  if (sent < total) setTimeout(tick, Math.max(0, Math.min(2, start + (sent * 1000) / rate - performance.now())));
}
setTimeout(tick, 50);
`;

/** Sends `requests` (cycled) to `origin` open-loop at `rate` per second for `seconds`, from a thread of its own. */
export function openLoopHttp(origin: string, headers: Record<string, string>, requests: HttpLoadRequest[], rate: number, seconds: number): Promise<HttpOpenLoopResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(httpGenerator, { eval: true, workerData: { origin, headers, requests, rate, seconds } });
    w.once('message', (m: HttpOpenLoopResult) => void w.terminate().then(() => resolve(m)));
    w.once('error', reject);
  });
}

/** A V8 CPU profile of this thread (the server's) from now until stop(file) (BENCH_CPU_PROF=dir). */
export async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
