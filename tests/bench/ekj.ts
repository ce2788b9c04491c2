import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { membershipsByIdentityCodes } from '../../db/repositories/membershipRead';
import { LOOKUP_COALESCING, setLookupCoalescing } from '../../services/membershipRead';
import { clientCredentialsToken } from '../support/oidcLogin';
import { benchPoolSize, startBenchStack } from './benchStack';
import { generateMembers } from './generateMembers';
import { cpuPerItem, cpuSnapshot, openLoop, openLoopHttp, startProfile, type HttpLoadRequest, type HttpOpenLoopResult } from './measure';
import { describeStalls, pgCounters, pgCountersLine, phaseCpu, startStallProbe, type StallReport } from './stallProbe';
import { allIdentityCodes, ms, prng, readFloor, seedQuarterlyInvoices, settleWrites, summary } from './readSeed';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 270_000);
/** Fixed arrival rates of single lookups, per second, each held for `seconds`. */
const rates = (process.env.BENCH_RATES ?? '250,500,1000,1500,2000,2500').split(',').map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
/** Batches of 1,000 codes per second, held for `batchSeconds`. */
const batchRate = Number(process.env.BENCH_BATCH_RATE ?? 1);
const batchSeconds = Number(process.env.BENCH_BATCH_SECONDS ?? 20);
const batchSize = 1000;
const p95Goal = 20;
/**
 * The coalescer's settings to sweep after the rates (decision 058): `maxBatch x maxInFlight`,
 * comma-separated (e.g. `100x1,100x2,100x4`), each at BENCH_SWEEP_RATES (2,000/s) for `seconds`.
 */
const sweep = (process.env.BENCH_COALESCING ?? '').split(',').filter(Boolean).map((s) => {
  const [maxBatch, maxInFlight] = s.split('x').map(Number);
  return { maxBatch: maxBatch!, maxInFlight: maxInFlight! };
});
const sweepRates = (process.env.BENCH_SWEEP_RATES ?? '2000').split(',').map(Number);

type Result = { latencies: number[]; errors: number; firstError: string | null };
type Timed = Result & { startEpoch: number; all: number[] };

/** The in-thread open loop (measure.ts) for work that is not HTTP (the SQL floors), as a Result. */
async function floorLoop(work: (i: number) => Promise<unknown>, rate: number, secs: number): Promise<Timed> {
  const r = await openLoop(rate, secs, async (i) => void (await work(i)));
  const [firstError] = r.errors.keys();
  return { latencies: r.latencies.filter((l) => !Number.isNaN(l)), errors: [...r.errors.values()].reduce((a, b) => a + b, 0), firstError: firstError ?? null, startEpoch: r.start, all: r.latencies };
}

const httpResult = (r: HttpOpenLoopResult): Result => ({ latencies: r.latencies.filter((l) => !Number.isNaN(l)), errors: r.errors, firstError: r.firstError });

const line = (r: Result) => {
  const s = summary(r.latencies);
  return { s, text: `p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms, max ${ms(s.max)} ms, ${r.errors} errors${r.firstError ? ` (first: ${r.firstError})` : ''}` };
};

/**
 * EKJ's reads of the membership API (issue 13): single lookups over real HTTP (a Node server on a
 * port, the `ekj` client's bearer token, every read audited) at fixed arrival rates, open-loop,
 * beside the read floor (the plainest SQL giving the same rows) at the same rates; batches of 1,000
 * codes the same way; and the cost of the union remittance-months subquery that paid-through reads.
 */
export async function runEkjBench() {
  // No worker: lookups start no workflow (a web process as `npm run web` runs it).
  const stack = await startBenchStack({ worker: false });
  const server = serve({ fetch: stack.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const db = stack.ctx.db;
    await generateMembers(db, memberCount, { log: (l) => console.log(l) });
    let t0 = performance.now();
    await seedQuarterlyInvoices(db);
    // Union members (30 % of the generated register) had their fund share remitted for ten months.
    await db.execute(sql`INSERT INTO union_batches (union_code, batch_key, sha256, format, received_by, event_count)
      SELECT DISTINCT union_code, 'bench', repeat('0', 64), 'default', 'bench', 0 FROM members WHERE union_code IS NOT NULL`);
    await db.execute(sql`INSERT INTO union_remittances (union_code, member_id, period, amount_cents, batch_id, line_no, booked_by)
      SELECT m.union_code, m.id, '2026-' || lpad(g::text, 2, '0'), 800, b.id, g, 'bench'
      FROM members m JOIN union_batches b ON b.union_code = m.union_code AND b.batch_key = 'bench' CROSS JOIN generate_series(1, 10) g`);
    await db.execute(sql`VACUUM (ANALYZE) union_remittances`);
    console.log(`  invoices and union remittances: ${((performance.now() - t0) / 1000).toFixed(1)} s; checkpoint ${(await settleWrites(db)).toFixed(1)} s`);

    // The register's codes only while picking: the bench shares the server's heap, and every
    // major collection of the server thread would otherwise mark 270,000 strings more.
    const { singles, batches } = await pickCodes(db, 20_000, Math.max(3, Math.round(batchRate * batchSeconds)), batchSize);
    const single = (identityCode: string): HttpLoadRequest => ({ method: 'POST', path: '/api/v1/membership/query', body: JSON.stringify({ identityCode }) });
    const singleRequests = singles.map(single);
    const batchRequests = batches.map((identityCodes): HttpLoadRequest => ({ method: 'POST', path: '/api/v1/membership/batch', body: JSON.stringify({ identityCodes }) }));
    const token = await clientCredentialsToken(stack.issuer, 'ekj', 'ekj-secret');
    const headers = { authorization: `Bearer ${token}` };

    // Warm-up: connections, JIT, caches. First every connection of the pool is opened and runs the
    // floor past its first plans: postgres.js opens a connection whenever no open one is idle, so a
    // pool warmed at 250/s held 4, and the floor opened the other 26 in the middle of a measured
    // rate, each a new backend with cold caches planning its statements anew (a 1.2-s stall at
    // 1,000/s in session 16, when autovacuum's first visit to audit_log fell in the same seconds).
    // The lookups' warm-up then runs their statement on every connection (round-robin) too.
    for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: benchPoolSize }, (_, i) => readFloor(db, [singles[round * benchPoolSize + i]!])));
    await openLoopHttp(base, headers, singleRequests.slice(-500), rates[0]!, 3);
    await floorLoop((i) => readFloor(db, [singles[i]!]), rates[0]!, 2);
    console.log(`  warm-up: ${(await pgCounters(db)).connections} pool connections open`);

    const measuredFrom = Date.now();
    console.log(`\nekj bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members, open-loop at fixed rates, ${seconds} s each, client ekj over HTTP (127.0.0.1), every read audited`);
    /** One rate of single lookups over HTTP, with the floor beside it when `withFloor`; whether it held the goal. */
    const singleRate = async (rate: number, label: string, withFloor: boolean) => {
      const cpu = cpuSnapshot();
      const auditedBefore = await lastAuditId(db);
      const profile = process.env.BENCH_CPU_PROF ? await startProfile() : null;
      const pg0 = await pgCounters(db);
      const probe = startStallProbe(stack.databaseUrl);
      const run = await openLoopHttp(base, headers, singleRequests, rate, seconds);
      const seen = await probe.stop();
      const pg1 = await pgCounters(db);
      if (profile) await profile.stop(`${process.env.BENCH_CPU_PROF}/ekj-single-${label}${rate}.cpuprofile`);
      const cost = cpuPerItem(cpu, run.latencies.length, 'lookup');
      const http = line(httpResult(run));
      const floorProbe = withFloor ? startStallProbe(stack.databaseUrl) : null;
      const floorRun = withFloor ? await floorLoop((i) => readFloor(db, [singles[i % singles.length]!]), rate, seconds) : null;
      const floorSeen = await floorProbe?.stop();
      const pg2 = withFloor ? await pgCounters(db) : null;
      const floor = floorRun ? line(floorRun) : null;
      const ok = http.s.p95 <= p95Goal && run.errors === 0;
      const vsFloor = floor ? ` | floor ${floor.text} | ratio p50 ${(http.s.p50 / floor.s.p50).toFixed(1)}×, p95 ${(http.s.p95 / floor.s.p95).toFixed(1)}×` : '';
      console.log(`single ${label}@ ${rate}/s: HTTP ${http.text}${vsFloor}${ok ? '' : `  (p95 over ${p95Goal} ms or errors)`}`);
      console.log(`  ${cost} (node includes the load generator, busy ${(run.generatorBusy * 100).toFixed(0)} % of a core; its worst lag ${ms(run.maxSendLag)} ms)`);
      console.log(`  ${await lookupsPerStatement(db, auditedBefore)}`);
      console.log(`  ${threadLine(seen)}; ${pgCountersLine(pg0, pg1, run.latencies.length)}`);
      if (phaseCpu(seen)) console.log(`  ${phaseCpu(seen)}`);
      for (const l of describeStalls(run.startEpoch, rate, run.latencies, seen, p95Goal)) console.log(l);
      if (floorRun && floorSeen) {
        console.log(`  floor: ${threadLine(floorSeen)}; ${pgCountersLine(pg1, pg2!, floorRun.all.length)}`);
        if (phaseCpu(floorSeen)) console.log(`  floor: ${phaseCpu(floorSeen)}`);
        for (const l of describeStalls(floorRun.startEpoch, rate, floorRun.all, floorSeen, p95Goal)) console.log(l);
      }
      return ok;
    };
    let held = 0;
    for (const rate of rates) if (await singleRate(rate, '', true)) held = rate;
    console.log(`highest rate held with p95 ≤ ${p95Goal} ms and zero errors: ${held || 'none'} lookups/s (goal 2,000)`);
    console.log(`  autovacuum since the register was generated: ${await autovacuumSince(db, measuredFrom)}`);
    if (sweep.length) {
      console.log(`coalescer sweep (maxBatch × maxInFlight; the service's own: ${LOOKUP_COALESCING.maxBatch} × ${LOOKUP_COALESCING.maxInFlight}), ${seconds} s a rate, no floor:`);
      for (const settings of sweep) {
        setLookupCoalescing(settings);
        for (const rate of sweepRates) await singleRate(rate, `${settings.maxBatch}x${settings.maxInFlight} `, false);
      }
      setLookupCoalescing();
    }

    const batchHttp = line(httpResult(await openLoopHttp(base, headers, batchRequests, batchRate, batchSeconds)));
    const batchFloor = line(await floorLoop((i) => readFloor(db, batches[i % batches.length]!), batchRate, batchSeconds));
    console.log(`batch of ${batchSize} @ ${batchRate}/s for ${batchSeconds} s: HTTP ${batchHttp.text} | floor ${batchFloor.text} | ratio p50 ${(batchHttp.s.p50 / batchFloor.s.p50).toFixed(1)}×`);

    // The remittance-months subquery: the read statement as the service runs it, the same joins
    // without any member column, and the joins with only the remittance subquery.
    const keys = (codes: string[]) => JSON.stringify(codes);
    const joins = (select: ReturnType<typeof sql>) => (codes: string[]) =>
      db.execute(sql`SELECT a.ord, ${select}
        FROM jsonb_array_elements_text(${keys(codes)}::jsonb) WITH ORDINALITY AS a(code, ord)
        LEFT JOIN person_identity_codes pic ON pic.identity_code = a.code
        LEFT JOIN members m ON m.person_id = pic.person_id ORDER BY a.ord`);
    const bare = joins(sql`m.id`);
    const remitted = joins(sql`m.id, (SELECT array_agg(ur.period ORDER BY ur.period) FROM union_remittances ur WHERE ur.member_id = m.id) AS remitted_months`);
    // Interleaved per batch, three rounds, so caches and the machine's load fall on all three alike.
    const variants = [(c: string[]) => membershipsByIdentityCodes(db, c), bare, remitted];
    const times: number[][] = [[], [], []];
    for (let round = 0; round < 3; round++) {
      for (const codes of batches) {
        for (const [k, f] of variants.entries()) {
          t0 = performance.now();
          await f(codes);
          times[k]!.push(performance.now() - t0);
        }
      }
    }
    const [full, b, r] = times.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>, ReturnType<typeof summary>];
    console.log(`remittance subquery, ${batchSize} codes, ${batches.length} batches × 3 rounds, interleaved: read statement p50 ${ms(full.p50)} ms; joins alone ${ms(b.p50)} ms; joins + remittance months ${ms(r.p50)} ms → the subquery costs ${ms(r.p50 - b.p50)} ms (${(((r.p50 - b.p50) / full.p50) * 100).toFixed(0)} % of the read)`);
    const plan = (await db.execute(sql.raw(`EXPLAIN SELECT (SELECT array_agg(ur.period ORDER BY ur.period) FROM union_remittances ur WHERE ur.member_id = m.id) FROM members m WHERE m.member_number = 1`))) as unknown as Record<string, string>[];
    console.log(`  its plan: ${plan.map((p) => Object.values(p)[0]!.trim()).filter((l) => l.includes('union_remittances')).join('; ')}`);
  } finally {
    server.close();
    await stack.close();
  }
}

/** The tables autovacuum vacuumed or analysed (the times in seconds from `from`, epoch ms). */
async function autovacuumSince(db: Database, from: number): Promise<string> {
  const rows = await db.execute<{ relname: string; v: string | null; a: string | null }>(sql`
    SELECT relname, extract(epoch FROM last_autovacuum) * 1000 AS v, extract(epoch FROM last_autoanalyze) * 1000 AS a
    FROM pg_stat_user_tables WHERE last_autovacuum IS NOT NULL OR last_autoanalyze IS NOT NULL ORDER BY relname`);
  const at = (t: string | null) => (t === null ? '' : `${((Number(t) - from) / 1000).toFixed(0)} s`);
  return [...rows].map((r) => `${r.relname} (${[r.v && `vacuum at ${at(r.v)}`, r.a && `analyze at ${at(r.a)}`].filter(Boolean).join(', ')})`).join('; ') || 'none';
}

/** Random codes of the register (the same every run): `singles` for lookups, `batchCount` batches of `batchSize`. */
async function pickCodes(db: Database, singleCount: number, batchCount: number, batchSize: number) {
  const all = await allIdentityCodes(db);
  const rnd = prng(11);
  const pick = () => all[Math.floor(rnd() * all.length)]!;
  const singles = Array.from({ length: singleCount }, pick);
  const batches = Array.from({ length: batchCount }, () => Array.from({ length: batchSize }, pick));
  return { singles, batches };
}

/** The server thread during a phase: its garbage collections and its event loop's worst lag. */
function threadLine(r: StallReport): string {
  return `server thread: gc ${r.gcTotal.toFixed(0)} ms in all (longest ${r.gcMax.toFixed(0)} ms), event loop lag max ${r.lagMax.toFixed(0)} ms`;
}

async function lastAuditId(db: Database): Promise<number> {
  const [row] = await db.execute<{ id: string | null }>(sql`SELECT max(id) AS id FROM audit_log`);
  return Number(row?.id ?? 0);
}

/**
 * How many lookups went in one statement since `afterId`: the audit rows of one statement share its
 * transaction's time (decision 048), so reads ÷ distinct times is the lookups per statement.
 */
async function lookupsPerStatement(db: Database, afterId: number): Promise<string> {
  const [row] = await db.execute<{ reads: string; statements: string }>(
    sql`SELECT count(*) AS reads, count(DISTINCT at) AS statements FROM audit_log WHERE id > ${afterId} AND action = 'member.read'`,
  );
  const reads = Number(row?.reads ?? 0);
  const statements = Number(row?.statements ?? 0);
  return `${reads} audited reads in ${statements} statements: ${(reads / Math.max(statements, 1)).toFixed(1)} lookups per statement`;
}
