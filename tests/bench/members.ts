import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/repositories/audit';
import * as schema from '../../db/schema';
import { getMemberOverview, searchMembers } from '../../services/members';
import type { Principal } from '../../services/principal';
import { loginThroughIdp } from '../support/oidcLogin';
import { startBenchStack } from './benchStack';
import { generateMembers } from './generateMembers';
import { cpuPerItem, cpuSnapshot, cpuSplit, openLoop, openLoopHttp, startProfile, timeEach, type HttpLoadRequest } from './measure';
import { ms, prng, settleWrites, summary } from './readSeed';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 270_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const searchRequests = Number(process.env.BENCH_SEARCHES ?? 5000);
const overviewRequests = Number(process.env.BENCH_OVERVIEWS ?? 3000);
const directPerKind = Number(process.env.BENCH_DIRECT ?? 500);
const plansFile = process.env.BENCH_PLANS ?? '/tmp/members-bench-plans.txt';
/** The issue's goal: search results in ≤ 20 ms p95 over 270,000 members. */
const targetP95 = 20;
/** The open-loop phase (issue 16): requests per second and seconds, search p95 ≤ 20 ms and overview p95 ≤ 30 ms. */
const openRate = Number(process.env.BENCH_OPEN_RATE ?? 200);
const openSeconds = Number(process.env.BENCH_OPEN_SECONDS ?? 10);
const overviewP95Goal = 30;

const origin = 'http://localhost:1';

type QueryKind = 'surname-prefix' | 'surname-firstname' | 'identity-code' | 'identity-code-prefix' | 'member-number';
/** Share of each kind in the desk's search traffic (a guess: names dominate, codes come from letters). */
const mix: [QueryKind, number][] = [
  ['surname-prefix', 0.35],
  ['surname-firstname', 0.2],
  ['identity-code', 0.2],
  ['identity-code-prefix', 0.15],
  ['member-number', 0.1],
];

interface Sample {
  id: string;
  member_number: number;
  identity_code: string;
  last_name: string;
  first_names: string;
}

interface Query {
  kind: QueryKind;
  q: string;
  /** The member the query was made from, when the query should certainly find it. */
  expect?: string;
}

/** Types as a person at the desk would: sometimes capitalised, sometimes not. */
const typed = (s: string, r: number) => (r < 0.5 ? s.toLowerCase() : s);

function makeQuery(kind: QueryKind, m: Sample, rnd: () => number): Query {
  switch (kind) {
    case 'surname-prefix':
      return { kind, q: typed(m.last_name.slice(0, 3 + Math.floor(rnd() * 4)), rnd()) };
    case 'surname-firstname': {
      const first = m.first_names.split(' ')[0] ?? m.first_names;
      const last = rnd() < 0.5 ? m.last_name : m.last_name.slice(0, 4 + Math.floor(rnd() * 3));
      const given = rnd() < 0.5 ? first : first.slice(0, 3 + Math.floor(rnd() * 2));
      return { kind, q: typed(`${last} ${given}`, rnd()) };
    }
    case 'identity-code':
      return { kind, q: m.identity_code, expect: m.id };
    case 'identity-code-prefix':
      return { kind, q: m.identity_code.slice(0, 6) };
    case 'member-number':
      return { kind, q: String(m.member_number), expect: m.id };
  }
}

function queryMix(samples: Sample[], n: number, seed: number): Query[] {
  const rnd = prng(seed);
  return Array.from({ length: n }, () => {
    let r = rnd();
    const kind = mix.find(([, share]) => (r -= share) < 0)?.[0] ?? 'surname-prefix';
    return makeQuery(kind, samples[Math.floor(rnd() * samples.length)]!, rnd);
  });
}

/** Runs `work` over `items` with `workers` in flight at a time; returns each item's latency. */
async function runConcurrently<T>(items: T[], workers: number, work: (item: T) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t = performance.now();
        await work(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/**
 * Member search and the member overview over a full-size register: 270,000 generated members,
 * requests through the real Hono app with a desk session (caseworker, logged in through the dev
 * IdP), 50 in flight. Then the search service alone, single-threaded, per query kind, with
 * EXPLAIN ANALYZE of the slowest call of each kind written to a file.
 */
export async function runMembersBench() {
  // No worker: searches and overviews start no workflow (a web process as `npm run web` runs it).
  const stack = await startBenchStack({ worker: false });
  const server = serve({ fetch: stack.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const db = stack.ctx.db;
    await generateMembers(db, memberCount, { log: (line) => console.log(line) });
    console.log(`  checkpoint: ${(await settleWrites(db)).toFixed(1)} s`);

    const samples = (await db.execute(
      sql`select m.id, m.member_number::int as member_number, p.identity_code, p.last_name, p.first_names
          from members m join persons p on p.id = m.person_id
          where hashint8(m.member_number) % 67 = 0`,
    )) as unknown as Sample[];

    const { cookie } = await loginThroughIdp({
      startUrl: `${origin}/auth/login`,
      username: 'caseworker',
      password: 'caseworker',
      appOrigin: origin,
      appFetch: (req) => stack.app.request(req),
    });
    /** One request as the desk sends it; anything but 200 stops the bench. */
    const request = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const init: RequestInit = body === undefined ? { headers: { cookie } } : { method, headers: { cookie, origin, 'content-type': 'application/json' }, body: JSON.stringify(body) };
      const res = await stack.app.request(`${origin}${path}`, init);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as unknown;
    };
    const get = (path: string) => request('GET', path);
    // Searches go in a POST body, as the desk sends them: an identity code never goes in a URL.
    const post = (path: string, body: unknown) => request('POST', path, body);

    // (a) search mix over HTTP.
    const hits = new Map<QueryKind, { asked: number; found: number; servedAs: Map<string, number>; results: number; latencies: number[] }>();
    const search = async (query: Query) => {
      const t = performance.now();
      const body = (await post('/api/v1/members/search', { q: query.q })) as { kind: string; items: { id: string }[] };
      const elapsed = performance.now() - t;
      const h = hits.get(query.kind) ?? { asked: 0, found: 0, servedAs: new Map<string, number>(), results: 0, latencies: [] };
      hits.set(query.kind, h);
      h.latencies.push(elapsed);
      h.results += body.items.length;
      h.servedAs.set(body.kind, (h.servedAs.get(body.kind) ?? 0) + 1);
      if (query.expect) {
        h.asked++;
        if (body.items.some((i) => i.id === query.expect)) h.found++;
      }
    };
    await runConcurrently(queryMix(samples, 300, 1), concurrency, search);
    hits.clear();
    // One request at a time: the HTTP, session and JSON overhead without queueing.
    const serial = await runConcurrently(queryMix(samples, 500, 4), 1, async (q) => {
      await post('/api/v1/members/search', { q: q.q });
    });
    const searchCpu = cpuSnapshot();
    const searches = await runConcurrently(queryMix(samples, searchRequests, 2), concurrency, search);
    const searchCpuSplit = cpuSplit(searchCpu, searches.seconds);

    // (b) member overview over HTTP.
    const rnd = prng(3);
    const ids = (n: number) => Array.from({ length: n }, () => samples[Math.floor(rnd() * samples.length)]!.id);
    const overview = (id: string) => get(`/api/v1/members/${id}/overview`).then(() => undefined);
    await runConcurrently(ids(200), concurrency, overview);
    const overviewCpu = cpuSnapshot();
    const overviews = await runConcurrently(ids(overviewRequests), concurrency, overview);
    const overviewCpuSplit = cpuSplit(overviewCpu, overviews.seconds);

    // (b2) open loop over real HTTP (a port, the desk's session cookie), issue 16: searches, then
    // overviews, each at `openRate` for `openSeconds`, latency from the due time; beside each the
    // service alone (searchMembers, getMemberOverview via ctx: SQL, audit row, no HTTP, session or
    // JSON) open-loop at the same rate in this thread.
    const deskHeaders = { cookie, origin };
    const principal: Principal = { kind: 'user', id: 'bench-caseworker', name: 'Bench', roles: ['caseworker'] };
    const openSearches = queryMix(samples, 4000, 5);
    const openIds = ids(4000);
    const openSearchRequests: HttpLoadRequest[] = openSearches.map((q) => ({ method: 'POST', path: '/api/v1/members/search', body: JSON.stringify({ q: q.q }) }));
    const openOverviewRequests: HttpLoadRequest[] = openIds.map((id) => ({ method: 'GET', path: `/api/v1/members/${id}/overview` }));
    await openLoopHttp(base, deskHeaders, openSearchRequests.slice(-300), openRate, 1.5);
    await openLoopHttp(base, deskHeaders, openOverviewRequests.slice(-300), openRate, 1.5);
    const openPhase = async (label: string, requests: HttpLoadRequest[], service: (i: number) => Promise<unknown>, goal: number) => {
      // BENCH_CPU_PROF=dir: a V8 CPU profile of this thread (the server's) over the HTTP phase.
      const profile = process.env.BENCH_CPU_PROF ? await startProfile() : null;
      const cpu = cpuSnapshot();
      const run = await openLoopHttp(base, deskHeaders, requests, openRate, openSeconds);
      const cost = cpuPerItem(cpu, run.latencies.length, 'request');
      if (profile) await profile.stop(`${process.env.BENCH_CPU_PROF}/members-${label}.cpuprofile`);
      const floor = await openLoop(openRate, openSeconds, async (i) => void (await service(i % requests.length)));
      return { label, run, cost, floor, goal };
    };
    const openResults = [
      await openPhase('search', openSearchRequests, (i) => searchMembers(stack.ctx, principal, openSearches[i]!.q), targetP95),
      await openPhase('overview', openOverviewRequests, (i) => getMemberOverview(stack.ctx, principal, openIds[i]!), overviewP95Goal),
    ];

    // (c) the search service alone (SQL plus the audit row), single-threaded, per kind.
    const client = (db as unknown as { $client: Sql }).$client;
    let captured: { query: string; params: unknown[] }[] = [];
    const traced: Database = drizzle(client, { schema, logger: { logQuery: (query, params) => captured.push({ query, params }) } });
    const tracedCtx = { ...stack.ctx, db: traced };
    const direct: { kind: QueryKind; latencies: number[]; slowest: { q: string; ms: number; statements: typeof captured } }[] = [];
    for (const [i, [kind]] of mix.entries()) {
      const r = prng(100 + i);
      const queries = Array.from({ length: directPerKind }, () => makeQuery(kind, samples[Math.floor(r() * samples.length)]!, r));
      for (const q of queries.slice(0, 50)) await searchMembers(tracedCtx, principal, q.q);
      const entry = { kind, latencies: [] as number[], slowest: { q: '', ms: -1, statements: [] as typeof captured } };
      for (const q of queries) {
        captured = [];
        const t = performance.now();
        await searchMembers(tracedCtx, principal, q.q);
        const elapsed = performance.now() - t;
        entry.latencies.push(elapsed);
        if (elapsed > entry.slowest.ms) entry.slowest = { q: q.q, ms: elapsed, statements: captured };
      }
      direct.push(entry);
    }

    // What every search and overview also pays: the audit row (its own commit), and the overview
    // service alone.
    const auditRow = await timeEach(Array.from({ length: directPerKind }), () =>
      recordAudit(db, { actor: principal.id, actorKind: 'user', action: 'member.search', entityType: 'member', entityId: '*', details: { kind: 'name', results: 20 } }),
    );
    const overviewAlone = await timeEach(ids(directPerKind), (id) => getMemberOverview(stack.ctx, principal, id));

    // Plans: the slowest call of each kind, and the broadest name searches (most matching rows).
    const plans: string[] = [`members bench plans, ${new Date().toISOString()}, ${memberCount} members\n`];
    // The search statements also write their audit row (decision 054): explaining them runs them, one more row each.
    const literal = (v: unknown) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);
    const explain = async (title: string, statements: typeof captured) => {
      for (const s of statements.filter((x) => /^\s*(select|with)/i.test(x.query))) {
        const rows = await client.unsafe(`explain (analyze, buffers) ${s.query}`, s.params as never[]);
        plans.push(`=== ${title}\n${s.query}\n-- params: ${JSON.stringify(s.params)}\n${rows.map((row) => String(row['QUERY PLAN'])).join('\n')}\n`);
        // The prepared ones (all but the trigram fallback, which matches with LIKE) also as the generic plan a prepared statement may settle on.
        if (/ LIKE /.test(s.query)) continue;
        const reserved = await client.reserve();
        try {
          await reserved.unsafe('set plan_cache_mode = force_generic_plan');
          await reserved.unsafe(`prepare bench_generic as ${s.query}`);
          const generic = await reserved.unsafe(`explain (analyze, buffers) execute bench_generic(${s.params.map(literal).join(', ')})`);
          plans.push(`--- the same, generic plan\n${generic.map((row) => String(row['QUERY PLAN'])).join('\n')}\n`);
        } finally {
          await reserved.unsafe('deallocate bench_generic').catch(() => undefined);
          await reserved.unsafe('reset plan_cache_mode').catch(() => undefined);
          reserved.release();
        }
      }
    };
    for (const d of direct) await explain(`slowest ${d.kind}: "${d.slowest.q}" (${d.slowest.ms.toFixed(1)} ms)`, d.slowest.statements);
    for (const q of ['kor', 'mäk', 'vir', 'koivu', 'korhonen matti', 'nen']) {
      captured = [];
      await searchMembers(tracedCtx, principal, q);
      await explain(`name search "${q}"`, captured);
    }
    writeFileSync(plansFile, plans.join('\n'));

    // Report.
    const line = (label: string, latencies: number[], seconds?: number) => {
      const s = summary(latencies);
      const rate = seconds ? `, ${(latencies.length / seconds).toFixed(0)} requests/s` : '';
      return `${label}: p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms, max ${ms(s.max)} ms${rate}`;
    };
    console.log(`\nmembers bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members, ${concurrency} concurrent requests, desk session (caseworker)`);
    console.log(line(`search over HTTP, ${searches.latencies.length} requests`, searches.latencies, searches.seconds));
    for (const [kind] of mix) {
      const h = hits.get(kind);
      if (!h) continue;
      const servedAs = [...h.servedAs].map(([k, n]) => `${k} ${n}`).join(', ');
      const found = h.asked ? `, found the member ${h.found}/${h.asked}` : '';
      console.log(`  ${line(kind.padEnd(20), h.latencies)} — ${(h.results / h.latencies.length).toFixed(1)} results avg, served as ${servedAs}${found}`);
    }
    console.log(`  ${searchCpuSplit}`);
    console.log(line(`search over HTTP, one request at a time, ${serial.latencies.length} requests`, serial.latencies, serial.seconds));
    console.log(line(`overview over HTTP, ${overviews.latencies.length} requests`, overviews.latencies, overviews.seconds));
    console.log(`  ${overviewCpuSplit}`);
    console.log(`open loop over HTTP (127.0.0.1, desk session), ${openRate} requests/s for ${openSeconds} s each, latency from the due time; floor: the service alone (via ctx, no HTTP) open-loop at the same rate:`);
    for (const o of openResults) {
      const answered = o.run.latencies.filter((l) => !Number.isNaN(l));
      const h = summary(answered);
      const f = summary(o.floor.latencies.filter((l) => !Number.isNaN(l)));
      const held = h.p95 <= o.goal && o.run.errors === 0;
      console.log(`  ${o.label.padEnd(8)} @ ${openRate}/s: HTTP p50 ${ms(h.p50)} ms, p95 ${ms(h.p95)} ms, p99 ${ms(h.p99)} ms, max ${ms(h.max)} ms, ${o.run.errors} errors${o.run.firstError ? ` (first: ${o.run.firstError})` : ''} | service alone p50 ${ms(f.p50)} ms, p95 ${ms(f.p95)} ms | ratio p95 ${(h.p95 / f.p95).toFixed(1)}× — goal p95 ≤ ${o.goal} ms ${held ? 'met' : 'MISSED'}`);
      console.log(`    ${o.cost} (node includes the load generator, busy ${(o.run.generatorBusy * 100).toFixed(0)} % of a core; its worst lag ${ms(o.run.maxSendLag)} ms)`);
    }
    console.log(`search service alone (searchMembers via ctx, single-threaded, ${directPerKind} per kind; target p95 ≤ ${targetP95} ms):`);
    for (const d of direct) {
      const s = summary(d.latencies);
      console.log(`  ${d.kind.padEnd(20)}: p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms${s.p95 > targetP95 ? '  ← misses the target' : ''}; slowest "${d.slowest.q}" ${ms(d.slowest.ms)} ms`);
    }
    console.log(`  ${line('(audit row alone)'.padEnd(20), auditRow)}`);
    console.log(line(`overview service alone (getMemberOverview via ctx, single-threaded, ${directPerKind})`, overviewAlone));
    console.log(`EXPLAIN ANALYZE of the slowest calls and broad name searches: ${plansFile}`);
  } finally {
    server.close();
    await stack.close();
  }
}
