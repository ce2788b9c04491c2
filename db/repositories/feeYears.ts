import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { billingRuns, feeYears } from '../schema';
import type { FeeYear } from '../../domain/billing/fees';

export type FeeYearRow = typeof feeYears.$inferSelect;
export type NewFeeYear = typeof feeYears.$inferInsert;

export async function listFeeYears(db: DbOrTx, fundId: string): Promise<FeeYearRow[]> {
  return db.select().from(feeYears).where(eq(feeYears.fundId, fundId)).orderBy(feeYears.year);
}

export async function findFeeYear(db: DbOrTx, fundId: string, year: number): Promise<FeeYearRow | undefined> {
  const [row] = await db.select().from(feeYears).where(and(eq(feeYears.fundId, fundId), eq(feeYears.year, year)));
  return row;
}

/** Inserts or replaces the fund's fee for the year. */
export async function upsertFeeYear(db: DbOrTx, row: NewFeeYear): Promise<FeeYearRow> {
  const [saved] = await db
    .insert(feeYears)
    .values(row)
    .onConflictDoUpdate({
      target: [feeYears.fundId, feeYears.year],
      set: { model: row.model, monthlyCents: row.monthlyCents ?? null, yearlyCents: row.yearlyCents ?? null, confirmed: row.confirmed, note: row.note, setBy: row.setBy, setAt: sql`now()` },
    })
    .returning();
  return saved!;
}

export function toFeeYear(row: Pick<FeeYearRow, 'model' | 'monthlyCents' | 'yearlyCents' | 'confirmed'>): FeeYear {
  return row.model === 'per-month'
    ? { model: 'per-month', monthlyCents: row.monthlyCents ?? 0, confirmed: row.confirmed }
    : { model: 'per-year-by-month', yearlyCents: row.yearlyCents ?? 0, confirmed: row.confirmed };
}

/** The fund's fee years as set in the register, by year; domain `withFeeYears` lays them over the profile's. */
export async function registerFeeYears(db: DbOrTx, fundId: string): Promise<Record<string, FeeYear>> {
  const rows = await listFeeYears(db, fundId);
  return Object.fromEntries(rows.map((r) => [String(r.year), toFeeYear(r)]));
}

/** Billing runs of a fee year that use or have used its fee: while one exists the fee cannot change. */
export async function runsHoldingFeeYear(db: DbOrTx, year: number) {
  return db
    .select({ id: billingRuns.id, status: billingRuns.status })
    .from(billingRuns)
    .where(and(eq(billingRuns.feeYear, year), inArray(billingRuns.status, ['previewing', 'awaiting-approval', 'committing', 'committed'])));
}

/**
 * Serialises setting a year's fee with starting a billing run of that year (transaction-scoped
 * advisory lock): a run never starts on a fee that is being changed under it.
 */
export async function lockFeeYear(db: DbOrTx, fundId: string, year: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`fee-year/${fundId}/${year}`}))`);
}
