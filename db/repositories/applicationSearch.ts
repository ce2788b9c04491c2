import { and, asc, desc, eq, inArray, not, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { applications, auditLog, messages, tasks } from '../schema';

export interface ApplicationHit {
  id: string;
  firstNames: string;
  lastName: string;
  identityCode: string;
  status: string;
  channel: string;
  receivedOn: string;
  memberId: string | null;
  openTaskId: string | null;
}

/** "last first" in lower case, as applications_name_trgm_idx indexes it. */
const applicantName = sql`lower((${applications.data}->>'lastName') || ' ' || (${applications.data}->>'firstNames'))`;

const escapeLike = (s: string) => s.replace(/[%_\\]/g, '\\$&');

async function hits(db: DbOrTx, where: SQL, limit: number): Promise<ApplicationHit[]> {
  const rows = await db
    .select({
      id: applications.id,
      firstNames: sql<string>`${applications.data}->>'firstNames'`,
      lastName: sql<string>`${applications.data}->>'lastName'`,
      identityCode: applications.identityCode,
      status: applications.status,
      channel: applications.channel,
      receivedOn: applications.receivedOn,
      memberId: applications.memberId,
    })
    .from(applications)
    .where(where)
    .orderBy(desc(applications.receivedOn), desc(applications.createdAt))
    .limit(limit);
  if (rows.length === 0) return [];
  const open = await db
    .select({ id: tasks.id, subjectId: tasks.subjectId })
    .from(tasks)
    .where(and(eq(tasks.status, 'open'), inArray(tasks.subjectId, rows.map((r) => r.id))));
  return rows.map((r) => ({ ...r, openTaskId: open.find((t) => t.subjectId === r.id)?.id ?? null }));
}

export const applicationById = (db: DbOrTx, id: string) => hits(db, eq(applications.id, id), 1);

/** Applications made with the identity code (applications_identity_code_idx). */
export const applicationsByIdentityCode = (db: DbOrTx, code: string, limit: number) => hits(db, eq(applications.identityCode, code), limit);

/** Every word must occur in the applicant's "last first" (the trigram index serves words of three letters or more). */
export const applicationsByName = (db: DbOrTx, words: string[], limit: number) =>
  hits(db, and(...words.map((w) => sql`${applicantName} like ${'%' + escapeLike(w) + '%'}`))!, limit);

/** The tasks the application's process opened, oldest first. */
export async function tasksOfApplication(db: DbOrTx, applicationId: string) {
  return db.select().from(tasks).where(eq(tasks.subjectId, applicationId)).orderBy(asc(tasks.createdAt));
}

/** What happened to the application: its audit events other than reads, and the messages about it. */
export async function historyOfApplication(db: DbOrTx, applicationId: string) {
  const [events, sent] = await Promise.all([
    db
      .select({ at: auditLog.at, action: auditLog.action, actor: auditLog.actor })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'application'), eq(auditLog.entityId, applicationId), not(sql`${auditLog.action} like '%.read'`)))
      .orderBy(asc(auditLog.at))
      .limit(200),
    db
      .select({ at: messages.createdAt, kind: messages.kind, status: messages.status })
      .from(messages)
      .where(eq(messages.applicationId, applicationId))
      .orderBy(asc(messages.createdAt))
      .limit(100),
  ]);
  return { events, messages: sent };
}
