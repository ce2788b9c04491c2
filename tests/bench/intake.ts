import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { clientCredentialsToken } from '../support/oidcLogin';
import { applicationData, uniqueIdentityCode } from '../support/applications';
import { benchIntakePath, startBenchStack, topStatements } from './benchStack';
import { cpuPerItem, cpuSnapshot, cpuSplit, openLoop, startProfile, type OpenLoopResult } from './measure';
import { ms, summary } from './readSeed';

/** Arrival rate (applications/s) and how long to send; knobs: BENCH_RATE, BENCH_SECONDS, or `-- intake RATE SECONDS`. */
const rate = Number(process.argv[3] ?? process.env.BENCH_RATE ?? 100);
const seconds = Number(process.argv[4] ?? process.env.BENCH_SECONDS ?? 10);
/** How long to wait after the last HTTP answer for every accepted application to be decided. */
const drainSeconds = Number(process.env.BENCH_DRAIN_SECONDS ?? 120);
/** Worker processes beside the bench's own (API, IdP, sender); 0 runs the worker inside it. */
const workerProcesses = Number(process.env.BENCH_WORKERS ?? 1);
const keyPrefix = 'bench-intake-';

/**
 * Auto-approve path end to end, open loop: POST /api/v1/applications with a real bearer token at
 * a fixed arrival rate (each sent on schedule whatever the answers) → intake workflow → member,
 * period, decision message. Latencies count from the scheduled send time. Submit-to-decision is
 * read back from the database (decidedAt, recorded by the approving activity), so polling adds
 * no load. Then the floor at the same rate in the same run: the same durable result (person,
 * member, approved application, period, decision message, audit row) written by one plain SQL
 * statement per application, one transaction each.
 */
export async function runIntakeBench() {
  const stack = await startBenchStack({ workerProcesses });
  try {
    const db = stack.ctx.db;
    const token = await clientCredentialsToken(stack.issuer, 'eservices', 'eservices-secret');
    const scheduled = new Map<string, number>();
    const submit = async (key: string) => {
      const res = await stack.app.request('http://localhost/api/v1/applications', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ data: applicationData({ identityCode: uniqueIdentityCode() }) }),
      });
      // 202: stored, the process starts when Temporal answers (reconcile); it still gets decided.
      if (res.status !== 201 && res.status !== 202) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
    };
    // Warm-up: JIT, connection pools, the workflow cache.
    await Promise.all(Array.from({ length: 20 }, () => submit(`warmup-${randomUUID()}`)));
    // Not truncated afterwards: their decision messages may still be on their way; every count
    // below filters by its own key prefix instead.
    await waitUntilDecided(db, 'warmup-', 20, Date.now() + 120_000);

    // (a) the system: open loop at `rate` for `seconds`.
    await topStatements(db); // BENCH_PG_STATS=1: counts from here on
    // BENCH_CPU_PROF=dir: a V8 CPU profile of this process (the API and the sender) over the system phase.
    const profile = process.env.BENCH_CPU_PROF ? await startProfile() : null;
    const cpuBefore = cpuSnapshot();
    const sent = await openLoop(rate, seconds, (i, scheduledAt) => {
      const key = `${keyPrefix}${i}`;
      scheduled.set(key, scheduledAt);
      return submit(key);
    });
    const accepted = sent.latencies.filter((l) => !Number.isNaN(l)).length;
    const lastSend = sent.start + ((scheduled.size - 1) * 1000) / rate;
    const decidedCount = await waitUntilDecided(db, keyPrefix, accepted, Date.now() + drainSeconds * 1000);
    const systemSeconds = (Date.now() - sent.start) / 1000;
    const systemCpu = cpuSplit(cpuBefore, systemSeconds);
    if (profile) await profile.stop(`${process.env.BENCH_CPU_PROF}/intake-api-${benchIntakePath}.cpuprofile`);
    const statements = await topStatements(db, 25);
    const rows = (await db.execute(
      sql`select idempotency_key as key, status, (extract(epoch from (decision->>'decidedAt')::timestamptz) * 1000)::float8 as decided
          from applications where idempotency_key like ${`${keyPrefix}%`} and decision is not null`,
    )) as unknown as { key: string; status: string; decided: number }[];
    const decisionLatencies = rows.map((r) => r.decided - scheduled.get(r.key)!);
    const lastDecision = rows.length ? Math.max(...rows.map((r) => r.decided)) : Date.now();
    const outcomes = new Map<string, number>();
    for (const r of rows) outcomes.set(r.status, (outcomes.get(r.status) ?? 0) + 1);

    // (b) the floor at the same rate: the same rows, written directly.
    const floorCpuBefore = cpuSnapshot();
    const floor = await openLoop(rate, seconds, async (i) => {
      await insertDecidedApplication(db, `bench-floor-${i}`);
    });
    const floorCpu = cpuSplit(floorCpuBefore, floor.seconds);

    // Report.
    const submitted = sent.latencies.length;
    const s = summary(sent.latencies.filter((l) => !Number.isNaN(l)));
    const d = summary(decisionLatencies);
    const f = summary(floor.latencies.filter((l) => !Number.isNaN(l)));
    const floorDone = floor.latencies.filter((l) => !Number.isNaN(l)).length;
    const decidedSeconds = (lastDecision - sent.start) / 1000;
    console.log(`\nintake bench on ${stack.machine}: open loop, ${rate} applications/s for ${seconds} s (${submitted} applications), eservices client; the ${benchIntakePath} decision path (BENCH_INTAKE_PATH); ${workerProcesses ? `${workerProcesses} worker process${workerProcesses > 1 ? 'es' : ''}` : 'the worker in the API\'s process'}${process.env.BENCH_NO_SANDBOX_TIMEOUT === '1' ? ', workflow sandbox without vm timeout (experiment)' : ''}`);
    console.log(`submit (scheduled send → HTTP answer): ${accepted} accepted (${(accepted / sent.seconds).toFixed(1)} accepted/s), p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms, max ${ms(s.max)} ms`);
    console.log(`  errors: ${errorLine(sent)}; generator's worst lag behind schedule ${ms(sent.maxSendLag)} ms`);
    console.log(
      `decided: ${decidedCount} of ${accepted} (${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}); ${decidedCount < accepted ? `gave up ${drainSeconds} s after the last answer; the last decision came` : 'all decided'} ${(decidedSeconds - (lastSend - sent.start) / 1000).toFixed(1)} s after the last send, ${decidedSeconds.toFixed(1)} s after the first → ${(decidedCount / decidedSeconds).toFixed(1)} decided/s`,
    );
    console.log(`submit-to-decision (scheduled send → decidedAt): p50 ${ms(d.p50)} ms, p95 ${ms(d.p95)} ms, p99 ${ms(d.p99)} ms, max ${ms(d.max)} ms`);
    console.log(`  ${systemCpu} (from first send to last decision)`);
    console.log(`  ${cpuPerItem(cpuBefore, decidedCount, 'decided application')}`);
    if (statements.length) console.log(`PostgreSQL statements of the system phase by total time (BENCH_PG_STATS=1):\n${statements.join('\n')}`);
    console.log(`floor (one plain SQL statement per application: person, member, approved application, period, message, audit row), same rate:`);
    console.log(`  ${floorDone} committed (${(floorDone / floor.seconds).toFixed(1)}/s), p50 ${ms(f.p50)} ms, p95 ${ms(f.p95)} ms, p99 ${ms(f.p99)} ms, max ${ms(f.max)} ms; errors: ${errorLine(floor)}`);
    console.log(`  ${floorCpu}`);
    console.log(`  ${cpuPerItem(floorCpuBefore, floorDone, 'committed application')}`);
    console.log(`ratio submit-to-decision / floor: p50 ${(d.p50 / f.p50).toFixed(0)}×, p95 ${(d.p95 / f.p95).toFixed(0)}×; time to all decided / time to all floor rows committed: ${(decidedSeconds / floor.seconds).toFixed(1)}×`);
  } finally {
    await stack.close();
  }
}

function errorLine(r: OpenLoopResult) {
  return r.errors.size === 0 ? 'none' : [...r.errors].map(([k, n]) => `${n} × ${k}`).join('; ');
}

/** Waits until `n` applications with the key prefix are decided, or `deadline` (epoch ms) passes; returns how many were. */
async function waitUntilDecided(db: Database, prefix: string, n: number, deadline: number) {
  for (;;) {
    const [row] = (await db.execute(sql`select count(*)::int as n from applications where idempotency_key like ${`${prefix}%`} and decision is not null`)) as unknown as { n: number }[];
    const decided = row?.n ?? 0;
    if (decided >= n || Date.now() > deadline) return decided;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The floor: what an approved application leaves in the register, in one plain statement. */
async function insertDecidedApplication(db: Database, key: string) {
  const data = applicationData({ identityCode: uniqueIdentityCode() });
  const id = randomUUID();
  const decision = { outcome: 'approved', decidedBy: 'floor', reason: null, decidedAt: new Date().toISOString(), automatic: true };
  await db.execute(sql`
    WITH p AS (
      INSERT INTO persons (identity_code, first_names, last_name, birth_date, language, email, phone, street_address, postal_code, city)
      VALUES (${data.identityCode}, ${data.firstNames}, ${data.lastName}, '1980-01-01', ${data.language}, ${data.email ?? null}, ${data.phone ?? null}, ${data.address?.street ?? null}, ${data.address?.postalCode ?? null}, ${data.address?.city ?? null})
      RETURNING id),
    m AS (INSERT INTO members (person_id, channel) SELECT id, 'eservices' FROM p RETURNING id),
    a AS (
      INSERT INTO applications (id, idempotency_key, channel, submitted_by, received_on, received_by, identity_code, data, status, outcome, start_date, decision, member_id, workflow_id)
      SELECT ${id}, ${key}, 'eservices', 'eservices', current_date, 'eservices', ${data.identityCode}, ${JSON.stringify(data)}::jsonb, 'approved', 'approved', current_date, ${JSON.stringify(decision)}::jsonb, m.id, ${`floor-${id}`} FROM m
      RETURNING id, member_id),
    mp AS (INSERT INTO membership_periods (member_id, start_date, source_application_id) SELECT member_id, current_date, id FROM a),
    msg AS (
      INSERT INTO messages (message_key, kind, member_id, application_id, language, recipient, subject, body)
      SELECT 'floor-' || id, 'decision', member_id, id, ${data.language}, ${JSON.stringify({ email: data.email })}::jsonb, 'Päätös', 'Hakemuksesi on hyväksytty.' FROM a)
    INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id) SELECT 'eservices', 'client', 'application.approved', 'application', id::text FROM a`);
}
