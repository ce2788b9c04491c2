// For tests that SIGKILL a worker in the middle of a step: the worker in a process of its own
// (tests/support/workerProcess.ts), and a lock held in a transaction of the test's own, on which
// the step waits until the test has killed its worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sql, type SQL } from 'drizzle-orm';
import { inject } from 'vitest';
import type { Database } from '../../db/client';
import { createWorker } from '../../temporal/worker';
import { testPayloadKeys } from './payloadKeys';
import type { Stack } from './stack';

/**
 * Starts a worker process on the task queues of `taskQueuePrefix` (queues of the test's own, so only
 * it takes the test's steps) against the run's PostgreSQL and Temporal; resolves once it polls.
 */
export async function startWorkerProcess(taskQueuePrefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/workerProcess.ts'], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: inject('temporalNamespace'), TASK_QUEUE_PREFIX: taskQueuePrefix, WORKFLOW_BUNDLE: inject('workflowBundlePath') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => Promise.reject(new Error(`the worker process ended (${code ?? signal}) before it polled`)));
  exited.catch(() => undefined);
  await Promise.race([once(child, 'message'), exited]);
  return child;
}

/**
 * A worker in the test's own process with the stack's activities on `taskQueues` (the stack's, or
 * a killed worker's): the one that takes over. `stop()` shuts it down and closes its connection.
 */
export async function startWorkerHere(stack: Stack, taskQueues: Stack['ctx']['taskQueues'] = stack.ctx.taskQueues): Promise<{ stop: () => Promise<void> }> {
  const { worker, connection } = await createWorker({ address: inject('temporalAddress'), namespace: inject('temporalNamespace'), taskQueues, deps: stack.activityDeps, workflowBundle: { codePath: inject('workflowBundlePath') }, payloadKeys: testPayloadKeys });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** SIGKILL: no drain, no goodbye; resolves once the process is gone. */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/**
 * Runs `lock` (a statement that takes a lock) in a transaction held open until `release()`;
 * resolves once the lock is held, with the transaction's backend (for `pg_blocking_pids`).
 */
export async function holdLock(db: Database, lock: SQL): Promise<{ pid: number; release: () => Promise<void> }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let held: (pid: number) => void = () => {};
  const locked = new Promise<number>((resolve) => (held = resolve));
  const holding = db.transaction(async (tx) => {
    await tx.execute(lock);
    const [me] = await tx.execute<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
    held(me!.pid);
    await released;
  });
  const pid = await Promise.race([locked, holding.then(() => Promise.reject(new Error('the lock was not held')))]);
  return {
    pid,
    release: async () => {
      release();
      await holding;
    },
  };
}
