import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, resignations } from '../../db/schema';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

/**
 * Records the histories of public resignation requests (confirmed by the member's link, rejected,
 * expired) and of a withdrawal that tells the member, for replay.test.ts. Like the other
 * recorders it runs only on purpose (RECORD_HISTORIES=1); it writes only its own files.
 */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');

let stack: Stack;
let token: string;
let caseworker: string;
let client: ApiClient;
const slow = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  if (!recording) return;
  stack = await startStack({ membership: { resignationWithdrawalWindow: '4s', resignationConfirmationValidity: '6s' } });
  token = await stack.token('eservices');
  caseworker = await stack.login('caseworker');
  client = apiClient(stack, { as: { token } });
  mkdirSync(historiesDir, { recursive: true });
}, 120_000);
afterAll(async () => stack?.close());

async function member() {
  const data = applicationData();
  const res = await client.api('/api/v1/applications', { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data }) });
  return { memberId: (await client.waitForStatus(res.body.id, ['approved'])).memberId as string, data };
}

async function record(name: string, workflowId: string) {
  const handle = stack.ctx.temporal.workflow.getHandle(workflowId);
  await handle.result();
  writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
}

/** A public request, once its confirmation message went out; with the link's token. */
async function publicRequest() {
  const { memberId, data } = await member();
  await client.api('/api/public/resignations', { method: 'POST', body: JSON.stringify({ idempotencyKey: newKey(), identityCode: data.identityCode, lastName: data.lastName }) });
  await expect.poll(async () => (await stack.db.select().from(messages).where(eq(messages.memberId, memberId))).find((m) => m.kind === 'resignation-confirmation-request')?.status, slow).toBe('sent');
  const message = (await stack.db.select().from(messages).where(eq(messages.memberId, memberId))).find((m) => m.kind === 'resignation-confirmation-request')!;
  const link = decodeURIComponent(new URL(/(https?:\/\/\S+)/.exec(message.body)![1]!).searchParams.get('token')!);
  const [request] = await stack.db.select().from(resignations).where(eq(resignations.memberId, memberId));
  return { memberId, data, request: request!, link };
}

describe('record resignation request histories', () => {
  it.runIf(recording)('public request confirmed by the member, then effective', async () => {
    const { request, link } = await publicRequest();
    await client.api('/api/public/resignation-confirmations', { method: 'POST', body: JSON.stringify({ token: link }) });
    await record('resignation-request-confirmed', request.workflowId);
  }, 120_000);

  it.runIf(recording)('public request rejected by a caseworker', async () => {
    const { memberId, request } = await publicRequest();
    await client.api(`/api/v1/members/${memberId}/resignations/${request.id}/reject`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen ei tehnyt ilmoitusta' }) });
    await record('resignation-request-rejected', request.workflowId);
  }, 120_000);

  it.runIf(recording)('public request expired', async () => {
    const { request } = await publicRequest();
    await record('resignation-request-expired', request.workflowId);
  }, 120_000);

  it.runIf(recording)('resignation withdrawn with a reason and a message to the member', async () => {
    const { memberId, data } = await member();
    const r = await client.api(`/api/v1/members/${memberId}/resignations`, { method: 'POST', token, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ subjectIdentityCode: data.identityCode }) });
    await client.api(`/api/v1/members/${memberId}/resignations/${r.body.id}/withdraw`, { method: 'POST', cookie: caseworker, body: JSON.stringify({ reason: 'Jäsen perui' }) });
    await record('resignation-withdrawn-with-message', r.body.workflowId);
  }, 120_000);
});
