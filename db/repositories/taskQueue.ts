import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { TaskHistoryEvent } from '../../domain/vocabulary';
import type { DbOrTx } from '../client';
import { deskSessions, savedTaskFilters, taskGroupMembers, taskHistory } from '../schema';

/*
 * The team side of the work queue (docs/decisions/024-work-queue-for-a-team.md): each task's
 * history, candidate groups and their members, saved filters, and the desk users a task may be
 * given to.
 */

export interface NewTaskHistory {
  taskId: string;
  event: TaskHistoryEvent;
  /** The desk user who did it; none when the process did. */
  actor?: { id: string; name: string };
  details?: Record<string, string | null>;
}

/** Appends to tasks' histories; call it in the transaction that makes the change. */
export async function recordTaskHistory(db: DbOrTx, entries: readonly NewTaskHistory[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(taskHistory).values(entries.map((e) => ({ taskId: e.taskId, event: e.event, actorId: e.actor?.id ?? null, actorName: e.actor?.name ?? null, details: e.details ?? {} })));
}

/** A task's history, oldest first. */
export async function historyOf(db: DbOrTx, taskId: string) {
  return db.select().from(taskHistory).where(eq(taskHistory.taskId, taskId)).orderBy(asc(taskHistory.at), asc(taskHistory.id));
}

/** The candidate groups a user belongs to. */
export async function groupsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db.select({ group: taskGroupMembers.groupCode }).from(taskGroupMembers).where(eq(taskGroupMembers.userId, userId));
  return rows.map((r) => r.group);
}

/** Every group with its members, by group code and name. */
export async function listGroups(db: DbOrTx) {
  return db.select().from(taskGroupMembers).orderBy(asc(taskGroupMembers.groupCode), asc(taskGroupMembers.userName));
}

/** Replaces a group's members (an empty list removes the group). */
export async function setGroupMembers(db: DbOrTx, group: string, members: readonly { id: string; name: string }[], addedBy: string): Promise<void> {
  await db.delete(taskGroupMembers).where(eq(taskGroupMembers.groupCode, group));
  if (members.length) await db.insert(taskGroupMembers).values(members.map((m) => ({ groupCode: group, userId: m.id, userName: m.name, addedBy })));
}

/**
 * The desk users known to the register: everyone who has signed in, with the name and roles of
 * their newest session (the IdP owns the users; the register knows those who came).
 */
export async function knownDeskUsers(db: DbOrTx): Promise<{ id: string; name: string; roles: string[] }[]> {
  const rows = await db
    .selectDistinctOn([deskSessions.userId], { id: deskSessions.userId, name: deskSessions.userName, roles: deskSessions.roles })
    .from(deskSessions)
    .orderBy(deskSessions.userId, desc(deskSessions.createdAt));
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'fi'));
}

export async function findDeskUser(db: DbOrTx, userId: string): Promise<{ id: string; name: string; roles: string[] } | undefined> {
  const rows = await db
    .select({ id: deskSessions.userId, name: deskSessions.userName, roles: deskSessions.roles })
    .from(deskSessions)
    .where(eq(deskSessions.userId, userId))
    .orderBy(desc(deskSessions.createdAt))
    .limit(1);
  return rows[0];
}

export async function savedFiltersOf(db: DbOrTx, userId: string) {
  return db.select().from(savedTaskFilters).where(eq(savedTaskFilters.userId, userId)).orderBy(asc(savedTaskFilters.name));
}

/** Saves a filter under its name; saving a name again replaces that filter. */
export async function saveFilter(db: DbOrTx, userId: string, name: string, filter: Record<string, string>) {
  const rows = await db
    .insert(savedTaskFilters)
    .values({ userId, name, filter })
    .onConflictDoUpdate({ target: [savedTaskFilters.userId, savedTaskFilters.name], set: { filter, createdAt: sql`now()` } })
    .returning();
  return rows[0]!;
}

/** Deletes the user's own filter; false when they have none by that id. */
export async function deleteFilter(db: DbOrTx, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(savedTaskFilters)
    .where(and(eq(savedTaskFilters.id, id), eq(savedTaskFilters.userId, userId)))
    .returning({ id: savedTaskFilters.id });
  return rows.length > 0;
}

export async function countSavedFilters(db: DbOrTx, userId: string): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(savedTaskFilters).where(eq(savedTaskFilters.userId, userId));
  return rows[0]?.n ?? 0;
}
