import { parseDuration } from '../duration';
import { elapsedMs } from './instant';

/**
 * Whether a change is recent enough for the desk to highlight: newer than `window` (e.g. '14d',
 * MembershipRules.recentChangeWindow). A change exactly `window` old is no longer recent. A change
 * stamped after `now` (clocks of two machines) counts as recent rather than vanishing.
 * Both times are timestamps with an offset, or both plain dates (whole days).
 */
export function isRecent(changedAtIso: string, nowIso: string, window: string): boolean {
  return elapsedMs(changedAtIso, nowIso, ['changedAt', 'now']) < parseDuration(window);
}
