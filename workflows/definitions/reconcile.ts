import type { QueueKind } from './taskQueues';

/** The `reconcile` schedule's process (every 10 minutes). */
export const reconcileScheduleId = 'reconcile';
export const reconcileWorkflowId = 'reconcile';
export const reconcileQueue: QueueKind = 'register';

export interface ReconcileInput {
  /** Rows younger than this, and processes closed more recently, are left for the next run (default 5 minutes). */
  olderThanMs?: number;
  /** How far back stored rows are judged (default: the namespace's retention of closed workflows). */
  lookbackMs?: number;
  /** Rows read and looked up per page (default 200). */
  pageSize?: number;
}

export interface StrandedCount {
  /** Rows that looked stranded by their status and age, whose process was looked up. */
  checked: number;
  /** Of those, rows whose process did not exist and was started. */
  started: number;
  /** Ids of the rows started (at most 100), for the run's audit row. */
  ids: string[];
}

/** What a run reports for a kind of row it did not judge. */
export const noneStranded: StrandedCount = { checked: 0, started: 0, ids: [] };

/** The patch marker of the appeals and tax-report runs reconcile judges since decision 033. */
export const reconcileAppealsAndTaxRunsPatch = 'reconcile-appeals-and-tax-runs';

/** The patch marker of the union remittance mismatches reconcile judges since decision 069. */
export const reconcileUnionMismatchesPatch = 'reconcile-union-mismatches';

export interface OrphanCount {
  checked: number;
  closed: number;
  ids: string[];
}

export interface ReconcileCounts {
  applications: StrandedCount;
  paymentFiles: StrandedCount;
  billingRuns: StrandedCount;
  resignations: StrandedCount;
  /** Appeals and tax-report runs: counted from decision 033 on (zero in a run replayed from before it). */
  appeals: StrandedCount;
  taxRuns: StrandedCount;
  /** Union remittance mismatches: counted from decision 069 on (zero in a run replayed from before it). */
  unionMismatches: StrandedCount;
  tasks: OrphanCount;
}

export interface ReconcileResult extends ReconcileCounts {
  lookbackMs: number;
  /** Processes started plus tasks closed; the run writes its audit row only when this is above 0. */
  changed: number;
}
