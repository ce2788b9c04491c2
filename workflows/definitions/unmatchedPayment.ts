import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Decider } from './humanDecision';
import type { QueueKind } from './taskQueues';

/** A bank entry a person has to place; one process per entry. */
export const unmatchedPaymentWorkflowId = (archiveId: string) => `unmatched-payment/${archiveId}`;
/** The workflow type, for starting it without importing workflow code. */
export const unmatchedPaymentWorkflowType = 'unmatchedPayment';
export const unmatchedPaymentQueue: QueueKind = 'payments';

export interface UnmatchedPaymentInput {
  entryId: string;
  archiveId: string;
}

export interface AllocationRequest {
  taskId: string;
  memberId: string;
  /** The invoices to settle, in this order; without them the member's oldest open invoices. */
  invoiceIds?: string[];
  note: string;
  allocatedBy: Decider;
}

export interface AllocationOutcome {
  entryId: string;
  memberId: string;
  status: string;
  allocatedCents: number;
  unallocatedCents: number;
  allocations: { invoiceId: string; amountCents: number }[];
}

export type UnmatchedPaymentResult =
  | { outcome: 'allocated'; memberId: string; by: string }
  | { outcome: 'returned-to-payer'; by: string }
  | { outcome: 'withdrawn'; reason: string };

export interface UnmatchedPaymentState {
  taskId: string | null;
  result: UnmatchedPaymentResult | null;
}

export const allocateUpdate = defineUpdate<AllocationOutcome, [AllocationRequest]>('allocate');
/** The entry was dealt with elsewhere (its payment was reversed by the bank): close the task. */
export const withdrawSignal = defineSignal<[{ reason: string }]>('withdraw');
export const unmatchedPaymentStateQuery = defineQuery<UnmatchedPaymentState>('state');
