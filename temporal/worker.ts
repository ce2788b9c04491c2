import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleOption, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { activityFaults } from './activityFaults';
import { ConfigError, temporalConnectOptions, type TemporalConnectionSettings } from './config';
import { payloadDataConverter, type PayloadKey } from './payloadCodec';
import { workerTracing, workflowTracingInterceptorsPath, type Tracing } from './tracing';
import { legacyTaskQueue, type TaskQueueNames } from '../workflows/definitions/taskQueues';

const require = createRequire(import.meta.url);
export const workflowsPath = require.resolve('../workflows/index.ts');
/** The failure converter that seals failures' messages and stacks (temporal/failureConverter.cjs). */
export const sealedFailureConverterPath = require.resolve('./failureConverter.cjs');
const { sealedFailuresMarker } = require('./failureConverter.cjs') as { sealedFailuresMarker: string };

/**
 * A prebuilt bundle's workflows use the converter they were bundled with, whatever the worker is
 * given: with payload keys a bundle without the sealing converter would store workflows' failure
 * texts in clear, so it is refused, naming the setting.
 */
async function requireSealedBundle(bundle: WorkflowBundleOption): Promise<void> {
  const code = 'code' in bundle ? bundle.code : await readFile(bundle.codePath, 'utf8');
  if (!code.includes(sealedFailuresMarker)) {
    throw new ConfigError('WORKFLOW_BUNDLE', 'WORKFLOW_BUNDLE was not built with bundleWorkflows({ sealFailures: true }): with TEMPORAL_PAYLOAD_KEYS set, its workflows would store failure messages in clear.');
  }
}

/**
 * Bundles workflow code once; tests and the start script reuse the bundle for every worker. With
 * tracing the bundle also holds the OpenTelemetry workflow interceptors (never without: off is off).
 * With `sealFailures` (payload keys configured) workflows' failures keep their message and stack in
 * encoded attributes, which the payload codec encrypts.
 */
export function bundleWorkflows(opts: { tracing?: boolean; sealFailures?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath,
    preloadModules: preloadedWorkflowModules,
    ...(opts.tracing ? { workflowInterceptorModules: [workflowTracingInterceptorsPath] } : {}),
    ...(opts.sealFailures ? { failureConverterPath: sealedFailureConverterPath } : {}),
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
}

/**
 * Modules evaluated once per workflow thread instead of once per workflow (SDK `preloadModules`,
 * decision 037): every workflow module and the pure domain modules they import. They are shared by
 * every workflow of the thread and deep-frozen, so they must hold no state of their own at module
 * level (no top-level `let`, no caches): eslint refuses it (tests/unit/lint/sharedModules.test.ts).
 * Paths are relative to the bundle's entry point, which sits beside workflows/index.ts.
 */
export const preloadedWorkflowModules = ['./index'];

export interface WorkerOptions {
  address: string;
  namespace: string;
  /** The deployment's queues (`activityDeps.taskQueues`); each gets a worker in this process. */
  taskQueues: TaskQueueNames;
  /** Also poll the pre-consolidation `intake` queue so processes started there finish (not in tests). */
  pollLegacyQueue?: boolean;
  deps: ActivityDeps;
  workflowBundle?: WorkflowBundleOption;
  /** TLS and API key for a Temporal cluster or Temporal Cloud; none for the dev server. */
  temporalConnection?: TemporalConnectionSettings;
  /**
   * On shutdown, how long running activities may go on finishing; after it they are cancelled and
   * their tasks go back to Temporal, which gives them to another worker (default 30 s).
   */
  shutdownGraceMs?: number;
  /** The same keys as the clients': workflows and activities read and write encrypted payloads. */
  payloadKeys?: readonly PayloadKey[];
  /**
   * OpenTelemetry (temporal/tracing.ts): activity spans and the sink for workflow spans; a given
   * `workflowBundle` must then have been bundled with `bundleWorkflows({ tracing: true })`.
   */
  tracing?: Tracing | null;
}

/** One Temporal worker per task queue, run and stopped together. */
export interface WorkerGroup {
  readonly workers: readonly Worker[];
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * Workers for every process of the register, one per task queue, sharing one connection, one
 * workflow bundle and one set of activities; scale by running more of these processes.
 */
export async function createWorker(opts: WorkerOptions): Promise<{ worker: WorkerGroup; connection: NativeConnection }> {
  const sealFailures = Boolean(opts.payloadKeys?.length);
  if (sealFailures && opts.workflowBundle) await requireSealedBundle(opts.workflowBundle);
  const connection = await NativeConnection.connect({ address: opts.address, ...temporalConnectOptions(opts.temporalConnection) });
  const workflowBundle = opts.workflowBundle ?? { code: (await bundleWorkflows({ tracing: Boolean(opts.tracing), sealFailures })).code };
  const tracing = workerTracing(opts.tracing);
  const activities = createActivities(opts.deps);
  const codec = payloadDataConverter(opts.payloadKeys);
  // Activities' failures sealed in this process; workflows' by the bundle (built with sealFailures).
  const dataConverter = codec ? { ...codec, failureConverterPath: sealedFailureConverterPath } : undefined;
  const queues = [...new Set([...Object.values(opts.taskQueues), ...(opts.pollLegacyQueue ? [legacyTaskQueue] : [])])];
  const workers = await Promise.all(
    queues.map((taskQueue) =>
      Worker.create({
        connection,
        namespace: opts.namespace,
        taskQueue,
        activities,
        workflowBundle,
        maxConcurrentActivityTaskExecutions: 100,
        maxConcurrentLocalActivityExecutions: 100,
        maxConcurrentWorkflowTaskExecutions: 100,
        // Failures retrying cannot mend are not retried; long-retrying ones raise an alert.
        interceptors: { activity: [...tracing.activity, activityFaults] },
        ...(opts.tracing ? { sinks: tracing.sinks } : {}),
        shutdownGraceTime: opts.shutdownGraceMs ?? 30_000,
        ...(dataConverter ? { dataConverter } : {}),
      }),
    ),
  );
  const group: WorkerGroup = {
    workers,
    async run() {
      const results = await Promise.allSettled(workers.map((w) => w.run()));
      // One worker failing stops the others, so the process does not go on half-served.
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    },
  };
  return { worker: group, connection };
}
