import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as registered from '../../workflows';
import { payloadDataConverter } from '../../temporal/payloadCodec';
import { testPayloadKeys } from '../support/stack';

/**
 * Replays every recorded history (see record.test.ts, recordMembership.test.ts, recordResignationRequests.test.ts,
 * recordPayments.test.ts, recordReconcile.test.ts, recordHearing.test.ts, recordScheduledBilling.test.ts, recordCollection.test.ts, and the integration tests that call tests/support/recordHistory.ts' saveHistory, with RECORD_HISTORIES=1) against the current workflow bundle.
 * A failure means a code change would break workflows already running in production: guard the
 * change with patched()/deprecatePatch() instead of re-recording the histories.
 */
const historiesDir = path.resolve('tests/replay/histories');
const histories = readdirSync(historiesDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ name: file.replace(/\.json$/, ''), file: path.join(historiesDir, file) }));

/** The workflow type a recorded history started (its first event). */
function workflowTypeOf(file: string): string | undefined {
  const history = JSON.parse(readFileSync(file, 'utf8')) as {
    events?: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
  };
  return history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
}

beforeAll(() => {
  // Each replay starts and stops a worker, which logs every state change at INFO.
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process (e.g. by the test stack): keep that logger.
  }
});

describe('workflow determinism', () => {
  it('has a recorded history for every workflow type the worker registers', () => {
    // The worker registers every function workflows/index.ts exports; each must be replayed.
    const types = Object.keys(registered).sort();
    const recorded = new Set(histories.map((h) => workflowTypeOf(h.file)));
    expect(types.length).toBeGreaterThan(0);
    expect(types.filter((type) => !recorded.has(type))).toEqual([]);
  });

  it('has a recorded history for each intake path and each membership workflow type', () => {
    // Deleting the fixtures must not make the guard pass silently.
    expect(histories.map((h) => h.name)).toEqual(
      expect.arrayContaining([
        'auto-approve',
        'auto-approve-one-upsert',
        'validate-and-approve',
        'validate-and-approve-then-reject',
        'caseworker-reject',
        'completion-answered',
        'completion-expired-then-approved',
        'completion-undeliverable-then-rejected',
        'rerun-of-approved',
        'intake-decider',
        'resignation-effective',
        'resignation-withdrawn',
        'resignation-withdrawn-with-message',
        'resignation-request-confirmed',
        'resignation-request-rejected',
        'resignation-request-expired',
        'member-death',
        'daily-sweep',
        'collection-hearing-paid',
        'collection-hearing-not-expelled',
        'collection-hearing-expelled-four-eyes',
        'expulsion-appeal-corrected',
        'expulsion-appeal-samu-overturned',
        'collection-hearing-rerun-of-expelled',
        'collection-hearing-rerun-four-eyes-proposed',
        'expulsion-appeal-rerun-of-corrected',
        'reconcile-union-mismatches',
        'payment-file-tells-hearings',
        'eligibility-review',
        'population-sync',
        'address-conflict-review',
        'payment-file',
        'payment-file-tasks-before-processed',
        'unmatched-payment-allocated',
        'unmatched-payment-returned',
        'unmatched-payment-withdrawn',
        'billing-run-committed',
        'bank-file-fetch',
        'billing-run-committed-inline-delivery',
        'billing-run-rejected',
        'reconcile',
        'scheduled-billing-run',
        'collection-run',
        'collection-run-hearings-apart',
        'collection-hearing-starts',
        'collection-run-issue-then-deliver',
        'collection-run-step-in-one-activity',
        'collection-run-step-as-local-activity',
        'collection-delivery',
        'scheduled-collection-run',
        'tax-report-annual-rejected-record',
        'tax-report-correction',
        'tax-report-nothing-to-send',
        'scheduled-tax-report',
        'migration-run-test',
        'migration-run-real-differences',
        'migration-run-real-v2',
        'migration-run-lanes-resumed',
        'migration-run-real-applications',
        'migration-run-starts-beside-reconcile',
        'collection-hearing-migrated-paid',
      ]),
    );
  });

  it.each(histories)('replays $name without a nondeterminism error', async ({ name, file }) => {
    const history: unknown = JSON.parse(readFileSync(file, 'utf8'));
    await expect(
      // With the tests' payload codec: histories recorded before encryption pass through it unchanged.
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: name, dataConverter: payloadDataConverter(testPayloadKeys)! }, history, `replay-${name}`),
    ).resolves.toBeUndefined();
  });
});
