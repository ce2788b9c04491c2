import type { DecisionOutcome } from './humanDecision';
import type { QueueKind } from './taskQueues';

/** The ground in doubt; one review per member and ground, ever. */
export type EligibilityGround = 'entrepreneur';

/** A doubt about a member's eligibility (`eligibility-review/<memberId>/<ground>`), decided by a caseworker. */
export const eligibilityReviewWorkflowId = (memberId: string, ground: EligibilityGround) => `eligibility-review/${memberId}/${ground}`;
export const eligibilityReviewQueue: QueueKind = 'register';

export interface EligibilityReviewInput {
  memberId: string;
  /** Why the review was opened, shown as the task's title (e.g. `entrepreneur-over-limit`). */
  reason: string;
}

export interface EligibilityReviewResult {
  outcome: DecisionOutcome;
}
