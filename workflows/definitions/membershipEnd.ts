import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { QueueKind } from './taskQueues';

/** A resignation or a new fund's resignation authorisation (`resignation/<resignationId>`). */
export const resignationWorkflowId = (resignationId: string) => `resignation/${resignationId}`;
export const membershipEndQueue: QueueKind = 'register';

export interface MembershipEndInput {
  resignationId: string;
  /** The fund's withdrawal window (profile), in milliseconds. */
  withdrawalWindowMs: number;
  /**
   * A request from the public form: nothing changes until the member confirms it through the link
   * sent to the contact details on record, or a caseworker confirms it; unconfirmed after
   * `validityMs` (profile `resignationConfirmationValidity`) it expires.
   */
  confirmation?: { validityMs: number };
}

export type ResignationProcessStatus = 'requested' | 'pending' | 'withdrawn' | 'effective' | 'expired' | 'rejected';

export interface MembershipEndResult {
  status: Exclude<ResignationProcessStatus, 'pending' | 'requested'>;
}

/** The member takes the notice back inside the fund's window; refused after it. */
export const withdrawResignationUpdate = defineUpdate<{ status: 'withdrawn' }, [{ by: string; reason?: string; actorKind?: 'user' | 'client' | 'public' }]>('withdraw');
/** A public request confirmed: by the member's own link (`by: 'public'`) or by a caseworker. */
export const confirmResignationUpdate = defineUpdate<{ status: 'pending' }, [{ by: string }]>('confirm');
/** A public request refused by a caseworker, with a reason. */
export const rejectResignationUpdate = defineUpdate<{ status: 'rejected' }, [{ by: string; reason: string }]>('reject');
export const resignationStateQuery = defineQuery<{ status: ResignationProcessStatus }>('state');
