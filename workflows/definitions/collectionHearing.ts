import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { HearingStatus } from '../../domain/expulsion/status';
import type { QueueKind } from './taskQueues';

/**
 * The hearing before an expulsion for unpaid fees (`collection-hearing/<memberId>`): started by the
 * collection run after the last reminder level (by the type name), ended at once by a payment of
 * the overdue amount, or decided by a caseworker at the deadline.
 */
export const collectionHearingWorkflowId = (memberId: string) => `collection-hearing/${memberId}`;
export const collectionHearingWorkflowType = 'collectionHearing';
export const collectionHearingQueue: QueueKind = 'register';

export interface CollectionHearingInput {
  memberId: string;
  /** The overdue invoices the hearing is about; paying them ends it. */
  invoiceIds: string[];
  overdueCents: number;
  /** ISO date the hearing starts (the letter's date). */
  startedOn: string;
  /**
   * A hearing open in the old register, loaded by a migration (decision 047): the hearing row with
   * its deadline is already there and its letter went from the old register, so none is sent; the
   * deadline is the loaded one.
   */
  migrated?: boolean;
}

export interface CollectionHearingResult {
  outcome: 'paid' | 'expelled' | 'not-expelled';
  hearingId: string;
}

/**
 * A payment was booked for the member (the payment-file process, or a payment placed by hand): the
 * process re-checks what is open of the hearing's invoices. A partial payment changes nothing.
 */
export const paymentBookedSignal = defineSignal<[{ source: string }]>('paymentBooked');

/**
 * A caseworker set or ended a hold of the member's collection: at its deadline the hearing waits
 * while a hold is in force (payment plan, dispute, benefit deduction), and goes on when it ends.
 */
export const collectionHoldChangedSignal = defineSignal('collectionHoldChanged');

export const hearingStateQuery = defineQuery<{ status: HearingStatus; hearingId: string | null }>('hearingState');
