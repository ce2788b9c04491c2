import type { QueueKind } from './taskQueues';

/**
 * The hearing before expulsion (kuuleminen), its own long-running process per member. Overdue
 * collection's daily step starts it by type name when an invoice has passed the last reminder's
 * wait and is still unpaid and not on hold; "already started" counts as started.
 */
export function collectionHearingWorkflowId(memberId: string): string {
  return `collection-hearing/${memberId}`;
}

export const collectionHearingQueue: QueueKind = 'register';

export interface CollectionHearingInput {
  memberId: string;
  invoiceIds: string[];
  overdueCents: number;
  /** ISO date. */
  startedOn: string;
}
