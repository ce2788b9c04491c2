import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
// Only import the activity types
import type { OutboxDeliveryActivities } from '../activities/outboxDelivery';
import type { OutboxDeliveryInput } from './definitions/outboxDelivery';
import { markProcess } from './processAttributes';

// The heartbeat timeout is what notices a dead worker: its round is retried on another (or the restarted) worker.
const acts = proxyActivities<OutboxDeliveryActivities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '30 seconds', retry: { maximumInterval: '30 seconds' } });

/**
 * Runs forever (`outbox-delivery`): a delivery round, then a short wait when the round was idle.
 * The state (what is due, attempts, backoff) is in PostgreSQL, not here, so a restart loses nothing.
 */
export async function outboxDelivery(input: OutboxDeliveryInput): Promise<void> {
  const rounds = input.roundsPerRun ?? 500;
  markProcess('outbox-delivery', { key: 'outbox', status: 'delivering' });
  for (let i = 0; i < rounds; i++) {
    const r = await acts.deliverOutbox({ budgetMs: 20_000 });
    if (r.fannedOut === 0 && r.delivered === 0 && r.failed === 0 && r.dead === 0) await sleep(input.pollEveryMs);
    else if (r.delivered === 0) await sleep(Math.min(input.pollEveryMs, 1000));
  }
  await continueAsNew<typeof outboxDelivery>(input);
}
