import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { auditLog, invoices, tasks } from '../schema';
import type { AuditAction } from '../../domain/vocabulary';
import type { DbOrTx } from '../client';

export interface AuditEntry {
  actor: string;
  actorKind: 'user' | 'client' | 'public' | 'system';
  action: AuditAction;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail; callers pass ids and field names, never personal data. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}

/** Appends several records in one statement (a batch read: one per member read). */
export async function recordAudits(db: DbOrTx, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // One parameter for all rows: a 1,000-row VALUES list of bound parameters costs ten times more to build and plan.
  const payload = entries.map((e) => ({ actor: e.actor, actor_kind: e.actorKind, action: e.action, entity_type: e.entityType, entity_id: e.entityId, details: e.details ?? {} }));
  await db.execute(sql`
    INSERT INTO audit_log (actor, actor_kind, action, entity_type, entity_id, details)
    SELECT actor, actor_kind, action, entity_type, entity_id, details
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(actor text, actor_kind text, action text, entity_type text, entity_id text, details jsonb)`);
}

/** True when something was already audited about this entity (a retried step finds its own row). */
export async function hasAuditFor(db: DbOrTx, entityType: string, entityId: string): Promise<boolean> {
  const rows = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId))).limit(1);
  return rows.length > 0;
}

/** The entity's audit trail, newest first. */
export async function auditTrailOf(db: DbOrTx, entityType: string, entityId: string, limit: number) {
  return db.select().from(auditLog).where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId))).orderBy(desc(auditLog.at)).limit(limit);
}

export interface AuditLogFilter {
  /** Entities to include, as (type, ids): a member and their applications and tasks. */
  entities?: { type: string; ids: string[] }[];
  actor?: string;
  action?: string;
  from?: Date;
  /** Exclusive. */
  to?: Date;
  limit: number;
  offset: number;
}

/** The audit log newest first, filtered (audit_log_at_idx, _actor_idx, _action_idx, _entity_idx). */
export async function searchAuditLog(db: DbOrTx, f: AuditLogFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (f.entities) {
    const parts = f.entities.filter((e) => e.ids.length > 0).map((e) => and(eq(auditLog.entityType, e.type), inArray(auditLog.entityId, e.ids)));
    conditions.push(parts.length ? or(...parts) : sql`false`);
  }
  if (f.actor) conditions.push(eq(auditLog.actor, f.actor));
  if (f.action) conditions.push(eq(auditLog.action, f.action));
  if (f.from) conditions.push(gte(auditLog.at, f.from));
  if (f.to) conditions.push(lt(auditLog.at, f.to));
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(f.limit)
    .offset(f.offset);
}

/** The ids of the tasks about any of `subjectIds`, and of the member's invoices: what else the log says about a member. */
export async function idsAboutMember(db: DbOrTx, memberId: string, subjectIds: string[]) {
  const [taskRows, invoiceRows] = await Promise.all([
    db.select({ id: tasks.id }).from(tasks).where(inArray(tasks.subjectId, subjectIds)),
    db.select({ id: invoices.id }).from(invoices).where(eq(invoices.memberId, memberId)),
  ]);
  return { taskIds: taskRows.map((t) => t.id), invoiceIds: invoiceRows.map((i) => i.id) };
}
