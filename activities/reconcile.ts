import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, eq, gt, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { recordAudit } from '../db/repositories/audit';
import type { BillingRunRow } from '../db/repositories/billing';
import { applications, auditLog, bankFiles, billingRuns, resignations, tasks } from '../db/schema';
import { ensureIntakeStarted } from '../services/applications';
import { ensureBillingRunStarted } from '../services/billing';
import type { ServiceContext } from '../services/context';
import { ensureResignationStarted } from '../services/membershipEvents';
import { activityServiceContext, type ServiceCallDeps } from './serviceContext';
import { ensurePaymentFileStarted } from '../services/payments';

/** The services' own needs: reconcile describes and starts processes through them. */
export type ReconcileDeps = ServiceCallDeps;

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

export interface StrandedCount {
  /** Rows that looked stranded by their status and age, whose process was looked up. */
  checked: number;
  /** Of those, rows whose process did not exist and was started. */
  started: number;
  /** Ids of the rows started (at most MAX_IDS), for the run's audit row. */
  ids: string[];
}

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
  tasks: OrphanCount;
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

/** `column` is older than `ms` milliseconds, by the database's clock (the one that wrote it). */
const olderThan = (column: PgColumn, ms: number): SQL => sql`${column} < now() - (${ms}::bigint * interval '1 millisecond')`;
const newerThan = (column: PgColumn, ms: number): SQL => sql`${column} > now() - (${ms}::bigint * interval '1 millisecond')`;

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
  const { db } = deps;

  function temporalOf(): Client {
    if (!deps.temporal) throw ApplicationFailure.nonRetryable('no Temporal client wired for reconciling processes');
    return deps.temporal;
  }

  /** What the services need to start a process, on the task queue this worker serves. */
  const serviceContext = () => activityServiceContext(deps, 'reconciling processes');

  /** Starts, through the service's own start function, each row of a page whose process does not exist. */
  async function startMissing<Row extends { id: string; workflowId: string }>(rows: Row[], start: (ctx: ServiceContext, row: Row) => Promise<void>): Promise<string[]> {
    const ctx = serviceContext();
    const started: string[] = [];
    await inBatches(rows, DESCRIBES_AT_ONCE, async (row) => {
      if ((await processState(ctx.temporal, row.workflowId)).kind !== 'missing') return;
      // A client's retry may start it at the same moment: the start is idempotent (same id,
      // REJECT_DUPLICATE, an existing one is used), so both end with the one process.
      await start(ctx, row);
      started.push(row.id);
    });
    return started.sort();
  }

  const after = (column: PgColumn, id: string | null) => (id === null ? undefined : gt(column, id));
  const toCount = (r: { checked: number; changed: number; ids: string[] }): StrandedCount => ({ checked: r.checked, started: r.changed, ids: r.ids });

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
      const result = await inPages(
        o.pageSize,
        (afterId, limit) =>
          db
            .select({ id: applications.id, workflowId: applications.workflowId })
            .from(applications)
            .where(and(eq(applications.status, 'received'), olderThan(applications.createdAt, o.olderThanMs), newerThan(applications.createdAt, o.lookbackMs), after(applications.id, afterId)))
            .orderBy(asc(applications.id))
            .limit(limit),
        (rows) => startMissing(rows, (ctx, row) => ensureIntakeStarted(ctx, row.id)),
      );
      return toCount(result);
    },

    /** Payment files not yet processed whose booking process was never started. */
    async startStrandedPaymentFiles(o: ReconcileOptions): Promise<StrandedCount> {
      const result = await inPages(
        o.pageSize,
        (afterId, limit) =>
          db
            .select({ id: bankFiles.id, sha256: bankFiles.sha256, workflowId: bankFiles.workflowId })
            .from(bankFiles)
            .where(and(ne(bankFiles.status, 'processed'), olderThan(bankFiles.createdAt, o.olderThanMs), newerThan(bankFiles.createdAt, o.lookbackMs), after(bankFiles.id, afterId)))
            .orderBy(asc(bankFiles.id))
            .limit(limit),
        (rows) => startMissing(rows, (ctx, row) => ensurePaymentFileStarted(ctx, row.id, row.sha256)),
      );
      return toCount(result);
    },

    /** Billing runs previewing or committing whose process was never started. */
    async startStrandedBillingRuns(o: ReconcileOptions): Promise<StrandedCount> {
      const result = await inPages(
        o.pageSize,
        (afterId, limit): Promise<BillingRunRow[]> =>
          db
            .select()
            .from(billingRuns)
            .where(and(inArray(billingRuns.status, ['previewing', 'committing']), olderThan(billingRuns.createdAt, o.olderThanMs), newerThan(billingRuns.createdAt, o.lookbackMs), after(billingRuns.id, afterId)))
            .orderBy(asc(billingRuns.id))
            .limit(limit),
        (rows) => startMissing(rows, ensureBillingRunStarted),
      );
      return toCount(result);
    },

    /** Resignations and fund switches still pending whose process was never started. */
    async startStrandedResignations(o: ReconcileOptions): Promise<StrandedCount> {
      const result = await inPages(
        o.pageSize,
        (afterId, limit) =>
          db
            .select({ id: resignations.id, workflowId: resignations.workflowId })
            .from(resignations)
            .where(and(eq(resignations.status, 'pending'), olderThan(resignations.createdAt, o.olderThanMs), newerThan(resignations.createdAt, o.lookbackMs), after(resignations.id, afterId)))
            .orderBy(asc(resignations.id))
            .limit(limit),
        (rows) => startMissing(rows, ensureResignationStarted),
      );
      return toCount(result);
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
        (afterId, limit) =>
          db
            .select({ id: tasks.id, workflowId: tasks.workflowId })
            .from(tasks)
            .where(and(eq(tasks.status, 'open'), after(tasks.id, afterId)))
            .orderBy(asc(tasks.id))
            .limit(limit),
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
              const changed = await tx
                .update(tasks)
                .set({ status: 'closed', outcome: 'orphaned', closedAt: sql`now()` })
                .where(and(eq(tasks.id, row.id), eq(tasks.status, 'open')))
                .returning({ id: tasks.id });
              if (changed.length === 0) return;
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
        const [existing] = await tx
          .select({ id: auditLog.id })
          .from(auditLog)
          .where(and(eq(auditLog.entityType, 'reconcile-run'), eq(auditLog.entityId, runId)));
        if (existing) return;
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'reconcile.repaired', entityType: 'reconcile-run', entityId: runId, details: { workflowId, ...counts } });
      });
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
