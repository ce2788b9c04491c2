import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import { hasAuditFor, recordAudit } from '../db/repositories/audit';
import type { BillingRunRow } from '../db/repositories/billing';
import type { TaxRunRow } from '../db/repositories/taxReport';
import * as reconcileRepo from '../db/repositories/reconcile';
import * as tasksRepo from '../db/repositories/tasks';
import { isIntakeDeciderId } from '../workflows/definitions/intakeDecider';
import type { OrphanCount, ReconcileCounts, StrandedCount } from '../workflows/definitions/reconcile';

/**
 * Starts a process from its stored row the way the API does (same id, same arguments) unless it
 * runs or ran; safe to call any number of times. Wired in temporal/services.ts from the services.
 */
export interface ReconcileStarters {
  ensureIntakeStarted(applicationId: string): Promise<void>;
  /** The intake decider named by an application left to it (decision 063). */
  ensureIntakeDeciderStarted(workflowId: string): Promise<void>;
  ensurePaymentFileStarted(fileId: string, sha256: string): Promise<void>;
  ensureBillingRunStarted(row: BillingRunRow): Promise<void>;
  ensureResignationStarted(row: { id: string; workflowId: string; confirmationExpiresAt: Date | null }): Promise<void>;
  ensureAppealStarted(row: { id: string; workflowId: string }): Promise<void>;
  ensureTaxRunStarted(row: TaxRunRow): Promise<void>;
  /** A union remittance line that did not match, waiting on its task process (decision 069). */
  ensureUnionMismatchStarted(row: { id: string; workflowId: string }): Promise<void>;
}

export interface ReconcileDeps {
  db: Database;
  /** Describes processes and reads the namespace's retention. */
  temporal?: Client;
  starters: ReconcileStarters;
}

export interface ReconcileOptions {
  /**
   * A row younger than this may still be getting its process started by the request that stored
   * it, and a process that closed more recently than this may still be closing its own tasks.
   */
  olderThanMs: number;
  /**
   * Rows older than this are not judged: once a closed process has outlived the namespace's
   * retention it is deleted, and "not found" no longer means "never started".
   */
  lookbackMs: number;
  pageSize: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Lookups sent to Temporal at once. */
const DESCRIBES_AT_ONCE = 20;
const MAX_IDS = 100;
/** States in which a process has ended for good (a paused or unknown one may still finish its tasks). */
const CLOSED = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT']);

type ProcessState = { kind: 'missing' } | { kind: 'open'; status: string } | { kind: 'closed'; status: string; closedAt: Date | null };

async function processState(temporal: Client, workflowId: string): Promise<ProcessState> {
  try {
    const d = await temporal.workflow.getHandle(workflowId).describe();
    const status = d.status.name;
    return CLOSED.has(status) ? { kind: 'closed', status, closedAt: d.closeTime ?? null } : { kind: 'open', status };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { kind: 'missing' };
    throw error;
  }
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

interface Progress {
  after: string | null;
  checked: number;
  changed: number;
  ids: string[];
}

/**
 * Walks candidate rows in id order, a page at a time, heartbeating the last id done so a retried
 * attempt resumes after it; `handle` returns the ids it changed on the page.
 */
async function inPages<Row extends { id: string }>(
  pageSize: number,
  loadPage: (after: string | null, limit: number) => Promise<Row[]>,
  handle: (rows: Row[]) => Promise<string[]>,
): Promise<{ checked: number; changed: number; ids: string[] }> {
  const context = Context.current();
  const progress: Progress = (context.info.heartbeatDetails as Progress | undefined) ?? { after: null, checked: 0, changed: 0, ids: [] };
  for (;;) {
    const page = await loadPage(progress.after, pageSize);
    if (page.length === 0) break;
    const changed = await handle(page);
    progress.after = page.at(-1)!.id;
    progress.checked += page.length;
    progress.changed += changed.length;
    progress.ids = [...progress.ids, ...changed].slice(0, MAX_IDS);
    context.heartbeat(progress);
    if (page.length < pageSize) break;
  }
  return { checked: progress.checked, changed: progress.changed, ids: progress.ids };
}

/**
 * Repairs what the API's "store the row, then start its process" can leave behind when the process
 * dies in between and the client never retries, and the work queue's tasks whose process has
 * ended without closing them. Every repair is idempotent; see workflows/reconcile.ts.
 */
export function createReconcileActivities(deps: ReconcileDeps) {
  const { db, starters } = deps;

  function temporalOf(): Client {
    if (!deps.temporal) throw ApplicationFailure.nonRetryable('no Temporal client wired for reconciling processes');
    return deps.temporal;
  }

  /**
   * Starts, through the service's own start function, each row of a page whose process does not
   * exist, or has closed where `restartClosed` says the row's process must always run (a decider).
   */
  async function startMissing<Row extends { id: string; workflowId: string }>(rows: Row[], start: (row: Row) => Promise<void>, restartClosed: (row: Row) => boolean = () => false): Promise<string[]> {
    const temporal = temporalOf();
    const started: string[] = [];
    await inBatches(rows, DESCRIBES_AT_ONCE, async (row) => {
      const state = (await processState(temporal, row.workflowId)).kind;
      if (state === 'open' || (state === 'closed' && !restartClosed(row))) return;
      // A client's retry may start it at the same moment: the start is idempotent (same id,
      // REJECT_DUPLICATE, an existing one is used), so both end with the one process.
      await start(row);
      started.push(row.id);
    });
    return started.sort();
  }

  const toCount = (r: { checked: number; changed: number; ids: string[] }): StrandedCount => ({ checked: r.checked, started: r.changed, ids: r.ids });

  /** One sweep: the stranded rows a page at a time, each whose process is missing started (`startMissing`). */
  async function startStranded<Row extends { id: string; workflowId: string }>(
    o: ReconcileOptions,
    load: (page: reconcileRepo.StrandedPage) => Promise<Row[]>,
    start: (row: Row) => Promise<void>,
    restartClosed?: (row: Row) => boolean,
  ): Promise<StrandedCount> {
    return toCount(await inPages(o.pageSize, (afterId, limit) => load({ ...o, afterId, limit }), (rows) => startMissing(rows, start, restartClosed)));
  }

  return {
    /**
     * How far back a missing process means "never started": the input's, else the namespace's
     * retention of closed workflows, else a day.
     */
    async reconcileLookback({ lookbackMs }: { lookbackMs?: number }): Promise<{ lookbackMs: number; source: 'input' | 'namespace-retention' | 'default' }> {
      if (lookbackMs !== undefined) return { lookbackMs, source: 'input' };
      const temporal = temporalOf();
      try {
        const res = await temporal.workflowService.describeNamespace({ namespace: temporal.options.namespace });
        const ttl = res.config?.workflowExecutionRetentionTtl;
        const seconds = Number(String(ttl?.seconds ?? 0));
        if (seconds > 0) return { lookbackMs: seconds * 1000, source: 'namespace-retention' };
      } catch {
        // Not allowed to read the namespace: fall back to a day, shorter than any sensible retention.
      }
      return { lookbackMs: DAY_MS, source: 'default' };
    },

    /** Applications still 'received' (the status they are stored with) whose intake process was never started. */
    async startStrandedApplications(o: ReconcileOptions): Promise<StrandedCount> {
      // An application on the batched path waits for its decider, not for a process of its own
      // (decision 063); a decider runs forever, so one that closed (terminated, failed) is started again.
      return startStranded(
        o,
        (page) => reconcileRepo.strandedApplications(db, page),
        (row) => (isIntakeDeciderId(row.workflowId) ? starters.ensureIntakeDeciderStarted(row.workflowId) : starters.ensureIntakeStarted(row.id)),
        (row) => isIntakeDeciderId(row.workflowId),
      );
    },

    /** Payment files not yet processed whose booking process was never started. */
    async startStrandedPaymentFiles(o: ReconcileOptions): Promise<StrandedCount> {
      return startStranded(o, (page) => reconcileRepo.strandedPaymentFiles(db, page), (row) => starters.ensurePaymentFileStarted(row.id, row.sha256));
    },

    /** Billing runs previewing or committing whose process was never started. */
    async startStrandedBillingRuns(o: ReconcileOptions): Promise<StrandedCount> {
      return startStranded(o, (page) => reconcileRepo.strandedBillingRuns(db, page), (row) => starters.ensureBillingRunStarted(row));
    },

    /** Resignations and fund switches still pending whose process was never started. */
    async startStrandedResignations(o: ReconcileOptions): Promise<StrandedCount> {
      return startStranded(o, (page) => reconcileRepo.strandedResignations(db, page), (row) => starters.ensureResignationStarted(row));
    },

    /** Appeals not yet reconsidered whose `expulsion-appeal/<decisionId>` process was never started. */
    async startStrandedAppeals(o: ReconcileOptions): Promise<StrandedCount> {
      return startStranded(o, (page) => reconcileRepo.strandedAppeals(db, page), (row) => starters.ensureAppealStarted(row));
    },

    /** Tax-report runs previewing or awaiting approval whose `tax-report/<year>` process does not exist. */
    async startStrandedTaxRuns(o: ReconcileOptions): Promise<StrandedCount> {
      return startStranded(o, (page) => reconcileRepo.strandedTaxRuns(db, page), (row) => starters.ensureTaxRunStarted(row));
    },

    /** Union remittance mismatches still open whose `union-remittance-mismatch/<id>` process was never started. */
    async startStrandedUnionMismatches(o: ReconcileOptions): Promise<StrandedCount> {
      return startStranded(o, (page) => reconcileRepo.strandedUnionMismatches(db, page), (row) => starters.ensureUnionMismatchStarted(row));
    },

    /**
     * Closes open tasks whose process has ended (terminated by hand, failed, timed out) or no
     * longer exists: nobody can finish them, so they leave the work queue as 'orphaned', each with
     * an audit row. A task closed meanwhile by its process or a person is left as it is.
     */
    async closeOrphanedTasks(o: Pick<ReconcileOptions, 'olderThanMs' | 'pageSize'>): Promise<OrphanCount> {
      const temporal = temporalOf();
      const result = await inPages(
        o.pageSize,
        (afterId, limit) => tasksRepo.openTasksPage(db, afterId, limit),
        async (rows) => {
          const states = new Map<string, ProcessState>();
          await inBatches([...new Set(rows.map((r) => r.workflowId))], DESCRIBES_AT_ONCE, async (id) => {
            states.set(id, await processState(temporal, id));
          });
          const closed: string[] = [];
          const graceStart = Date.now() - o.olderThanMs;
          for (const row of rows) {
            const state = states.get(row.workflowId)!;
            if (state.kind === 'open') continue;
            if (state.kind === 'closed' && state.closedAt && state.closedAt.getTime() > graceStart) continue;
            const workflowStatus = state.kind === 'missing' ? 'NOT_FOUND' : state.status;
            await db.transaction(async (tx) => {
              if (!(await tasksRepo.closeOrphanedTask(tx, row.id))) return;
              await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'task.orphaned', entityType: 'task', entityId: row.id, details: { workflowId: row.workflowId, workflowStatus } });
              closed.push(row.id);
            });
          }
          return closed;
        },
      );
      return { checked: result.checked, closed: result.changed, ids: result.ids };
    },

    /** One audit row for a run that changed something; a retried call finds the one it wrote. */
    async recordReconcileRun({ runId, workflowId, counts }: { runId: string; workflowId: string; counts: ReconcileCounts }): Promise<void> {
      await db.transaction(async (tx) => {
        if (await hasAuditFor(tx, 'reconcile-run', runId)) return;
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'reconcile.repaired', entityType: 'reconcile-run', entityId: runId, details: { workflowId, ...counts } });
      });
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
