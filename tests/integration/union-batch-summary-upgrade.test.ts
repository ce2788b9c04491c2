/**
 * Migration 0036 on a register that already received union batches (decision 050): a database of
 * its own at the schema before it, given a finished batch and an interrupted one as the previous
 * release wrote them, then upgraded. The finished batch gets its summary from its lines; the
 * interrupted one stays without, so the list still counts its lines.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { databaseAt, tagBefore } from '../support/upgradeDatabase';

let upgrading: Awaited<ReturnType<typeof databaseAt>>;
let db: postgres.Sql;

beforeAll(async () => {
  upgrading = await databaseAt(inject('databaseUrl'), tagBefore('0036_union_batch_summary'));
  db = upgrading.db;
}, 120_000);

afterAll(() => upgrading?.drop());

describe('migration 0036: finished union batches keep their counts', () => {
  it('summarises a finished batch from its lines and leaves an interrupted one to be counted', async () => {
    const [finished, interrupted] = [randomUUID(), randomUUID()];
    await db`insert into union_batches (id, union_code, batch_key, sha256, format, received_by, event_count, created_at) values
      (${finished}, '015', 'b-1', 'x', 'api', 'union-015', 3, '2026-11-02T08:00:00Z'),
      (${interrupted}, '015', 'b-2', 'y', 'api', 'union-015', 3, '2026-11-03T08:00:00Z')`;
    await db`insert into union_batch_lines (batch_id, line_no, kind, outcome, updated_at) values
      (${finished}, 1, 'join', 'application-started', '2026-11-02T08:00:01Z'),
      (${finished}, 2, 'remittance', 'booked', '2026-11-02T08:00:02Z'),
      (${finished}, 3, 'join', 'application-started', '2026-11-02T08:00:03Z'),
      (${interrupted}, 1, 'leave', 'not_found', '2026-11-03T08:00:01Z')`;

    await upgrading.upgrade();

    const rows = await db`select id, lines_done, outcomes, completed_at from union_batches order by created_at`;
    expect(rows.map((r) => ({ ...r, completed_at: r.completed_at && new Date(r.completed_at as string) }))).toEqual([
      { id: finished, lines_done: 3, outcomes: { 'application-started': 2, booked: 1 }, completed_at: new Date('2026-11-02T08:00:03Z') },
      { id: interrupted, lines_done: null, outcomes: null, completed_at: null },
    ]);
  }, 120_000);
});
