import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { messageTemplateVersions } from '../schema';

export type TemplateVersionRow = typeof messageTemplateVersions.$inferSelect;
export type NewTemplateVersionRow = typeof messageTemplateVersions.$inferInsert;

/** Every stored template version of the fund, oldest first (the history and the input of the templates in force). */
export async function listTemplateVersions(db: DbOrTx, fundId: string): Promise<TemplateVersionRow[]> {
  return db.select().from(messageTemplateVersions).where(eq(messageTemplateVersions.fundId, fundId)).orderBy(asc(messageTemplateVersions.id));
}

/** The versions of one kind in one language: the common text's (channel null) or one channel's own. */
export async function listTemplateVersionsOf(db: DbOrTx, fundId: string, kind: string, language: string, channel: string | null = null): Promise<TemplateVersionRow[]> {
  const ofChannel = channel === null ? isNull(messageTemplateVersions.channel) : eq(messageTemplateVersions.channel, channel);
  return db
    .select()
    .from(messageTemplateVersions)
    .where(and(eq(messageTemplateVersions.fundId, fundId), eq(messageTemplateVersions.kind, kind), eq(messageTemplateVersions.language, language), ofChannel))
    .orderBy(asc(messageTemplateVersions.id));
}

export async function insertTemplateVersion(db: DbOrTx, row: NewTemplateVersionRow): Promise<TemplateVersionRow> {
  const [saved] = await db.insert(messageTemplateVersions).values(row).returning();
  return saved!;
}

/** Several versions at once (an imported configuration document); nothing for an empty list. */
export async function insertTemplateVersions(db: DbOrTx, rows: NewTemplateVersionRow[]): Promise<TemplateVersionRow[]> {
  if (rows.length === 0) return [];
  return db.insert(messageTemplateVersions).values(rows).returning();
}
