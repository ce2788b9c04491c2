/** Fee exemptions of a member, a union's and the fund's (decisions 031 and 038). */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { feeExemptions } from '../schema';

export type FeeExemptionRow = typeof feeExemptions.$inferSelect;

export async function exemptionsOf(db: DbOrTx, memberId: string): Promise<FeeExemptionRow[]> {
  return db.select().from(feeExemptions).where(eq(feeExemptions.memberId, memberId)).orderBy(asc(feeExemptions.startDate), asc(feeExemptions.createdAt));
}

/** The fund's exemptions of the member that share a day with [start, end] (end null: open). */
export async function overlappingFundExemptions(db: DbOrTx, memberId: string, start: string, end: string | null, exceptId?: string): Promise<FeeExemptionRow[]> {
  return db
    .select()
    .from(feeExemptions)
    .where(
      and(
        eq(feeExemptions.memberId, memberId),
        eq(feeExemptions.source, 'fund'),
        sql`(${feeExemptions.endDate} IS NULL OR ${feeExemptions.endDate} >= ${start}::date)`,
        end === null ? sql`true` : sql`${feeExemptions.startDate} <= ${end}::date`,
        exceptId ? sql`${feeExemptions.id} <> ${exceptId}` : sql`true`,
      ),
    );
}

export async function insertFundExemption(db: DbOrTx, row: { memberId: string; startDate: string; endDate: string | null; reason: string; grantedBy: string }): Promise<FeeExemptionRow> {
  return (await db.insert(feeExemptions).values({ ...row, source: 'fund', unionCode: null }).returning())[0]!;
}

export async function findExemption(db: DbOrTx, memberId: string, id: string): Promise<FeeExemptionRow | undefined> {
  return (await db.select().from(feeExemptions).where(and(eq(feeExemptions.id, id), eq(feeExemptions.memberId, memberId))))[0];
}

export async function endFundExemption(db: DbOrTx, id: string, end: { endDate: string; endReason: string; endedBy: string }): Promise<FeeExemptionRow> {
  return (await db.update(feeExemptions).set({ ...end, updatedAt: sql`now()` }).where(eq(feeExemptions.id, id)).returning())[0]!;
}
