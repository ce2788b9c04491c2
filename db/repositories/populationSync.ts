import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { populationSyncState } from '../schema';

/** The one change source the register follows (DVV's change interface). */
const STATE_ID = 'dvv';

/** The change token to continue from, or undefined before the first sync. */
export async function readSyncToken(db: DbOrTx): Promise<number | undefined> {
  const [state] = await db.select().from(populationSyncState).where(eq(populationSyncState.id, STATE_ID));
  return state?.token;
}

/** Persists the token after a batch; call it in the batch's transaction. */
export async function saveSyncToken(db: DbOrTx, token: number, upToDate: boolean): Promise<void> {
  await db
    .insert(populationSyncState)
    .values({ id: STATE_ID, token, upToDate })
    .onConflictDoUpdate({ target: populationSyncState.id, set: { token, upToDate, updatedAt: sql`now()` } });
}
