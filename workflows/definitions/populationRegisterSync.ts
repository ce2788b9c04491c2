import type { QueueKind } from './taskQueues';

/** The `population-sync` schedule's process: pulls population-register changes until up to date. */
export const populationSyncScheduleId = 'population-sync';
export const populationRegisterSyncWorkflowId = 'population-sync';
export const populationRegisterSyncQueue: QueueKind = 'register';

export interface PopulationRegisterSyncResult {
  applied: number;
  skipped: number;
  rejected: number;
  batches: number;
  token: number;
  deaths: number;
  conflicts: number;
}

/**
 * A population-register address that differs from one the member gave
 * (`address-conflict/<sourceKey>`, the key of the change that brought it): a caseworker decides.
 */
export const addressConflictReviewWorkflowId = (sourceKey: string) => `address-conflict/${sourceKey}`;

export interface AddressConflictReviewInput {
  personId: string;
}
