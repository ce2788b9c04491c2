import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle; repositories accept either it or the database. */
export type DbOrTx = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DbHandle {
  db: Database;
  close(): Promise<void>;
}

/** Opens a pooled connection; `max` bounds the pool per process. */
export function connectDatabase(url: string, max = 10): DbHandle {
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: 'jasenrekisteri' } });
  const db = drizzle(client, { schema });
  return { db, close: () => client.end({ timeout: 5 }) };
}
