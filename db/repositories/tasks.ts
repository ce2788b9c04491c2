import { and, asc, desc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { applications, bankEntries, members, persons, tasks } from '../schema';

export type TaskRow = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;

/** Idempotent on (workflow, task key): a retried activity finds the task it already opened. */
export async function upsertTask(db: DbOrTx, task: NewTask): Promise<TaskRow> {
  const inserted = await db.insert(tasks).values(task).onConflictDoNothing({ target: [tasks.workflowId, tasks.taskKey] }).returning();
  if (inserted[0]) return inserted[0];
  const rows = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.workflowId, task.workflowId), eq(tasks.taskKey, task.taskKey)));
  return rows[0]!;
}

export async function closeTask(db: DbOrTx, id: string, outcome: string): Promise<void> {
  await db
    .update(tasks)
    .set({ status: 'closed', outcome, closedAt: sql`coalesce(${tasks.closedAt}, now())` })
    .where(eq(tasks.id, id));
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
}

export async function listTasks(db: DbOrTx, f: TaskFilter): Promise<{ items: TaskRow[]; total: number }> {
  const conditions: SQL[] = [inArray(tasks.requiredRole, f.roles.length ? f.roles : ['-'])];
  conditions.push(eq(tasks.status, f.status ?? 'open'));
  if (f.queue) conditions.push(eq(tasks.queue, f.queue));
  if (f.kind) conditions.push(eq(tasks.kind, f.kind));
  if (f.claimed === 'me' && f.userId) conditions.push(eq(tasks.claimedBy, f.userId));
  if (f.claimed === 'unclaimed') conditions.push(isNull(tasks.claimedBy));
  const where = and(...conditions);
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

/** Claims an open task for a user unless someone else holds it; returns the row after the attempt. */
export async function claimTask(db: DbOrTx, id: string, userId: string, userName: string): Promise<TaskRow | undefined> {
  await db
    .update(tasks)
    .set({ claimedBy: userId, claimedByName: userName, claimedAt: sql`now()` })
    .where(and(eq(tasks.id, id), eq(tasks.status, 'open'), or(isNull(tasks.claimedBy), eq(tasks.claimedBy, userId))));
  return findTask(db, id);
}

export async function unclaimTask(db: DbOrTx, id: string, userId: string, force: boolean): Promise<TaskRow | undefined> {
  const owner = force ? sql`true` : eq(tasks.claimedBy, userId);
  await db
    .update(tasks)
    .set({ claimedBy: null, claimedByName: null, claimedAt: null })
    .where(and(eq(tasks.id, id), owner));
  return findTask(db, id);
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
  await db
    .update(tasks)
    .set({ status: 'closed', outcome, closedAt: sql`now()` })
    .where(and(eq(tasks.status, 'open'), inArray(tasks.subjectId, subjectIds)));
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
