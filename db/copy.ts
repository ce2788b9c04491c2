/**
 * PostgreSQL `COPY … FROM STDIN` (text format) through the postgres.js client drizzle was made
 * with: the plainest and fastest way to write many rows (a migration's staged records, the
 * benchmarks' floors).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql, TransactionSql } from 'postgres';
import type { Database } from './client';

const needsEscape = /[\\\t\n\r]/;

/** A COPY text field: \N for null, objects as JSON, backslash, tab and line breaks escaped. */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  // Most fields have nothing to escape (JSON writes line breaks and tabs inside strings as \n and \t): one scan instead of four replacements.
  if (!needsEscape.test(s)) return s;
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/** The postgres.js client under a drizzle database (or one of its `begin` transactions). */
export const rawClient = (db: Database): Sql => (db as Database & { $client: Sql }).$client;

/**
 * Writes `rows` into `table (columns)` with one COPY statement on `client` (a transaction of
 * `rawClient(db).begin` to commit it with other statements): all rows or, on an error, none.
 */
export async function copyRows(client: Sql | TransactionSql, table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<void> {
  const writable = await client.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN`).writable();
  await pipeline(
    Readable.from(
      (function* () {
        let part = '';
        for (const row of rows) {
          part += row.map(copyField).join('\t') + '\n';
          if (part.length >= 1 << 16) {
            yield part;
            part = '';
          }
        }
        if (part) yield part;
      })(),
    ),
    writable,
  );
}
