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
