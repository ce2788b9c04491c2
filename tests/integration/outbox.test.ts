/**
 * Events out (issue 13, decision 018): the event is written in the transaction of the change and
 * not when it rolls back; the delivery process (a Temporal workflow) sends each event once to each
 * subscriber — across a worker restart, a crash between the POST and the commit, and a receiver
 * that fails and recovers — in each member's order, signed; dead letters and replay; admin only.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, ne } from 'drizzle-orm';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { createOutboxDeliveryActivities } from '../../activities/outboxDelivery';
import * as membersRepo from '../../db/repositories/members';
import { eventsOfMember } from '../../db/repositories/outbox';
import { createPerson } from '../../db/repositories/persons';
import { members, outboxDeliveries } from '../../db/schema';
import { eventEnvelopeSchema, eventPayloadSchemas, type EventType, type OutboxSettings } from '../../domain/events';
import { createHttpWebhookSender, signatureHeaders, verifySignature, type WebhookSender } from '../../integrations/adapters/webhook';
import { createWorker } from '../../temporal/worker';
import { outboxDeliveryWorkflowId } from '../../workflows/definitions/outboxDelivery';
import { taskQueueNames } from '../../workflows/definitions/taskQueues';
import { apiClient } from '../support/api';
import { uniqueIdentityCode } from '../support/applications';
import { startStack, testPayloadKeys, type Stack } from '../support/stack';
import { recordingHistories, saveHistory } from '../support/recordHistory';

/** A real local HTTP receiver: verifies the signature, dedupes by event id, can be told to fail. */
class Receiver {
  server: Server;
  url = '';
  /** Every POST that reached it (duplicates included). */
  wire: { id: string; signatureOk: boolean }[] = [];
  /** Accepted events in arrival order, once each (the receiver's idempotency). */
  accepted: v.InferOutput<typeof eventEnvelopeSchema>[] = [];
  failing = false;
  constructor(readonly secret: string) {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const id = String(req.headers[signatureHeaders.id.toLowerCase()] ?? '');
        const ok = verifySignature(this.secret, String(req.headers[signatureHeaders.timestamp.toLowerCase()] ?? ''), body, String(req.headers[signatureHeaders.signature.toLowerCase()] ?? ''));
        this.wire.push({ id, signatureOk: ok });
        if (!ok) return void res.writeHead(401).end();
        if (this.failing) return void res.writeHead(503).end();
        const event = v.parse(eventEnvelopeSchema, JSON.parse(body));
        if (!this.accepted.some((e) => e.id === event.id)) this.accepted.push(event);
        res.writeHead(204).end();
      });
    });
  }
  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }
  of(memberId: string) {
    return this.accepted.filter((e) => e.memberId === memberId);
  }
}

let stack: Stack;
let api: ReturnType<typeof apiClient>['api'];
// Each subscriber takes only its own union's members, so events other test files write concurrently never reach it.
const union = '9' + String(Math.floor(Math.random() * 90) + 10);
const ekj = new Receiver('ekj-webhook-secret-0123456789abcdef-0123');
const broken = new Receiver('broken-webhook-secret-0123456789abcdef-01');
let settings: OutboxSettings;

beforeAll(async () => {
  await ekj.start();
  await broken.start();
  settings = {
    subscribers: [
      { id: 'ekj-test', url: ekj.url, types: ['membership.*', 'member.*', 'collection.*'], secret: ekj.secret, unionCode: union },
      { id: 'broken-test', url: broken.url, types: ['membership.period_ended'], secret: broken.secret, unionCode: union },
    ],
    maxAttempts: 3,
    retryBaseMs: 50,
    retryMaxMs: 400,
    timeoutMs: 2000,
    pollEveryMs: 100,
    retainDeliveredMs: 30 * 86_400_000,
  };
  stack = await startStack({ outbox: settings });
  api = apiClient(stack).api;
}, 120_000);
afterAll(async () => {
  await stack?.close();
  ekj.server.close();
  broken.server.close();
});

async function seedMember(): Promise<string> {
  return stack.db.transaction(async (tx) => {
    const personId = await createPerson(
      tx,
      { identityCode: uniqueIdentityCode(), firstNames: 'Testi', lastName: 'Tapahtuma', birthDate: '1980-01-01', language: 'fi', email: 'tapahtuma@example.fi', address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki' } },
      { by: 'test', reason: 'test', effectiveFrom: '2020-01-01', source: 'application' },
    );
    const [m] = await tx.insert(members).values({ personId, channel: 'union', unionCode: union }).returning();
    return m!.id;
  });
}

const parsePayload = (type: string, payload: unknown) => v.parse(eventPayloadSchemas[type as EventType], payload);

describe('the outbox: events written with the change', () => {
  it('writes the event in the change’s transaction, and none when the change rolls back', async () => {
    const memberId = await seedMember();
    await membersRepo.openPeriodOnce(stack.db, memberId, '2024-01-01', randomUUID());
    // A change that rolls back leaves neither the period end nor its event.
    await expect(
      stack.db.transaction(async (tx) => {
        await membersRepo.endOpenPeriods(tx, memberId, '2025-01-31', 'resignation', 'test');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    let events = await eventsOfMember(stack.db, memberId);
    expect(events.map((e) => e.type)).toEqual(['membership.joined']);
    const periods = await membersRepo.periodsOfMember(stack.db, memberId);
    expect(periods[0]!.endDate).toBeNull();

    await stack.db.transaction((tx) => membersRepo.endOpenPeriods(tx, memberId, '2025-01-31', 'resignation', 'test'));
    // Ending it again changes nothing, and writes nothing.
    await membersRepo.endOpenPeriods(stack.db, memberId, '2025-01-31', 'resignation', 'test');
    events = await eventsOfMember(stack.db, memberId);
    expect(events.map((e) => [e.type, e.memberSeq])).toEqual([
      ['membership.joined', 1],
      ['membership.period_ended', 2],
    ]);
    expect(parsePayload(events[1]!.type, events[1]!.payload)).toEqual({ periodId: periods[0]!.id, endDate: '2025-01-31', endReason: 'resignation' });
    expect(parsePayload(events[0]!.type, events[0]!.payload)).toMatchObject({ startDate: '2024-01-01', channel: 'union', unionCode: union });
  });

  it('writes contact and collection events through the desk’s own API, with field names and no values', async () => {
    const memberId = await seedMember();
    const caseworker = await stack.login('caseworker');
    const contact = await api(`/api/v1/members/${memberId}/contact`, { method: 'PATCH', cookie: caseworker, body: JSON.stringify({ reason: 'The member called', email: 'uusi.osoite@example.fi', phone: '+358401234567' }) });
    expect(contact.status).toBe(200);
    const hold = await api(`/api/v1/members/${memberId}/collection/hold`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'payment-plan', until: '2026-12-31' }) });
    expect(hold.status).toBe(200);
    const resumed = await api(`/api/v1/members/${memberId}/collection/resume`, { method: 'POST', cookie: caseworker });
    expect(resumed.status).toBe(200);
    const events = await eventsOfMember(stack.db, memberId);
    expect(events.map((e) => e.type)).toEqual(['member.contact_changed', 'collection.held', 'collection.resumed']);
    expect(events.map((e) => e.memberSeq)).toEqual([1, 2, 3]);
    expect(parsePayload('member.contact_changed', events[0]!.payload)).toEqual({ fields: ['email', 'phone'], effectiveFrom: expect.any(String) });
    // No personal data: neither the new e-mail nor the phone is in any payload.
    expect(JSON.stringify(events.map((e) => e.payload))).not.toMatch(/uusi\.osoite|358401234567/);
    expect(parsePayload('collection.held', events[1]!.payload)).toMatchObject({ reason: 'payment-plan', until: '2026-12-31' });
  });

  it('numbers a member’s events without gaps when changes race', async () => {
    const memberId = await seedMember();
    await Promise.all(Array.from({ length: 8 }, (_, i) => membersRepo.insertTransferredPeriodOnce(stack.db, { memberId, fundName: `Fund ${i}`, startDate: '2010-01-01', endDate: '2011-01-01', recordedBy: 'test' })));
    const events = await eventsOfMember(stack.db, memberId);
    expect(events.map((e) => e.memberSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('delivery by the outbox-delivery process', () => {
  const queues = taskQueueNames(`outbox-${randomUUID()}-`);
  async function startOwnWorker() {
    const { worker, connection } = await createWorker({
      address: inject('temporalAddress'),
      namespace: inject('temporalNamespace'),
      taskQueues: queues,
      deps: stack.activityDeps,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      shutdownGraceMs: 2000,
      payloadKeys: testPayloadKeys,
    });
    const running = worker.run();
    return {
      async stop() {
        worker.shutdown();
        await running;
        await connection.close();
      },
    };
  }
  const workflowId = `${outboxDeliveryWorkflowId}-${randomUUID()}`;

  it('delivers each event once per subscriber, in member order, across a failing receiver and a worker restart', async () => {
    const a = await seedMember();
    const b = await seedMember();
    ekj.failing = true;
    await membersRepo.openPeriodOnce(stack.db, a, '2024-01-01', randomUUID());
    await membersRepo.openPeriodOnce(stack.db, b, '2024-02-01', randomUUID());
    await membersRepo.endOpenPeriods(stack.db, a, '2025-01-31', 'resignation', 'test');

    let worker = await startOwnWorker();
    await stack.ctx.temporal.workflow.start('outboxDelivery', { taskQueue: queues.register, workflowId, args: [{ pollEveryMs: 100 }] });
    // The receiver fails: attempts are made (and signed), nothing is accepted, and A's later event waits for its first.
    await vi.waitFor(() => expect(ekj.wire.filter((w) => w.id).length).toBeGreaterThanOrEqual(2), { timeout: 20_000, interval: 100 });
    expect(ekj.accepted).toHaveLength(0);
    const aEvents = await eventsOfMember(stack.db, a);
    expect(ekj.wire.some((w) => w.id === aEvents[1]!.id)).toBe(false);

    // The worker goes away; meanwhile the receiver recovers and more changes are made.
    await worker.stop();
    ekj.failing = false;
    await membersRepo.reopenPeriodsEnded(stack.db, a, '2025-01-31', ['resignation']);
    // Reset the backoff the failures earned, so the test does not wait for it (dead ones are the next test's).
    await stack.db.update(outboxDeliveries).set({ status: 'pending', attempts: 0, nextAttemptAt: new Date() }).where(and(eq(outboxDeliveries.subscriber, 'ekj-test'), ne(outboxDeliveries.status, 'delivered')));
    worker = await startOwnWorker();
    try {
      await vi.waitFor(() => {
        expect(ekj.of(a).map((e) => e.type)).toEqual(['membership.joined', 'membership.period_ended', 'membership.period_reopened']);
        expect(ekj.of(b).map((e) => e.type)).toEqual(['membership.joined']);
      }, { timeout: 30_000, interval: 100 });
      expect(ekj.of(a).map((e) => e.memberSequence)).toEqual([1, 2, 3]);
      expect(ekj.wire.every((w) => w.signatureOk)).toBe(true);
      // The receiver answers before the batch commits: wait for the rows too.
      await vi.waitFor(async () => {
        const rows = await stack.db.select().from(outboxDeliveries).where(eq(outboxDeliveries.subscriber, 'ekj-test'));
        const mine = rows.filter((r) => r.memberId === a || r.memberId === b);
        expect(mine).toHaveLength(4);
        expect(mine.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
      }, { timeout: 10_000, interval: 100 });
      // The wrong secret fails verification.
      const e = ekj.of(a)[0]!;
      expect(verifySignature('another-secret-that-is-long-enough-000000', '1', JSON.stringify(e), 'v1=00')).toBe(false);
    } finally {
      await worker.stop();
    }
  }, 90_000);

  it('a crash after the POST and before the commit sends again, and the receiver takes it once', async () => {
    const m = await seedMember();
    await membersRepo.openPeriodOnce(stack.db, m, '2024-03-01', randomUUID());
    const http = createHttpWebhookSender();
    let crash = true;
    // The process "dies" after the receiver got the POST: the sender throws, the batch's transaction rolls back.
    const crashing: WebhookSender = {
      async send(r) {
        const result = await http.send(r);
        if (crash) throw new Error('worker died before the commit');
        return result;
      },
    };
    const only = { ...settings, subscribers: settings.subscribers.filter((s) => s.id === 'ekj-test') };
    const acts = createOutboxDeliveryActivities({ db: stack.db, outbox: only, webhooks: crashing });
    await expect(acts.deliverOutbox({ budgetMs: 5000 })).rejects.toThrow('worker died');
    const [event] = await eventsOfMember(stack.db, m);
    expect(ekj.wire.filter((w) => w.id === event!.id)).toHaveLength(1);
    const [before] = await stack.db.select().from(outboxDeliveries).where(eq(outboxDeliveries.eventId, event!.id));
    expect(before!.status).toBe('pending');
    crash = false;
    await vi.waitFor(async () => {
      await acts.deliverOutbox({ budgetMs: 2000 });
      const [row] = await stack.db.select().from(outboxDeliveries).where(eq(outboxDeliveries.eventId, event!.id));
      expect(row!.status).toBe('delivered');
    }, { timeout: 20_000, interval: 200 });
    // On the wire twice (at least once), accepted once (the event id is the idempotency key).
    expect(ekj.wire.filter((w) => w.id === event!.id)).toHaveLength(2);
    expect(ekj.of(m).filter((e) => e.id === event!.id)).toHaveLength(1);
  }, 60_000);

  it('dead letters after the attempts, hold back the member’s later events, are listed for admins and replayed', async () => {
    const m = await seedMember();
    broken.failing = true;
    await membersRepo.openPeriodOnce(stack.db, m, '2024-04-01', randomUUID());
    await membersRepo.endOpenPeriods(stack.db, m, '2025-03-31', 'resignation', 'test');
    await membersRepo.reopenPeriodsEnded(stack.db, m, '2025-03-31', ['resignation']);
    await membersRepo.endOpenPeriods(stack.db, m, '2025-04-30', 'fund-switch', 'test');
    const events = await eventsOfMember(stack.db, m);
    const ended = events.filter((e) => e.type === 'membership.period_ended');
    expect(ended).toHaveLength(2);
    const acts = createOutboxDeliveryActivities({ db: stack.db, outbox: settings, webhooks: createHttpWebhookSender() });
    const deadOf = async () => (await stack.db.select().from(outboxDeliveries).where(eq(outboxDeliveries.subscriber, 'broken-test'))).filter((r) => r.memberId === m);
    await vi.waitFor(async () => {
      await acts.deliverOutbox({ budgetMs: 1000 });
      const rows = await deadOf();
      expect(rows.find((r) => r.eventId === ended[0]!.id)?.status).toBe('dead');
    }, { timeout: 30_000, interval: 100 });
    // Three attempts, then dead; the member's later event was never sent while the earlier one is undelivered.
    expect(broken.wire.filter((w) => w.id === ended[0]!.id)).toHaveLength(3);
    expect(broken.wire.some((w) => w.id === ended[1]!.id)).toBe(false);

    const admin = await stack.login('admin');
    const list = await api('/api/v1/outbox/dead-letters?subscriber=broken-test', { cookie: admin });
    expect(list.status).toBe(200);
    const letter = list.body.items.find((i: { eventId: string }) => i.eventId === ended[0]!.id);
    expect(letter).toMatchObject({ subscriber: 'broken-test', type: 'membership.period_ended', attempts: 3, lastStatus: 503, lastErrorCode: 'http-status', lastError: 'HTTP 503', memberId: m });
    const status = await api('/api/v1/outbox', { cookie: admin });
    expect(status.status).toBe(200);
    expect(status.body.subscribers.find((s: { id: string }) => s.id === 'broken-test').dead).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(status.body)).not.toContain(broken.secret);

    // Others may not see or touch the dead letters.
    const caseworker = await stack.login('caseworker');
    expect((await api('/api/v1/outbox/dead-letters', { cookie: caseworker })).status).toBe(403);
    expect((await api(`/api/v1/outbox/dead-letters/${letter.id}/retry`, { method: 'POST', cookie: caseworker })).status).toBe(403);

    // The receiver recovers; the dead letter is retried, then the member's later event follows, in order.
    broken.failing = false;
    const retried = await api(`/api/v1/outbox/dead-letters/${letter.id}/retry`, { method: 'POST', cookie: admin });
    expect(retried.status).toBe(200);
    expect((await api(`/api/v1/outbox/dead-letters/${letter.id}/retry`, { method: 'POST', cookie: admin })).body.code).toBe('dead_letter_not_found');
    await vi.waitFor(async () => {
      await acts.deliverOutbox({ budgetMs: 1000 });
      expect(broken.of(m).map((e) => e.id)).toEqual(ended.map((e) => e.id));
    }, { timeout: 20_000, interval: 100 });

    // Replay from the first ended event's position: both are sent again, in order, and deduped by the receiver.
    const wireBefore = broken.wire.length;
    const replay = await api('/api/v1/outbox/replay', { method: 'POST', cookie: admin, body: JSON.stringify({ subscriber: 'broken-test', fromPosition: ended[0]!.position }) });
    expect(replay.status).toBe(200);
    expect(replay.body.queued).toBeGreaterThanOrEqual(2);
    await vi.waitFor(async () => {
      await acts.deliverOutbox({ budgetMs: 1000 });
      const again = broken.wire.slice(wireBefore).map((w) => w.id).filter((id) => ended.some((e) => e.id === id));
      expect(again).toEqual(ended.map((e) => e.id));
    }, { timeout: 20_000, interval: 100 });
    expect(broken.of(m)).toHaveLength(2);
    expect((await api('/api/v1/outbox/replay', { method: 'POST', cookie: admin, body: JSON.stringify({ subscriber: 'nobody', fromPosition: 1 }) })).body.code).toBe('subscriber_not_found');
  }, 90_000);

  it.runIf(recordingHistories)('records a delivery run that continued as new for the replay test', async () => {
    const m = await seedMember();
    await membersRepo.openPeriodOnce(stack.db, m, '2024-05-01', randomUUID());
    const worker = await startOwnWorker();
    const recorded = `${outboxDeliveryWorkflowId}-record-${randomUUID()}`;
    try {
      const handle = await stack.ctx.temporal.workflow.start('outboxDelivery', { taskQueue: queues.register, workflowId: recorded, args: [{ pollEveryMs: 50, roundsPerRun: 3 }] });
      await vi.waitFor(async () => expect((await stack.ctx.temporal.workflow.getHandle(recorded).describe()).runId).not.toBe(handle.firstExecutionRunId), { timeout: 30_000, interval: 200 });
      await saveHistory(stack.ctx.temporal, recorded, 'outbox-delivery-continued-as-new', handle.firstExecutionRunId);
    } finally {
      await stack.ctx.temporal.workflow.getHandle(recorded).terminate('recorded').catch(() => undefined);
      await worker.stop();
    }
  }, 60_000);

  it('deletes delivered rows past their retention, keeps the events, and a replay makes them again', async () => {
    const m = await seedMember();
    await membersRepo.openPeriodOnce(stack.db, m, '2024-06-01', randomUUID());
    const only = { ...settings, subscribers: settings.subscribers.filter((s) => s.id === 'ekj-test') };
    const acts = createOutboxDeliveryActivities({ db: stack.db, outbox: { ...only, retainDeliveredMs: 3_600_000 }, webhooks: createHttpWebhookSender() });
    const [event] = await eventsOfMember(stack.db, m);
    const mine = () => stack.db.select().from(outboxDeliveries).where(eq(outboxDeliveries.eventId, event!.id));
    await vi.waitFor(async () => {
      await acts.deliverOutbox({ budgetMs: 1000 });
      expect((await mine())[0]?.status).toBe('delivered');
    }, { timeout: 20_000, interval: 100 });
    // Delivered two hours ago, the retention one hour: the next round (a new activity instance) deletes it.
    await stack.db.update(outboxDeliveries).set({ deliveredAt: new Date(Date.now() - 2 * 3_600_000) }).where(eq(outboxDeliveries.eventId, event!.id));
    const later = createOutboxDeliveryActivities({ db: stack.db, outbox: { ...only, retainDeliveredMs: 3_600_000 }, webhooks: createHttpWebhookSender() });
    const round = await later.deliverOutbox({ budgetMs: 2000 });
    expect(round.pruned).toBeGreaterThanOrEqual(1);
    expect(await mine()).toEqual([]);
    expect(await eventsOfMember(stack.db, m)).toHaveLength(1);
    // A second round within ten minutes prunes nothing more.
    expect((await later.deliverOutbox({ budgetMs: 500 })).pruned).toBeUndefined();
    // Replay from the event's position makes its delivery again; the receiver dedupes it.
    const admin = await stack.login('admin');
    const replay = await api('/api/v1/outbox/replay', { method: 'POST', cookie: admin, body: JSON.stringify({ subscriber: 'ekj-test', fromPosition: event!.position }) });
    expect(replay.status, replay.text).toBe(200);
    expect((await mine())[0]?.status).toBe('pending');
    expect(ekj.of(m).filter((e) => e.id === event!.id)).toHaveLength(1);
  }, 60_000);

  it('publishes the event types’ JSON Schemas', async () => {
    const caseworker = await stack.login('caseworker');
    const res = await api('/api/v1/events/schemas', { cookie: caseworker });
    expect(res.status).toBe(200);
    expect(res.body.asyncapi).toBe('3.0.0');
    const ended = res.body.components.messages.membership_period_ended;
    expect(ended.payload.properties.type).toEqual({ const: 'membership.period_ended' });
    expect(ended.payload.properties.payload.required).toEqual(expect.arrayContaining(['periodId', 'endDate', 'endReason']));
    expect(Object.keys(res.body.components.messages)).toHaveLength(Object.keys(eventPayloadSchemas).length);
    expect((await api('/api/v1/events/schemas')).status).toBe(401);
  });

  afterAll(async () => {
    await stack.ctx.temporal.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
  });
});

