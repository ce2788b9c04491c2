import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Decider } from './humanDecision';
import type { QueueKind } from './taskQueues';

/**
 * Archive ids longer than this (the bank files refuse ids over 35 characters; rows stored before
 * that rule may hold longer ones) are shortened to a digest, so the workflow id stays far within
 * Temporal's limit and the process of such an entry can start (and open its task) at all.
 */
export const MAX_ARCHIVE_ID_IN_WORKFLOW_ID = 100;

/** A bank entry a person has to place; one process per entry. */
export const unmatchedPaymentWorkflowId = (archiveId: string) =>
  archiveId.length <= MAX_ARCHIVE_ID_IN_WORKFLOW_ID ? `unmatched-payment/${archiveId}` : `unmatched-payment/${archiveId.slice(0, 32)}~${archiveId.length}-${digest(archiveId)}`;

/** A 128-bit FNV-1a digest in hex: plain arithmetic, so it runs in the workflow sandbox as well. */
function digest(text: string): string {
  let h = 0x6c62272e07bb014262b821756295c58dn;
  const prime = 0x0000000001000000000000000000013bn;
  const mask = (1n << 128n) - 1n;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * prime) & mask;
  return h.toString(16).padStart(32, '0');
}
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
