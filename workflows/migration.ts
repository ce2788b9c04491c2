import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { CancellationScope, patched, proxyActivities, setHandler } from '@temporalio/workflow';
// Only import the activity types
import type { MigrationActivities } from '../activities/migration';
import { migrationEntities, migrationEntitiesV1, migrationEntitiesV2 } from '../domain/migration/records';
import { migrationLoadLanes, migrationStateQuery, type MigrationRunInput, type MigrationRunResult, type MigrationRunState } from './definitions/migration';
import { markProcess, processStatus } from './processAttributes';
import { runFailure } from './runFailure';

const acts = proxyActivities<MigrationActivities>({ startToCloseTimeout: '5 minutes', retry: { maximumInterval: '30 seconds' } });
// A chunk heartbeats while it runs (keptAlive): a killed worker's chunk is retried within 30 s.
const chunks = proxyActivities<MigrationActivities>({ startToCloseTimeout: '5 minutes', heartbeatTimeout: '30 seconds', retry: { maximumInterval: '30 seconds' } });
// Validating a whole export and reconciling it take longer than a chunk.
const long = proxyActivities<MigrationActivities>({ startToCloseTimeout: '30 minutes', retry: { maximumInterval: '1 minute' } });

/**
 * One run of a migration batch (`migration/<batch>/<mode>-<hash>`): validate and stage every
 * record, load entity by entity in chunks (each chunk one transaction with its legacy-id keys, so a
 * crash or a retry loads nothing twice; an entity's lanes side by side, decision 064), reconcile source against register. A test run does all of
 * it in a schema of its own and drops it at the end. After a real run, the processes the old
 * register had running are started (decision 047). Nothing is sent to members.
 */
export async function migrationRun(input: MigrationRunInput): Promise<MigrationRunResult> {
  const { runId } = input;
  const state: MigrationRunState = { phase: 'validating', entity: null, done: 0, total: 0 };
  setHandler(migrationStateQuery, () => state);
  const setPhase = (phase: MigrationRunState['phase']) => {
    state.phase = phase;
    processStatus(phase);
  };
  markProcess('migration-run', { key: input.batchId, status: state.phase });
  try {
    // Format version 2 (decision 047): more entities, and the processes started after a real load; runs started before replay as they ran.
    const version2 = patched('migration-format-2');
    // Applications waiting for a decision (decision 047, "Applications"): runs started before load version 2 without them.
    const entities = !version2 ? migrationEntitiesV1 : patched('migration-applications') ? migrationEntities : migrationEntitiesV2;
    const prepared = await long.prepareMigrationRun({ runId });
    state.total = prepared.total;
    state.done = prepared.rejected;
    setPhase('loading');
    // Each entity's records in lanes loaded side by side (decision 064); runs started before load one chunk at a time.
    const laned = patched('migration-load-lanes');
    const limit = input.chunkSize ?? 1_000;
    for (const entity of entities) {
      state.entity = entity;
      const lanes = laned ? migrationLoadLanes(entity) : 1;
      // A lane that fails stops the others: none schedules another chunk, and the run fails (and a
      // test run's schema is dropped) only once every lane's chunk in flight has ended.
      let stopped = false;
      const settledLanes = await Promise.allSettled(
        Array.from({ length: lanes }, async (_, lane) => {
          try {
            while (!stopped) {
              const { settled } = await chunks.loadMigrationChunk(lanes > 1 ? { runId, entity, limit, lane, lanes } : { runId, entity, limit });
              if (settled === 0) break;
              state.done += settled;
            }
          } catch (error) {
            stopped = true;
            throw error;
          }
        }),
      );
      const failed = settledLanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
      if (failed) throw failed.reason;
    }
    setPhase('reconciling');
    state.entity = null;
    // After a real load the old register's open hearings and waiting applications go on as processes; nothing is sent by the migration itself.
    const starting = version2 && input.mode === 'real';
    let result: Awaited<ReturnType<MigrationActivities['reconcileMigrationRun']>>;
    if (starting && patched('migration-start-beside-reconcile')) {
      // Started while the run is reconciled (decision 072): no figure counts what the started processes write; runs before went one after the other.
      // Both end before the run does: a failure of one is recorded only once the other has ended (it could otherwise record the run done after).
      const [reconciledRun, started] = await Promise.allSettled([long.reconcileMigrationRun({ runId }), long.startMigratedProcesses({ runId })]);
      if (reconciledRun.status === 'rejected') throw reconciledRun.reason;
      if (started.status === 'rejected') throw started.reason;
      result = reconciledRun.value;
    } else {
      result = await long.reconcileMigrationRun({ runId });
      if (starting) {
        setPhase('starting');
        await long.startMigratedProcesses({ runId });
      }
    }
    setPhase('finished');
    return { status: result.status, total: prepared.total, rejected: result.rejected, differences: result.differences };
  } catch (error) {
    if (error instanceof ActivityFailure || error instanceof ApplicationFailure) {
      await CancellationScope.nonCancellable(() => acts.failMigrationRun({ runId, ...runFailure(error) }));
      setPhase('failed');
    }
    throw error;
  } finally {
    if (input.mode === 'test') await CancellationScope.nonCancellable(() => acts.dropMigrationTestSchema({ runId }));
  }
}
