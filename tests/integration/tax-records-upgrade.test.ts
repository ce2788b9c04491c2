/**
 * Migration 0032 on a register that already filed tax reports (decision 041): a database of its own
 * is brought to 0031, given a filed run as the previous release wrote it (staged rows, a file, the
 * copied records, one of them rejected), then upgraded to the latest schema. The run's records and
 * their outcomes read the same through the new view, and the staged rows carry the file's numbers.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { databaseAt } from '../support/upgradeDatabase';

let upgrading: Awaited<ReturnType<typeof databaseAt>>;
let db: postgres.Sql;

beforeAll(async () => {
  upgrading = await databaseAt(inject('databaseUrl'), '0031_channel_templates');
  db = upgrading.db;
}, 120_000);

afterAll(() => upgrading?.drop());

describe('migration 0032: staged rows become the reported records', () => {
  it("keeps a filed run's records, numbers and rejections", async () => {
    const run = 'tax-report/2030';
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const fileId = randomUUID();
    // As 0031's file step left it: three staged rows, the second an exception with no record; the
    // records numbered 1 and 2 in the run's order, the second rejected by the Tax Administration.
    await db`insert into tax_report_runs (id, year, kind, status, started_by, workflow_id) values (${run}, 2030, 'annual', 'acknowledged', 'test', ${run})`;
    await db`insert into tax_report_items (run_id, seq, member_id, net_cents, exceptions, record_kind, identity_code, name, amount_cents) values
      (${run}, 1, ${a}, 9600, '{}', 'new', '010170-999R', 'Aalto Aino', 9600),
      (${run}, 2, ${b}, 0, '{missing-identity-code}', null, null, 'Berg Bo', null),
      (${run}, 3, ${c}, 4800, '{}', 'new', '020280-998S', 'Carlsson Cid', 4800)`;
    await db`insert into tax_report_files (id, run_id, year, sha256, content, record_count, total_cents, status) values (${fileId}, ${run}, 2030, 'x', 'x', 2, 14400, 'records-rejected')`;
    await db`insert into tax_reported_records (file_id, run_id, year, record_number, member_id, kind, identity_code, name, amount_cents, status, rejection_reason) values
      (${fileId}, ${run}, 2030, 1, ${a}, 'new', '010170-999R', 'Aalto Aino', 9600, 'accepted', null),
      (${fileId}, ${run}, 2030, 2, ${c}, 'new', '020280-998S', 'Carlsson Cid', 4800, 'rejected', 'Henkilötunnus virheellinen')`;

    await upgrading.upgrade();

    const items = await db`select seq, record_number from tax_report_items where run_id = ${run} order by seq`;
    expect(items.map((r) => [r.seq, r.record_number])).toEqual([
      [1, 1],
      [2, null],
      [3, 2],
    ]);
    const records = await db`select record_number, member_id, kind, identity_code, name, amount_cents, status, rejection_reason from tax_reported_records where file_id = ${fileId} order by record_number`;
    expect(records.map((r) => ({ ...r }))).toEqual([
      { record_number: 1, member_id: a, kind: 'new', identity_code: '010170-999R', name: 'Aalto Aino', amount_cents: 9600, status: 'accepted', rejection_reason: null },
      { record_number: 2, member_id: c, kind: 'new', identity_code: '020280-998S', name: 'Carlsson Cid', amount_cents: 4800, status: 'rejected', rejection_reason: 'Henkilötunnus virheellinen' },
    ]);
  }, 120_000);
});
