import { recordAudit } from '../db/repositories/audit';
import * as tasksRepo from '../db/repositories/tasks';
import * as queueRepo from '../db/repositories/taskQueue';
import { addDays, helsinkiDate } from '../domain/dates';
import type { ServiceContext } from './context';
import { failure, notFound, ServiceError } from './errors';
import { actorOf, hasRole, type Principal } from './principal';
import { taskGroupMapping } from '../domain/taskGroups';
import { claimTask, loadTaskFor, requireUser, taskGroupsOf, taskRolesOf, unclaimTask, viewOf, type TaskView, type User } from './tasks';

/*
 * The work queue for a team (docs/decisions/024-work-queue-for-a-team.md): supervisors give tasks
 * to named colleagues and to candidate groups, anyone sets a follow-up date on what they may work,
 * bulk claim/assign/release act task by task, and each change writes the task's history and the
 * audit trail in one transaction.
 */

function requireSupervisor(user: User, code: string, detail: string): void {
  if (!hasRole(user, 'supervisor')) throw failure(403, code, detail);
}

/** The desk users a task may be given to: known users whose roles work the task's required role (and its group). */
async function assigneeFor(ctx: ServiceContext, userId: string, task: tasksRepo.TaskRow) {
  const assignee = await queueRepo.findDeskUser(ctx.db, userId);
  if (!assignee) throw failure(404, 'task_assignee_unknown', `No desk user ${userId} has signed in to the register.`, { params: { user: userId } });
  if (!taskRolesOf(assignee).includes(task.requiredRole)) {
    throw failure(409, 'task_assignee_cannot_work', `${assignee.name} does not have the role ${task.requiredRole} this task needs.`, { params: { name: assignee.name, role: task.requiredRole } });
  }
  if (task.candidateGroup && !assignee.roles.includes('supervisor') && !(await queueRepo.groupsOf(ctx.db, assignee.id)).includes(task.candidateGroup)) {
    throw failure(409, 'task_assignee_not_in_group', `${assignee.name} is not in the group ${task.candidateGroup}.`, { params: { name: assignee.name, group: task.candidateGroup } });
  }
  return assignee;
}

export interface AssignInput {
  userId: string;
  /** Who the supervisor saw holding the task (null: nobody); omitted, whoever holds it now. */
  expectedHolder?: string | null;
}

/** A supervisor gives an open task to a named colleague (assign or reassign); a stale view is a 409. */
export async function assignTask(ctx: ServiceContext, p: Principal, id: string, input: AssignInput): Promise<TaskView> {
  const user = requireUser(p);
  if (input.userId !== user.id) requireSupervisor(user, 'task_assign_supervisor_only', 'Only a supervisor may give a task to someone else.');
  const task = await loadTaskFor(ctx, user, id);
  if (task.status !== 'open') throw failure(409, 'task_closed', 'This task is already closed.');
  const expected = input.expectedHolder === undefined ? task.claimedBy : input.expectedHolder;
  if (expected !== task.claimedBy) throw holderChanged(task);
  if (task.claimedBy === input.userId) return viewOf(ctx, task);
  const assignee = await assigneeFor(ctx, input.userId, task);
  const after = await ctx.db.transaction(async (tx) => {
    const row = await tasksRepo.assignTask(tx, id, assignee, expected);
    if (!row) return undefined;
    await queueRepo.recordTaskHistory(tx, [{ taskId: id, event: 'assigned', actor: user, details: { to: assignee.id, toName: assignee.name, from: expected } }]);
    await recordAudit(tx, { ...actorOf(user), action: 'task.assigned', entityType: 'task', entityId: id, details: { to: assignee.id, ...(expected ? { from: expected } : {}) } });
    return row;
  });
  if (!after) throw holderChanged((await tasksRepo.findTask(ctx.db, id)) ?? task);
  return viewOf(ctx, after);
}

function holderChanged(task: tasksRepo.TaskRow): ServiceError {
  if (task.status !== 'open') return failure(409, 'task_closed', 'This task is already closed.');
  return failure(409, 'task_holder_changed', `This task is now held by ${task.claimedByName ?? 'nobody'}; reload and try again.`, { params: { claimedBy: task.claimedByName ?? '–' } });
}

/** How far ahead a follow-up may be set. */
const FOLLOW_UP_MAX_DAYS = 366;

/**
 * Hides an open task from the queue until a later day (or shows it again with null). The holder,
 * anyone who may work an unclaimed task, or a supervisor.
 */
export async function setFollowUp(ctx: ServiceContext, p: Principal, id: string, followUpOn: string | null): Promise<TaskView> {
  const user = requireUser(p);
  const task = await loadTaskFor(ctx, user, id);
  if (task.status !== 'open') throw failure(409, 'task_closed', 'This task is already closed.');
  if (task.claimedBy && task.claimedBy !== user.id && !hasRole(user, 'supervisor')) {
    throw failure(409, 'task_claimed_by_other', `This task is claimed by ${task.claimedByName ?? 'another user'}; claim it first.`, { params: { claimedBy: task.claimedByName ?? '–' } });
  }
  const today = helsinkiDate(new Date());
  if (followUpOn !== null && (followUpOn <= today || followUpOn > addDays(today, FOLLOW_UP_MAX_DAYS))) {
    throw failure(422, 'follow_up_out_of_range', `A follow-up date is from tomorrow to ${FOLLOW_UP_MAX_DAYS} days ahead.`, { params: { max: FOLLOW_UP_MAX_DAYS } });
  }
  const after = await ctx.db.transaction(async (tx) => {
    const row = await tasksRepo.setFollowUp(tx, id, followUpOn);
    await queueRepo.recordTaskHistory(tx, [{ taskId: id, event: 'follow-up-set', actor: user, details: { followUpOn } }]);
    await recordAudit(tx, { ...actorOf(user), action: 'task.follow-up-set', entityType: 'task', entityId: id, details: { followUpOn } });
    return row;
  });
  if (!after) throw failure(409, 'task_closed', 'This task is already closed.');
  return viewOf(ctx, after);
}

/** A supervisor names the candidate group that works a task (null: the role's whole queue again). */
export async function setTaskGroup(ctx: ServiceContext, p: Principal, id: string, group: string | null): Promise<TaskView> {
  const user = requireUser(p);
  requireSupervisor(user, 'task_group_supervisor_only', 'Only a supervisor may name the group of a task.');
  const task = await loadTaskFor(ctx, user, id);
  if (task.status !== 'open') throw failure(409, 'task_closed', 'This task is already closed.');
  if (group !== null && !(await queueRepo.listGroups(ctx.db)).some((g) => g.groupCode === group)) throw failure(404, 'task_group_unknown', `There is no group ${group}.`, { params: { group } });
  const after = await ctx.db.transaction(async (tx) => {
    const row = await tasksRepo.setCandidateGroup(tx, id, group);
    await queueRepo.recordTaskHistory(tx, [{ taskId: id, event: 'group-set', actor: user, details: { group, from: task.candidateGroup } }]);
    await recordAudit(tx, { ...actorOf(user), action: 'task.group-set', entityType: 'task', entityId: id, details: { group } });
    return row;
  });
  if (!after) throw failure(409, 'task_closed', 'This task is already closed.');
  return viewOf(ctx, after);
}

export type BulkInput = { action: 'claim' | 'release'; taskIds: string[] } | { action: 'assign'; taskIds: string[]; userId: string };

export type BulkItem = { taskId: string; ok: true; task: TaskView } | { taskId: string; ok: false; status: number; code: string; params: Record<string, string | number> };

/**
 * Claims, assigns or releases many tasks, each on its own: every item is authorised and changed
 * (with its history and audit) like a single one, and the answer tells per task what happened.
 */
export async function bulkTasks(ctx: ServiceContext, p: Principal, input: BulkInput): Promise<{ items: BulkItem[]; succeeded: number; failed: number }> {
  const user = requireUser(p);
  const assignee = input.action === 'assign' ? input.userId : null;
  if (assignee !== null && assignee !== user.id) requireSupervisor(user, 'task_assign_supervisor_only', 'Only a supervisor may give a task to someone else.');
  const items: BulkItem[] = [];
  for (const taskId of [...new Set(input.taskIds)]) {
    try {
      const task =
        assignee !== null ? await assignTask(ctx, user, taskId, { userId: assignee }) : input.action === 'claim' ? await claimTask(ctx, user, taskId) : await unclaimTask(ctx, user, taskId);
      items.push({ taskId, ok: true, task });
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      items.push({ taskId, ok: false, status: e.status, code: e.code, params: e.params });
    }
  }
  const succeeded = items.filter((i) => i.ok).length;
  return { items, succeeded, failed: items.length - succeeded };
}

/**
 * What the queue's heading shows: open tasks per kind with the overdue ones and those waiting
 * for a follow-up; for a supervisor also who holds what.
 */
export async function queueSummary(ctx: ServiceContext, p: Principal) {
  const user = requireUser(p);
  const scope = { roles: taskRolesOf(user), groups: await taskGroupsOf(ctx, user) };
  const byKind = await tasksRepo.countsByKind(ctx.db, { ...scope, today: helsinkiDate(new Date()) });
  const holders = hasRole(user, 'supervisor')
    ? (await tasksRepo.countsByHolder(ctx.db, scope)).map((h) => ({ userId: h.userId, name: h.name, open: h.open, overdue: h.overdue, oldestClaimedAt: h.oldestClaimedAt ? new Date(h.oldestClaimedAt).toISOString() : null }))
    : null;
  const sum = (f: (k: (typeof byKind)[number]) => number) => byKind.reduce((n, k) => n + f(k), 0);
  return { byKind, open: sum((k) => k.open), overdue: sum((k) => k.overdue), followUp: sum((k) => k.followUp), holders };
}

/** The colleagues a supervisor may give tasks to: desk users who work tasks. */
export async function listAssignees(ctx: ServiceContext, p: Principal) {
  requireUser(p);
  const users = await queueRepo.knownDeskUsers(ctx.db);
  return { items: users.filter((u) => taskRolesOf(u).length > 0).map((u) => ({ id: u.id, name: u.name, roles: u.roles })) };
}

// ---------------------------------------------------------------------------------------------
// Candidate groups

export async function listTaskGroups(ctx: ServiceContext, p: Principal) {
  requireUser(p);
  const rows = await queueRepo.listGroups(ctx.db);
  const groups = new Map<string, { id: string; name: string }[]>();
  for (const r of rows) groups.set(r.groupCode, [...(groups.get(r.groupCode) ?? []), { id: r.userId, name: r.userName }]);
  // Which task kinds the processes send to each group (the fund's mapping, decision 030); a group
  // the mapping names but nobody is in yet is listed too, with no members.
  const kinds = new Map<string, string[]>();
  for (const [kind, group] of Object.entries(taskGroupMapping(ctx.profile))) if (group) kinds.set(group, [...(kinds.get(group) ?? []), kind]);
  for (const group of kinds.keys()) if (!groups.has(group)) groups.set(group, []);
  return { items: [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([code, members]) => ({ code, members, kinds: kinds.get(code) ?? [] })) };
}

/** A supervisor sets who belongs to a group; each member must be a known desk user who works tasks. */
export async function setTaskGroupMembers(ctx: ServiceContext, p: Principal, group: string, userIds: string[]) {
  const user = requireUser(p);
  const members: { id: string; name: string }[] = [];
  for (const id of [...new Set(userIds)]) {
    const member = await queueRepo.findDeskUser(ctx.db, id);
    if (!member || taskRolesOf(member).length === 0) throw failure(404, 'task_assignee_unknown', `No desk user ${id} who works tasks has signed in to the register.`, { params: { user: id } });
    members.push({ id: member.id, name: member.name });
  }
  await ctx.db.transaction(async (tx) => {
    await queueRepo.setGroupMembers(tx, group, members, user.id);
    await recordAudit(tx, { ...actorOf(user), action: 'task-group.members-set', entityType: 'task-group', entityId: group, details: { members: members.map((m) => m.id) } });
  });
  return listTaskGroups(ctx, user);
}

// ---------------------------------------------------------------------------------------------
// Saved filters

/** How many filters one user may keep. */
const MAX_SAVED_FILTERS = 20;

function filterView(row: Awaited<ReturnType<typeof queueRepo.savedFiltersOf>>[number]) {
  return { id: row.id, name: row.name, filter: row.filter, createdAt: row.createdAt.toISOString() };
}

export async function listSavedFilters(ctx: ServiceContext, p: Principal) {
  const user = requireUser(p);
  return { items: (await queueRepo.savedFiltersOf(ctx.db, user.id)).map(filterView) };
}

export async function saveFilter(ctx: ServiceContext, p: Principal, input: { name: string; filter: Record<string, string> }) {
  const user = requireUser(p);
  const existing = await queueRepo.savedFiltersOf(ctx.db, user.id);
  if (!existing.some((f) => f.name === input.name) && existing.length >= MAX_SAVED_FILTERS) {
    throw failure(409, 'saved_filter_limit', `You can keep at most ${MAX_SAVED_FILTERS} saved filters; delete one first.`, { params: { max: MAX_SAVED_FILTERS } });
  }
  const row = await ctx.db.transaction(async (tx) => {
    const saved = await queueRepo.saveFilter(tx, user.id, input.name, input.filter);
    await recordAudit(tx, { ...actorOf(user), action: 'task.filter-saved', entityType: 'saved-task-filter', entityId: saved.id });
    return saved;
  });
  return filterView(row);
}

export async function deleteSavedFilter(ctx: ServiceContext, p: Principal, id: string) {
  const user = requireUser(p);
  await ctx.db.transaction(async (tx) => {
    if (!(await queueRepo.deleteFilter(tx, user.id, id))) throw notFound(`Saved filter ${id}`, 'saved_filter_not_found');
    await recordAudit(tx, { ...actorOf(user), action: 'task.filter-deleted', entityType: 'saved-task-filter', entityId: id });
  });
  return { deleted: id };
}
