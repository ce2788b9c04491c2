/**
 * Everything others need to talk to a migration run (docs/decisions/020-migration-batches.md): its
 * workflow id, queue, query, input and result.
 */
import { defineQuery } from '@temporalio/workflow';
import type { MigrationEntity } from '../../domain/migration/records';
import type { MigrationMode, MigrationRunStatus } from '../../domain/migration/report';
import type { QueueKind } from './taskQueues';

/** Migration runs are big batch work, like billing runs: the billing queue's workers take them. */
export const migrationQueue: QueueKind = 'billing';

/**
 * A batch's runs: `migration/<batch>/test-<hash>` and `migration/<batch>/real-<hash>`, where the
 * hash is the first 12 hex digits of the batch's content hash: the same files give the same id,
 * so a second start of the same run is the running one, and a re-run after a failure resumes it.
 */
export function migrationWorkflowId(batchId: string, mode: MigrationMode, contentHash: string): string {
  return `migration/${batchId}/${mode}-${contentHash.slice(0, 12)}`;
}

export interface MigrationRunInput {
  /** Also the workflow id. */
  runId: string;
  batchId: string;
  mode: MigrationMode;
  /** Records per chunk (one transaction each); the service sends `migrationChunkSize` unless told otherwise, the workflow takes 1,000 when none is given (runs started before decision 036). */
  chunkSize?: number;
}

/**
 * Records per chunk a run is started with: 5,000 loaded a 4,000-member export's chunks in about
 * two thirds of the time 1,000 took (fewer activities and statements; decision 036); 20,000 since
 * decision 057 (a 270,000-member export in about 210 chunk activities instead of 840, each chunk
 * still one transaction of one entity, a few seconds).
 */
export const migrationChunkSize = 20_000;

/**
 * Lanes an entity's load runs in, side by side (decision 064): two, so that while one lane's chunk
 * is in Node (its rows built, its results read) the other's is in PostgreSQL, on a machine of two
 * cores. One for the collection state: a member's hearing is made or joined by a chunk after
 * reading whether the member has one, which two lanes with the same member's records would both do
 * before either committed. The workflow's commands follow from this: a change to it needs a
 * `patched()` of its own, or runs in flight fail their replay. The loader refuses lanes for the
 * collection state whoever asks.
 */
export function migrationLoadLanes(entity: MigrationEntity): number {
  return entity === 'collection' ? 1 : 2;
}

export interface MigrationRunResult {
  status: MigrationRunStatus;
  total: number;
  rejected: number;
  differences: number;
}

export interface MigrationRunState {
  phase: 'validating' | 'loading' | 'reconciling' | 'starting' | 'finished' | 'failed';
  entity: string | null;
  done: number;
  total: number;
}

export const migrationStateQuery = defineQuery<MigrationRunState>('migrationState');
