import { defaultPayloadConverter } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { issuePlan, type ChunkTimings } from '../../activities/collection';
import type { Database } from '../../db/client';
import type { Principal } from '../../services/principal';
import { countDue, issueStatements, membersInBucket, overview, overviewStatement } from '../../db/repositories/collection';
import { addDays } from '../../domain/dates';
import { getPaymentFile, importPaymentFile } from '../../services/payments';
import { collectionRun } from '../../workflows/collectionRun';
import { collectionHearingStartsWorkflowId, collectionRunQueue, collectionRunWorkflowId } from '../../workflows/definitions/collectionRun';
import { camt054 } from '../support/camt054File';
import { startBenchStack } from './benchStack';
import { generateMembers } from './generateMembers';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 270_000);
/** Share of members with an overdue invoice. */
const overdueShare = Number(process.env.BENCH_OVERDUE ?? 0.1);
const paymentSamples = Number(process.env.BENCH_PAYMENT_SAMPLES ?? 60);
/** The run's chunk size and lanes; unset, the workflow's defaults. */
const chunkSize = process.env.BENCH_CHUNK ? Number(process.env.BENCH_CHUNK) : undefined;
const concurrency = process.env.BENCH_LANES ? Number(process.env.BENCH_LANES) : undefined;
/**
 * Worker processes beside the bench's own (which uploads the payment files, as the API does);
 * 0 runs the worker inside it, so an upload shares its event loop with the step's and the
 * hearings' activities, which production (`npm run worker` apart from the API) never does.
 */
const workerProcesses = Number(process.env.BENCH_WORKERS ?? 1);

const billingUser: Principal = { kind: 'user', id: 'bench-billing', name: 'Bench Billing', roles: ['billing'] };
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Where the run's time went, from its history: each activity's wall time (scheduled → completed,
 * so a chunk waiting for a lane does not count) and the chunks' own timings summed over chunks.
 * Chunks run in lanes, so the chunk sums add up to more than the step's wall time.
 */
async function phasesOf(temporal: Client, workflowId: string) {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, { type: string; at: number }>();
  const wall: Record<string, { n: number; ms: number }> = {};
  const chunk: Record<string, number> = {};
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  for (const e of history.events ?? []) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) scheduled.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at: ms(e.eventTime) });
    // A local activity (the step since decision 065): its result is in its marker; no wall time of its own.
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      const payload = marker.details?.result?.payloads?.[0];
      const result = payload ? defaultPayloadConverter.fromPayload<{ ms?: ChunkTimings }>(payload) : undefined;
      for (const [k, v] of Object.entries(result?.ms ?? {})) chunk[k] = (chunk[k] ?? 0) + v;
      continue;
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (!done) continue;
    const s = scheduled.get(String(done.scheduledEventId))!;
    const w = (wall[s.type] ??= { n: 0, ms: 0 });
    w.n += 1;
    w.ms += ms(e.eventTime) - s.at;
    const payload = done.result?.payloads?.[0];
    const result = payload ? defaultPayloadConverter.fromPayload<{ ms?: ChunkTimings }>(payload) : undefined;
    for (const [k, v] of Object.entries(result?.ms ?? {})) chunk[k] = (chunk[k] ?? 0) + v;
  }
  return { wall, chunk };
}

/**
 * Where the step's time outside its activity went (decision 065), from the run's history: the
 * client's start → the run started (the start's own round trip), → its first workflow task picked
 * up, → that task completed, → the activity picked up (or, a local activity, nothing: it runs in
 * the task), → the last workflow task completed, → the client had the result. Milliseconds.
 */
async function stepTimeline(temporal: Client, workflowId: string, startedAt: number, doneAt: number) {
  const events = (await temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  const first = (pred: (e: (typeof events)[number]) => unknown) => {
    const e = events.find(pred);
    return e ? ms(e.eventTime) : NaN;
  };
  const last = (pred: (e: (typeof events)[number]) => unknown) => {
    const e = [...events].reverse().find(pred);
    return e ? ms(e.eventTime) : NaN;
  };
  const started = first((e) => e.workflowExecutionStartedEventAttributes);
  const taskStarted = first((e) => e.workflowTaskStartedEventAttributes);
  const taskCompleted = first((e) => e.workflowTaskCompletedEventAttributes);
  const activityScheduled = first((e) => e.activityTaskScheduledEventAttributes);
  const activityStarted = first((e) => e.activityTaskStartedEventAttributes);
  const activityCompleted = first((e) => e.activityTaskCompletedEventAttributes);
  const lastTaskCompleted = last((e) => e.workflowTaskCompletedEventAttributes);
  const closed = last((e) => e.workflowExecutionCompletedEventAttributes);
  const tasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
  const parts: Record<string, number> = {
    'start → started': started - startedAt,
    '→ first task picked up': taskStarted - started,
    'first task (a local activity runs in it)': taskCompleted - taskStarted,
    ...(Number.isNaN(activityScheduled) ? {} : { '→ activity picked up': activityStarted - taskCompleted, 'activity': activityCompleted - activityStarted, '→ last task completed': lastTaskCompleted - activityCompleted }),
    '→ closed': closed - lastTaskCompleted,
    '→ result at the client': doneAt - closed,
  };
  const t0 = started;
  const list = events.map((e) => `${Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k])?.replace(/EventAttributes$/, '') ?? e.eventType}@${(ms(e.eventTime) - t0).toFixed(0)}`);
  return { tasks, events: events.length, parts, list };
}

/**
 * The payment-file path's steps, from each file's process history: upload answered (stored, a
 * small file booked — the invoice is paid at that commit, decision 043 — and its process started
 * by the service), → the process's first workflow task done (it schedules its booking), → the
 * booking activity picked up, → its booking done (it finds the entries booked), and when the
 * bench's poll saw the invoice paid.
 */
async function paymentSteps(temporal: Client, traces: { at: number; imported: number; paid: number; workflowId: string }[]) {
  const parts: Record<string, number[]> = { 'upload answered (stored, small file booked, process started)': [], '→ booking scheduled': [], '→ booking picked up': [], '→ process booking done (finds it booked)': [], 'paid seen (poll)': [] };
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  for (const t of traces) {
    const events = (await temporal.workflow.getHandle(t.workflowId).fetchHistory()).events ?? [];
    const at = (pred: (e: (typeof events)[number]) => unknown) => {
      const e = events.find(pred);
      return e ? ms(e.eventTime) : NaN;
    };
    const scheduled = at((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'bookPaymentFile');
    const started = at((e) => e.activityTaskStartedEventAttributes);
    const completed = at((e) => e.activityTaskCompletedEventAttributes);
    parts['upload answered (stored, small file booked, process started)']!.push(t.imported - t.at);
    parts['→ booking scheduled']!.push(scheduled - t.imported);
    parts['→ booking picked up']!.push(started - scheduled);
    parts['→ process booking done (finds it booked)']!.push(completed - started);
    parts['paid seen (poll)']!.push(t.paid - t.at);
  }
  const q = (xs: number[], f: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))] ?? NaN;
  return Object.fromEntries(Object.entries(parts).map(([k, xs]) => [k, `${q(xs, 0.5).toFixed(0)} / ${q(xs, 0.95).toFixed(0)}`]));
}

/**
 * The bench's data over the generated members: an overdue 2025 invoice for every
 * (1 / BENCH_OVERDUE)th member, spread over the reminder levels as below; analyzed.
 */
export async function seedOverdueInvoices(db: Database, iban: string, day: string): Promise<{ invoices: number }> {
  const ibanDigits = iban.replace(/\s/g, '').slice(2);
  // Overdue invoices of the fee year 2025 for every 10th member, references computed as the
  // billing run does (member number + year, 7-3-1 check digit) and a matching version-4 barcode.
  const every = Math.round(1 / overdueShare);
  await db.execute(sql`
    insert into invoices (member_id, period_start, period_end, fee_year, amount_cents, lines, reference, rf_reference, iban, issued_on, due_date, delivery, virtual_barcode, open_cents)
    select m.id, '2025-01-01', '2025-12-31', 2025, 9600, '[{"month":"2025-01","cents":9600}]'::jsonb, r.reference, 'RF' || lpad((98 - ((r.reference || '271500')::numeric % 97))::text, 2, '0') || r.reference, ${iban},
           g.due - 30, g.due, 'letter',
           '4' || ${ibanDigits} || '00009600' || '000' || lpad(r.reference, 20, '0') || to_char(g.due, 'YYMMDD'),
           9600
      from (select id, member_number, row_number() over (order by member_number) as rn from members) m
      cross join lateral (select (${day}::date - 80) as due) g
      cross join lateral (select m.member_number::text || '25' as base) b
      cross join lateral (
        select b.base || ((10 - sum(substr(reverse(b.base), k, 1)::int * (array[7, 3, 1])[(k - 1) % 3 + 1]) % 10) % 10)::text as reference
          from generate_series(1, length(b.base)) k) r
     where m.rn % ${every}::int = 0`);
  // Spread over the levels by the invoice's row (k = row mod 20): 40 % level 1 due (due 20 days
  // ago, no reminder yet), 45 % level 2 due, 5 % hearing due, 5 % waiting (level 1 sent
  // yesterday), 5 % on hold (a payment plan) with level 2 due.
  await db.execute(sql`create table bench_k as select id, member_id, (row_number() over (order by id) % 20)::int as k from invoices`);
  await db.execute(sql`
    update invoices i set due_date = ${day}::date - 20, issued_on = ${day}::date - 50,
           virtual_barcode = '4' || ${ibanDigits} || '00009600' || '000' || lpad(i.reference, 20, '0') || to_char(${day}::date - 20, 'YYMMDD')
      from bench_k where bench_k.id = i.id and bench_k.k < 8`);
  await db.execute(sql`
    insert into collection_reminders (invoice_id, member_id, level, run_date, sent_on, new_due_date, open_cents, channel, message_key, status)
    select id, member_id, 1, d - 66, d - 66, d - 52, 9600, 'letter', 'bench/' || id || '/1', 'sent' from bench_k, (select ${day}::date as d) x where k between 8 and 17 or k = 19
    union all
    select id, member_id, 1, d - 1, d - 1, d + 13, 9600, 'letter', 'bench/' || id || '/1', 'sent' from bench_k, (select ${day}::date as d) x where k = 18
    union all
    select id, member_id, 2, d - 50, d - 50, d - 36, 9600, 'letter', 'bench/' || id || '/2', 'sent' from bench_k, (select ${day}::date as d) x where k = 16`);
  await db.execute(sql`insert into collection_holds (member_id, reason, until, set_by) select member_id, 'payment-plan', ${day}::date + 60, 'bench' from bench_k where k = 19`);
  await db.execute(sql`drop table bench_k`);
  await db.execute(sql`analyze`);
  const [counts] = await db.execute<{ invoices: number }>(sql`select count(*)::int as invoices from invoices`);
  return counts!;
}

/**
 * `npm run bench -- collection`: 270,000 generated members, 10 % with an overdue invoice spread
 * over the reminder levels (level 1 due, level 2 due, hearing due, on hold, waiting); the daily
 * step (stage, chunks, letters, e-mails, e-invoices, hearing starts) timed beside the SQL floor
 * (one statement selecting the same invoices and levels), then the time from a payment booked
 * to that member's collection stopped.
 */
export async function runCollectionBench() {
  const stack = await startBenchStack({ workerProcesses });
  const { ctx } = stack;
  const db = ctx.db;
  const rules = ctx.profile.collection;
  const day = '2026-11-25';
  try {
    await generateMembers(db, memberCount);
    const iban = ctx.profile.iban;
    const t0 = performance.now();
    const counts = await seedOverdueInvoices(db, iban, day);
    console.log(`data: ${counts.invoices.toLocaleString('en')} overdue invoices in ${seconds(performance.now() - t0)} s`);

    // The floor: one statement selecting the same invoices and levels (run twice, the second timed warm).
    await countDue(db, rules, day);
    const f0 = performance.now();
    const floor = await countDue(db, rules, day);
    const floorMs = performance.now() - f0;

    // BENCH_EXPLAIN=1: the issue's two statements' plans with their timings (decision 068), in a transaction rolled back.
    if (process.env.BENCH_EXPLAIN === '1') {
      await db
        .transaction(async (tx) => {
          await tx.execute(sql`set local work_mem = '64MB'`);
          const { decide, write } = issueStatements(rules, issuePlan(ctx.profile), day);
          for (const statement of [decide, write]) {
            const plan = await tx.execute<{ 'QUERY PLAN': string }>(sql`explain (analyze, buffers) ${statement}`);
            console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
          }
          tx.rollback();
        })
        .catch(() => undefined);
    }

    // The worker as it is on any day but its first: it has run a step before (decision 065). A
    // run of a day long before, when nothing was due yet (the floor is timed warm too); its time
    // is printed, it is the worker's first workflow of the queue (the sandbox's modules loaded).
    // BENCH_WARM=0: the step is the fresh worker's first workflow, as before.
    let warmMs: number | null = null;
    if (process.env.BENCH_WARM !== '0') {
      const before = addDays(day, -200);
      const w0 = performance.now();
      const warm = await ctx.temporal.workflow.execute(collectionRun, { taskQueue: ctx.taskQueues[collectionRunQueue], workflowId: collectionRunWorkflowId(before), args: [{ today: before }] });
      await ctx.temporal.workflow.getHandle(warm.deliveryWorkflowId!).result();
      warmMs = performance.now() - w0;
      if (warm.outcome.staged !== 0) throw new Error(`the warm-up run of ${before} staged ${warm.outcome.staged}`);
    }

    // The daily step, as the schedule starts it.
    const s0 = performance.now();
    const s0Epoch = Date.now();
    const result = await ctx.temporal.workflow.execute(collectionRun, { taskQueue: ctx.taskQueues[collectionRunQueue], workflowId: collectionRunWorkflowId(day), args: [{ today: day, ...(chunkSize ? { chunkSize } : {}), ...(concurrency ? { concurrency } : {}) }] });
    const stepMs = performance.now() - s0;
    const stepDoneEpoch = Date.now();
    const o = result.outcome;
    // The delivery the run started (decision 052): every letter and message of the day rendered
    // and sent (or withdrawn), apart from the step; timed from the step's start to its end.
    const deliveryDone = ctx.temporal.workflow
      .getHandle(result.deliveryWorkflowId!)
      .result()
      .then((r: { sent: number; withdrawn: number; failed: number }) => ({ ...r, sinceStartMs: performance.now() - s0 }));
    const stagedMatches = o.staged === floor.invoices;
    const phases = await phasesOf(ctx.temporal, collectionRunWorkflowId(day));
    const timeline = await stepTimeline(ctx.temporal, collectionRunWorkflowId(day), s0Epoch, stepDoneEpoch);
    // The day's hearings are started apart from the run (decision 043): how long after the step
    // the last one was started. The payments below are measured meanwhile.
    const hearingStarts = ctx.temporal.workflow
      .getHandle(collectionHearingStartsWorkflowId(day))
      .result()
      .then((r: { started: number }) => ({ started: r.started, afterStepMs: performance.now() - s0 - stepMs }));

    // Payment to collection stopped: a level-1 invoice of the run gets paid through a payment file;
    // stopped = the invoice is no longer open, so no step selects it (the daily step re-checks it
    // under lock). A few payments at a time, as files arrive.
    const sample = await db.execute<{ id: string; reference: string }>(sql`
      select i.id, i.reference from invoices i join collection_reminders r on r.invoice_id = i.id and r.level = 1 and r.run_date = ${day}::date
       where i.status = 'open' order by i.id limit ${paymentSamples}::int`);
    const latencies: number[] = [];
    const traces: { at: number; imported: number; paid: number; workflowId: string }[] = [];
    let n = 0;
    const lane = async () => {
      while (n < sample.length) {
        const inv = sample[n++]!;
        const xml = camt054([{ archiveId: `COLL${String(n).padStart(10, '0')}`, amountCents: 9600, ref: inv.reference, bookingDate: addDays(day, 1) }], { iban, messageId: `COLL-${n}-${Date.now()}` });
        const t = performance.now();
        const at = Date.now();
        // Polled from the upload on: a small file is booked before the upload has started its
        // process (decision 043), so the invoice may be paid before the upload answers.
        let imported = 0;
        const importing = importPaymentFile(ctx, billingUser, { bytes: new TextEncoder().encode(xml), format: 'camt054', filename: `coll-${n}.xml` }).then((r) => {
          imported = Date.now();
          return r;
        });
        for (;;) {
          const [row] = await db.execute<{ status: string }>(sql`select status from invoices where id = ${inv.id}::uuid`);
          if (row!.status === 'paid') break;
          await sleep(10);
        }
        latencies.push(performance.now() - t);
        const paid = Date.now();
        const { file } = await importing;
        traces.push({ at, imported, paid, workflowId: file.workflowId });
      }
    };
    await Promise.all(Array.from({ length: 4 }, lane));
    const hearingsApart = await hearingStarts;
    const delivered = await deliveryDone;
    const deliveryPhases = await phasesOf(ctx.temporal, result.deliveryWorkflowId!);
    const byChannel = await db.execute<{ channel: string; status: string; n: number }>(sql`
      select channel, status, count(*)::int as n from collection_reminders where run_date = ${day}::date group by channel, status order by channel, status`);
    const hearingPhases = await phasesOf(ctx.temporal, collectionHearingStartsWorkflowId(day));
    // Paid ones are not selected again.
    const after = await countDue(db, rules, addDays(day, 40));
    const [stillDue] = await db.execute<{ n: number }>(sql`
      select count(*)::int as n from invoices where id = any(${`{${sample.map((s) => s.id).join(',')}}`}::uuid[]) and status <> 'paid'`);
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    const [file] = await db.execute<{ n: number }>(sql`select count(*)::int as n from bank_files`);
    void getPaymentFile;
    const steps = await paymentSteps(ctx.temporal, traces);

    console.log(`\ncollection bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members, ${counts.invoices.toLocaleString('en')} overdue invoices, day ${day}; ${workerProcesses ? `${workerProcesses} worker process${workerProcesses > 1 ? 'es' : ''}` : "the worker in the uploads' process"}`);
    console.log(`floor, one statement selecting the due invoices and their levels: ${floor.invoices.toLocaleString('en')} invoices of ${floor.members.toLocaleString('en')} members, by level ${JSON.stringify(floor.byLevel)} (level ${rules.levels.length + 1} = hearing) in ${(floorMs / 1000).toFixed(2)} s`);
    console.log(`daily step collection-run/${day} (open, select, decide, issue, finish, start the delivery; decisions 052, 061): ${(stepMs / 1000).toFixed(2)} s — staged ${o.staged.toLocaleString('en')} (${stagedMatches ? 'the same as the floor' : 'DIFFERENT from the floor'}), issued ${(o.issued ?? 0).toLocaleString('en')}, hearings recorded ${o.hearings.toLocaleString('en')}, on hold ${o.onHold}, skipped because paid ${o.skippedPaid}, failed ${o.failed} ${JSON.stringify(o.failures)}`);
    console.log(`  ${warmMs === null ? 'the fresh worker\'s first workflow of the queue (BENCH_WARM=0)' : `on a worker that ran a step before: a run of a day with nothing due, its first workflow of the queue, took ${(warmMs / 1000).toFixed(2)} s with its delivery`}`);
    console.log(`  activities (wall, scheduled → completed): ${Object.entries(phases.wall).map(([k, v]) => `${k} ${v.n}× ${seconds(v.ms)} s`).join(', ')}`);
    console.log(`  the issue statement itself: ${seconds(phases.chunk.issue ?? NaN)} s; the step's activity (decision 061): ${['open', 'issue', 'finish', 'start'].map((k) => `${k} ${((phases.chunk[k] ?? NaN) / 1000).toFixed(2)} s`).join(', ')}`);
    console.log(`  Temporal around it (${timeline.tasks} workflow tasks, ${timeline.events} events; ms, the server's clock against the bench's): ${Object.entries(timeline.parts).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
    if (process.env.BENCH_TIMELINE === '1') console.log(`  the run's events (ms after its start): ${timeline.list.join(' ')}`);
    console.log(`delivery ${result.deliveryWorkflowId}: every letter and message of the day sent ${seconds(delivered.sinceStartMs)} s after the step started (${seconds(delivered.sinceStartMs - stepMs)} s after it ended) — sent ${delivered.sent.toLocaleString('en')}, withdrawn ${delivered.withdrawn.toLocaleString('en')} (paid or on hold by the send), failed ${delivered.failed.toLocaleString('en')}`);
    console.log(`  delivery, summed over its batches: ${Object.entries(deliveryPhases.chunk).map(([k, v]) => `${k} ${k === 'rerendered' ? v : `${seconds(v)} s`}`).join(', ')}; by channel: ${byChannel.map((c) => `${c.channel} ${c.status} ${c.n.toLocaleString('en')}`).join(', ')}`);
    console.log(`  hearings started apart (${collectionHearingStartsWorkflowId(day)}): ${hearingsApart.started.toLocaleString('en')} processes, the last ${seconds(hearingsApart.afterStepMs)} s after the step ended (${Object.entries(hearingPhases.wall).map(([k, v]) => `${k} ${seconds(v.ms)} s`).join(', ')}), while the payments below were measured`);
    console.log(`  goal ≤ 60 s ${stepMs <= 60_000 ? 'met' : 'missed'}; the step is ${(stepMs / floorMs).toFixed(1)}× the floor (goal ≤ 3×: ${stepMs <= 3 * floorMs ? 'met' : 'missed'}); the step and its delivery together ${(delivered.sinceStartMs / floorMs).toFixed(1)}× the floor`);
    console.log(`payment booked → collection stopped (${latencies.length} payment files, 4 at a time, ${file!.n} files): p50 ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${p(1).toFixed(0)} ms; goal p95 ≤ 1 s ${p(0.95) <= 1000 ? 'met' : 'missed'}; still open: ${stillDue!.n}; due 40 days later: ${after.invoices.toLocaleString('en')}`);
    console.log(`  where it went (p50 / p95 ms): ${Object.entries(steps).map(([k, v]) => `${k} ${v}`).join('; ')}`);
    // The collection page (decision 070): the groups' counts and sums, and a page of one group, timed warm (the second of two).
    const timedWarm = async <T>(f: () => Promise<T>) => {
      await f();
      const t = performance.now();
      const r = await f();
      return { r, ms: performance.now() - t };
    };
    const today = addDays(day, 1);
    const groups = await timedWarm(() => overview(db, today));
    const firstPage = await timedWarm(() => membersInBucket(db, today, 'level-1', { offset: 0, limit: 50 }));
    const farPage = await timedWarm(() => membersInBucket(db, today, 'level-1', { offset: 5000, limit: 50 }));
    console.log(`collection page (${today}): the groups ${groups.ms.toFixed(0)} ms (${groups.r.map((g) => `${g.bucket} ${g.members.toLocaleString('en')}`).join(', ')}); level-1's first 50 ${firstPage.ms.toFixed(0)} ms, members 5,001–5,050 ${farPage.ms.toFixed(0)} ms (of ${firstPage.r.total.toLocaleString('en')})`);
    if (process.env.BENCH_EXPLAIN === '1') {
      const plan = await db.execute<{ 'QUERY PLAN': string }>(sql`explain (analyze, buffers) ${overviewStatement(today)}`);
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
    if (!stagedMatches) throw new Error(`the step staged ${o.staged}, the floor selected ${floor.invoices}`);
  } finally {
    await stack.close();
  }
}
