// Faults that once did not hold (issue 16): each is injected here and the system must survive it.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApplicationIntakeActivities } from '../../activities/applicationIntake';
import { bookChunk } from '../../activities/paymentFile';
import { unmendable } from '../../temporal/activityFaults';
import * as paymentsRepo from '../../db/repositories/payments';
import * as applicationsRepo from '../../db/repositories/applications';
import { applications, bankEntries, billingRuns, membershipPeriods, tasks } from '../../db/schema';
import { addDays, todayInHelsinki } from '../../domain/dates';
import { ensureIntakeStarted } from '../../services/applications';
import { BackgroundStarts } from '../../services/backgroundStarts';
import { clientDataConverter } from '../../temporal/payloadCodec';
import { taskQueueNames } from '../../workflows/definitions/taskQueues';
import { applicationWorkflowId } from '../../workflows/definitions/applicationIntake';
import { unmatchedPaymentQueue, unmatchedPaymentWorkflowId, unmatchedPaymentWorkflowType } from '../../workflows/definitions/unmatchedPayment';
import { archiveId, camt054, postFile, waitProcessed } from '../support/payments';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { holdLock, killProcess, startWorkerHere, startWorkerProcess } from '../support/killedWorker';
import { startStack, testPayloadKeys, type Stack } from '../support/stack';
import { temporalHung } from '../support/temporalHung';

let stack: Stack;
let bearer: string;
let api: ApiClient['api'];
let waitForStatus: ApiClient['waitForStatus'];
let openTaskFor: ApiClient['openTaskFor'];

beforeAll(async () => {
  stack = await startStack();
  bearer = await stack.token('eservices');
  ({ api, waitForStatus, openTaskFor } = apiClient(stack, { as: { token: bearer } }));
});
afterAll(async () => stack?.close());

async function submit(data = applicationData(), key = newKey()) {
  return api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': key }, body: JSON.stringify({ data }) });
}

describe('lost history re-runs intake', () => {
  it('a second process for an approved application ends approved, with no new task, member or period', async () => {
    const res = await submit();
    expect(res.status).toBe(201);
    const approved = await waitForStatus(res.body.id, ['approved']);

    // The history is gone: the process runs again from the start under the same business id.
    await ensureIntakeStarted(stack.ctx, res.body.id);
    const result = await stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(res.body.id)).result();
    expect(result).toEqual({ outcome: 'approved', memberId: approved.memberId });

    const [row] = await stack.db.select().from(applications).where(eq(applications.id, res.body.id));
    expect(row?.status).toBe('approved');
    expect(row?.memberId).toBe(approved.memberId);
    expect(await stack.db.select().from(tasks).where(eq(tasks.subjectId, res.body.id))).toHaveLength(0);
    expect(await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.sourceApplicationId, res.body.id))).toHaveLength(1);
  });

  it('the intake activities run twice recognise their own decision', async () => {
    const res = await submit();
    const approved = await waitForStatus(res.body.id, ['approved']);
    const acts = createApplicationIntakeActivities(stack.activityDeps);
    const first = await acts.validateApplication({ applicationId: res.body.id });
    const second = await acts.validateApplication({ applicationId: res.body.id });
    expect(first.decided).toEqual({ outcome: 'approved', decidedBy: 'system', memberId: approved.memberId });
    expect(second).toEqual(first);
    const again = await acts.approveApplication({ applicationId: res.body.id, decidedBy: 'system', reason: null, automatic: true });
    expect(again.memberId).toBe(approved.memberId);
    expect(await stack.db.select().from(membershipPeriods).where(eq(membershipPeriods.sourceApplicationId, res.body.id))).toHaveLength(1);
  });
});

describe('an application with no contact channel', () => {
  it('whose completion request cannot be delivered goes to a caseworker task', async () => {
    // Incomplete (no employer) and nothing to reach the applicant through. The API refuses such an
    // application now, but older channels and rows stored before that rule still hold some.
    const { email: _e, phone: _p, address: _a, ...data } = applicationData({ employment: { status: 'employed' } });
    const id = randomUUID();
    await applicationsRepo.insertApplicationOnce(stack.db, {
      id,
      idempotencyKey: newKey(),
      channel: 'eservices',
      submittedBy: 'eservices',
      receivedOn: todayInHelsinki(),
      receivedBy: 'fund',
      unionCode: null,
      identityCode: data.identityCode,
      data,
      workflowId: applicationWorkflowId(id),
    });
    await ensureIntakeStarted(stack.ctx, id);
    const res = { body: { id } };
    const task = await openTaskFor(res.body.id);
    expect(task.title).toBe('completion-undeliverable');
    await expect.poll(async () => (await applicationsRepo.findApplication(stack.db, id))?.status, { timeout: 10_000 }).toBe('in-review');
    const description = await stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(res.body.id)).describe();
    expect(description.status.name).toBe('RUNNING');
    const open = await stack.db.select().from(tasks).where(and(eq(tasks.subjectId, res.body.id), eq(tasks.status, 'open')));
    expect(open).toHaveLength(1);
  });
});

describe('a poison payment', () => {
  it('a bank file whose archive id is 10,000 characters is refused at the edge, naming the limit', async () => {
    const poison = 'X'.repeat(10_000);
    const bankToken = await stack.token('bank-gateway');
    const res = await postFile(apiClient(stack, { as: { token: bankToken } }), camt054([{ archiveId: poison, amountCents: 1000, ref: '1009' }], { iban: stack.profile.iban }), 'application/xml', { token: bankToken });
    expect(res.status, res.text).toBe(400);
    expect(res.body.code).toBe('payment_file_malformed');
    expect(res.body.detail).toMatch(/10000 characters.*at most 35/);
    expect(res.text.length).toBeLessThan(2000);
    expect(await stack.db.select({ n: sql<number>`count(*)::int` }).from(bankEntries).where(eq(bankEntries.archiveId, poison))).toEqual([{ n: 0 }]);
  });

  it('an entry stored before the rule with a 10,000-character archive id still gets its process and a task', async () => {
    const poison = `${archiveId()}${'Y'.repeat(10_000)}`;
    const { row: file } = await paymentsRepo.insertBankFileOnce(stack.db, {
      format: 'camt054', sha256: `test-${poison.slice(0, 20)}`, filename: 'poison.xml', content: '', receivedBy: 'test', workflowId: `test/${poison.slice(0, 20)}`,
    });
    const entry = { archiveId: poison, bookingDate: '2019-03-01', valueDate: '2019-03-01', amountCents: 1234, reversal: false, reference: null, references: [], unstructured: 'who knows', debtorName: 'Maksaja' };
    expect(await stack.db.transaction((tx) => bookChunk(tx, file.id, [entry]))).toBe(1);
    const [stored] = await stack.db.select().from(bankEntries).where(eq(bankEntries.archiveId, poison));
    const taskQueue = stack.ctx.taskQueues[unmatchedPaymentQueue];
    const args = [{ entryId: stored!.id, archiveId: poison }] as const;

    // What happened before: Temporal refuses the id itself, and that failure is now one that is not retried.
    const refused = await stack.ctx.temporal.workflow.start(unmatchedPaymentWorkflowType, { taskQueue, workflowId: `unmatched-payment/${poison}`, args: [...args] }).catch((e: unknown) => e);
    expect(unmendable(refused)).toBe('temporal-invalid-argument');

    // The process id of such an entry is bounded, so its process starts (as the file's activity starts it) and opens its task.
    const workflowId = unmatchedPaymentWorkflowId(poison);
    expect(workflowId.length).toBeLessThan(200);
    expect(unmatchedPaymentWorkflowId(`${poison}Z`)).not.toBe(workflowId);
    await stack.ctx.temporal.workflow.start(unmatchedPaymentWorkflowType, { taskQueue, workflowId, args: [...args] });
    await expect.poll(async () => (await stack.db.select().from(tasks).where(and(eq(tasks.subjectId, stored!.id), eq(tasks.status, 'open')))).length, { timeout: 20_000 }).toBe(1);
  });
});

describe('a worker killed during a short billing step', () => {
  it('the step runs again on another worker within 30 s, not after its start-to-close timeout', async () => {
    // A worker process of its own on queues of their own, so only it can take the run's first step.
    const queues = taskQueueNames(`test-${randomUUID()}-`);
    const prefix = queues.billing.slice(0, -'billing'.length);
    const fundId = stack.profile.id;
    const runId = `billing-run/${fundId}/killed-worker-${randomUUID()}`;
    // The run's first step (openBillingRun) takes the fee year's lock: held here, it waits on the victim.
    const lock = await holdLock(stack.db, sql`select pg_advisory_xact_lock(hashtext(${`fee-year/${fundId}/2031`}))`);
    let victim: ChildProcess | null = null;
    let replacement: Awaited<ReturnType<typeof startWorkerHere>> | null = null;
    const handle = stack.ctx.temporal.workflow.getHandle(runId);
    try {
      victim = await startWorkerProcess(prefix);
      await stack.ctx.temporal.workflow.start('billingRun', {
        taskQueue: queues.billing,
        workflowId: runId,
        args: [{ runId, period: '2031', periodStart: '2031-01-01', periodEnd: '2031-12-31', feeYear: 2031, dueDate: '2031-02-01', startedBy: 'test' }],
      });
      await expect
        .poll(async () => (await handle.describe()).raw.pendingActivities?.some((a) => a.activityType?.name === 'openBillingRun' && a.lastWorkerIdentity?.startsWith(`${victim!.pid}@`)), { timeout: 60_000, interval: 100 })
        .toBe(true);

      const killedAt = Date.now();
      await killProcess(victim);
      await lock.release();
      replacement = await startWorkerHere(stack, queues);
      // The step done again elsewhere: the run's row is written.
      await expect.poll(async () => (await stack.db.select({ id: billingRuns.id }).from(billingRuns).where(eq(billingRuns.id, runId))).length, { timeout: 60_000, interval: 250 }).toBe(1);
      expect(Date.now() - killedAt).toBeLessThan(30_000);
    } finally {
      await lock.release();
      if (victim) await killProcess(victim);
      await handle.terminate('test over').catch(() => undefined);
      await replacement?.stop();
      await stack.db.update(billingRuns).set({ status: 'failed' }).where(eq(billingRuns.id, runId));
    }
  });
});

describe('Temporal unavailable', () => {
  it('an application submitted while Temporal is down answers 202 quickly; the same key gives the same one; reconcile starts it later', async () => {
    const hung = await temporalHung(stack);
    const { down } = hung;
    const downApp = stack.appFor(down);
    const { api: downApi } = apiClient({ app: downApp, db: stack.db }, { as: { token: bearer } });
    try {
      const data = applicationData();
      const key = newKey();
      const post = () => downApi('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': key }, body: JSON.stringify({ data }) });
      const began = Date.now();
      const first = await post();
      const took = Date.now() - began;
      expect(first.status, first.text).toBe(202);
      expect(took).toBeLessThan(5000);
      expect(first.body.status).toBe('received');
      const again = await post();
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);
      expect(await stack.db.select().from(applications).where(eq(applications.identityCode, data.identityCode))).toHaveLength(1);

      // Temporal is back: reconcile starts the process under the application's id, and it is decided.
      await ensureIntakeStarted(stack.ctx, first.body.id);
      await waitForStatus(first.body.id, ['approved']);
      // The client asking again with its key now hears the application as it is.
      const later = await submit(data, key);
      expect(later.status).toBe(200);
      expect(later.body.id).toBe(first.body.id);
    } finally {
      await hung.close();
    }
  });

  it('a billing run started while Temporal is down answers 202 quickly with the stored run; the same period again is the same run', async () => {
    const hung = await temporalHung(stack);
    const { down } = hung;
    const cookie = await stack.login('billing');
    const downApi = apiClient({ app: stack.appFor(down), db: stack.db }).api;
    // A month no other test bills (its fee year is configured).
    const period = '2023-07';
    let runId: string | null = null;
    try {
      const post = () => downApi('/api/v1/billing-runs', { method: 'POST', cookie, body: JSON.stringify({ period, dueDate: addDays(todayInHelsinki(), 30) }) });
      const began = Date.now();
      const first = await post();
      expect(first.status, first.text).toBe(202);
      expect(Date.now() - began).toBeLessThan(5000);
      runId = first.body.id as string;
      expect(first.body).toMatchObject({ period, status: 'previewing' });
      const again = await post();
      expect(again.status, again.text).toBe(202);
      expect(again.body.id).toBe(runId);
      expect(await stack.db.select().from(billingRuns).where(eq(billingRuns.period, period))).toHaveLength(1);
    } finally {
      await hung.close();
      // Not left for reconcile to start in the shared database: that path is reconcile.test.ts's.
      if (runId) await stack.db.update(billingRuns).set({ status: 'failed' }).where(eq(billingRuns.id, runId));
    }
  });

  it('an application accepted (202) while Temporal refuses connections starts its process within seconds of Temporal coming back, not at reconcile', async () => {
    // Whatever the submission tried reached nothing, so only a start tried again afterwards can start the process.
    const { proxy, starts, slow, close } = await temporalRefusing();
    const { api: slowApi } = apiClient({ app: stack.appFor(slow), db: stack.db }, { as: { token: bearer } });
    const handleOf = (id: string) => stack.ctx.temporal.workflow.getHandle(applicationWorkflowId(id));
    try {
      const accepted = await slowApi('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData() }) });
      expect(accepted.status, accepted.text).toBe(202);
      // Still refused a while later: no process yet; the start is being tried again.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await expect(handleOf(accepted.body.id).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect(starts.pending).toBe(1);

      const back = Date.now();
      proxy.letThrough();
      // No reconcile runs here: the start tried in the background starts it, on this stack's queue.
      await expect.poll(() => handleOf(accepted.body.id).describe().catch(() => null), { timeout: 15_000, interval: 200 }).not.toBeNull();
      const described = await handleOf(accepted.body.id).describe();
      expect(described.taskQueue).toBe(stack.ctx.taskQueues.register);
      expect(described.startTime.getTime() - back).toBeLessThan(10_000);
      await waitForStatus(accepted.body.id, ['approved']);
      expect(starts.pending).toBe(0);
    } finally {
      await close();
    }
  });

  it('a payment file uploaded while Temporal refuses connections answers 202 at once and is booked within seconds of Temporal coming back', async () => {
    const { proxy, starts, slow, close } = await temporalRefusing();
    const bankToken = await stack.token('bank-gateway');
    const slowClient = apiClient({ app: stack.appFor(slow), db: stack.db }, { as: { token: bankToken } });
    const file = camt054([{ archiveId: archiveId('T'), amountCents: 1234, ref: '1009' }], { iban: stack.profile.iban });
    try {
      const began = Date.now();
      const accepted = await postFile(slowClient, file, 'application/xml', { token: bankToken });
      expect(accepted.status, accepted.text).toBe(202);
      expect(Date.now() - began).toBeLessThan(5000);
      expect(accepted.body.status).toBe('received');
      // The same bytes again: the stored file, not a second one, and still no wait on Temporal.
      const again = await postFile(slowClient, file, 'application/xml', { token: bankToken });
      expect(again.status, again.text).toBe(200);
      expect(again.body.id).toBe(accepted.body.id);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const handle = stack.ctx.temporal.workflow.getHandle(accepted.body.workflowId);
      await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect(starts.pending).toBe(1);

      proxy.letThrough();
      // No reconcile here: the start tried in the background starts the booking, on this stack's queue.
      const booked = await waitProcessed(apiClient(stack, { as: { token: bankToken } }), accepted.body.id, { token: bankToken }, 30_000);
      expect(booked.entries).toBeDefined();
      expect(starts.pending).toBe(0);
    } finally {
      await close();
    }
  });

  it('shutdown ends a start still being tried before the connection closes: it is logged and left to reconcile, nothing throws', async () => {
    // Temporal hung (a port that never answers): the start is under way when shutdown begins.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const connection = Connection.lazy({ address: `127.0.0.1:${(silent.address() as { port: number }).port}` });
    const client = new Client({ connection, namespace: stack.ctx.temporal.options.namespace });
    const lines: string[] = [];
    const starts = new BackgroundStarts({ firstDelayMs: 10, shutdownGraceMs: 200 }, (line) => lines.push(line));
    const id = randomUUID();
    const ctx = { ...stack.ctx, temporal: client, backgroundStarts: starts };
    try {
      starts.start(applicationWorkflowId(id), connection, () => ensureIntakeStarted(ctx, id));
      starts.start(applicationWorkflowId(id), connection, () => ensureIntakeStarted(ctx, id));
      expect(starts.pending).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const began = Date.now();
      await starts.close();
      expect(Date.now() - began).toBeLessThan(2000);
      expect(starts.pending).toBe(0);
      // Closing the connection now finds nothing running on it (what once failed with "Channel has been shut down").
      await connection.close();
      starts.start(applicationWorkflowId(id), connection, () => ensureIntakeStarted(ctx, id));
      expect(starts.pending).toBe(0);
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^\\[start-later\\] application/${id}: shutting down during attempt 1 .*reconcile starts it$`)),
        `[start-later] application/${id}: shutting down; reconcile starts it`,
      ]);
    } finally {
      silent.close();
    }
  });
});

/**
 * The stack's services with Temporal behind a proxy that drops every connection until
 * `proxy.letThrough()`; starts wait 1 s, then go to background starts of their own. Without the
 * SDK's own gRPC retries: what is tried again is this register's doing (and no SDK retry timer is
 * left to fire on the closed connection, which it does with "Channel has been shut down").
 */
async function temporalRefusing() {
  const proxy = await temporalProxy(inject('temporalAddress'));
  const connection = Connection.lazy({ address: proxy.address, interceptors: [] });
  const starts = new BackgroundStarts({ maxDelayMs: 1000 });
  const slow = {
    ...stack.ctx,
    temporal: new Client({ connection, namespace: stack.ctx.temporal.options.namespace, dataConverter: clientDataConverter(testPayloadKeys)! }),
    startWaitMs: 1000,
    backgroundStarts: starts,
  };
  return {
    proxy,
    starts,
    slow,
    async close() {
      await starts.close();
      await connection.close().catch(() => undefined);
      await proxy.close();
    },
  };
}

/** A TCP proxy to Temporal that drops every connection until `letThrough()`, then forwards. */
async function temporalProxy(target: string) {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let through = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!through) return void client.destroy();
    const upstream = connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as { port: number }).port}`,
    letThrough: () => void (through = true),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
