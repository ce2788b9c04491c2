// Issue 16 "Must show": faults injected into real processes (docs/decisions/026-chaos-and-scale-out.md).
// A system of its own (tests/chaos/harness.ts: its own PostgreSQL and Temporal dev server, so
// restarting them never disturbs the other test files) running the real entry points
// `temporal/start.ts web|worker`. Tens of members here; `npm run chaos` runs the same with
// CHAOS_SCALE=full: hundreds, and prints the timings.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kill, startChaosSystem, type ChaosSystem, type Proc } from '../chaos/harness';
import { billingWithWorkerKilled, intakeWithTemporalRestarted, paymentsWithPostgresRestarted, up, webDrainedMidRequest, webKilledMidRequest, type Outcome } from '../chaos/scenarios';

const full = process.env.CHAOS_SCALE === 'full';
// Members billed (scale-out run and, in the full run, the single-worker run), members per chunk,
// applications submitted across the Temporal restart and at the web server that is killed.
const size = full ? { scaleOut: 1_000, billing: 400, chunk: 50, intake: 200, web: 50 } : { scaleOut: 40, billing: 0, chunk: 10, intake: 12, web: 8 };

let sys: ChaosSystem;
let workers: Proc[];
let webs: Proc[];
const outcomes: Outcome[] = [];
const log = (line: string) => full && console.log(`[chaos] ${line}`);

beforeAll(async () => {
  // The run's workflow bundle (the workers start without bundling the workflow code each); small
  // billing chunks, so a run has several for a worker to die in and two workers to share.
  sys = await startChaosSystem({ webs: 2, log, env: { WORKFLOW_BUNDLE: inject('workflowBundlePath'), BILLING_CHUNK_SIZE: String(size.chunk) } });
  // Scale-out: two worker processes and two web processes against one Temporal and one PostgreSQL.
  const all = await Promise.all([up(sys.startWorker('worker-1')), up(sys.startWorker('worker-2')), up(sys.startWeb(0)), up(sys.startWeb(1))]);
  workers = all.slice(0, 2);
  webs = all.slice(2);
}, 240_000);

afterAll(async () => {
  await sys?.close();
  for (const o of outcomes) console.log(`[chaos] ${o.scenario}: ${(o.ms / 1000).toFixed(1)} s ${JSON.stringify(o.counts)}`);
});

const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;
/** As a supervisor would: at least one worker runs (one that lost Temporal for good ends). */
async function ensureWorker() {
  workers = workers.filter(alive);
  if (!workers.length) workers.push(await up(sys.startWorker(`worker-${Date.now()}`)));
}

describe('chaos: real processes, faults injected, counts checked', () => {
  let runId = '';

  it('scale-out: two workers, two web servers; a billing run completes across both workers with one SIGKILLed during the commit', async () => {
    // Started on web server 2, approved there; the run's chunks go to both workers; worker 1 dies mid-chunk.
    const o = await billingWithWorkerKilled(sys, { period: '2026-03', members: size.scaleOut, workers: [workers[0]!, workers[1]!], web: 1, startWorker: () => sys.startWorker('unused') });
    outcomes.push({ ...o, scenario: 'scale-out billing (2 workers, 2 web), worker SIGKILLed mid-commit' });
    runId = o.runId;
    expect(o.counts.invoices).toBe(o.counts.members);
    // The chunks ran on both workers (the identities in the run's history).
    expect(o.identities.length).toBeGreaterThanOrEqual(2);
  }, 900_000);

  it('a payment import completes after PostgreSQL is killed and restarted under it: each payment booked once', async () => {
    await ensureWorker();
    const o = await paymentsWithPostgresRestarted(sys, { runId, web: 0, ensureWorker });
    outcomes.push(o);
    expect(o.counts.ledgerRows).toBe(o.counts.payments);
  }, 900_000);

  it('intake decides every application once across a Temporal restart', async () => {
    await ensureWorker();
    const o = await intakeWithTemporalRestarted(sys, { applications: size.intake, web: 0, ensureWorker });
    outcomes.push(o);
    expect(o.counts.decided).toBe(o.counts.applications);
    // The history file the killed server left and the new one opened is in write-ahead-log mode, as `npm start` keeps it
    // (SQLite's header: bytes 18 and 19 are 2 for WAL, 1 for a rollback journal; decision 049).
    expect([...readFileSync(sys.temporalDbFile).subarray(18, 20)]).toEqual([2, 2]);
  }, 900_000);

  it('the web server SIGKILLed mid-request: clients retrying with their keys make one application each, each decided once', async () => {
    await ensureWorker();
    const o = await webKilledMidRequest(sys, { applications: size.web, web: webs[0]!, restartWeb: () => (webs[0] = sys.startWeb(0)) });
    outcomes.push(o);
    expect(o.counts.decided).toBe(o.counts.applications);
  }, 900_000);

  it('the web server SIGTERMed with a request half received: it drains, answers it, exits 0; the application is decided once', async () => {
    await ensureWorker();
    const o = await webDrainedMidRequest(sys, { web: webs[1]!, restartWeb: () => (webs[1] = sys.startWeb(1)) });
    outcomes.push(o);
    expect(o.counts.decided).toBe(1);
  }, 900_000);

  it('a worker SIGTERMed during a billing commit drains and exits 0; the run completes with one invoice per member', async () => {
    await ensureWorker();
    if (workers.length < 2) workers.push(await up(sys.startWorker(`worker-${Date.now()}`)));
    const o = await billingWithWorkerKilled(sys, { period: '2026-05', members: size.web, workers, web: 0, startWorker: () => sys.startWorker(`worker-${Date.now()}`), signal: 'SIGTERM' });
    outcomes.push(o);
    expect(o.counts.invoices).toBe(o.counts.members);
  }, 900_000);

  // `npm run chaos` only: the one worker there is SIGKILLed during the commit and started again.
  it.runIf(full)('a billing run completes after its only worker is SIGKILLed during the commit and started again', async () => {
    await ensureWorker();
    for (const extra of workers.slice(1)) await kill(extra);
    workers = workers.slice(0, 1);
    const o = await billingWithWorkerKilled(sys, { period: '2026-04', members: size.billing, workers, web: 0, startWorker: () => (workers[0] = sys.startWorker('worker-again')) });
    outcomes.push(o);
    expect(o.counts.invoices).toBe(o.counts.members);
  }, 900_000);
});
