import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledBillingRun } from '../../workflows/billingRun';
import { startStack, type Stack } from '../support/stack';

/**
 * Records the `billing-yearly` schedule's workflow (scheduledBillingRun), which starts the year's
 * billing run as an abandoned child and ends. Runs only on purpose (RECORD_HISTORIES=1), like the
 * other recorders: the committed history is the fixed point replay.test.ts checks against.
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

describe('record the scheduled billing run', () => {
  it.runIf(recording)('starts the year’s run and ends', async () => {
    const handle = await stack.ctx.temporal.workflow.start(scheduledBillingRun, {
      taskQueue: stack.ctx.taskQueues.billing,
      workflowId: `billing-yearly-record-${Date.now()}`,
      args: [{ dueInDays: 30 }],
    });
    const result = await handle.result();
    expect(result.started).toBe(true);
    writeFileSync(path.join(historiesDir, 'scheduled-billing-run.json'), `${historyToJSON(await handle.fetchHistory())}\n`);
    // The run itself waits for a billing user; it is not part of this recording.
    await stack.ctx.temporal.workflow.getHandle(result.runId).terminate('recorded the schedule only');
  });
});
