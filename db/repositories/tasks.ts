import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { applications, bankEntries, members, persons, taskGroupMembers, tasks } from '../schema';
import { recordTaskHistory } from './taskQueue';

export type TaskRow = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;

/**
 * Idempotent on (workflow, task key): a retried activity finds the task it already opened. Its
 * history starts with 'created'. `kindGroup`: the candidate group the fund maps the task's kind to
 * (domain/taskGroups.ts, decision 030); a task that names no group of its own gets it when that
 * group has members.
 */
export async function upsertTask(db: DbOrTx, task: NewTask, kindGroup?: string | null): Promise<TaskRow> {
  return db.transaction(async (tx) => {
    const existing = await findByKey(tx, task.workflowId, task.taskKey);
    if (existing) return existing;
    const candidateGroup = task.candidateGroup !== undefined ? task.candidateGroup : await groupWithMembers(tx, kindGroup ?? null);
    const inserted = await tx
      .insert(tasks)
      .values({ ...task, candidateGroup })
      .onConflictDoNothing({ target: [tasks.workflowId, tasks.taskKey] })
      .returning();
    if (inserted[0]) {
      await recordTaskHistory(tx, [{ taskId: inserted[0].id, event: 'created', details: { kind: inserted[0].kind, ...(candidateGroup ? { group: candidateGroup } : {}) } }]);
      return inserted[0];
    }
    return (await findByKey(tx, task.workflowId, task.taskKey))!;
  });
}

async function findByKey(db: DbOrTx, workflowId: string, taskKey: string): Promise<TaskRow | undefined> {
  const rows = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.workflowId, workflowId), eq(tasks.taskKey, taskKey)));
  return rows[0];
}

/** The group when somebody is in it; null otherwise (a group nobody is in would hide the task from all but supervisors). */
async function groupWithMembers(db: DbOrTx, group: string | null): Promise<string | null> {
  if (!group) return null;
  const rows = await db.select({ userId: taskGroupMembers.userId }).from(taskGroupMembers).where(eq(taskGroupMembers.groupCode, group)).limit(1);
  return rows.length > 0 ? group : null;
}

/** Closes a task with its outcome; the first close writes 'closed' to its history (a retried one only repeats the outcome). */
export async function closeTask(db: DbOrTx, id: string, outcome: string): Promise<void> {
  await db.transaction(async (tx) => {
    const closed = await tx
      .update(tasks)
      .set({ status: 'closed', outcome, closedAt: sql`now()` })
      .where(and(eq(tasks.id, id), eq(tasks.status, 'open')))
      .returning({ id: tasks.id });
    if (closed.length > 0) {
      await recordTaskHistory(tx, [{ taskId: id, event: 'closed', details: { outcome } }]);
      return;
    }
    await tx
      .update(tasks)
      .set({ status: 'closed', outcome, closedAt: sql`coalesce(${tasks.closedAt}, now())` })
      .where(eq(tasks.id, id));
  });
}

export async function findTask(db: DbOrTx, id: string): Promise<TaskRow | undefined> {
  const rows = await db.select().from(tasks).where(eq(tasks.id, id));
  return rows[0];
}

export interface TaskFilter {
  roles: string[];
  status?: 'open' | 'closed';
  queue?: string;
  kind?: string;
  claimed?: 'me' | 'unclaimed' | 'any';
  userId?: string;
  sort?: 'priority' | 'due';
  limit?: number;
  offset?: number;
  /** Candidate groups the user belongs to; 'all' for a supervisor, who sees every group's tasks. */
  groups?: readonly string[] | 'all';
  /** Only this group's tasks. */
  group?: string;
  /** Only the tasks of these groups (the user's own groups: the queue's "my groups"); none: no task. */
  inGroups?: readonly string[];
  /** Only tasks this user holds (a supervisor's per-holder view). */
  holder?: string;
  /** Tasks waiting for a follow-up date: hidden (the default), only them, or both. */
  followUp?: 'hide' | 'only' | 'any';
  /** Only overdue tasks. */
  overdue?: boolean;
  /** Today in Helsinki (YYYY-MM-DD): a follow-up on a later day hides the task. */
  today?: string;
}

/** The tasks a user may see by role and candidate group (the server's filter for lists and counts). */
export function visibleTo(f: Pick<TaskFilter, 'roles' | 'groups'>): SQL {
  const byRole = inArray(tasks.requiredRole, f.roles.length ? f.roles : ['-']);
  if (f.groups === 'all') return byRole;
  const groups = f.groups ?? [];
  return and(byRole, groups.length ? or(isNull(tasks.candidateGroup), inArray(tasks.candidateGroup, [...groups])) : isNull(tasks.candidateGroup))!;
}

/** Open tasks whose follow-up date is still ahead: hidden from the queue until that day. */
export function waitingForFollowUp(today: string): SQL {
  return and(isNotNull(tasks.followUpOn), gt(tasks.followUpOn, today))!;
}

function conditionsOf(f: TaskFilter): SQL[] {
  const conditions: SQL[] = [visibleTo(f)];
  conditions.push(eq(tasks.status, f.status ?? 'open'));
  if (f.queue) conditions.push(eq(tasks.queue, f.queue));
  if (f.kind) conditions.push(eq(tasks.kind, f.kind));
  if (f.claimed === 'me' && f.userId) conditions.push(eq(tasks.claimedBy, f.userId));
  if (f.claimed === 'unclaimed') conditions.push(isNull(tasks.claimedBy));
  if (f.group) conditions.push(eq(tasks.candidateGroup, f.group));
  if (f.inGroups) conditions.push(f.inGroups.length ? inArray(tasks.candidateGroup, [...f.inGroups]) : sql`false`);
  if (f.holder) conditions.push(eq(tasks.claimedBy, f.holder));
  if (f.overdue) conditions.push(lt(tasks.dueAt, sql`now()`));
  const today = f.today ?? new Date().toISOString().slice(0, 10);
  if ((f.followUp ?? 'hide') === 'hide') conditions.push(or(isNull(tasks.followUpOn), lte(tasks.followUpOn, today))!);
  if (f.followUp === 'only') conditions.push(waitingForFollowUp(today));
  return conditions;
}

export async function listTasks(db: DbOrTx, f: TaskFilter): Promise<{ items: TaskRow[]; total: number }> {
  const where = and(...conditionsOf(f));
  const order = f.sort === 'due' ? [asc(tasks.dueAt), asc(tasks.priority)] : [asc(tasks.priority), asc(tasks.dueAt)];
  const [items, count] = await Promise.all([
    db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(...order, desc(tasks.createdAt))
      .limit(f.limit ?? 50)
      .offset(f.offset ?? 0),
    db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(where),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

/** Claims an open task for a user unless someone else holds it; returns the row after the attempt and whether it changed. */
export async function claimTask(db: DbOrTx, id: string, userId: string, userName: string): Promise<{ row: TaskRow | undefined; changed: boolean }> {
  const changed = await db
    .update(tasks)
    .set({ claimedBy: userId, claimedByName: userName, claimedAt: sql`now()` })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open'), isNull(tasks.claimedBy)))
    .returning({ id: tasks.id });
  return { row: await findTask(db, id), changed: changed.length > 0 };
}

/** Releases an open task (the holder's own, or anyone's when forced); true when it was held. */
export async function unclaimTask(db: DbOrTx, id: string, userId: string, force: boolean): Promise<{ row: TaskRow | undefined; changed: boolean }> {
  const owner = force ? isNotNull(tasks.claimedBy) : eq(tasks.claimedBy, userId);
  const changed = await db
    .update(tasks)
    .set({ claimedBy: null, claimedByName: null, claimedAt: null })
    .where(and(eq(tasks.id, id), owner))
    .returning({ id: tasks.id });
  return { row: await findTask(db, id), changed: changed.length > 0 };
}

/**
 * Gives an open task to a user, only while its holder is still `expectedHolder` (null: nobody),
 * so a supervisor acting on a stale view changes nothing. Undefined when the holder moved on.
 */
export async function assignTask(db: DbOrTx, id: string, to: { id: string; name: string }, expectedHolder: string | null): Promise<TaskRow | undefined> {
  const rows = await db
    .update(tasks)
    .set({ claimedBy: to.id, claimedByName: to.name, claimedAt: sql`now()` })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open'), expectedHolder === null ? isNull(tasks.claimedBy) : eq(tasks.claimedBy, expectedHolder)))
    .returning();
  return rows[0];
}

export async function setFollowUp(db: DbOrTx, id: string, followUpOn: string | null): Promise<TaskRow | undefined> {
  const rows = await db
    .update(tasks)
    .set({ followUpOn })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open')))
    .returning();
  return rows[0];
}

export async function setCandidateGroup(db: DbOrTx, id: string, group: string | null): Promise<TaskRow | undefined> {
  const rows = await db
    .update(tasks)
    .set({ candidateGroup: group })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open')))
    .returning();
  return rows[0];
}

/** Open tasks the user may see, per kind: how many, how many overdue, how many wait for a follow-up. */
export async function countsByKind(db: DbOrTx, f: Pick<TaskFilter, 'roles' | 'groups'> & { today: string }) {
  return db
    .select({
      kind: tasks.kind,
      open: sql<number>`count(*) filter (where ${tasks.followUpOn} is null or ${tasks.followUpOn} <= ${f.today})::int`,
      overdue: sql<number>`count(*) filter (where ${tasks.dueAt} < now() and (${tasks.followUpOn} is null or ${tasks.followUpOn} <= ${f.today}))::int`,
      followUp: sql<number>`count(*) filter (where ${tasks.followUpOn} > ${f.today})::int`,
    })
    .from(tasks)
    .where(and(visibleTo(f), eq(tasks.status, 'open')))
    .groupBy(tasks.kind)
    .orderBy(asc(tasks.kind));
}

/** Who holds what: open tasks per holder (a supervisor's view), with overdue ones. */
export async function countsByHolder(db: DbOrTx, f: Pick<TaskFilter, 'roles' | 'groups'>) {
  return db
    .select({
      userId: sql<string>`${tasks.claimedBy}`,
      name: sql<string>`max(${tasks.claimedByName})`,
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`count(*) filter (where ${tasks.dueAt} < now())::int`,
      oldestClaimedAt: sql<Date | null>`min(${tasks.claimedAt})`,
    })
    .from(tasks)
    .where(and(visibleTo(f), eq(tasks.status, 'open'), isNotNull(tasks.claimedBy)))
    .groupBy(tasks.claimedBy)
    .orderBy(desc(sql`count(*)`), asc(sql`max(${tasks.claimedByName})`));
}

/** The open tasks about the member or about any of the member's applications. */
export async function openTasksAboutMember(db: DbOrTx, memberId: string): Promise<TaskRow[]> {
  const ofApplications = db.select({ id: applications.id }).from(applications).where(eq(applications.memberId, memberId));
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.status, 'open'), or(eq(tasks.subjectId, memberId), inArray(tasks.subjectId, ofApplications))));
}

/** Closes every open task about one of `subjectIds` with `outcome`. */
export async function closeOpenTasksAbout(db: DbOrTx, subjectIds: string[], outcome: string): Promise<void> {
  if (subjectIds.length === 0) return;
  await db.transaction(async (tx) => {
    const closed = await tx
      .update(tasks)
      .set({ status: 'closed', outcome, closedAt: sql`now()` })
      .where(and(eq(tasks.status, 'open'), inArray(tasks.subjectId, subjectIds)))
      .returning({ id: tasks.id });
    await recordTaskHistory(tx, closed.map((t) => ({ taskId: t.id, event: 'closed' as const, details: { outcome } })));
  });
}

/** Open tasks in id order after `afterId`, a page at a time. */
export async function openTasksPage(db: DbOrTx, afterId: string | null, limit: number): Promise<Pick<TaskRow, 'id' | 'workflowId'>[]> {
  return db
    .select({ id: tasks.id, workflowId: tasks.workflowId })
    .from(tasks)
    .where(and(eq(tasks.status, 'open'), afterId === null ? undefined : gt(tasks.id, afterId)))
    .orderBy(asc(tasks.id))
    .limit(limit);
}

/** Closes a task whose process has ended as 'orphaned'; false when it was closed meanwhile. */
export async function closeOrphanedTask(db: DbOrTx, id: string): Promise<boolean> {
  const changed = await db
    .update(tasks)
    .set({ status: 'closed', outcome: 'orphaned', closedAt: sql`now()` })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open')))
    .returning({ id: tasks.id });
  await recordTaskHistory(db, changed.map((t) => ({ taskId: t.id, event: 'closed' as const, details: { outcome: 'orphaned' } })));
  return changed.length > 0;
}

/** Who or what a task is about, as the work queue shows it: a name, when it came in, and how. */
export interface TaskAbout {
  name: string | null;
  receivedOn: string | null;
  channel: string | null;
}

/**
 * What the queue row needs to tell tasks apart, per task id: an application's applicant, received
 * date and channel; a member's name; an unmatched payment's payer and booking date. Billing runs
 * are named by their id already and get nothing.
 */
export async function aboutTasks(db: DbOrTx, rows: Pick<TaskRow, 'id' | 'subjectType' | 'subjectId'>[]): Promise<Map<string, TaskAbout>> {
  const idsOf = (type: string) => [...new Set(rows.filter((r) => r.subjectType === type).map((r) => r.subjectId))];
  const [apps, mems, entries] = await Promise.all([
    idsOf('application').length
      ? db
          .select({
            id: applications.id,
            firstNames: sql<string>`${applications.data}->>'firstNames'`,
            lastName: sql<string>`${applications.data}->>'lastName'`,
            receivedOn: applications.receivedOn,
            channel: applications.channel,
          })
          .from(applications)
          .where(inArray(applications.id, idsOf('application')))
      : [],
    idsOf('member').length
      ? db
          .select({ id: members.id, firstNames: persons.firstNames, lastName: persons.lastName })
          .from(members)
          .innerJoin(persons, eq(persons.id, members.personId))
          .where(inArray(members.id, idsOf('member')))
      : [],
    idsOf('bank-entry').length
      ? db.select({ id: bankEntries.id, debtorName: bankEntries.debtorName, bookingDate: bankEntries.bookingDate }).from(bankEntries).where(inArray(bankEntries.id, idsOf('bank-entry')))
      : [],
  ]);
  const bySubject = new Map<string, TaskAbout>();
  for (const a of apps) bySubject.set(a.id, { name: `${a.lastName} ${a.firstNames}`, receivedOn: a.receivedOn, channel: a.channel });
  for (const m of mems) bySubject.set(m.id, { name: `${m.lastName} ${m.firstNames}`, receivedOn: null, channel: null });
  for (const e of entries) bySubject.set(e.id, { name: e.debtorName, receivedOn: e.bookingDate, channel: 'bank' });
  const out = new Map<string, TaskAbout>();
  for (const r of rows) {
    const about = bySubject.get(r.subjectId);
    if (about) out.set(r.id, about);
  }
  return out;
}

/** The open tasks a process opened (closed with it when the process ends another way). */
export async function openTasksOfWorkflow(db: DbOrTx, workflowId: string): Promise<TaskRow[]> {
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.workflowId, workflowId), eq(tasks.status, 'open')));
}
