/**
 * The register's Temporal Schedules at the desk (issue 15, "Schedules"): listed with their next and
 * last runs and the last run's outcome; paused with a reason, resumed and triggered now through the
 * Temporal Schedules API. Administrators only; every change is audited.
 */
import { ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import { registerScheduleIds } from '../workflows/definitions/schedules';
import type { ServiceContext } from './context';
import { failure } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

export interface ScheduleView {
  id: string;
  paused: boolean;
  /** The note of the last pause or resume (the reason given), as Temporal keeps it. */
  note: string | null;
  nextRuns: string[];
  lastRun: { scheduledAt: string; startedAt: string; workflowId: string; outcome: string } | null;
  actionsTaken: number;
}

function requireAdmin(p: Principal) {
  if (!hasRole(p, 'admin')) throw failure(403, 'schedules_admin_only', 'Schedules are for administrators.');
}

function requireKnown(id: string) {
  if (!(registerScheduleIds as readonly string[]).includes(id)) throw failure(404, 'schedule_not_found', `No register schedule ${id}.`, { params: { id } });
}

async function describe(ctx: ServiceContext, id: string): Promise<ScheduleDescription | null> {
  try {
    return await ctx.temporal.schedule.getHandle(id).describe();
  } catch (e) {
    if (e instanceof ScheduleNotFoundError) return null;
    throw e;
  }
}

/** The last run's state: running, completed, failed, … (Temporal's workflow status, lower case). */
async function outcomeOf(ctx: ServiceContext, workflowId: string, runId: string): Promise<string> {
  try {
    const d = await ctx.temporal.workflow.getHandle(workflowId, runId).describe();
    return d.status.name.toLowerCase().replace(/_/g, '-');
  } catch {
    return 'unknown';
  }
}

async function viewOf(ctx: ServiceContext, id: string, d: ScheduleDescription): Promise<ScheduleView> {
  const last = d.info.recentActions.at(-1);
  const action = last?.action;
  return {
    id,
    paused: d.state.paused,
    note: d.state.note ?? null,
    nextRuns: d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString()),
    lastRun:
      last && action?.type === 'startWorkflow'
        ? { scheduledAt: last.scheduledAt.toISOString(), startedAt: last.takenAt.toISOString(), workflowId: action.workflow.workflowId, outcome: await outcomeOf(ctx, action.workflow.workflowId, action.workflow.firstExecutionRunId) }
        : null,
    actionsTaken: d.info.numActionsTaken,
  };
}

/** The register's schedules that exist in the namespace, in the register's order. */
export async function listSchedules(ctx: ServiceContext, p: Principal): Promise<{ items: ScheduleView[] }> {
  requireAdmin(p);
  const items: ScheduleView[] = [];
  for (const id of registerScheduleIds) {
    const d = await describe(ctx, id);
    if (d) items.push(await viewOf(ctx, id, d));
  }
  return { items };
}

async function change(ctx: ServiceContext, p: Principal, id: string, action: 'schedule.paused' | 'schedule.resumed' | 'schedule.triggered', reason: string, work: () => Promise<void>): Promise<ScheduleView> {
  requireAdmin(p);
  requireKnown(id);
  if (!(await describe(ctx, id))) throw failure(404, 'schedule_not_found', `No register schedule ${id}.`, { params: { id } });
  await work();
  // Audited after Temporal took the change: a refused change leaves no row claiming it happened.
  await recordAudit(ctx.db, { ...actorOf(p), action, entityType: 'schedule', entityId: id, details: { reason } });
  const d = await describe(ctx, id);
  return viewOf(ctx, id, d!);
}

const noteOf = (p: Principal, reason: string) => `${actorOf(p).actor}: ${reason}`;

export function pauseSchedule(ctx: ServiceContext, p: Principal, id: string, reason: string) {
  return change(ctx, p, id, 'schedule.paused', reason, () => ctx.temporal.schedule.getHandle(id).pause(noteOf(p, reason)));
}

export function resumeSchedule(ctx: ServiceContext, p: Principal, id: string, reason: string) {
  return change(ctx, p, id, 'schedule.resumed', reason, () => ctx.temporal.schedule.getHandle(id).unpause(noteOf(p, reason)));
}

/** Runs the schedule's action now, under its own overlap policy (a run still going is not doubled when the policy skips). */
export function triggerSchedule(ctx: ServiceContext, p: Principal, id: string, reason: string) {
  return change(ctx, p, id, 'schedule.triggered', reason, () => ctx.temporal.schedule.getHandle(id).trigger());
}
