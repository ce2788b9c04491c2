import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as applicationsRepo from '../../db/repositories/applications';
import { todayInHelsinki } from '../../domain/dates';
import { ensureIntakeStarted } from '../../services/applications';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

/**
 * Records one finished intake history per path through the workflow, for replay.test.ts.
 *
 * Skipped unless RECORD_HISTORIES=1 on purpose: the committed histories are the fixed point the
 * replay test compares the current workflow code against, so they are re-recorded only deliberately
 * (e.g. after a change that is meant to be incompatible, behind a patch or a new workflow type).
 * Run: RECORD_HISTORIES=1 npx vitest run --project integration tests/replay/record.test.ts
 */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');

let stack: Stack;
let bearer: string;
let client: ApiClient;

beforeAll(async () => {
  if (!recording) return;
  stack = await startStack({ intake: { completionDeadline: '3s' } });
  bearer = await stack.token('eservices');
  client = apiClient(stack, { as: { token: bearer } });
  mkdirSync(historiesDir, { recursive: true });
});
afterAll(async () => stack?.close());

async function submit(data = applicationData()): Promise<string> {
  const res = await client.api('/api/v1/applications', {
    method: 'POST',
    token: bearer,
    headers: { 'idempotency-key': newKey() },
    body: JSON.stringify({ data }),
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function decide(applicationId: string, body: { decision: 'approve' | 'reject'; reason?: string }) {
  const task = await client.openTaskFor(applicationId);
  const res = await client.api(`/api/v1/tasks/${task.id}/decision`, {
    method: 'POST',
    cookie: await stack.login('caseworker'),
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

/** Waits for the workflow to complete, then writes its history in the CLI's JSON format. */
async function record(name: string, applicationId: string, outcome: 'approved' | 'rejected') {
  const handle = stack.ctx.temporal.workflow.getHandle(`application/${applicationId}`);
  expect(await handle.result()).toMatchObject({ outcome });
  const history = await handle.fetchHistory();
  writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(history)}\n`);
}

describe('record intake histories', () => {
  it.runIf(recording)('auto-approve', async () => {
    const id = await submit();
    await record('auto-approve', id, 'approved');
  });

  // Since decision 037: the process's attributes given at the start, the approval in one upsert.
  it.runIf(recording)('auto-approve-one-upsert', async () => {
    const id = await submit();
    await record('auto-approve-one-upsert', id, 'approved');
  });

  // Since decision 044: validation and the automatic approval in one local activity.
  it.runIf(recording)('validate-and-approve', async () => {
    const id = await submit();
    await record('validate-and-approve', id, 'approved');
  });

  // Since decision 044, a path that does not approve at once: validated (not clean) by the same local activity, then reviewed.
  it.runIf(recording)('validate-and-approve-then-reject', async () => {
    const id = await submit(applicationData({ employment: { status: 'unemployed' } }));
    await client.waitForStatus(id, ['in-review']);
    await decide(id, { decision: 'reject', reason: 'Hakija ei ole työssä liittymispäivänä.' });
    await record('validate-and-approve-then-reject', id, 'rejected');
  });

  it.runIf(recording)('completion-answered', async () => {
    const id = await submit(applicationData({ employment: { status: 'employed' } }));
    await client.waitForStatus(id, ['awaiting-supplement']);
    const res = await client.api(`/api/v1/applications/${id}/supplement`, {
      method: 'POST',
      token: bearer,
      body: JSON.stringify({ data: { employment: { employer: 'Uusi Työnantaja Oy' } } }),
    });
    expect(res.status).toBe(200);
    await record('completion-answered', id, 'approved');
  });

  it.runIf(recording)('completion-expired-then-approved', async () => {
    const id = await submit(applicationData({ employment: { status: 'employed' } }));
    await client.waitForStatus(id, ['awaiting-supplement']);
    await client.waitForStatus(id, ['in-review'], { timeoutMs: 20_000 });
    await decide(id, { decision: 'approve' });
    await record('completion-expired-then-approved', id, 'approved');
  });

  it.runIf(recording)('caseworker-reject', async () => {
    const id = await submit(applicationData({ employment: { status: 'unemployed' } }));
    await client.waitForStatus(id, ['in-review']);
    await decide(id, { decision: 'reject', reason: 'Hakija ei ole työssä liittymispäivänä.' });
    await record('caseworker-reject', id, 'rejected');
  });

  it.runIf(recording)('completion-undeliverable-then-rejected', async () => {
    // Stored without any contact channel (the API refuses that now; older rows hold some).
    const { email: _e, phone: _p, address: _a, ...data } = applicationData({ employment: { status: 'employed' } });
    const id = randomUUID();
    await applicationsRepo.insertApplicationOnce(stack.db, {
      id, idempotencyKey: newKey(), channel: 'eservices', submittedBy: 'eservices', receivedOn: todayInHelsinki(), receivedBy: 'fund',
      unionCode: null, identityCode: data.identityCode, data, workflowId: `application/${id}`,
    });
    await ensureIntakeStarted(stack.ctx, id);
    await decide(id, { decision: 'reject', reason: 'Hakijaan ei saatu yhteyttä.' });
    await record('completion-undeliverable-then-rejected', id, 'rejected');
  });

  it.runIf(recording)('rerun-of-approved', async () => {
    const id = await submit();
    await client.waitForStatus(id, ['approved']);
    await stack.ctx.temporal.workflow.getHandle(`application/${id}`).result();
    // The history is lost: a new run for the same application finds its decision.
    await ensureIntakeStarted(stack.ctx, id);
    await record('rerun-of-approved', id, 'approved');
  });
});
