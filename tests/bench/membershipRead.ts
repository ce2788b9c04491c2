import { sql } from 'drizzle-orm';
import { readMembershipBatch } from '../../services/membershipRead';
import type { Principal } from '../../services/principal';
import { clientCredentialsToken } from '../support/oidcLogin';
import { startBenchStack } from './benchStack';
import { generateMembers } from './generateMembers';
import { allIdentityCodes, ms, prng, readFloor, seedQuarterlyInvoices, summary } from './readSeed';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 270_000);
const batches = Number(process.env.BENCH_BATCHES ?? 30);
const batchSize = 1000;
const singles = Number(process.env.BENCH_SINGLES ?? 500);
const origin = 'http://localhost:1';

async function timeEach<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await work(item);
    latencies.push(performance.now() - t);
  }
  return latencies;
}

/**
 * EKJ's nightly check: batches of 1,000 identity codes over a full-size register, one after
 * another, (a) over HTTP with the `ekj` client's bearer token, (b) the service alone, (c) the
 * plain SQL floor: one statement joining the same codes to the same rows (periods, transferred
 * periods, invoices, union-remitted months) with no aggregation, no rules, no audit and no JSON. Also single lookups
 * over HTTP, one at a time, for scale. Every batch is audited (1,001 rows each).
 */
export async function runMembershipReadBench() {
  const stack = await startBenchStack();
  try {
    const db = stack.ctx.db;
    await generateMembers(db, memberCount, { log: (line) => console.log(line) });
    const t0 = performance.now();
    await seedQuarterlyInvoices(db);
    console.log(`  invoices: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const all = await allIdentityCodes(db);
    const rnd = prng(7);
    const batch = () => Array.from({ length: batchSize }, () => all[Math.floor(rnd() * all.length)]!);
    const sets = Array.from({ length: batches + 3 }, batch);

    const token = await clientCredentialsToken(stack.issuer, 'ekj', 'ekj-secret');
    const post = async (path: string, body: unknown) => {
      const res = await stack.app.request(`${origin}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as { found?: number };
    };
    const principal: Principal = { kind: 'client', id: 'ekj', channel: 'benefits', scopes: ['membership:read'] };
    const floor = (codes: string[]) => readFloor(db, codes);

    // The floor of the audit every read must write: the same number of rows in one INSERT … SELECT.
    const auditFloor = () =>
      db.execute(sql`INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id, details)
        SELECT 'bench-floor', 'client', 'member.read', 'member', g::text, '{"view":"membership"}'::jsonb FROM generate_series(1, ${batchSize + 1}) g`);

    // Warm up each path on the first three sets.
    for (const codes of sets.slice(0, 3)) {
      await post('/api/v1/membership/batch', { identityCodes: codes });
      await readMembershipBatch(stack.ctx, principal, { identityCodes: codes });
      await floor(codes);
    }
    const measured = sets.slice(3);
    let found = 0;
    const http = await timeEach(measured, async (codes) => {
      found += (await post('/api/v1/membership/batch', { identityCodes: codes })).found ?? 0;
    });
    const service = await timeEach(measured, (codes) => readMembershipBatch(stack.ctx, principal, { identityCodes: codes }));
    const sqlFloor = await timeEach(measured, (codes) => floor(codes));
    const auditRows = await timeEach(measured, () => auditFloor());
    const single = await timeEach(
      Array.from({ length: singles }, () => all[Math.floor(rnd() * all.length)]!),
      (code) => post('/api/v1/membership/query', { identityCode: code }),
    );

    const [h, s, f, a, one] = [summary(http), summary(service), summary(sqlFloor), summary(auditRows), summary(single)];
    console.log(`\nmembership-read bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members, ${batches} batches of ${batchSize} codes, one at a time, client ekj`);
    console.log(`batch over HTTP:      p50 ${ms(h.p50)} ms, p95 ${ms(h.p95)} ms, max ${ms(h.max)} ms (${(found / measured.length).toFixed(0)} found per batch; ${((batchSize * 1000) / h.p50).toFixed(0)} codes/s)`);
    console.log(`batch service alone: p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, max ${ms(s.max)} ms (one read statement, one audit statement of 1,001 rows)`);
    console.log(`plain SQL floor:     p50 ${ms(f.p50)} ms, p95 ${ms(f.p95)} ms, max ${ms(f.max)} ms (same codes, same rows, flat join)`);
    console.log(`audit floor:         p50 ${ms(a.p50)} ms, p95 ${ms(a.p95)} ms (1,001 audit rows in one INSERT … SELECT)`);
    console.log(`ratio HTTP / read floor (p50): ${(h.p50 / f.p50).toFixed(1)}×; HTTP / (read + audit floor): ${(h.p50 / (f.p50 + a.p50)).toFixed(1)}×; service / (read + audit floor): ${(s.p50 / (f.p50 + a.p50)).toFixed(1)}×`);
    console.log(`single lookup over HTTP, one at a time (${singles}): p50 ${ms(one.p50)} ms, p95 ${ms(one.p95)} ms, max ${ms(one.max)} ms`);
  } finally {
    await stack.close();
  }
}
