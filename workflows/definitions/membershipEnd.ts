import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { QueueKind } from './taskQueues';

/** A resignation or a new fund's resignation authorisation (`resignation/<resignationId>`). */
export const resignationWorkflowId = (resignationId: string) => `resignation/${resignationId}`;
export const membershipEndQueue: QueueKind = 'register';

export interface MembershipEndInput {
  resignationId: string;
  /** The fund's withdrawal window (profile), in milliseconds. */
  withdrawalWindowMs: number;
}

export type ResignationProcessStatus = 'pending' | 'withdrawn' | 'effective';

export interface MembershipEndResult {
  status: Exclude<ResignationProcessStatus, 'pending'>;
}

/** The member takes the notice back inside the fund's window; refused after it. */
export const withdrawResignationUpdate = defineUpdate<{ status: 'withdrawn' }, [{ by: string }]>('withdraw');
export const resignationStateQuery = defineQuery<{ status: ResignationProcessStatus }>('state');
