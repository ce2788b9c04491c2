/**
 * The register's Temporal Schedules at the desk (issue 15, "Schedules"): listed with their next and
 * last runs and the last run's outcome; paused with a reason, resumed and triggered now through the
 * Temporal Schedules API, and backfilled where each scheduled time is its own period (decision
 * 030). Administrators only; every change is audited.
 */
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import { optionalDateToTs, tsToDate } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { recordAudit } from '../db/repositories/audit';
import { todayInHelsinki } from '../domain/dates';
import { backfillRangeProblem, backfillWindow, type BackfillOverlap } from '../domain/scheduleBackfill';
import { registerScheduleIds, scheduleBackfill, scheduledTimeOf, scheduleMonths, scheduleTimeField, type RegisterScheduleId, type ScheduledTime } from '../workflows/definitions/schedules';
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
  /** Whether the schedule's missed times may be run afterwards, how many days at most, or why not. */
  backfill: { allowed: boolean; maxDays: number | null; why: string | null };
  /**
   * When it runs: a calendar schedule at the time the fund's `scheduleTimes` setting gives it
   * (decision 040), and whether Temporal runs it at that time yet (the worker applies a change
   * within a minute); an interval schedule every so many minutes, as the installation set it.
   */
  timing: { source: 'setting'; field: string; time: ScheduledTime; applied: boolean } | { source: 'installation'; everyMinutes: number | null };
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

function backfillOf(id: string): ScheduleView['backfill'] {
  const b = scheduleBackfill[id as RegisterScheduleId];
  return b.allowed ? { allowed: true, maxDays: b.maxDays, why: null } : { allowed: false, maxDays: null, why: b.why };
}

/** Whether a range list names exactly one value. */
const only = <T>(ranges: readonly { start: T; end: T }[] | undefined, value: T) => ranges?.length === 1 && ranges[0]!.start === value && ranges[0]!.end === value;

/** Whether the schedule's one calendar in Temporal is the setting's time (every day/month where the time names none). */
function runsAt(d: ScheduleDescription, t: ScheduledTime): boolean {
  const c = d.spec.calendars;
  if (c?.length !== 1 || d.spec.timezone !== 'Europe/Helsinki') return false;
  const cal = c[0]!;
  return (
    only(cal.hour, t.hour) &&
    only(cal.minute, t.minute) &&
    (t.day === undefined ? cal.dayOfMonth.every((r) => r.start === 1 && r.end === 31) : only(cal.dayOfMonth, t.day)) &&
    (t.month === undefined ? cal.month.every((r) => r.start === 'JANUARY' && r.end === 'DECEMBER') : only(cal.month, scheduleMonths[t.month - 1]))
  );
}

function timingOf(ctx: ServiceContext, id: string, d: ScheduleDescription): ScheduleView['timing'] {
  const time = scheduledTimeOf(ctx.profile.scheduleTimes, id as RegisterScheduleId);
  if (time) return { source: 'setting', field: scheduleTimeField[id as RegisterScheduleId]!, time, applied: runsAt(d, time) };
  const every = d.spec.intervals?.[0]?.every;
  return { source: 'installation', everyMinutes: every === undefined ? null : Math.round(every / 60_000) };
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
    backfill: backfillOf(id),
    timing: timingOf(ctx, id, d),
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

async function change(ctx: ServiceContext, p: Principal, id: string, action: 'schedule.paused' | 'schedule.resumed' | 'schedule.triggered' | 'schedule.backfilled', details: { reason: string } & Record<string, unknown>, work: () => Promise<void>): Promise<ScheduleView> {
  requireAdmin(p);
  requireKnown(id);
  if (!(await describe(ctx, id))) throw failure(404, 'schedule_not_found', `No register schedule ${id}.`, { params: { id } });
  await work();
  // Audited after Temporal took the change: a refused change leaves no row claiming it happened.
  await recordAudit(ctx.db, { ...actorOf(p), action, entityType: 'schedule', entityId: id, details });
  const d = await describe(ctx, id);
  return viewOf(ctx, id, d!);
}

const noteOf = (p: Principal, reason: string) => `${actorOf(p).actor}: ${reason}`;

export function pauseSchedule(ctx: ServiceContext, p: Principal, id: string, reason: string) {
  return change(ctx, p, id, 'schedule.paused', { reason }, () => ctx.temporal.schedule.getHandle(id).pause(noteOf(p, reason)));
}

export function resumeSchedule(ctx: ServiceContext, p: Principal, id: string, reason: string) {
  return change(ctx, p, id, 'schedule.resumed', { reason }, () => ctx.temporal.schedule.getHandle(id).unpause(noteOf(p, reason)));
}

/** Runs the schedule's action now, under its own overlap policy (a run still going is not doubled when the policy skips). */
export function triggerSchedule(ctx: ServiceContext, p: Principal, id: string, reason: string) {
  return change(ctx, p, id, 'schedule.triggered', { reason }, () => ctx.temporal.schedule.getHandle(id).trigger());
}

const overlapPolicies: Record<BackfillOverlap, ScheduleOverlapPolicy> = {
  'buffer-all': ScheduleOverlapPolicy.BUFFER_ALL,
  'allow-all': ScheduleOverlapPolicy.ALLOW_ALL,
  skip: ScheduleOverlapPolicy.SKIP,
};

export interface BackfillRequest {
  /** Helsinki days, both included; `to` not after today. */
  from: string;
  to: string;
  overlap: BackfillOverlap;
  reason: string;
}

/** The schedule's times Temporal finds in the window (Temporal's own evaluation of the spec). */
async function matchingTimes(ctx: ServiceContext, id: string, start: Date, end: Date): Promise<string[]> {
  const res: temporal.api.workflowservice.v1.IListScheduleMatchingTimesResponse = await ctx.temporal.workflowService.listScheduleMatchingTimes({
    namespace: ctx.temporal.options.namespace,
    scheduleId: id,
    startTime: optionalDateToTs(start),
    endTime: optionalDateToTs(end),
  });
  const inWindow = (t: Date) => t.getTime() > start.getTime() && t.getTime() <= end.getTime();
  return (res.startTime ?? []).map((t) => tsToDate(t)).filter(inWindow).map((t) => t.toISOString());
}

/**
 * Runs the schedule's times between two days now, as if they had not been missed (Temporal's
 * ScheduleHandle.backfill), only for schedules whose every time is its own period with a
 * deterministic process id (`scheduleBackfill`): a time whose period already ran runs nothing
 * again. Answers with the times Temporal will run; audited with the range, policy and reason.
 */
export async function backfillSchedule(ctx: ServiceContext, p: Principal, id: string, req: BackfillRequest): Promise<ScheduleView & { backfilledTimes: string[] }> {
  requireAdmin(p);
  requireKnown(id);
  const rule = scheduleBackfill[id as RegisterScheduleId];
  if (!rule.allowed) throw failure(409, 'schedule_backfill_not_allowed', `Schedule ${id} is not backfilled: ${rule.why}.`, { params: { id, why: rule.why } });
  const problem = backfillRangeProblem(req.from, req.to, todayInHelsinki(), rule.maxDays);
  if (problem) throw failure(422, problem.code, `The backfill range ${req.from}..${req.to} is refused (${problem.code}).`, { params: problem.params });
  const { start, end } = backfillWindow(req.from, req.to, new Date());
  let times: string[] = [];
  const details: { reason: string } & Record<string, unknown> = { reason: req.reason, from: req.from, to: req.to, overlap: req.overlap };
  const view = await change(ctx, p, id, 'schedule.backfilled', details, async () => {
    times = await matchingTimes(ctx, id, start, end);
    details.times = times.length;
    if (times.length === 0) throw failure(422, 'schedule_backfill_no_times', `Schedule ${id} has no time between ${req.from} and ${req.to}.`, { params: { from: req.from, to: req.to } });
    await ctx.temporal.schedule.getHandle(id).backfill({ start, end, overlap: overlapPolicies[req.overlap] });
  });
  return { ...view, backfilledTimes: times };
}
