import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeDecider, createIntakeDeciderActivities } from '../../activities/intakeDecider';
import * as applicationsRepo from '../../db/repositories/applications';
import { applications, auditLog, membershipPeriods, messages, outboxEvents } from '../../db/schema';
import type { OutgoingMessage } from '../../integrations/adapters/messaging';
import { intakeDeciderIdOf } from '../../services/applications';
import { intakeDecider } from '../../workflows/intakeDecider';
import { reconcile } from '../../workflows/reconcile';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { saveHistory } from '../support/recordHistory';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let bearer: string;
let caseworker: string;
let api: ApiClient['api'];
let waitForStatus: ApiClient['waitForStatus'];
/** Calls of the messaging service per message key (the fake answers a repeated key with its first receipt). */
const sends = new Map<string, number>();

beforeAll(async () => {
  stack = await startStack({ intake: { decisionPath: 'batched' } });
  bearer = await stack.token('eservices');
  caseworker = await stack.login('caseworker');
  ({ api, waitForStatus } = apiClient(stack, { as: { token: bearer } }));
  const send = stack.messaging.send.bind(stack.messaging);
  stack.messaging.send = (message: OutgoingMessage) => {
    sends.set(message.key, (sends.get(message.key) ?? 0) + 1);
    return send(message);
  };
});
afterAll(async () => stack?.close());

async function submit(data = applicationData()) {
  const res = await api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; workflowId: string };
}

/** An application stored for the decider `workflowId` (one of the test's own), as the API stores it. */
async function insertFor(workflowId: string, data: ReturnType<typeof applicationData>): Promise<string> {
  const id = randomUUID();
  await applicationsRepo.insertApplicationOnce(stack.db, {
    id, idempotencyKey: newKey(), channel: 'e-services', submittedBy: 'eservices', receivedOn: stack.ctx.today(), receivedBy: 'fund', identityCode: data.identityCode, data, workflowId,
  });
  return id;
}

/** What the register holds of each application's decision: counted, so a second decision shows. */
async function effectsOf(ids: string[]) {
  const [periods, decisionMessages, approvals, rows] = await Promise.all([
    stack.db.select().from(membershipPeriods).where(inArray(membershipPeriods.sourceApplicationId, ids)),
    stack.db.select().from(messages).where(and(inArray(messages.applicationId, ids), eq(messages.kind, 'application-approved'))),
    stack.db.select().from(auditLog).where(and(inArray(auditLog.entityId, ids), eq(auditLog.action, 'application.approved'))),
    stack.db.select().from(applications).where(inArray(applications.id, ids)),
  ]);
  const memberIds = rows.map((r) => r.memberId).filter((m): m is string => m !== null);
  const joined = memberIds.length ? await stack.db.select().from(outboxEvents).where(and(inArray(outboxEvents.memberId, memberIds), eq(outboxEvents.type, 'membership.joined'))) : [];
  return { periods, decisionMessages, approvals, rows, joined };
}

describe('the batched intake path (decision 063)', () => {
  it('decides clean applications in the intake decider, once, with everything a caseworker sees', async () => {
    const deciderId = intakeDeciderIdOf(stack.ctx);
    const submitted = await Promise.all(Array.from({ length: 12 }, () => submit()));
    for (const s of submitted) expect(s.workflowId).toBe(deciderId);
    const decided = await Promise.all(submitted.map((s) => waitForStatus(s.id, ['approved'], { timeoutMs: 30_000 })));
    for (const d of decided) {
      expect(d.decision).toMatchObject({ outcome: 'approved', automatic: true });
      expect(d.startDate).toBe(d.receivedOn);
      expect(d.memberId).toBeTruthy();
    }
    const ids = submitted.map((s) => s.id);
    const { periods, decisionMessages, approvals, rows, joined } = await effectsOf(ids);
    expect(periods).toHaveLength(12);
    expect(new Set(periods.map((p) => p.memberId))).toEqual(new Set(rows.map((r) => r.memberId)));
    expect(decisionMessages).toHaveLength(12);
    expect(joined).toHaveLength(12);
    // Who decided: the system, in the decider's process, which the application names as its own.
    expect(approvals).toHaveLength(12);
    for (const a of approvals) expect(a).toMatchObject({ actor: 'system', actorKind: 'system', details: { automatic: true, decider: deciderId } });
    for (const r of rows) expect(r.workflowId).toBe(deciderId);
    // Each decision message sent once, after its batch's commit.
    for (const id of ids) {
      await expect.poll(() => stack.messaging.delivered.get(`application/${id}/decision`)?.channel, { timeout: 15_000 }).toBe('email');
      expect(sends.get(`application/${id}/decision`)).toBe(1);
    }
    // No process of its own; the desk's application page and the member's processes still open.
    await expect(stack.ctx.temporal.workflow.getHandle(`application/${ids[0]}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const overview = await api(`/api/v1/applications/${ids[0]}/overview?lang=en`, { cookie: caseworker });
    expect(overview.status, overview.text).toBe(200);
    expect(overview.body).toMatchObject({ id: ids[0], status: 'approved', workflowId: deciderId, tasks: [] });
    expect(overview.body.history.map((h: { code: string }) => h.code)).toEqual(expect.arrayContaining(['application.submitted', 'application.approved', 'application-approved']));
    const member = await api(`/api/v1/members/${decided[0].memberId}`, { cookie: caseworker });
    expect(member.status, member.text).toBe(200);
    const decider = await stack.ctx.temporal.workflow.getHandle(deciderId).describe();
    expect(decider.status.name).toBe('RUNNING');
  });

  it('hands an application that is not clean to its own process (completion request)', async () => {
    const s = await submit(applicationData({ employment: { status: 'employed' } }));
    const waiting = await waitForStatus(s.id, ['awaiting-supplement'], { timeoutMs: 30_000 });
    expect(waiting.workflowId).toBe(`application/${s.id}`);
    expect(waiting.findings.map((f: { code: string }) => f.code)).toEqual(['employer-missing']);
    const sent = await stack.db.select().from(messages).where(eq(messages.applicationId, s.id));
    expect(sent.map((m) => m.kind)).toEqual(['completion-request']);
    const own = await stack.ctx.temporal.workflow.getHandle(`application/${s.id}`).describe();
    expect(own.status.name).toBe('RUNNING');
    // The supplement goes to that process, which then approves the application.
    const supplement = await api(`/api/v1/applications/${s.id}/supplement`, {
      method: 'POST',
      token: bearer,
      body: JSON.stringify({ data: { employment: { employer: 'Oy Testi Ab' } } }),
    });
    expect(supplement.status, supplement.text).toBe(200);
    await waitForStatus(s.id, ['approved'], { timeoutMs: 30_000 });
    expect((await effectsOf([s.id])).approvals).toHaveLength(1);
  });

  it('reconcile starts the decider of an application left waiting for one that does not run', async () => {
    const deciderId = `intake-decider/test/${randomUUID()}`;
    const id = await insertFor(deciderId, applicationData());
    const reconciled = () => stack.ctx.temporal.workflow.execute(reconcile, { taskQueue: stack.ctx.taskQueues.register, workflowId: `reconcile-${randomUUID()}`, args: [{ olderThanMs: 0 }] });
    expect((await reconciled()).applications.ids).toContain(id);
    await waitForStatus(id, ['approved'], { timeoutMs: 30_000 });
    expect((await effectsOf([id])).approvals).toHaveLength(1);
    // No process of its own was started for it, and a second reconcile finds nothing to start.
    await expect(stack.ctx.temporal.workflow.getHandle(`application/${id}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await reconciled()).applications.ids).not.toContain(id);
    await stack.ctx.temporal.workflow.getHandle(deciderId).terminate('test done');
    // A decider that closed (an operator terminated it) is started again for what waits for it. One
    // of short runs (50 ms): an activity run of a terminated process goes on until its heartbeat
    // learns of it, and would decide the application before reconcile looks.
    const closedId = `intake-decider/test/${randomUUID()}`;
    await stack.ctx.temporal.workflow.start(intakeDecider, { taskQueue: stack.ctx.taskQueues.register, workflowId: closedId, args: [{ batchSize: 10, pollEveryMs: 10, budgetMs: 50 }] });
    await stack.ctx.temporal.workflow.getHandle(closedId).terminate('an operator stops it');
    await new Promise((r) => setTimeout(r, 2_000));
    const later = await insertFor(closedId, applicationData());
    expect((await reconciled()).applications.ids).toContain(later);
    await waitForStatus(later, ['approved'], { timeoutMs: 30_000 });
    await stack.ctx.temporal.workflow.getHandle(closedId).terminate('test done');
  });

  it('runs its rounds and continues as new (recorded for the replay tests as intake-decider)', async () => {
    const workflowId = `intake-decider/test/${randomUUID()}`;
    const clean = await insertFor(workflowId, applicationData());
    const incomplete = await insertFor(workflowId, applicationData({ employment: { status: 'employed' } }));
    const handle = await stack.ctx.temporal.workflow.start(intakeDecider, {
      taskQueue: stack.ctx.taskQueues.register,
      workflowId,
      args: [{ batchSize: 10, pollEveryMs: 50, budgetMs: 300, roundsPerRun: 2 }],
    });
    const firstRun = handle.firstExecutionRunId;
    await expect.poll(async () => (await stack.ctx.temporal.workflow.getHandle(workflowId, firstRun).describe()).status.name, { timeout: 20_000 }).toBe('CONTINUED_AS_NEW');
    await saveHistory(stack.ctx.temporal, workflowId, 'intake-decider', firstRun);
    await handle.terminate('test done');
    const rows = await stack.db.select().from(applications).where(inArray(applications.id, [clean, incomplete]));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.workflowId]))).toEqual({ [clean]: workflowId, [incomplete]: `application/${incomplete}` });
    expect(rows.find((r) => r.id === clean)?.status).toBe('approved');
    await waitForStatus(incomplete, ['awaiting-supplement'], { timeoutMs: 30_000 });
  });

  it('one application whose approval fails goes to its own process; the rest of its batch is decided', async () => {
    const deciderId = `intake-decider/test/${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await insertFor(deciderId, applicationData()));
    const bad = ids[2]!;
    // Its period cannot be written (a fault of this application alone, every time it is tried).
    const fault = `intake_fault_${bad.replaceAll('-', '')}`;
    await stack.db.execute(sql.raw(`create function ${fault}() returns trigger language plpgsql as $$ begin raise exception 'a fault of this application'; end $$`));
    await stack.db.execute(sql.raw(`create trigger ${fault} before insert on membership_periods for each row when (new.source_application_id = '${bad}') execute function ${fault}()`));
    try {
      const started: string[] = [];
      const { decideReceivedApplications } = createIntakeDeciderActivities({ ...stack.activityDeps, starters: { ensureIntakeStarted: async (id) => void started.push(id) } });
      const round = await decideReceivedApplications({ deciderId, batchSize: 10, pollEveryMs: 10, budgetMs: 0 });
      expect(round).toEqual({ claimed: 5, approved: 4, handedOver: 1, delivered: 4 });
      expect(started).toEqual([bad]);
      const effects = await effectsOf(ids);
      const byId = new Map(effects.rows.map((r) => [r.id, r]));
      expect(byId.get(bad)).toMatchObject({ status: 'received', workflowId: `application/${bad}`, memberId: null });
      for (const id of ids.filter((i) => i !== bad)) expect(byId.get(id)?.status).toBe('approved');
      expect(effects.periods.map((p) => p.sourceApplicationId).sort()).toEqual(ids.filter((i) => i !== bad).sort());
    } finally {
      await stack.db.execute(sql.raw(`drop trigger ${fault} on membership_periods`));
      await stack.db.execute(sql.raw(`drop function ${fault}()`));
    }
  });

  it('decides nothing twice: a batch that dies before its commit, three deciders at once, a run that stopped before its sends', async () => {
    // A decider of the test's own, with no process: the test drives its batches.
    const deciderId = `intake-decider/test/${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await insertFor(deciderId, applicationData()));
    const decider = createIntakeDecider(stack.activityDeps);

    // Dies mid-batch: everything it wrote is rolled back, the applications are received again.
    const crash = new Error('worker died');
    await expect(stack.db.transaction(async (tx) => {
      const batch = await decider.decideBatch(tx, deciderId, 10);
      expect(batch.messageKeys).toHaveLength(10);
      throw crash;
    })).rejects.toBe(crash);
    let effects = await effectsOf(ids);
    expect(effects.rows.every((r) => r.status === 'received')).toBe(true);
    expect([effects.periods.length, effects.approvals.length, effects.decisionMessages.length, effects.joined.length]).toEqual([0, 0, 0, 0]);

    // Three deciders claiming at once, small batches: each application is taken by one of them.
    const approvedKeys: string[] = [];
    await Promise.all(Array.from({ length: 3 }, async () => {
      for (;;) {
        const batch = await stack.db.transaction((tx) => decider.decideBatch(tx, deciderId, 4));
        if (batch.claimed === 0) return;
        expect(batch.handedOver).toEqual([]);
        approvedKeys.push(...batch.messageKeys);
      }
    }));
    expect(approvedKeys.sort()).toEqual(ids.map((id) => `application/${id}/decision`).sort());
    effects = await effectsOf(ids);
    expect(effects.rows.every((r) => r.status === 'approved' && r.memberId)).toBe(true);
    expect([effects.periods.length, effects.approvals.length, effects.decisionMessages.length, effects.joined.length]).toEqual([25, 25, 25, 25]);

    // Nothing was sent (as if the process stopped after the commits): the decider's next run sends
    // each decision once, and a run after it finds nothing to send or decide.
    expect(effects.decisionMessages.every((m) => m.status === 'pending')).toBe(true);
    const { decideReceivedApplications } = createIntakeDeciderActivities(stack.activityDeps);
    const first = await decideReceivedApplications({ deciderId, batchSize: 10, pollEveryMs: 10, budgetMs: 0 });
    expect(first).toEqual({ claimed: 0, approved: 0, handedOver: 0, delivered: 25 });
    const second = await decideReceivedApplications({ deciderId, batchSize: 10, pollEveryMs: 10, budgetMs: 0 });
    expect(second).toEqual({ claimed: 0, approved: 0, handedOver: 0, delivered: 0 });
    effects = await effectsOf(ids);
    expect(effects.decisionMessages.every((m) => m.status === 'sent')).toBe(true);
    for (const id of ids) expect(sends.get(`application/${id}/decision`)).toBe(1);
  });
});
