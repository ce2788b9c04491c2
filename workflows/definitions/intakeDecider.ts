import type { QueueKind } from './taskQueues';

/**
 * The fund's intake decider (decision 063): one process per fund deciding the applications it
 * receives on the batched path. `queue` is the register queue's name; a deployment's own
 * (`register`) gives `intake-decider/<fund>`, a test's prefixed queue an id of its own.
 */
export function intakeDeciderWorkflowId(fund: string, queue: string): string {
  return queue === 'register' ? `intake-decider/${fund}` : `intake-decider/${fund}/${queue}`;
}

/** Whether a stored application's process id names an intake decider (not `application/<id>`). */
export const isIntakeDeciderId = (workflowId: string) => workflowId.startsWith('intake-decider/');

export const intakeDeciderQueue: QueueKind = 'register';

export interface IntakeDeciderInput {
  /** Applications claimed per transaction. */
  batchSize: number;
  /** The wait before looking again when nothing was received (milliseconds). */
  pollEveryMs: number;
  /** How long one activity run decides before it returns to the workflow (milliseconds). */
  budgetMs: number;
  /** Activity runs before the process continues as new (keeps its history short). */
  roundsPerRun?: number;
}

/** What one run of the decider's activity did. */
export interface IntakeDeciderRound {
  /** Applications claimed in all its batches. */
  claimed: number;
  approved: number;
  /** Applications handed to their own process (`application/<id>`): not clean. */
  handedOver: number;
  /** Decision messages sent (or found sent) after their batch's commit, earlier runs' included. */
  delivered: number;
}
