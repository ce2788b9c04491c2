import type { QueueKind } from './taskQueues';

/** A union remittance that could not be booked as it came, decided by a billing user (`union-remittance/<mismatchId>`). */
export const unionRemittanceMismatchWorkflowId = (mismatchId: string) => `union-remittance/${mismatchId}`;
export const unionRemittanceMismatchWorkflowType = 'unionRemittanceMismatch';
export const unionRemittanceMismatchQueue: QueueKind = 'payments';

export interface UnionRemittanceMismatchInput {
  mismatchId: string;
}

export interface UnionRemittanceMismatchResult {
  outcome: 'booked' | 'returned';
}

/** The member lists sent to the unions on a day (`union-member-lists/<date>`), from the schedule. */
export const unionMemberListsWorkflowId = (asOf: string) => `union-member-lists/${asOf}`;
export const unionMemberListsScheduleId = 'union-member-lists';
export const unionMemberListsQueue: QueueKind = 'register';

export interface UnionMemberListsInput {
  /** The day the lists are as of; the schedule's run takes today (Helsinki). */
  asOf?: string;
}

export interface UnionMemberListsResult {
  asOf: string;
  sent: { unionCode: string; deliveryId: string; members: number; differences: number }[];
}
