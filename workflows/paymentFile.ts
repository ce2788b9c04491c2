import { patched, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
// Only import the activity types
import type { PaymentFileActivities } from '../activities/paymentFile';
import type { PaymentFileInput, PaymentFileResult } from './definitions/paymentFile';
import { markProcess, processStatus } from './processAttributes';

// Booking a file of 100,000 entries takes tens of seconds: one activity that works in chunks and
// heartbeats after each, so a retry resumes at the next chunk instead of starting over.
const booking = proxyActivities<PaymentFileActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
/** The file counts as processed once its money is booked, before the unmatched-payment processes start. */
const PROCESSED_BEFORE_TASKS = 'payment-file-processed-before-tasks';
/** Members in a hearing are told of their payments as soon as the file is booked. */
const TELL_HEARINGS = 'payment-file-tells-hearings';

const local = proxyLocalActivities<PaymentFileActivities>({ startToCloseTimeout: '1 minute' });

/**
 * One bank file (`payment-file/<sha256>`): books every entry once (the archive id is the key,
 * whichever file brings it), matches and allocates by reference, then starts one
 * `unmatched-payment/<archiveId>` process per entry a person has to place.
 */
export async function paymentFile(input: PaymentFileInput): Promise<PaymentFileResult> {
  markProcess('payment-file', { key: input.fileId, status: 'booking' });
  const booked = await booking.bookPaymentFile({ fileId: input.fileId });
  if (!patched(PROCESSED_BEFORE_TASKS)) {
    const processes = await booking.startUnmatchedPaymentProcesses({ fileId: input.fileId, withdrawn: booked.withdrawn });
    await local.finishPaymentFile({ fileId: input.fileId });
    return { ...booked, withdrawn: booked.withdrawn.length, unmatchedProcesses: processes.started };
  }
  // A payment of the overdue amount ends a running hearing at once: its process re-checks.
  if (patched(TELL_HEARINGS)) await booking.notifyHearingsOfPayments({ fileId: input.fileId });
  // Every entry is booked (the unidentified ones to suspense): the file is processed. The people's
  // tasks for those entries follow, thousands of processes on a bad day, without holding it back.
  await local.finishPaymentFile({ fileId: input.fileId });
  processStatus('processed');
  const processes = await booking.startUnmatchedPaymentProcesses({ fileId: input.fileId, withdrawn: booked.withdrawn });
  processStatus('tasks-started');
  return { ...booked, withdrawn: booked.withdrawn.length, unmatchedProcesses: processes.started };
}
