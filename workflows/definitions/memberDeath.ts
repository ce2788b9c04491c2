import type { QueueKind } from './taskQueues';

/** A member's death (`death/<memberId>`): one process per member, whoever reports it first. */
export const memberDeathWorkflowId = (memberId: string) => `death/${memberId}`;
export const memberDeathQueue: QueueKind = 'register';

export interface MemberDeathInput {
  memberId: string;
  dateOfDeath: string;
  precision: 'day' | 'month' | 'year';
  by: string;
  source: 'population-register' | 'caseworker';
  sourceKey?: string;
}

export interface MemberDeathResult {
  /** The member's other processes that were stopped. */
  stopped: number;
}
