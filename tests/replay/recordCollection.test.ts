import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionRun, scheduledCollectionRun } from '../../workflows/collectionRun';
import { collectionRunQueue } from '../../workflows/definitions/collectionRun';
import { apiClient } from '../support/api';
import { newKey } from '../support/applications';
import { newInvoice, newMember } from '../support/payments';
import { startStack, type Stack } from '../support/stack';

/**
 * Records the collection workflows' histories for replay.test.ts (RECORD_HISTORIES=1 only, like
 * the other record files): a daily run that sends a reminder, and the schedule's starter.
 */
const recording = process.env.RECORD_HISTORIES === '1';
const historiesDir = path.resolve('tests/replay/histories');

let stack: Stack;

beforeAll(async () => {
  if (!recording) return;
  stack = await startStack();
  mkdirSync(historiesDir, { recursive: true });
});
afterAll(async () => stack?.close());

async function record(name: string, workflowId: string) {
  const handle = stack.ctx.temporal.workflow.getHandle(workflowId);
  await handle.result();
  writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
}

describe.runIf(recording)('record collection histories', () => {
  it('collection-run: a day with a reminder to send, in two chunks', async () => {
    const token = await stack.token('eservices');
    const client = apiClient(stack, { as: { token } });
    for (const _ of [1, 2]) {
      const m = await newMember(stack, client, token);
      await newInvoice(stack, m, 2031, 9600, { dueDate: '2031-01-15' });
    }
    const id = `collection-run/2031-02-01/${newKey()}`;
    await stack.ctx.temporal.workflow.start(collectionRun, { taskQueue: stack.ctx.taskQueues[collectionRunQueue], workflowId: id, args: [{ today: '2031-02-01', chunkSize: 1 }] });
    await record('collection-run', id);
  });

  it('scheduled-collection-run: starts today’s run', async () => {
    const id = `collection-daily-${newKey()}`;
    await stack.ctx.temporal.workflow.start(scheduledCollectionRun, { taskQueue: stack.ctx.taskQueues[collectionRunQueue], workflowId: id, args: [] });
    await record('scheduled-collection-run', id);
    expect(true).toBe(true);
  });
});
