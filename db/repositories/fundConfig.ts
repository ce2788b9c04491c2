import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { fundConfigOverrides } from '../schema';

export type FundConfigRow = typeof fundConfigOverrides.$inferSelect;
export type NewFundConfigRow = typeof fundConfigOverrides.$inferInsert;

/** Every override of the fund, oldest first (the history and the input of the effective profile). */
export async function listOverrides(db: DbOrTx, fundId: string): Promise<FundConfigRow[]> {
  return db.select().from(fundConfigOverrides).where(eq(fundConfigOverrides.fundId, fundId)).orderBy(asc(fundConfigOverrides.id));
}

export async function listOverridesOf(db: DbOrTx, fundId: string, key: string): Promise<FundConfigRow[]> {
  return db
    .select()
    .from(fundConfigOverrides)
    .where(and(eq(fundConfigOverrides.fundId, fundId), eq(fundConfigOverrides.key, key)))
    .orderBy(asc(fundConfigOverrides.id));
}

export async function insertOverrides(db: DbOrTx, rows: NewFundConfigRow[]): Promise<FundConfigRow[]> {
  if (rows.length === 0) return [];
  return db.insert(fundConfigOverrides).values(rows).returning();
}
