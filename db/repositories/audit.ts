import { and, desc, eq } from 'drizzle-orm';
import { auditLog } from '../schema';
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

/** True when something was already audited about this entity (a retried step finds its own row). */
export async function hasAuditFor(db: DbOrTx, entityType: string, entityId: string): Promise<boolean> {
  const rows = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId))).limit(1);
  return rows.length > 0;
}

/** The entity's audit trail, newest first. */
export async function auditTrailOf(db: DbOrTx, entityType: string, entityId: string, limit: number) {
  return db.select().from(auditLog).where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId))).orderBy(desc(auditLog.at)).limit(limit);
}
