import type { QueueKind } from './taskQueues';

/** The `membership-daily` schedule's process: age-limit endings and entrepreneur reviews. */
export const membershipDailyScheduleId = 'membership-daily';
export const membershipDailySweepWorkflowId = 'membership-daily-sweep';
export const membershipDailySweepQueue: QueueKind = 'register';

export interface MembershipDailySweepInput {
  /** The day to sweep for; the schedule leaves it out (today in Helsinki). */
  today?: string;
}

export interface MembershipDailySweepResult {
  today: string;
  candidates: number;
  ended: number;
  messages: number;
  eligibilityReviews: number;
}
