import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { populationSyncState, tasks } from '../../db/schema';
import { createDvvChangesClient } from '../../integrations/adapters/dvv';
import { FakeDvv } from '../../integrations/adapters/dvv/fakeDvv';
import { membershipDailySweep } from '../../workflows/membershipDailySweep';
import { populationRegisterSync } from '../../workflows/populationRegisterSync';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

/**
 * Records one finished history of each membership workflow type for replay.test.ts.
 * Like record.test.ts, it runs only on purpose (RECORD_HISTORIES=1): the committed histories are
 * the fixed point that the replay test holds the current workflow code to.
 */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');
const fake = new FakeDvv();
const dvv = createDvvChangesClient({ baseUrl: 'http://fake-dvv.test', username: 'dvv-user', password: 'dvv-password', xRoadClient: 'FI/TEST/0-0/jr', fetch: fake.fetch });

let stack: Stack;
let token: string;
let caseworker: string;
let client: ApiClient;

beforeAll(async () => {
  if (!recording) return;
  stack = await startStack({
    membership: { resignationWithdrawalWindow: '2s' },
    populationRegister: dvv,
  });
  token = await stack.token('eservices');
  caseworker = await stack.login('caseworker');
  client = apiClient(stack, { as: { token } });
  mkdirSync(historiesDir, { recursive: true });
});
afterAll(async () => stack?.close());

async function member(data = applicationData()) {
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  return { memberId: (await client.waitForStatus(res.body.id, ['approved'])).memberId as string, data, applicationId: res.body.id as string };
}

async function record(name: string, workflowId: string) {
  const handle = stack.ctx.temporal.workflow.getHandle(workflowId);
  await handle.result();
  writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
}

async function resign(memberId: string, subjectIdentityCode: string, body: object = {}) {
  const res = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ ...body, subjectIdentityCode }) });
  expect(res.status).toBe(201);
  return res.body as { id: string; workflowId: string };
}

async function taskOf(subjectId: string, kind: string) {
  return vi.waitFor(
    async () => {
      const [t] = await stack.db.select().from(tasks).where(and(eq(tasks.subjectId, subjectId), eq(tasks.kind, kind)));
      if (!t) throw new Error(`no ${kind} task for ${subjectId}`);
      return t;
    },
    { timeout: 15_000, interval: 100 },
  );
}

describe('record membership histories', () => {
  it.runIf(recording)('resignation that becomes effective', async () => {
    const { memberId, data } = await member();
    await record('resignation-effective', (await resign(memberId, data.identityCode)).workflowId);
  });

  it.runIf(recording)('resignation withdrawn', async () => {
    const { memberId, data } = await member();
    const r = await resign(memberId, data.identityCode);
    await client.api(`/api/v1/members/${memberId}/resignations/${r.id}/withdraw`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen perui' }) });
    await record('resignation-withdrawn', r.workflowId);
  });

  it.runIf(recording)('death entered by a caseworker', async () => {
    const { memberId } = await member();
    await client.api(`/api/v1/members/${memberId}/death`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ dateOfDeath: stack.ctx.today() }) });
    await record('member-death', `death/${memberId}`);
  });

  it.runIf(recording)('daily sweep with an entrepreneur review', async () => {
    const id = `membership-daily-sweep-${newKey()}`;
    await stack.ctx.temporal.workflow.start(membershipDailySweep, { taskQueue: stack.ctx.taskQueues.register, workflowId: id, args: [{ today: stack.ctx.today() }] });
    await record('daily-sweep', id);
  });

  it.runIf(recording)('eligibility review decided', async () => {
    const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData({ employment: { status: 'entrepreneur', entrepreneurSince: '2024-01-01' } }) }) });
    const review = await client.openTaskFor(res.body.id);
    await client.api(`/api/v1/tasks/${review.id}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'approve' }) });
    const { memberId } = await client.waitForStatus(res.body.id, ['approved']);
    await stack.ctx.temporal.workflow.execute(membershipDailySweep, { taskQueue: stack.ctx.taskQueues.register, workflowId: `sweep-${newKey()}`, args: [{ today: stack.ctx.today() }] });
    const task = await taskOf(memberId, 'eligibility-review');
    await client.api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'reject', reason: 'Yrittäjä yli 18 kk' }) });
    await record('eligibility-review', task.workflowId);
  });

  it.runIf(recording)('population sync with a death and an address conflict', async () => {
    const a = await member();
    const b = await member();
    await client.api(`/api/v1/members/${b.memberId}/contact`, { method: 'PATCH', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsenen ilmoitus', address: { street: 'Omakatu 1', postalCode: '00100', city: 'Helsinki' } }) });
    const at = '2026-11-20T10:00:00.000Z';
    fake.add({ henkilotunnus: a.data.identityCode, muutospv: at, tietoryhmat: [{ tietoryhma: 'KUOLINPAIVA', kuollut: true, kuolinpv: { arvo: '2026-11-18', tarkkuus: 'PAIVA' } }] });
    fake.add({ henkilotunnus: b.data.identityCode, muutospv: at, tietoryhmat: [{ tietoryhma: 'VAKINAINEN_KOTIMAINEN_OSOITE', muutosattribuutti: 'LISATTY', alkupv: { arvo: '2026-11-15', tarkkuus: 'PAIVA' }, katunumero: '9', postinumero: '20100', katunimi: { fi: 'Aurakatu' }, postitoimipaikka: { fi: 'TURKU' } }] });
    // Start from the day the changes were recorded (a new sync would start from today's token).
    await stack.db.delete(populationSyncState);
    await stack.db.insert(populationSyncState).values({ id: 'dvv', token: await dvv.firstToken('2026-11-20') });
    const id = `population-sync-${newKey()}`;
    await stack.ctx.temporal.workflow.start(populationRegisterSync, { taskQueue: stack.ctx.taskQueues.register, workflowId: id });
    await record('population-sync', id);
    const task = await taskOf(b.memberId, 'address-conflict');
    await client.api(`/api/v1/tasks/${task.id}/decision`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ decision: 'reject' }) });
    await record('address-conflict-review', task.workflowId);
  });
});
