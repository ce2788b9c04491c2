import { recordAudit } from '../db/repositories/audit';
import * as tasksRepo from '../db/repositories/tasks';
import { groupsOf, historyOf, recordTaskHistory } from '../db/repositories/taskQueue';
import { daysBetween, helsinkiDate } from '../domain/dates';
import type { Language } from '../domain/fundProfile';
import { decideUpdate } from '../workflows/definitions/humanDecision';
import { getApplicationForReview } from './applications';
import { checkBillingApproval } from './billing';
import { checkTaxReportApproval } from './taxReport';
import type { ServiceContext } from './context';
import { getAddressConflictReview, getEligibilityReview } from './memberReviews';
import { failure, notFound } from './errors';
import { proposerOfExpulsion } from './hearings';
import { actorOf, hasRole, type Principal } from './principal';
import { asConflictOnRefusal } from './temporalErrors';

export type User = Extract<Principal, { kind: 'user' }>;

export function requireUser(p: Principal): User {
  if (p.kind !== 'user') throw failure(403, 'queue_desk_users_only', 'The work queue is for desk users.');
  // Billing users work their own tasks (billing-run approvals, payments): taskRolesOf gives them
  // only tasks whose required role is 'billing', and caseworkers never those.
  if (!hasRole(p, 'caseworker', 'supervisor', 'billing')) throw failure(403, 'queue_role_required', 'The work queue is for caseworkers, supervisors and billing users.');
  return p;
}

/** The roles that work tasks; others (administrator, auditor) add none to a user's queue. */
const taskRoles: readonly string[] = ['caseworker', 'supervisor', 'billing'];

/**
 * The required roles whose tasks this user may act on: the server's filter for every list, read
 * and claim, so the desk is never sent another role's tasks. A supervisor works the caseworkers'
 * queues too; a caseworker never sees billing tasks (run approvals, unmatched payments).
 */
export function taskRolesOf(user: Pick<User, 'roles'>): string[] {
  const own = user.roles.filter((r) => taskRoles.includes(r));
  return user.roles.includes('supervisor') ? [...new Set([...own, 'caseworker'])] : own;
}

export interface TaskView {
  id: string;
  kind: string;
  queue: string;
  title: string;
  priority: number;
  dueAt: string;
  status: string;
  overdue: boolean;
  claimedBy: { id: string; name: string } | null;
  subject: { type: string; id: string };
  createdAt: string;
  outcome: string | null;
  /** Who or what the task is about; null for a billing run, which its title names. */
  about: tasksRepo.TaskAbout | null;
  /** Whole days since the task was opened (Helsinki days): how long it has waited. */
  ageDays: number;
  /** The candidate group that works it, if one is named. */
  candidateGroup: string | null;
  /** Hidden from the queue until this date. */
  followUpOn: string | null;
}

export function toView(row: tasksRepo.TaskRow, about: tasksRepo.TaskAbout | null, now = new Date()): TaskView {
  return {
    id: row.id,
    kind: row.kind,
    queue: row.queue,
    title: row.title,
    priority: row.priority,
    dueAt: row.dueAt.toISOString(),
    status: row.status,
    overdue: row.status === 'open' && row.dueAt < now,
    claimedBy: row.claimedBy ? { id: row.claimedBy, name: row.claimedByName ?? row.claimedBy } : null,
    subject: { type: row.subjectType, id: row.subjectId },
    createdAt: row.createdAt.toISOString(),
    outcome: row.outcome,
    about,
    ageDays: Math.max(0, daysBetween(helsinkiDate(row.createdAt), helsinkiDate(row.status === 'closed' && row.closedAt ? row.closedAt : now))),
    candidateGroup: row.candidateGroup,
    followUpOn: row.followUpOn,
  };
}

/** The view of one task with what it is about. */
export async function viewOf(ctx: ServiceContext, row: tasksRepo.TaskRow): Promise<TaskView> {
  const about = await tasksRepo.aboutTasks(ctx.db, [row]);
  return toView(row, about.get(row.id) ?? null);
}

/** The queue's group filter for "the groups I am a member of" (not a group code: codes have no `@`). */
export const MY_GROUPS = '@mine';

/** The candidate groups whose tasks this user sees: all for a supervisor, else their own. */
export async function taskGroupsOf(ctx: ServiceContext, user: User): Promise<readonly string[] | 'all'> {
  return hasRole(user, 'supervisor') ? 'all' : groupsOf(ctx.db, user.id);
}

export async function listTasks(ctx: ServiceContext, p: Principal, filter: Omit<tasksRepo.TaskFilter, 'roles' | 'userId' | 'groups' | 'today'>) {
  const user = requireUser(p);
  // Who holds what is a supervisor's view; anyone else may filter to their own tasks only.
  if (filter.holder && filter.holder !== user.id && !hasRole(user, 'supervisor')) throw failure(403, 'task_holder_filter_supervisor_only', "Only a supervisor may list another user's tasks.");
  // "My groups": the groups the user is a member of (a supervisor's too, not every group they may see).
  const mine = filter.group === MY_GROUPS ? { group: undefined, inGroups: await groupsOf(ctx.db, user.id) } : {};
  const { items, total } = await tasksRepo.listTasks(ctx.db, { ...filter, ...mine, roles: taskRolesOf(user), userId: user.id, groups: await taskGroupsOf(ctx, user), today: helsinkiDate(new Date()) });
  const about = await tasksRepo.aboutTasks(ctx.db, items);
  // The rows name applicants and payers: the listing is audited like a search (how many, never who).
  if (items.some((t) => about.get(t.id)?.name)) {
    await recordAudit(ctx.db, { ...actorOf(user), action: 'task.listed', entityType: 'task', entityId: '*', details: { results: items.length, ...(filter.kind ? { kind: filter.kind } : {}) } });
  }
  return { items: items.map((t) => toView(t, about.get(t.id) ?? null)), total };
}

export async function loadTaskFor(ctx: ServiceContext, user: User, id: string) {
  const task = await tasksRepo.findTask(ctx.db, id);
  if (!task) throw notFound(`Task ${id}`, 'task_not_found');
  if (!taskRolesOf(user).includes(task.requiredRole)) throw failure(403, 'task_role_required', `This task needs the role ${task.requiredRole}.`, { params: { role: task.requiredRole } });
  if (task.candidateGroup && !hasRole(user, 'supervisor') && !(await groupsOf(ctx.db, user.id)).includes(task.candidateGroup)) {
    throw failure(403, 'task_group_required', `This task is for the group ${task.candidateGroup}.`, { params: { group: task.candidateGroup } });
  }
  return task;
}

/** A task's history for its page: what happened, by whom and when. */
async function historyView(ctx: ServiceContext, taskId: string) {
  return (await historyOf(ctx.db, taskId)).map((h) => ({ at: h.at.toISOString(), event: h.event, actor: h.actorId ? { id: h.actorId, name: h.actorName ?? h.actorId } : null, details: h.details }));
}

export async function getTask(ctx: ServiceContext, p: Principal, id: string, lang: Language) {
  const user = requireUser(p);
  const task = await loadTaskFor(ctx, user, id);
  const application = task.subjectType === 'application' ? await getApplicationForReview(ctx, user, task.subjectId, lang) : null;
  // Tasks about a member: what the caseworker decides between, by kind (each read audited).
  const addressConflict = task.kind === 'address-conflict' ? await getAddressConflictReview(ctx, user, id) : null;
  const eligibilityReview = task.kind === 'eligibility-review' ? await getEligibilityReview(ctx, user, id) : null;
  return { task: await viewOf(ctx, task), application, addressConflict, eligibilityReview, history: await historyView(ctx, id) };
}

export async function claimTask(ctx: ServiceContext, p: Principal, id: string) {
  const user = requireUser(p);
  await loadTaskFor(ctx, user, id);
  const after = await ctx.db.transaction(async (tx) => {
    const { row, changed } = await tasksRepo.claimTask(tx, id, user.id, user.name);
    if (!changed) return row;
    await recordTaskHistory(tx, [{ taskId: id, event: 'claimed', actor: user }]);
    await recordAudit(tx, { ...actorOf(user), action: 'task.claimed', entityType: 'task', entityId: id });
    return row;
  });
  if (!after || after.status !== 'open') throw failure(409, 'task_closed', 'This task is already closed.');
  if (after.claimedBy !== user.id) throw failure(409, 'task_claimed_by_other', `This task is already claimed by ${after.claimedByName ?? 'another user'}.`, { params: { claimedBy: after.claimedByName ?? '–' } });
  return viewOf(ctx, after);
}

export async function unclaimTask(ctx: ServiceContext, p: Principal, id: string) {
  const user = requireUser(p);
  const task = await loadTaskFor(ctx, user, id);
  const force = hasRole(user, 'supervisor');
  if (task.claimedBy && task.claimedBy !== user.id && !force) {
    throw failure(409, 'task_release_not_allowed', `This task is claimed by ${task.claimedByName ?? 'another user'}; only they or a supervisor can release it.`, { params: { claimedBy: task.claimedByName ?? '–' } });
  }
  const after = await ctx.db.transaction(async (tx) => {
    const { row, changed } = await tasksRepo.unclaimTask(tx, id, user.id, force);
    if (changed) {
      await recordTaskHistory(tx, [{ taskId: id, event: 'released', actor: user, details: { from: task.claimedBy } }]);
      await recordAudit(tx, { ...actorOf(user), action: 'task.unclaimed', entityType: 'task', entityId: id, ...(task.claimedBy !== user.id ? { details: { from: task.claimedBy } } : {}) });
    }
    return row;
  });
  return viewOf(ctx, after!);
}

export interface DecisionInput {
  decision: 'approve' | 'reject';
  reason?: string;
  /** A billing run on a provisional fee year: the approver has seen the warning. */
  acknowledgeProvisionalFeeYear?: boolean;
}

/** Tasks of the hearing and appeal processes, decided with a reason either way. */
const expulsionTaskKinds: readonly string[] = ['expulsion-decision', 'expulsion-confirmation', 'expulsion-reconsideration'];

/** Sends the caseworker's decision to the owning workflow as an Update; a stale or repeated one is a 409. */
export async function decideTask(ctx: ServiceContext, p: Principal, id: string, input: DecisionInput) {
  const user = requireUser(p);
  const task = await loadTaskFor(ctx, user, id);
  if (task.status !== 'open') throw failure(409, 'task_already_closed', `This task was already closed (${task.outcome ?? 'done'}).`, { params: { outcome: task.outcome ?? 'done' } });
  if (task.claimedBy && task.claimedBy !== user.id) {
    throw failure(409, 'task_claimed_by_other', `This task is claimed by ${task.claimedByName ?? 'another user'}; claim it before deciding.`, { params: { claimedBy: task.claimedByName ?? '–' } });
  }
  // A billing run's approval: four eyes and the provisional fee year, by the fund's rules.
  if (task.kind === 'billing-approval' && input.decision === 'approve') {
    await checkBillingApproval(ctx, user, task.workflowId, input.acknowledgeProvisionalFeeYear === true);
  }
  // An expulsion, its confirmation and an appeal's reconsideration go to the member with their reason.
  if (expulsionTaskKinds.includes(task.kind) && !input.reason?.trim()) {
    throw failure(409, 'decision_reason_required', 'This decision needs a reason, whichever the answer: it goes into the letter to the member.');
  }
  // An expulsion under four eyes: whoever decided to expel does not confirm it too.
  if (task.kind === 'expulsion-confirmation' && input.decision === 'approve' && (await proposerOfExpulsion(ctx, task.workflowId)) === user.id) {
    throw failure(403, 'expulsion_four_eyes_required', 'You decided this expulsion, so another desk user must confirm it (four eyes). You may still overrule it with a reason.');
  }
  if (task.kind === 'tax-report-approval' && input.decision === 'approve') await checkTaxReportApproval(ctx, user, task.workflowId);
  const handle = ctx.temporal.workflow.getHandle(task.workflowId);
  const result = await asConflictOnRefusal(
    () =>
      handle.executeUpdate(decideUpdate, {
        args: [{ taskId: task.id, decision: input.decision, ...(input.reason ? { reason: input.reason } : {}), decidedBy: { id: user.id, name: user.name } }],
      }),
    'The decision',
  );
  await ctx.db.transaction(async (tx) => {
    await recordTaskHistory(tx, [{ taskId: id, event: 'decided', actor: user, details: { decision: input.decision, outcome: result.outcome } }]);
    await recordAudit(tx, { ...actorOf(user), action: 'task.decided', entityType: 'task', entityId: id, details: { decision: input.decision, ...(input.acknowledgeProvisionalFeeYear ? { acknowledgedProvisionalFeeYear: true } : {}) } });
  });
  return { taskId: id, outcome: result.outcome };
}
