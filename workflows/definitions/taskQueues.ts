/**
 * Task queues. Every worker process polls all of them today; big runs have their own queue so a
 * deployment can give them their own workers (and slots) without touching the processes.
 *
 * - `register`: member processes (intake, resignations, deaths, sweeps, population sync, reviews,
 *   reconcile). Before consolidation this queue was named `intake`; workers keep polling
 *   `legacyIntake` so processes started under that name finish.
 * - `billing`: billing runs (preview, commit and delivery chunks).
 * - `payments`: payment files, bank-file fetches and unmatched-payment tasks.
 * - later: `collection`, `tax-report`, `migration`.
 */
export const taskQueues = {
  register: 'register',
  billing: 'billing',
  payments: 'payments',
  legacyIntake: 'intake',
} as const;

export type TaskQueue = (typeof taskQueues)[keyof typeof taskQueues];
