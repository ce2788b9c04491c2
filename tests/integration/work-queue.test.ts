/**
 * The work queue for a team (docs/decisions/024-work-queue-for-a-team.md): assign and reassign,
 * candidate groups, bulk claim/assign/release with per-task answers, follow-up dates, saved
 * filters, counts and who holds what, and each task's history. Tasks of this file carry a kind of
 * their own, so counts never depend on other files' tasks.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tasksRepo from '../../db/repositories/tasks';
import { auditLog, taskHistory, tasks } from '../../db/schema';
import { addDays, helsinkiDate } from '../../domain/dates';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: ApiClient['api'];
let caseworker: string;
let supervisor: string;
const kind = `wq-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  stack = await startStack();
  ({ api } = apiClient(stack));
  // Signing in makes a desk user known to the register: the colleagues a supervisor may assign to.
  caseworker = await stack.login('caseworker');
  supervisor = await stack.login('supervisor');
  await stack.login('billing');
}, 120_000);
afterAll(async () => {
  // Out of everyone's queue once done.
  await stack?.db.update(tasks).set({ status: 'closed', outcome: 'orphaned' }).where(eq(tasks.kind, kind));
  await stack?.close();
});

/** A caseworker task of this file's own kind, as a process would open it. */
async function newTask(overrides: Partial<tasksRepo.NewTask> = {}) {
  return tasksRepo.upsertTask(stack.db, {
    workflowId: `wq-test-${randomUUID()}`,
    taskKey: 'review',
    kind,
    queue: 'applications',
    requiredRole: 'caseworker',
    subjectType: 'member',
    subjectId: randomUUID(),
    title: 'test',
    priority: 3,
    dueAt: new Date(Date.now() + 86_400_000),
    ...overrides,
  });
}

const post = (path: string, cookie: string, body: unknown) => api(path, { method: 'POST', cookie, body: JSON.stringify(body) });
const put = (path: string, cookie: string, body: unknown) => api(path, { method: 'PUT', cookie, body: JSON.stringify(body) });
const events = async (taskId: string) => (await stack.db.select().from(taskHistory).where(eq(taskHistory.taskId, taskId)).orderBy(taskHistory.id)).map((h) => h.event);

describe('assigning tasks', () => {
  it('a supervisor assigns and reassigns; a caseworker cannot give a task to someone else', async () => {
    const task = await newTask();

    const byCaseworker = await post(`/api/v1/tasks/${task.id}/assign`, caseworker, { userId: 'supervisor' });
    expect(byCaseworker.status, byCaseworker.text).toBe(403);
    expect(byCaseworker.body.code).toBe('task_assign_supervisor_only');

    const assigned = await post(`/api/v1/tasks/${task.id}/assign`, supervisor, { userId: 'caseworker', expectedHolder: null });
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.body.claimedBy).toEqual({ id: 'caseworker', name: 'Kaisa Käsittelijä' });

    // A reassignment made on a view where nobody held the task: stale, refused, nothing changes.
    const stale = await post(`/api/v1/tasks/${task.id}/assign`, supervisor, { userId: 'supervisor', expectedHolder: null });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'task_holder_changed', params: { claimedBy: 'Kaisa Käsittelijä' } });

    const reassigned = await post(`/api/v1/tasks/${task.id}/assign`, supervisor, { userId: 'supervisor', expectedHolder: 'caseworker' });
    expect(reassigned.status, reassigned.text).toBe(200);
    expect(reassigned.body.claimedBy.id).toBe('supervisor');

    // A billing user does not work caseworker tasks; an unknown user is not assignable at all.
    const billing = await post(`/api/v1/tasks/${task.id}/assign`, supervisor, { userId: 'billing' });
    expect(billing.body).toMatchObject({ code: 'task_assignee_cannot_work', params: { role: 'caseworker' } });
    const nobody = await post(`/api/v1/tasks/${task.id}/assign`, supervisor, { userId: `nobody-${randomUUID()}` });
    expect(nobody.status).toBe(404);
    expect(nobody.body.code).toBe('task_assignee_unknown');

    const released = await post(`/api/v1/tasks/${task.id}/unclaim`, supervisor, {});
    expect(released.body.claimedBy).toBeNull();

    expect(await events(task.id)).toEqual(['created', 'assigned', 'assigned', 'released']);
    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'task'), eq(auditLog.entityId, task.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['task.assigned', 'task.assigned', 'task.unclaimed']);
  });

  it('refuses a claim when someone else got there first (a stale claim)', async () => {
    const task = await newTask();
    expect((await post(`/api/v1/tasks/${task.id}/claim`, supervisor, {})).status).toBe(200);
    const late = await post(`/api/v1/tasks/${task.id}/claim`, caseworker, {});
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'task_claimed_by_other', params: { claimedBy: 'Esko Esihenkilö' } });
    expect(await events(task.id)).toEqual(['created', 'claimed']);
  });
});

describe('candidate groups', () => {
  it('a task named for a group is worked only by its members (and supervisors)', async () => {
    const group = `g-${randomUUID().slice(0, 8)}`;
    const task = await newTask();
    expect((await put(`/api/v1/task-groups/${group}`, caseworker, { members: ['supervisor'] })).status).toBe(403);
    const set = await put(`/api/v1/task-groups/${group}`, supervisor, { members: ['supervisor'] });
    expect(set.status, set.text).toBe(200);
    const grouped = await put(`/api/v1/tasks/${task.id}/group`, supervisor, { group });
    expect(grouped.status, grouped.text).toBe(200);
    expect(grouped.body.candidateGroup).toBe(group);

    const listed = await api(`/api/v1/tasks?kind=${kind}&group=${group}`, { cookie: caseworker });
    expect(listed.body.items).toEqual([]);
    const claim = await post(`/api/v1/tasks/${task.id}/claim`, caseworker, {});
    expect(claim.status).toBe(403);
    expect(claim.body).toMatchObject({ code: 'task_group_required', params: { group } });
    const assign = await post(`/api/v1/tasks/${task.id}/assign`, supervisor, { userId: 'caseworker' });
    expect(assign.body.code).toBe('task_assignee_not_in_group');

    // In the group, the caseworker sees and claims it.
    expect((await put(`/api/v1/task-groups/${group}`, supervisor, { members: ['supervisor', 'caseworker'] })).status).toBe(200);
    expect((await api(`/api/v1/tasks?kind=${kind}&group=${group}`, { cookie: caseworker })).body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect((await post(`/api/v1/tasks/${task.id}/claim`, caseworker, {})).status).toBe(200);
    expect(await events(task.id)).toEqual(['created', 'group-set', 'claimed']);
  });
});

describe('bulk actions', () => {
  it('claims what it can and says per task why not the rest', async () => {
    const [free, taken, other] = [await newTask(), await newTask(), await newTask()];
    await post(`/api/v1/tasks/${taken.id}/claim`, supervisor, {});
    const missing = randomUUID();
    const res = await post('/api/v1/tasks/bulk', caseworker, { action: 'claim', taskIds: [free.id, taken.id, missing, other.id] });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 2, failed: 2 });
    const byId = new Map(res.body.items.map((i: { taskId: string }) => [i.taskId, i]));
    expect(byId.get(free.id)).toMatchObject({ ok: true, task: { claimedBy: { id: 'caseworker' } } });
    expect(byId.get(taken.id)).toMatchObject({ ok: false, status: 409, code: 'task_claimed_by_other' });
    expect(byId.get(missing)).toMatchObject({ ok: false, status: 404, code: 'task_not_found' });

    // A caseworker may not bulk-assign to others; a supervisor may, and release in bulk too.
    expect((await post('/api/v1/tasks/bulk', caseworker, { action: 'assign', taskIds: [free.id], userId: 'supervisor' })).body.code).toBe('task_assign_supervisor_only');
    const assigned = await post('/api/v1/tasks/bulk', supervisor, { action: 'assign', taskIds: [free.id, other.id], userId: 'supervisor' });
    expect(assigned.body).toMatchObject({ succeeded: 2, failed: 0 });
    const released = await post('/api/v1/tasks/bulk', caseworker, { action: 'release', taskIds: [free.id, taken.id] });
    // The caseworker no longer holds either: one is the supervisor's now, the other always was.
    expect(released.body).toMatchObject({ succeeded: 0, failed: 2 });
    expect(released.body.items[0]).toMatchObject({ code: 'task_release_not_allowed' });
    expect((await post('/api/v1/tasks/bulk', supervisor, { action: 'release', taskIds: [free.id, taken.id] })).body).toMatchObject({ succeeded: 2 });
    expect(await events(free.id)).toEqual(['created', 'claimed', 'assigned', 'released']);

    const tooMany = await post('/api/v1/tasks/bulk', supervisor, { action: 'claim', taskIds: Array.from({ length: 101 }, () => randomUUID()) });
    expect(tooMany.status).toBe(400);
  });
});

describe('follow-up dates', () => {
  it('hide a task from the queue and its counts until the day', async () => {
    const [a, b] = [await newTask(), await newTask({ dueAt: new Date(Date.now() - 86_400_000) })];
    const mine = async (q = '') => (await api(`/api/v1/tasks?kind=${kind}${q}`, { cookie: caseworker })).body.items.map((t: { id: string }) => t.id) as string[];
    expect(await mine()).toEqual(expect.arrayContaining([a.id, b.id]));

    const today = helsinkiDate(new Date());
    const past = await put(`/api/v1/tasks/${a.id}/follow-up`, caseworker, { followUpOn: today });
    expect(past.status).toBe(422);
    expect(past.body.code).toBe('follow_up_out_of_range');
    expect((await put(`/api/v1/tasks/${a.id}/follow-up`, caseworker, { followUpOn: '2025-02-30' })).status).toBe(400);

    const later = addDays(today, 7);
    const set = await put(`/api/v1/tasks/${a.id}/follow-up`, caseworker, { followUpOn: later });
    expect(set.status, set.text).toBe(200);
    expect(set.body.followUpOn).toBe(later);
    expect(await mine()).not.toContain(a.id);
    expect(await mine('&followUp=only')).toEqual([a.id]);
    expect(await mine('&overdue=true')).toEqual(expect.arrayContaining([b.id]));
    expect(await mine('&overdue=true')).not.toContain(a.id);

    const summary = await api('/api/v1/task-summary', { cookie: caseworker });
    const ours = summary.body.byKind.find((k: { kind: string }) => k.kind === kind);
    // Other tests of this file leave tasks of this kind: count only these two by difference.
    expect(ours.followUp).toBeGreaterThanOrEqual(1);
    expect(summary.body.holders).toBeNull();

    const cleared = await put(`/api/v1/tasks/${a.id}/follow-up`, caseworker, { followUpOn: null });
    expect(cleared.body.followUpOn).toBeNull();
    expect(await mine()).toContain(a.id);
    const after = (await api('/api/v1/task-summary', { cookie: caseworker })).body.byKind.find((k: { kind: string }) => k.kind === kind);
    expect(after.followUp).toBe(ours.followUp - 1);
    expect(after.open).toBe(ours.open + 1);

    const detail = await api(`/api/v1/tasks/${a.id}`, { cookie: caseworker });
    expect(detail.body.history.map((h: { event: string }) => h.event)).toEqual(['created', 'follow-up-set', 'follow-up-set']);
    expect(detail.body.history[1]).toMatchObject({ actor: { id: 'caseworker', name: 'Kaisa Käsittelijä' }, details: { followUpOn: later } });
  });
});

describe('who holds what', () => {
  it('the supervisor sees holders with counts and lists one holder\'s tasks; a caseworker may not', async () => {
    const task = await newTask({ dueAt: new Date(Date.now() - 3_600_000) });
    await post(`/api/v1/tasks/${task.id}/assign`, supervisor, { userId: 'caseworker' });
    const summary = await api('/api/v1/task-summary', { cookie: supervisor });
    const holder = summary.body.holders.find((h: { userId: string }) => h.userId === 'caseworker');
    expect(holder).toMatchObject({ name: 'Kaisa Käsittelijä' });
    expect(holder.overdue).toBeGreaterThanOrEqual(1);
    const held = await api(`/api/v1/tasks?kind=${kind}&holder=caseworker`, { cookie: supervisor });
    expect(held.body.items.map((t: { id: string }) => t.id)).toContain(task.id);
    expect(held.body.items.every((t: { claimedBy: { id: string } }) => t.claimedBy.id === 'caseworker')).toBe(true);
    const forbidden = await api('/api/v1/tasks?holder=supervisor', { cookie: caseworker });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('task_holder_filter_supervisor_only');
    const assignees = await api('/api/v1/task-assignees', { cookie: supervisor });
    expect(assignees.body.items.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining(['caseworker', 'supervisor', 'billing']));
  });
});

describe('saved filters', () => {
  it('are each user\'s own', async () => {
    const name = `Omat ${randomUUID().slice(0, 6)}`;
    const saved = await post('/api/v1/task-filters', caseworker, { name, filter: { kind, overdue: 'true' } });
    expect(saved.status, saved.text).toBe(200);
    const again = await post('/api/v1/task-filters', caseworker, { name, filter: { kind, claimed: 'me' } });
    expect(again.body.id).toBe(saved.body.id);
    const mine = await api('/api/v1/task-filters', { cookie: caseworker });
    expect(mine.body.items.find((f: { name: string }) => f.name === name).filter).toEqual({ kind, claimed: 'me' });
    expect((await api('/api/v1/task-filters', { cookie: supervisor })).body.items.map((f: { id: string }) => f.id)).not.toContain(saved.body.id);
    expect((await api(`/api/v1/task-filters/${saved.body.id}`, { method: 'DELETE', cookie: supervisor })).status).toBe(404);
    expect((await post('/api/v1/task-filters', caseworker, { name, filter: { bogus: 'x' } })).status).toBe(400);
    expect((await api(`/api/v1/task-filters/${saved.body.id}`, { method: 'DELETE', cookie: caseworker })).status).toBe(200);
    const audits = await stack.db.select().from(auditLog).where(and(eq(auditLog.entityType, 'saved-task-filter'), eq(auditLog.entityId, saved.body.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['task.filter-deleted', 'task.filter-saved', 'task.filter-saved']);
  });
});

describe('history of a decided task', () => {
  it('records the decision by whom and the close by the process', async () => {
    const bearer = await stack.token('eservices');
    const client = apiClient(stack, { as: { token: bearer } });
    const res = await api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData({ employment: { status: 'unemployed' } }) }) });
    await client.waitForStatus(res.body.id, ['in-review']);
    const task = await client.openTaskFor(res.body.id);
    await post(`/api/v1/tasks/${task.id}/claim`, caseworker, {});
    const decided = await post(`/api/v1/tasks/${task.id}/decision`, caseworker, { decision: 'reject', reason: 'Ei työssä.' });
    expect(decided.status, decided.text).toBe(200);
    const rows = await stack.db.select().from(taskHistory).where(inArray(taskHistory.taskId, [task.id])).orderBy(taskHistory.id);
    expect(rows.map((r) => r.event)).toEqual(['created', 'claimed', 'closed', 'decided']);
    expect(rows.find((r) => r.event === 'decided')).toMatchObject({ actorId: 'caseworker', details: { decision: 'reject', outcome: 'rejected' } });
    expect(rows.find((r) => r.event === 'closed')).toMatchObject({ actorId: null, details: { outcome: 'rejected' } });
  });
});
