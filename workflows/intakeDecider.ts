import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
// Only import the activity types
import type { IntakeDeciderActivities } from '../activities/intakeDecider';
import type { IntakeDeciderInput } from './definitions/intakeDecider';
import { markProcess } from './processAttributes';

// The heartbeat timeout is what notices a dead worker: the run is retried on another (or the
// restarted) worker, and its batches not committed are claimed again.
const acts = proxyActivities<IntakeDeciderActivities>({ startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', retry: { maximumInterval: '30 seconds' } });

/**
 * Runs forever (`intake-decider/<fund>`, decision 063): the fund's applications on the batched
 * path decided in batches by its activity, each run for `budgetMs`. The state (which applications
 * are received, decided, handed over; which messages are unsent) is in PostgreSQL, not here, so a
 * restart loses nothing.
 */
export async function intakeDecider(input: IntakeDeciderInput): Promise<void> {
  const deciderId = workflowInfo().workflowId;
  markProcess('intake-decider', { key: deciderId, status: 'deciding' });
  const rounds = input.roundsPerRun ?? 100;
  for (let i = 0; i < rounds; i++) {
    try {
      await acts.decideReceivedApplications({ deciderId, batchSize: input.batchSize, pollEveryMs: input.pollEveryMs, budgetMs: input.budgetMs });
    } catch {
      // A failure no retry mends (the activity's retries are unbounded otherwise) must not end the
      // fund's only decider: it shows in the history, and the next run tries again after a pause.
      await sleep('1 minute');
    }
  }
  await continueAsNew<typeof intakeDecider>(input);
}
