import type { ResignationStatus } from '../vocabulary';

/** What the holder of a confirmation link is told about the request (no personal data). */
export type ResignationRequestState = 'awaiting-confirmation' | 'confirmed' | 'expired' | 'closed';

/**
 * The state of a public resignation request as its confirmation link sees it. A request past its
 * expiry is expired even before its process has recorded that (the timer may fire a moment late),
 * so a late click never confirms it.
 */
export function resignationRequestState(status: ResignationStatus, expiresAt: Date | null, now: Date): ResignationRequestState {
  if (status === 'requested') return expiresAt && expiresAt.getTime() <= now.getTime() ? 'expired' : 'awaiting-confirmation';
  if (status === 'pending' || status === 'effective') return 'confirmed';
  if (status === 'expired') return 'expired';
  return 'closed';
}

/**
 * How long a request's process still waits for the confirmation: the time left to its expiry, but
 * at least a second, so a request whose process is started late (by reconcile) still expires
 * through its process rather than never.
 */
export function remainingConfirmationMs(expiresAt: Date, now: Date): number {
  return Math.max(1000, expiresAt.getTime() - now.getTime());
}
