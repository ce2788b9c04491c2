import type { CollectionOutcome } from '../../domain/vocabulary';
import type { QueueKind } from './taskQueues';

/** The `collection-daily` schedule's process: the day's reminders and hearing starts. */
export const collectionScheduleId = 'collection-daily';
export const collectionRunQueue: QueueKind = 'register';

/** One collection step per day: `collection-run/<YYYY-MM-DD>`. */
export function collectionRunWorkflowId(runDate: string): string {
  return `collection-run/${runDate}`;
}

/** The day's hearing starts, apart from its run (decision 043): `collection-hearing-starts/<YYYY-MM-DD>`. */
export function collectionHearingStartsWorkflowId(runDate: string): string {
  return `collection-hearing-starts/${runDate}`;
}

/**
 * The delivery of the reminders a run issued (decision 052), one per run:
 * `collection-delivery/<YYYY-MM-DD>/<the run's run id>` (a re-run of the day has its own; two at
 * once send nothing twice: each reminder is settled under its invoice's lock).
 */
export function collectionDeliveryWorkflowId(runDate: string, runId: string): string {
  return `collection-delivery/${runDate}/${runId}`;
}

export interface CollectionDeliveryInput {
  runDate: string;
}

export interface CollectionDeliveryResult {
  runDate: string;
  sent: number;
  withdrawn: number;
  failed: number;
}

export interface CollectionHearingStartsInput {
  runDate: string;
}

export interface CollectionHearingStartsResult {
  runDate: string;
  /** Hearing processes started (members); "already started" counts as started. */
  started: number;
}

export interface CollectionRunInput {
  /** The day to collect for; the schedule leaves it out (today in Helsinki). */
  today?: string;
  /** Members per chunk (one transaction each); default 1,000. */
  chunkSize?: number;
  /** Chunks at once; default 2. */
  concurrency?: number;
}

export interface CollectionRunResult {
  runDate: string;
  outcome: CollectionOutcome;
  /** The process that sends what the run issued (decision 052); absent in runs before it. */
  deliveryWorkflowId?: string;
}

export interface ScheduledCollectionRunResult {
  workflowId: string;
  started: boolean;
}
