// What happened on the machine while an open-loop phase ran, to find what its slow windows were:
// the server thread's garbage collections and event-loop lag (in the thread, next to no cost), and
// with BENCH_STALLS=1 a sampler thread of its own reading the kernel's CPU and pressure counters and
// PostgreSQL's activity (autovacuum, checkpoints, what backends wait for) every 50 ms.
import { createRequire } from 'node:module';
import { PerformanceObserver } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

/** A time (epoch ms) with what was seen then. */
interface Mark {
  at: number;
  what: string;
}

/** One sample of the sampler thread. */
interface Sample {
  at: number;
  /** CPU jiffies since the last sample, by kind (all cores together; 100 per core-second). */
  cpu: { user: number; system: number; idle: number; iowait: number; steal: number };
  /** CPU jiffies since the last sample by group: the server's main thread, its other Node threads (generator, sampler), V8's and libuv's threads, PostgreSQL, Temporal, other children. */
  ours: Record<'main' | 'nodeThreads' | 'v8' | 'libuv' | 'postgres' | 'temporal' | 'children', number>;
  /** Runnable tasks on the machine (loadavg's 4th field) at the sample. */
  runnable: number;
  /** Microseconds some task stalled for CPU / for I/O since the last sample (PSI "some"). */
  cpuPressure: number;
  ioPressure: number;
  /** PostgreSQL: what non-idle backends were doing, as `backend_type:wait_event` (null wait: on CPU). */
  pg: string[];
  /** Checkpoints and autovacuum counters' changes since the last sample, as words. */
  pgEvents: string[];
}

const sampler = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const postgres = require(workerData.postgresPath);
const sql = postgres(workerData.databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'bench-stall-probe' } });
const samples = [];
// CPU by group: this process's main thread, its other 'node' threads (the load generator, this
// sampler), V8's helpers (GC, compiler), libuv's pool; PostgreSQL and Temporal (descendants).
const root = workerData.rootPid;
let descendants = [], lastScan = 0, lastGroups = null;
const statOf = (path) => { try { const s = readFileSync(path, 'utf8'); const c = s.lastIndexOf(')'); const f = s.slice(c + 2).split(' '); return { comm: s.slice(s.indexOf('(') + 1, c), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }; } catch { return null; } };
function scan() {
  const parents = new Map();
  for (const d of require('node:fs').readdirSync('/proc')) if (/^\\d+$/.test(d)) { const s = statOf('/proc/' + d + '/stat'); if (s) parents.set(Number(d), s); }
  descendants = [...parents].filter(([pid]) => { for (let p = parents.get(pid)?.ppid, h = 0; p && h < 10; p = parents.get(p)?.ppid, h++) if (p === root) return true; return false; }).map(([pid, s]) => ({ pid, group: s.comm === 'postgres' ? 'postgres' : s.comm.startsWith('temporal') ? 'temporal' : 'children' }));
}
function groups() {
  const g = { main: 0, nodeThreads: 0, v8: 0, libuv: 0, postgres: 0, temporal: 0, children: 0 };
  for (const t of require('node:fs').readdirSync('/proc/' + root + '/task')) {
    const s = statOf('/proc/' + root + '/task/' + t + '/stat'); if (!s) continue;
    const k = Number(t) === root ? 'main' : s.comm.startsWith('V8') ? 'v8' : s.comm.startsWith('libuv') ? 'libuv' : 'nodeThreads';
    g[k] += s.ticks;
  }
  for (const d of descendants) { const s = statOf('/proc/' + d.pid + '/stat'); if (s) g[d.group] += s.ticks; }
  return g;
}
let last = null, running = true, lastCk = null;
const cpuOf = () => { const f = readFileSync('/proc/stat', 'utf8').split('\\n')[0].trim().split(/\\s+/).slice(1).map(Number); return { user: f[0] + f[1], system: f[2] + f[5] + f[6], idle: f[3], iowait: f[4], steal: f[7] }; };
const psi = (k) => { try { return Number(/some .*total=(\\d+)/.exec(readFileSync('/proc/pressure/' + k, 'utf8'))[1]); } catch { return 0; } };
async function tick() {
  const at = performance.timeOrigin + performance.now();
  if (at - lastScan > 1000) { scan(); lastScan = at; }
  const now = { cpu: cpuOf(), cpuP: psi('cpu'), ioP: psi('io'), groups: groups() };
  const runnable = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[3].split('/')[0]);
  let pg = [], pgEvents = [];
  try {
    const rows = await sql\`SELECT backend_type, state, coalesce(wait_event_type || ':' || wait_event, 'cpu') AS w, left(query, 40) AS q
      FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (state IS DISTINCT FROM 'idle') AND NOT (backend_type <> 'client backend' AND wait_event IN ('CheckpointerMain', 'BgwriterHibernate', 'BgwriterMain', 'WalWriterMain', 'AutovacuumMain', 'LogicalLauncherMain', 'IoWorkerMain', 'WalSummarizerWakeup', 'SysLoggerMain', 'ArchiverMain'))\`;
    pg = rows.map((r) => r.backend_type === 'client backend' ? r.w : r.backend_type + ':' + r.w + (r.backend_type === 'autovacuum worker' ? ' ' + r.q : ''));
    const [ck] = await sql\`SELECT num_timed + num_requested AS n, buffers_written AS b FROM pg_stat_checkpointer\`;
    if (lastCk && Number(ck.n) !== lastCk.n) pgEvents.push('checkpoint #' + ck.n);
    if (lastCk && Number(ck.b) !== lastCk.b) pgEvents.push('checkpointer wrote ' + (Number(ck.b) - lastCk.b) + ' buffers');
    lastCk = { n: Number(ck.n), b: Number(ck.b) };
  } catch (e) { pg = ['probe error: ' + String(e).slice(0, 60)]; }
  if (last) {
    const d = (k) => now.cpu[k] - last.cpu[k];
    const ours = {}; for (const k in now.groups) ours[k] = now.groups[k] - last.groups[k];
    samples.push({ at, ours, cpu: { user: d('user'), system: d('system'), idle: d('idle'), iowait: d('iowait'), steal: d('steal') }, runnable, cpuPressure: now.cpuP - last.cpuP, ioPressure: now.ioP - last.ioP, pg, pgEvents });
  }
  last = now;
  if (running) setTimeout(tick, Math.max(0, 50 - (performance.timeOrigin + performance.now() - at)));
  else { await sql.end({ timeout: 1 }); parentPort.postMessage(samples); }
}
parentPort.on('message', () => { running = false; });
tick();
`;

export interface StallProbe {
  /** Stops the probe; what it saw between start and now. */
  stop(): Promise<StallReport>;
}

export interface StallReport {
  gc: Mark[];
  gcTotal: number;
  gcMax: number;
  /** The server thread's lags over 20 ms (a timer 10 ms apart firing late), epoch ms at the lag's end. */
  lags: Mark[];
  lagMax: number;
  samples: Sample[];
}

/** Starts watching: the server thread always, the machine and PostgreSQL when BENCH_STALLS=1. */
export function startStallProbe(databaseUrl: string | null): StallProbe {
  const gc: Mark[] = [];
  let gcTotal = 0;
  let gcMax = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcTotal += e.duration;
      gcMax = Math.max(gcMax, e.duration);
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (e.duration >= 5) gc.push({ at: performance.timeOrigin + e.startTime, what: `gc ${kind === 4 ? 'major' : kind === 1 ? 'minor' : `kind ${kind}`} ${e.duration.toFixed(0)} ms` });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const lags: Mark[] = [];
  let lagMax = 0;
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const lag = performance.now() - expected;
    lagMax = Math.max(lagMax, lag);
    if (lag > 20) lags.push({ at: performance.timeOrigin + performance.now(), what: `event loop ${lag.toFixed(0)} ms late` });
    expected = performance.now() + 10;
  }, 10);
  const worker =
    process.env.BENCH_STALLS === '1' && databaseUrl
      ? new Worker(sampler, { eval: true, workerData: { databaseUrl, rootPid: process.pid, postgresPath: createRequire(import.meta.url).resolve('postgres') } })
      : null;
  const samples = worker ? new Promise<Sample[]>((resolve, reject) => worker.once('message', resolve).once('error', reject)) : Promise.resolve([]);
  return {
    async stop() {
      clearInterval(timer);
      observer.disconnect();
      worker?.postMessage('stop');
      const s = await samples;
      await worker?.terminate();
      return { gc, gcTotal, gcMax, lags, lagMax, samples: s };
    },
  };
}

const groupNames = ['main', 'nodeThreads', 'v8', 'libuv', 'postgres', 'temporal', 'children'] as const;
const groupLabels: Record<(typeof groupNames)[number] | 'rest', string> = { main: 'server thread', nodeThreads: 'generator+sampler threads', v8: 'V8 helpers', libuv: 'libuv pool', postgres: 'postgres', temporal: 'temporal', children: 'other children', rest: 'rest of machine' };

/** Where the machine's CPU went over samples, in % of the machine (2 cores = 100 %). */
function cpuByGroup(samples: Sample[]): string {
  const sum = (f: (s: Sample) => number) => samples.reduce((a, s) => a + f(s), 0);
  const jiffies = sum((s) => s.cpu.user + s.cpu.system + s.cpu.idle + s.cpu.iowait + s.cpu.steal) || 1;
  const groups = groupNames.map((k) => ({ k: groupLabels[k], v: sum((s) => s.ours[k]) }));
  const rest = sum((s) => s.cpu.user + s.cpu.system) - groups.reduce((a, g) => a + g.v, 0);
  return `${[...groups, { k: groupLabels.rest, v: rest }]
    .filter((g) => g.v > 0)
    .map((g) => `${g.k} ${((g.v / jiffies) * 100).toFixed(0)}`)
    .join(', ')}, idle ${((sum((s) => s.cpu.idle + s.cpu.iowait) / jiffies) * 100).toFixed(0)}`;
}

/** The whole phase's CPU by group (BENCH_STALLS=1), or nothing. */
export function phaseCpu(report: StallReport): string {
  return report.samples.length ? `machine CPU % (100 = both cores): ${cpuByGroup(report.samples)}` : '';
}

/**
 * The phase's slow windows: 100-ms slots (by due time) whose slowest answer took over `slowMs`,
 * merged when adjacent; for each, what the probe saw in it (and the 200 ms before it).
 */
export function describeStalls(start: number, rate: number, latencies: number[], report: StallReport, slowMs: number): string[] {
  const slotMs = 100;
  const slots = new Map<number, { n: number; slow: number; max: number }>();
  latencies.forEach((l, i) => {
    const slot = Math.floor((i * 1000) / rate / slotMs);
    const s = slots.get(slot) ?? { n: 0, slow: 0, max: 0 };
    s.n++;
    if (Number.isNaN(l) || l > slowMs) s.slow++;
    s.max = Math.max(s.max, Number.isNaN(l) ? Infinity : l);
    slots.set(slot, s);
  });
  const windows: { from: number; to: number; slow: number; n: number; max: number }[] = [];
  for (const slot of [...slots.keys()].sort((a, b) => a - b)) {
    const s = slots.get(slot)!;
    if (s.max <= slowMs) continue;
    const w = windows.at(-1);
    if (w && w.to === slot) Object.assign(w, { to: slot + 1, slow: w.slow + s.slow, n: w.n + s.n, max: Math.max(w.max, s.max) });
    else windows.push({ from: slot, to: slot + 1, slow: s.slow, n: s.n, max: s.max });
  }
  const out: string[] = [];
  for (const w of windows.slice(0, 8)) {
    const from = start + w.from * slotMs;
    const to = start + w.to * slotMs + w.max; // its requests were answered up to max ms after they were due
    const inside = (m: { at: number }) => m.at >= from - 200 && m.at <= to;
    const gcs = report.gc.filter(inside);
    const lags = report.lags.filter(inside);
    const samples = report.samples.filter(inside);
    const sum = (f: (s: Sample) => number) => samples.reduce((a, s) => a + f(s), 0);
    const jiffies = sum((s) => s.cpu.user + s.cpu.system + s.cpu.idle + s.cpu.iowait + s.cpu.steal) || 1;
    const pct = (f: (s: Sample) => number) => `${((sum(f) / jiffies) * 100).toFixed(0)} %`;
    const ourCpu = `CPU %: ${cpuByGroup(samples)}`;
    const pg = new Map<string, number>();
    for (const s of samples) for (const p of [...s.pg, ...s.pgEvents]) pg.set(p, (pg.get(p) ?? 0) + 1);
    const machine = samples.length
      ? `; machine: user ${pct((s) => s.cpu.user)}, sys ${pct((s) => s.cpu.system)}, iowait ${pct((s) => s.cpu.iowait)}, steal ${pct((s) => s.cpu.steal)}, idle ${pct((s) => s.cpu.idle)}, runnable max ${Math.max(...samples.map((s) => s.runnable))}, cpu stall ${(sum((s) => s.cpuPressure) / 1000).toFixed(0)} ms, io stall ${(sum((s) => s.ioPressure) / 1000).toFixed(0)} ms; ${ourCpu}; postgres (samples seen): ${[...pg].map(([k, n]) => `${k} ×${n}`).join(', ') || 'idle'}`
      : '';
    out.push(
      `    slow window +${((w.from * slotMs) / 1000).toFixed(1)}–${((w.to * slotMs) / 1000).toFixed(1)} s: ${w.slow} of ${w.n} over ${slowMs} ms, max ${w.max.toFixed(0)} ms; server thread: ${gcs.map((g) => g.what).join(', ') || 'no gc ≥ 5 ms'}, ${lags.length ? `lag max ${Math.max(...lags.map((l) => Number(/(\d+) ms/.exec(l.what)![1]))).toFixed(0)} ms` : 'no lag > 20 ms'}${machine}`,
    );
  }
  if (windows.length > 8) out.push(`    … and ${windows.length - 8} more slow windows`);
  return out;
}

/** PostgreSQL's counters that a phase moves: the bench pool's connections, the WAL's flushes and volume. */
export async function pgCounters(db: Database) {
  const [row] = await db.execute<{ connections: string; newest: string | null; fsyncs: string | null; fsync_ms: string | null; wal_bytes: string; wal_fpi: string }>(sql`
    SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'jasenrekisteri') AS connections,
           (SELECT max(backend_start)::text FROM pg_stat_activity WHERE application_name = 'jasenrekisteri') AS newest,
           (SELECT sum(fsyncs) FROM pg_stat_io WHERE object = 'wal') AS fsyncs,
           (SELECT sum(fsync_time) FROM pg_stat_io WHERE object = 'wal') AS fsync_ms,
           (SELECT wal_bytes FROM pg_stat_wal) AS wal_bytes, (SELECT wal_fpi FROM pg_stat_wal) AS wal_fpi`);
  return { connections: Number(row!.connections), newest: row!.newest, fsyncs: Number(row!.fsyncs ?? 0), fsyncMs: Number(row!.fsync_ms ?? 0), walBytes: Number(row!.wal_bytes), walFpi: Number(row!.wal_fpi) };
}

/** What moved between two `pgCounters`: connections opened, WAL flushes (and their time, with track_wal_io_timing) and bytes. */
export function pgCountersLine(a: Awaited<ReturnType<typeof pgCounters>>, b: Awaited<ReturnType<typeof pgCounters>>, items: number): string {
  const fsyncs = b.fsyncs - a.fsyncs;
  const time = b.fsyncMs > a.fsyncMs ? ` (${((b.fsyncMs - a.fsyncMs) / Math.max(fsyncs, 1)).toFixed(2)} ms each)` : '';
  return `postgres: ${b.connections} pool connections (${b.connections - a.connections >= 0 ? '+' : ''}${b.connections - a.connections}${b.newest !== a.newest ? `, newest opened ${b.newest?.slice(11, 23)}` : ''}), WAL ${fsyncs} flushes${time}, ${((b.walBytes - a.walBytes) / Math.max(items, 1)).toFixed(0)} bytes and ${((b.walFpi - a.walFpi) / Math.max(items, 1)).toFixed(2)} full-page images per item`;
}
