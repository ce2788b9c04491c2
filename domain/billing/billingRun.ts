import { compareDates } from '../dates';
import type { BillingRunStatus } from '../vocabulary';

/**
 * Whether a period whose latest run has `status` gets a new attempt: after a rejected or failed
 * run, and after a committed one only for a supplementary run (members not invoiced yet). Any
 * other run is still going, and a repeat request finds it.
 */
export function startsNewAttempt(status: BillingRunStatus, supplementary: boolean): boolean {
  return status === 'rejected' || status === 'failed' || (status === 'committed' && supplementary);
}

/** Whether an approval on `today` is too late: the run's due date has passed (the due day itself is fine). */
export function dueDatePassed(dueDate: string, today: string): boolean {
  return compareDates(dueDate, today) < 0;
}

/** The issue date of a run approved on `today`: today, but never after the due date (an approval just before midnight of it). */
export function invoiceIssueDate(today: string, dueDate: string): string {
  return compareDates(today, dueDate) > 0 ? dueDate : today;
}
