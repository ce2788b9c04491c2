import { proxyActivities } from '@temporalio/workflow';
// Only import the activity types
import type { BankFileFetchActivities } from '../activities/bankFileFetch';
import { todayInHelsinki } from '../domain/dates';
import type { BankFetchResult } from './definitions/bankFileFetch';
import { markProcess, processStatus } from './processAttributes';

// A bank that does not answer is tried again for a while; the schedule's next run comes anyway.
const acts = proxyActivities<BankFileFetchActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '2 minutes', maximumAttempts: 10 },
});

/**
 * Started by the `bank-files` schedule: fetches the payment files waiting at the bank and imports
 * each like an upload (its own `payment-file/<sha256>` process books it). Safe to run at any time
 * and as often as wanted: the same bytes are never booked twice.
 */
export async function bankFileFetch(): Promise<BankFetchResult> {
  markProcess('bank-file-fetch', { key: todayInHelsinki(new Date()), status: 'fetching' });
  const result = await acts.fetchBankPaymentFiles();
  processStatus('fetched');
  return result;
}
