/**
 * A database of a test's own at an earlier schema, for testing a migration on data the previous
 * release wrote: created empty, migrated with the journal up to (and including) `lastTag`, and
 * dropped at the end. `upgrade()` then brings it to the latest schema as a release does.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { expect } from 'vitest';
import { migrateDatabase } from '../../db/migrate';

interface JournalEntry {
  tag: string;
}

const journalOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8')) as { entries: JournalEntry[] };

/** The tag the journal has just before `tag` (the release before the one that brought it). */
export function tagBefore(tag: string): string {
  const entries = journalOf('db/migrations').entries;
  const at = entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  return entries[at - 1]!.tag;
}

/** The migrations folder as the previous release shipped it: the journal up to `lastTag`. */
function migrationsUpTo(lastTag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  cpSync('db/migrations', dir, { recursive: true });
  const journal = journalOf(dir);
  const last = journal.entries.findIndex((e) => e.tag === lastTag);
  expect(last).toBeGreaterThan(0);
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return dir;
}

export async function databaseAt(databaseUrl: string, lastTag: string) {
  const name = `upgrade_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const folder = migrationsUpTo(lastTag);
  await migrate(drizzle(db), { migrationsFolder: folder });
  return {
    db,
    upgrade: () => migrateDatabase(url.toString()),
    async drop() {
      await db.end({ timeout: 5 });
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
