import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { connectDatabase } from './client';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any fixed number: the advisory lock under which one process at a time migrates. */
const MIGRATION_LOCK = 4_717_001;

/**
 * Applies every pending schema migration; safe to call on each start, also from several web and
 * worker processes starting at once: they take turns under a PostgreSQL advisory lock.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  const handle = connectDatabase(url, 1);
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(handle.db, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
    await lock.end({ timeout: 5 });
    await handle.close();
  }
}
