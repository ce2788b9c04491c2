// The faults of issue 16's "Must show", each against a chaos system (./harness.ts) of real
// processes, each ending with the register's counts checked. Sizes come from the caller: tens in
// `npm test`, more in `npm run chaos`. No test-runner imports (plain assertions).
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { applications, bankEntries, billingRuns, invoices, ledgerEntries, members, membershipPeriods, persons, tasks } from '../../db/schema';
import { addDays, todayInHelsinki } from '../../domain/dates';
import { reconcileQueue } from '../../workflows/definitions/reconcile';
import { taskQueueNames } from '../../workflows/definitions/taskQueues';
import { applicationData, newKey, uniqueIdentityCode } from '../support/applications';
import { camt054 } from '../support/camt054File';
import { http, kill, until, type ChaosSystem, type Proc } from './harness';

export interface Outcome {
  scenario: string;
  ms: number;
  counts: Record<string, number>;
}

/** Starts a process and waits until it serves. */
export async function up(proc: Proc): Promise<Proc> {
  await proc.ready;
  return proc;
}

/** Members written straight into the register, members from January 2025 on, invoiced by letter. */
export async function seedMembers(sys: ChaosSystem, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const [person] = await sys.db
      .insert(persons)
      .values({ identityCode: uniqueIdentityCode(), firstNames: 'Kaaos', lastName: `Jäsen${i}`, birthDate: '1980-05-05', language: 'fi', email: `kaaos${i}@example.fi`, streetAddress: 'Kaaoskatu 1', postalCode: '00100', city: 'Helsinki', deliveryChannel: 'letter' })
      .returning();
    const [member] = await sys.db.insert(members).values({ personId: person!.id, channel: 'direct' }).returning();
    await sys.db.insert(membershipPeriods).values({ memberId: member!.id, startDate: '2025-01-01', endDate: null });
    ids.push(member!.id);
  }
  return ids;
}

/** Open tasks whose process has ended: what must never be left. */
export async function tasksLeftOpen(sys: ChaosSystem): Promise<string[]> {
  const open = await sys.db.select({ workflowId: tasks.workflowId }).from(tasks).where(eq(tasks.status, 'open'));
  const left: string[] = [];
  for (const workflowId of new Set(open.map((t) => t.workflowId))) {
    const status = await sys.temporal.workflow.getHandle(workflowId).describe().then((d) => d.status.name, () => 'NOT_FOUND');
    if (status !== 'RUNNING') left.push(`${workflowId} (${status})`);
  }
  return left;
}

async function ready(port: number) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Billing: a worker SIGKILLed while a commit chunk runs (or, with two, one of them).

export interface BillingOptions {
  period: string;
  members: number;
  /** The workers running the run: the one running a commit chunk is SIGKILLed; when none is left, `startWorker` starts one. */
  workers: Proc[];
  web: number;
  startWorker: () => Proc;
  /** SIGKILL (a crash, the default) or SIGTERM (a stop: the worker must drain and exit 0). */
  signal?: 'SIGKILL' | 'SIGTERM';
}

export async function billingWithWorkerKilled(sys: ChaosSystem, o: BillingOptions): Promise<Outcome & { runId: string; identities: string[] }> {
  const began = Date.now();
  await seedMembers(sys, o.members);
  const port = sys.webPorts[o.web]!;
  const [billing, approver] = [await sys.login('billing', o.web), await sys.login('billing2', o.web)];
  const dueDate = addDays(todayInHelsinki(), 30);
  const started = await http(port, '/api/v1/billing-runs', { method: 'POST', cookie: billing, body: JSON.stringify({ period: o.period, dueDate }) });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const runId: string = started.body.id;
  const runPath = `/api/v1/billing-runs/${encodeURIComponent(runId)}`;
  const waiting = await until('the preview', async () => {
    const r = await http(port, runPath, { cookie: billing });
    return r.body?.status === 'awaiting-approval' ? r.body : null;
  });
  const decided = await http(port, `/api/v1/tasks/${waiting.approvalTaskId}/decision`, { method: 'POST', cookie: approver, body: JSON.stringify({ decision: 'approve', acknowledgeProvisionalFeeYear: true }) });
  assert.equal(decided.status, 200, JSON.stringify(decided.body));

  // SIGKILL a worker while one of its commit chunks runs (seen in Temporal's pending activities,
  // with the identity, pid@host, of the worker running it).
  const handle = sys.temporal.workflow.getHandle(runId);
  const running = await until(
    'a commit chunk running',
    async () => {
      const d = await handle.describe();
      if (d.status.name !== 'RUNNING') throw new Error(`the run ended (${d.status.name}) before a commit chunk was seen`);
      return (d.raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'commitBillingChunk' && Number(a.state) === 2 && a.lastWorkerIdentity);
    },
    60_000,
    20,
  );
  const victim = o.workers.find((w) => running.lastWorkerIdentity!.startsWith(`${w.child.pid}@`)) ?? o.workers[0]!;
  const killedAt = (await sys.db.select({ progress: billingRuns.progress }).from(billingRuns).where(eq(billingRuns.id, runId)))[0]?.progress;
  const signalledAt = Date.now();
  if (o.signal === 'SIGTERM') {
    victim.killed = true;
    victim.child.kill('SIGTERM');
    // Its running activities get SHUTDOWN_GRACE to finish, the rest go back to Temporal; then exit 0.
    assert.equal(await victim.exited, 0, 'a worker told to stop exits 0');
  } else {
    await kill(victim);
  }
  if (o.workers.every((w) => w.child.exitCode !== null || w.child.signalCode !== null)) await up(o.startWorker());

  const done = await until(
    'the run committed and delivered',
    async () => {
      const r = await http(port, runPath, { cookie: billing });
      if (r.body?.status === 'failed') throw new Error(`billing run failed: ${JSON.stringify(r.body)}`);
      return r.body?.status === 'committed' && r.body.progress?.phase === 'done' ? r.body : null;
    },
    300_000,
    250,
  );

  // invoices = members billed: every member of the period once, each with its ledger entry.
  const [{ start, end }] = (await sys.db.select({ start: billingRuns.periodStart, end: billingRuns.periodEnd }).from(billingRuns).where(eq(billingRuns.id, runId))) as [{ start: string; end: string }];
  const inPeriod = await sys.db.execute<{ n: number }>(sql`
    SELECT count(DISTINCT member_id)::int AS n FROM membership_periods WHERE start_date <= ${end} AND (end_date IS NULL OR end_date >= ${start})`);
  const issued = await sys.db.select({ id: invoices.id, memberId: invoices.memberId }).from(invoices).where(eq(invoices.runId, runId));
  const ledger = issued.length ? await sys.db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(and(inArray(ledgerEntries.invoiceId, issued.map((i) => i.id)), eq(ledgerEntries.kind, 'invoice'))) : [];
  const expected = inPeriod[0]!.n;
  assert.equal(issued.length, expected, 'invoices = members billed');
  assert.equal(new Set(issued.map((i) => i.memberId)).size, issued.length, 'one invoice per member');
  assert.equal(ledger.length, issued.length, 'one ledger entry per invoice');
  assert.equal(done.progress.done, done.progress.total);
  assert.deepEqual(await tasksLeftOpen(sys), [], 'no task left open for a finished process');

  // Which workers ran the chunks (the history's ActivityTaskStarted identities), and what the
  // victim finished after it was told to stop (a drain: its running chunk completed by itself).
  const identities = new Set<string>();
  let finishedAfterSignal = 0;
  for await (const event of (await handle.fetchHistory()).events ?? []) {
    const identity = event.activityTaskStartedEventAttributes?.identity;
    if (identity) identities.add(identity);
    const completedBy = event.activityTaskCompletedEventAttributes?.identity;
    const at = Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
    if (completedBy?.startsWith(`${victim.child.pid}@`) && at >= signalledAt - 100) finishedAfterSignal++;
  }
  if (o.signal === 'SIGTERM') assert.ok(finishedAfterSignal > 0, 'the worker told to stop finished its running chunk itself');
  return { scenario: `billing, worker ${o.signal === 'SIGTERM' ? 'SIGTERMed (drained)' : 'SIGKILLed'} mid-commit`, ms: Date.now() - began, runId, identities: [...identities], counts: { members: expected, invoices: issued.length, ledgerEntries: ledger.length, finishedAfterSignal, committedAtKill: killedAt?.phase === 'commit' ? killedAt.done : -1, workers: identities.size } };
}

// ---------------------------------------------------------------------------------------------
// Payments: PostgreSQL restarted (killed, crash recovery) while a camt.054 file is imported.

export async function paymentsWithPostgresRestarted(sys: ChaosSystem, o: { runId: string; web: number; downMs?: number; ensureWorker: () => Promise<void> }): Promise<Outcome> {
  const began = Date.now();
  const port = sys.webPorts[o.web]!;
  const bank = await sys.token('bank-gateway');
  const billed = await sys.db.select().from(invoices).where(eq(invoices.runId, o.runId));
  assert.ok(billed.length > 0);
  let seq = 0;
  const entries = billed.map((inv) => ({ archiveId: `C${Date.now().toString(36).slice(-6)}${String(seq++).padStart(6, '0')}`.slice(0, 16), amountCents: inv.amountCents, ref: inv.reference, bookingDate: todayInHelsinki() }));
  const file = camt054(entries, { iban: billed[0]!.iban });
  const posted = await http(port, '/api/v1/payment-files', { method: 'POST', token: bank, body: file, headers: { 'content-type': 'application/xml' } });
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  const restart = await sys.restartPostgres({ downMs: o.downMs ?? 0 });
  // As a supervisor would: a worker that ended is started again (the harness prints why it ended).
  await o.ensureWorker();

  await until(
    'the file processed',
    async () => {
      await o.ensureWorker();
      const r = await http(port, `/api/v1/payment-files/${posted.body.id}`, { token: bank });
      return r.body?.status === 'processed';
    },
    300_000,
    250,
  );
  // Each payment booked once: one entry, one payment ledger row and the invoice paid, per payment.
  const archiveIds = entries.map((e) => e.archiveId);
  const booked = await sys.db.select().from(bankEntries).where(inArray(bankEntries.archiveId, archiveIds));
  const payments = await sys.db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM ledger_entries l JOIN bank_entries b ON l.bank_entry_id = b.id WHERE b.archive_id IN ${archiveIds}`);
  const paid = await sys.db.select({ open: invoices.openCents }).from(invoices).where(eq(invoices.runId, o.runId));
  assert.equal(booked.length, entries.length, 'one bank entry per payment');
  assert.ok(booked.every((b) => b.status === 'allocated'), `every payment allocated: ${[...new Set(booked.map((b) => b.status))].join(', ')}`);
  assert.equal(payments[0]!.n, entries.length, 'one payment ledger row per payment');
  assert.ok(paid.every((p) => p.open === 0), 'every invoice paid exactly');
  assert.deepEqual(await tasksLeftOpen(sys), [], 'no task left open for a finished process');
  return { scenario: 'payment import, PostgreSQL killed and restarted', ms: Date.now() - began, counts: { payments: entries.length, booked: booked.length, ledgerRows: payments[0]!.n, postgresDownMs: restart.downMs } };
}

// ---------------------------------------------------------------------------------------------
// Intake: the Temporal dev server killed and restarted while applications come in.

async function submit(port: number, token: string, key: string, data: unknown, signal?: AbortSignal) {
  return http(port, '/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': key }, body: JSON.stringify({ data }), ...(signal ? { signal } : {}) });
}

/**
 * Reconcile starts what could not be started in time (Temporal away, or too busy for the answer's
 * 3-s deadline). Its schedule runs every 10 minutes and leaves rows younger than 5 minutes alone;
 * here it runs now, for rows of any age.
 */
async function reconcileNow(sys: ChaosSystem) {
  await sys.temporal.workflow.start('reconcile', { taskQueue: taskQueueNames()[reconcileQueue], workflowId: `reconcile-chaos-${Date.now()}`, args: [{ olderThanMs: 0 }] });
}

/** Every application decided once: approved, one member each, no open task of an ended process. */
async function decidedOnce(sys: ChaosSystem, ids: string[], timeoutMs: number) {
  await until(
    'every application decided',
    async () => {
      const rows = await sys.db.select({ status: applications.status }).from(applications).where(inArray(applications.id, ids));
      if (rows.length === ids.length && rows.every((r) => r.status === 'approved' || r.status === 'rejected')) return true;
      const by: Record<string, number> = {};
      for (const r of rows) by[r.status] = (by[r.status] ?? 0) + 1;
      throw new Error(`of ${ids.length}: ${JSON.stringify(by)}`);
    },
    // A busy machine decides a few applications a second: the wait grows with their number.
    timeoutMs + 2_000 * ids.length,
    500,
  );
  const rows = await sys.db.select().from(applications).where(inArray(applications.id, ids));
  const codes = rows.map((r) => r.identityCode);
  const people = await sys.db.select({ n: sql<number>`count(*)::int` }).from(members).innerJoin(persons, eq(members.personId, persons.id)).where(inArray(persons.identityCode, codes));
  const reviews = await sys.db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(inArray(tasks.subjectId, ids));
  assert.ok(rows.every((r) => r.status === 'approved'), `every application approved: ${[...new Set(rows.map((r) => r.status))].join(', ')}`);
  assert.equal(people[0]!.n, ids.length, 'one member per application');
  assert.equal(reviews[0]!.n, 0, 'no application went to review (a re-run found its own decision)');
  assert.deepEqual(await tasksLeftOpen(sys), [], 'no task left open for a finished process');
  return rows.length;
}

export async function intakeWithTemporalRestarted(sys: ChaosSystem, o: { applications: number; web: number; ensureWorker: () => Promise<void> }): Promise<Outcome> {
  const began = Date.now();
  const port = sys.webPorts[o.web]!;
  const token = await sys.token('eservices');
  const ids: string[] = [];
  const statuses: Record<string, number> = {};
  const one = async () => {
    const r = await submit(port, token, newKey(), applicationData());
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    assert.ok([201, 202].includes(r.status), `submission answered ${r.status}: ${JSON.stringify(r.body)}`);
    ids.push(r.body.id);
  };
  // A steady stream in lanes of 4; Temporal is killed once a third has gone in.
  let next = 0;
  const lanes = Array.from({ length: 4 }, async () => {
    while (next < o.applications) {
      next++;
      await one();
    }
  });
  await until('a third submitted', () => ids.length >= Math.ceil(o.applications / 3), 60_000, 20);
  const restart = await sys.restartTemporal();
  await Promise.all(lanes);
  // A worker that lost Temporal for good ends (its supervisor starts it again): as one would.
  await o.ensureWorker();
  await reconcileNow(sys);
  const decided = await decidedOnce(sys, ids, 180_000);
  return { scenario: 'intake, Temporal killed and restarted', ms: Date.now() - began, counts: { applications: ids.length, decided, answered201: statuses[201] ?? 0, answered202: statuses[202] ?? 0, temporalDownMs: restart.downMs } };
}

// ---------------------------------------------------------------------------------------------
// The web server SIGKILLed with requests in flight; the clients retry with their keys.

export async function webKilledMidRequest(sys: ChaosSystem, o: { applications: number; web: Proc; restartWeb: () => Proc }): Promise<Outcome> {
  const began = Date.now();
  const port = o.web.port!;
  const token = await sys.token('eservices');
  const submissions = Array.from({ length: o.applications }, () => ({ key: newKey(), data: applicationData() }));
  const keys = submissions.map((s) => s.key);
  const storedOf = async () => (await sys.db.select({ n: sql<number>`count(*)::int` }).from(applications).where(inArray(applications.idempotencyKey, keys)))[0]!.n;
  let answered = 0;
  const first = Promise.allSettled(submissions.map((s) => submit(port, token, s.key, s.data).then((r) => (answered++, r))));
  // Killed while requests are being answered: once the server has stored some, before it answered all.
  await until('a submission stored', async () => (await storedOf()) > 0 || answered > 0, 10_000, 5).catch(() => undefined);
  await kill(o.web);
  const firstAnswers = await first;
  const cut = firstAnswers.filter((a) => a.status === 'rejected').length;
  const storedBeforeRetry = await storedOf();
  await up(o.restartWeb());
  await until('the web server ready', () => ready(port), 60_000);
  // Every client sends again what it sent, with its idempotency key: one application each.
  const again = await Promise.all(submissions.map((s) => submit(port, token, s.key, s.data)));
  for (const r of again) assert.ok([200, 201, 202].includes(r.status), `retry answered ${r.status}: ${JSON.stringify(r.body)}`);
  const ids = [...new Set(again.map((r) => r.body.id as string))];
  assert.equal(ids.length, submissions.length, 'one application per submission');
  const stored = await sys.db.select({ n: sql<number>`count(*)::int` }).from(applications).where(inArray(applications.idempotencyKey, submissions.map((s) => s.key)));
  assert.equal(stored[0]!.n, submissions.length, 'no duplicate rows');
  // A retry whose start missed the 3-s deadline on a busy machine answered 202: reconcile's case.
  await reconcileNow(sys);
  const decided = await decidedOnce(sys, ids, 180_000);
  return { scenario: 'web server SIGKILLed mid-request', ms: Date.now() - began, counts: { applications: submissions.length, cutOff: cut, answeredBeforeKill: submissions.length - cut, storedBeforeRetry, decided } };
}

// ---------------------------------------------------------------------------------------------
// The web server told to stop (SIGTERM, as a platform rolling it) while a request is half received.

/**
 * A submission whose body is half sent when the web process gets SIGTERM: the process drains (it
 * still runs a second later and takes no new connection), the rest of the body arrives, the request
 * is answered, the process exits 0, and the application is decided once.
 */
export async function webDrainedMidRequest(sys: ChaosSystem, o: { web: Proc; restartWeb: () => Proc }): Promise<Outcome> {
  const began = Date.now();
  const port = o.web.port!;
  const token = await sys.token('eservices');
  const body = Buffer.from(JSON.stringify({ data: applicationData() }));
  const half = Math.floor(body.length / 2);
  let answered: (a: { status: number; text: string }) => void = () => {};
  const answer = new Promise<{ status: number; text: string }>((resolve) => (answered = resolve));
  const req: ClientRequest = request(
    { host: '127.0.0.1', port, path: '/api/v1/applications', method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length, 'idempotency-key': newKey() } },
    (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => answered({ status: res.statusCode ?? 0, text }));
    },
  );
  const failed = new Promise<never>((_, reject) => req.on('error', reject));
  req.write(body.subarray(0, half));
  await new Promise((r) => setTimeout(r, 500));
  o.web.killed = true;
  o.web.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1_000));
  assert.equal(o.web.child.exitCode, null, 'the web process waits for the request in flight');
  assert.equal(await ready(port), false, 'a draining web process takes no new request');
  req.end(body.subarray(half));
  const reply = await Promise.race([answer, failed]);
  assert.ok([201, 202].includes(reply.status), `the request in flight answered ${reply.status}: ${reply.text}`);
  assert.equal(await o.web.exited, 0, 'the drained web process exits 0');
  const decided = await decidedOnce(sys, [JSON.parse(reply.text).id as string], 120_000);
  await up(o.restartWeb());
  return { scenario: 'web server SIGTERMed mid-request (drained)', ms: Date.now() - began, counts: { applications: 1, answered: 1, decided } };
}
