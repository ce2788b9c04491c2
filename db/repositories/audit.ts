import { auditLog } from '../schema';
import type { DbOrTx } from '../client';

export interface AuditEntry {
  actor: string;
  actorKind: 'user' | 'client' | 'public' | 'system';
  action: string;
  entityType: string;
  entityId: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit trail; callers pass ids and field names, never personal data. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}
