import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { WorkflowFailedError, type Client } from '@temporalio/client';

/**
 * RECORD_HISTORIES=1 makes the integration tests that call saveHistory keep a finished workflow's
 * history for tests/replay/replay.test.ts (the fixed point that guards determinism). A normal run
 * writes nothing.
 */
export const recordingHistories = process.env.RECORD_HISTORIES === '1';

const historiesDir = path.resolve('tests/replay/histories');

/**
 * Writes workflowId's history (of runId, for a run that continued as new; else the latest run) as
 * tests/replay/histories/<name>.json when recording, once it has ended (completed or failed); otherwise nothing.
 */
export async function saveHistory(temporal: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (!recordingHistories) return;
  const handle = temporal.workflow.getHandle(workflowId, runId);
  // A run given by id has ended (continued as new); otherwise wait for the end, so the history is whole (a failed run's too).
  if (!runId) await handle.result().catch((error: unknown) => {
    if (!(error instanceof WorkflowFailedError)) throw error;
  });
  mkdirSync(historiesDir, { recursive: true });
  writeFileSync(path.join(historiesDir, `${name}.json`), `${historyToJSON(await handle.fetchHistory())}\n`);
}
