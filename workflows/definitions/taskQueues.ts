/**
 * Task queues. Big runs have their own queue so a deployment can give them their own workers (and
 * slots) without touching the processes; a process names its queue kind in its definitions module.
 *
 * - `register`: member processes (intake, resignations, deaths, sweeps, population sync, reviews,
 *   reconcile). Before consolidation this queue was named `intake`: a worker without a prefix also
 *   polls `intake`, so processes started under that name finish.
 * - `billing`: billing runs (preview, commit and delivery chunks).
 * - `payments`: payment files, bank-file fetches and unmatched-payment tasks.
 * - later: `collection`, `tax-report`, `migration`.
 *
 * A child workflow and an activity run on their parent's queue unless told otherwise.
 */
export const queueKinds = ['register', 'billing', 'payments'] as const;
export type QueueKind = (typeof queueKinds)[number];
export type TaskQueueNames = Readonly<Record<QueueKind, string>>;

/** The name the register's processes were started on before each kind had its own queue. */
export const legacyTaskQueue = 'intake';

/** The queue names of one deployment; tests give each file a prefix so files do not share workers. */
export function taskQueueNames(prefix = ''): TaskQueueNames {
  return { register: `${prefix}register`, billing: `${prefix}billing`, payments: `${prefix}payments` };
}
