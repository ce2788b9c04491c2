/**
 * Candidate groups named by the processes (decision 030): the fund's `taskGroups` setting maps a
 * task kind to a group; intake's review task goes to that group when the group has members, and
 * the queue's "my groups" filter (`group=@mine`) lists it for its members only. A group nobody is
 * in is not set, so the task stays with everyone who has the role. The mapping is this file's own
 * (groups with random codes) and is removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundConfigOverrides, taskHistory, tasks } from '../../db/schema';
import { apiClient, type ApiClient } from '../support/api';
import { applicationData, newKey } from '../support/applications';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ApiClient;
let admin: string;
let supervisor: string;
let caseworker: string;
let bearer: string;
const group = `intake-${randomUUID().slice(0, 8)}`;
const emptyGroup = `nobody-${randomUUID().slice(0, 8)}`;
const created: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  [admin, supervisor, caseworker, bearer] = await Promise.all([stack.login('admin'), stack.login('supervisor'), stack.login('caseworker'), stack.token('eservices')]);
  client = apiClient(stack, { as: { token: bearer } });
}, 120_000);
afterAll(async () => {
  if (stack) {
    await stack.db.delete(fundConfigOverrides).where(eq(fundConfigOverrides.key, 'taskGroups'));
    await stack.ctx.config.reload();
    await client.api(`/api/v1/task-groups/${group}`, { method: 'PUT', cookie: supervisor, body: JSON.stringify({ members: [] }) });
    if (created.length) await stack.db.update(tasks).set({ status: 'closed', outcome: 'orphaned' }).where(inArray(tasks.id, created));
  }
  await stack?.close();
});

const setMapping = (value: Record<string, string | null>) =>
  client.api('/api/v1/fund-config/taskGroups', { method: 'PUT', cookie: admin, body: JSON.stringify({ value, effectiveFrom: stack.ctx.today(), reason: 'team groups' }) });

/** An application intake sends straight to review (not employed), and its open review task. */
async function reviewTask() {
  const res = await client.api('/api/v1/applications', { method: 'POST', token: bearer, headers: { 'idempotency-key': newKey() }, body: JSON.stringify({ data: applicationData({ employment: { status: 'unemployed' } }) }) });
  expect(res.status, res.text).toBe(201);
  await client.waitForStatus(res.body.id, ['in-review']);
  const task = await client.openTaskFor(res.body.id);
  created.push(task.id);
  return task;
}

const myGroups = async (cookie: string) => ((await client.api('/api/v1/tasks?kind=application-review&group=@mine&limit=200', { cookie })).body.items as { id: string }[]).map((t) => t.id);

describe('candidate groups from the processes', () => {
  it("puts intake's review task in the fund's group for it, which its members find under my groups", async () => {
    expect((await setMapping({ 'application-review': group })).status).toBe(200);
    const members = await client.api(`/api/v1/task-groups/${group}`, { method: 'PUT', cookie: supervisor, body: JSON.stringify({ members: ['caseworker'] }) });
    expect(members.status, members.text).toBe(200);

    const task = await reviewTask();
    expect(task.candidateGroup).toBe(group);
    const [createdEvent] = await stack.db.select().from(taskHistory).where(and(eq(taskHistory.taskId, task.id), eq(taskHistory.event, 'created')));
    expect(createdEvent?.details).toEqual({ kind: 'application-review', group });

    expect(await myGroups(caseworker)).toContain(task.id);
    // The supervisor sees every group's tasks, but is no member of this one.
    expect(await myGroups(supervisor)).not.toContain(task.id);
    const view = await client.api(`/api/v1/tasks/${task.id}`, { cookie: caseworker });
    expect(view.body.task.candidateGroup).toBe(group);
  });

  it('leaves a task out of a group nobody is in, and a kind the mapping leaves out', async () => {
    expect((await setMapping({ 'application-review': emptyGroup })).status).toBe(200);
    const task = await reviewTask();
    expect(task.candidateGroup).toBeNull();
    expect(await myGroups(caseworker)).not.toContain(task.id);

    expect((await setMapping({})).status).toBe(200);
    expect((await reviewTask()).candidateGroup).toBeNull();
  });

  it('refuses a mapping with a kind it does not know or a code that is not a group code', async () => {
    const unknown = await setMapping({ 'no-such-kind': group });
    expect(unknown.status).toBe(400);
    const bad = await setMapping({ 'billing-approval': 'Billing Team' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('config_value_invalid');
  });
});
