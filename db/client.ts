import type { Logger, SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { rawClient } from './copy';
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

const dialect = new PgDialect();

/**
 * Runs a statement as a named prepared statement: each pooled connection parses and plans it once
 * and then only binds and executes it (drizzle's `execute` sends every statement unnamed, parsed
 * and planned anew). For hot statements whose text is the same every time (values only as
 * parameters): the single membership read spent twice as long being planned as being run
 * (docs/decisions/042-ekj-lookup-throughput.md). Rows come back as `execute` gives them.
 */
export async function executePrepared<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  // Through drizzle's logger when the handle has one (`drizzle(client, { logger })`), as `execute` would.
  (db as unknown as { session?: { logger?: Logger } }).session?.logger?.logQuery(text, params);
  return (await rawClient(db).unsafe(text, params as never[], { prepare: true })) as unknown as T[];
}
