import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationWorkflowId } from '../../workflows/definitions/applicationIntake';
import * as applicationsRepo from '../../db/repositories/applications';
import { reconcile } from '../../workflows/reconcile';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

/**
 * Records a reconcile run that repaired something (an application stored without its process and
 * the task of a terminated process) for replay.test.ts. Like the other recorders it runs only on
 * purpose (RECORD_HISTORIES=1).
 */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');

let stack: Stack;
let token: string;
let client: ApiClient;

beforeAll(async () => {
  if (!recording) return;
  stack = await startStack();
  token = await stack.token('eservices');
  client = apiClient(stack, { as: { token } });
  mkdirSync(historiesDir, { recursive: true });
});
afterAll(async () => stack?.close());

describe('record reconcile history', () => {
  it.runIf(recording)('a run that starts a stranded application and closes an orphaned task', async () => {
    const res = await client.api('/api/v1/applications', {
      method: 'POST',
      token,
      headers: { 'idempotency-key': newKey() },
      body: JSON.stringify({ data: applicationData({ employment: { status: 'entrepreneur', entrepreneurSince: '2024-01-01' } }) }),
    });
    const task = await client.openTaskFor(res.body.id);
    await stack.ctx.temporal.workflow.getHandle(task.workflowId).terminate('stopped by hand');

    const id = randomUUID();
    const data = applicationData();
    await applicationsRepo.insertApplicationOnce(stack.db, {
      id,
      idempotencyKey: newKey(),
      channel: 'e-services',
      submittedBy: 'eservices',
      receivedOn: stack.ctx.today(),
      receivedBy: 'fund',
      identityCode: data.identityCode,
      data,
      workflowId: applicationWorkflowId(id),
    });

    const handle = await stack.ctx.temporal.workflow.start(reconcile, { taskQueue: stack.ctx.taskQueues.register, workflowId: `reconcile-${randomUUID()}`, args: [{ olderThanMs: 0 }] });
    const result = await handle.result();
    expect(result.applications.ids).toContain(id);
    expect(result.tasks.ids).toContain(task.id);
    writeFileSync(path.join(historiesDir, 'reconcile.json'), `${historyToJSON(await handle.fetchHistory())}\n`);
  });
});
