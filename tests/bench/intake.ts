import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { clientCredentialsToken } from '../support/oidcLogin';
import { applicationData, uniqueIdentityCode } from '../support/applications';
import { startBenchStack } from './benchStack';

const count = Number(process.env.BENCH_APPLICATIONS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * Auto-approve path end to end: POST /api/v1/applications with a real bearer token → intake
 * workflow → member, period and decision message. Latency is submit (row created) to decision
 * (recorded by the approving activity), read back from the database so polling adds no load.
 */
export async function runIntakeBench() {
  const stack = await startBenchStack();
  try {
    const token = await clientCredentialsToken(stack.issuer, 'eservices', 'eservices-secret');
    const submit = async () => {
      const res = await stack.app.request('http://localhost/api/v1/applications', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ data: applicationData({ identityCode: uniqueIdentityCode() }) }),
      });
      if (res.status !== 201) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
    };
    // Warm-up: JIT, connection pools, the workflow cache.
    await Promise.all(Array.from({ length: 20 }, submit));
    await waitUntilDecided(stack.ctx.db, 20);
    await stack.ctx.db.execute(sql`truncate applications, membership_periods, messages, members, persons, audit_log, tasks cascade`);

    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next++;
          await submit();
        }
      }),
    );
    const submitSeconds = (Date.now() - started) / 1000;
    await waitUntilDecided(stack.ctx.db, count);
    const rows = await stack.ctx.db.execute<{ latency_ms: number; decided: string }>(
      sql`select extract(epoch from ((decision->>'decidedAt')::timestamptz - created_at)) * 1000 as latency_ms, decision->>'decidedAt' as decided
          from applications where status = 'approved'`,
    );
    const latencies = rows.map((r) => Number(r.latency_ms)).sort((a, b) => a - b);
    const lastDecision = Math.max(...rows.map((r) => Date.parse(r.decided)));
    const totalSeconds = (lastDecision - started) / 1000;
    console.log(`intake bench on ${stack.machine}`);
    console.log(`applications: ${count}, concurrent submitters: ${concurrency}`);
    console.log(`submitted in ${submitSeconds.toFixed(1)} s (${(count / submitSeconds).toFixed(1)} submissions/s)`);
    console.log(`all decided in ${totalSeconds.toFixed(1)} s → ${(count / totalSeconds).toFixed(1)} applications/s (auto-approve, end to end)`);
    console.log(
      `submit-to-decision latency: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`,
    );
  } finally {
    await stack.close();
  }
}

async function waitUntilDecided(db: Database, n: number) {
  const until = Date.now() + 10 * 60_000;
  for (;;) {
    const [row] = (await db.execute(sql`select count(*)::int as n from applications where status = 'approved'`)) as { n: number }[];
    if ((row?.n ?? 0) >= n) return;
    if (Date.now() > until) throw new Error(`only ${row?.n} of ${n} applications were decided within 10 minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
