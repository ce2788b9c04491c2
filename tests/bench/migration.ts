import { randomUUID } from 'node:crypto';
import { tsToMs } from '@temporalio/common/lib/time';
import { sql } from 'drizzle-orm';
import { toRfReference } from '../../domain/billing/rfReference';
import { virtualBarcodeV4 } from '../../domain/billing/virtualBarcode';
import { validateBatch, type EntityData, type MigrationEntity } from '../../domain/migration/records';
import { copyRows, rawClient } from '../../db/copy';
import * as repo from '../../db/repositories/migration';
import { approveMigrationBatch, startMigrationReal, startMigrationTest, uploadMigrationBatch, type UploadedFile } from '../../services/migration';
import type { Principal } from '../../services/principal';
import { migrationChunkSize } from '../../workflows/definitions/migration';
import { exportCsv, generateLegacyExport } from '../support/legacyExport';
import { startBenchStack } from './benchStack';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 20_000);
const invoicesPerMember = Number(process.env.BENCH_INVOICES ?? 3);
const chunkSize = Number(process.env.BENCH_CHUNK ?? migrationChunkSize);
const target = 270_000;

const admin: Principal = { kind: 'user', id: 'bench-admin', name: 'Bench Admin', roles: ['admin'] };
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * `npm run bench -- migration`: a generated legacy export (20,000 members by default,
 * BENCH_MEMBERS; persons, memberships, periods, 3 invoices each and their payments, one member in
 * fifty with a fault) uploaded, tested in its throw-away schema, approved and loaded for real, each
 * run timed from start to reconciled (and its time per activity type, from its workflow history);
 * beside the floor: the same valid rows written by PostgreSQL `COPY` into copies of the same
 * tables (their indexes included) in the same run, and again into copies with the register's
 * foreign keys between them. Ratios printed and all extrapolated linearly to 270,000 members.
 */
export async function runMigrationBench() {
  const stack = await startBenchStack();
  const { ctx } = stack;
  const db = ctx.db;
  try {
    const g0 = performance.now();
    const { files } = generateLegacyExport({ members: memberCount, seed: 5, faults: true, prefix: 'B', memberNumberBase: 5_000_000, invoicesPerMember });
    const uploads: UploadedFile[] = (Object.keys(files) as MigrationEntity[]).map((entity) => ({ entity, filename: `${entity}.csv`, format: 'csv', bytes: new TextEncoder().encode(exportCsv(entity, files[entity])) }));
    const rows = Object.values(files).reduce((n, f) => n + f.length, 0);
    const bytes = uploads.reduce((n, f) => n + f.bytes.length, 0);
    await uploadMigrationBatch(ctx, admin, 'bench', uploads);
    console.log(`data: ${memberCount.toLocaleString('en')} members, ${rows.toLocaleString('en')} source rows (${(bytes / 2 ** 20).toFixed(1)} MiB of CSV) generated and uploaded in ${seconds(performance.now() - g0)} s`);

    /** Where a run's time went, from its workflow history: each activity type's time from scheduled to completed, and what is left (the workflow's own turns, starting). */
    const phases = async (runId: string, ms: number) => {
      const scheduled = new Map<string, { type: string; at: number }>();
      const spent = new Map<string, { ms: number; n: number }>();
      for (const e of (await ctx.temporal.workflow.getHandle(runId).fetchHistory()).events ?? []) {
        if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at: tsToMs(e.eventTime) });
        const done = e.activityTaskCompletedEventAttributes;
        const from = done && scheduled.get(String(done.scheduledEventId));
        if (!from) continue;
        const s = spent.get(from.type) ?? { ms: 0, n: 0 };
        spent.set(from.type, { ms: s.ms + tsToMs(e.eventTime) - from.at, n: s.n + 1 });
      }
      const activities = [...spent.values()].reduce((n, s) => n + s.ms, 0);
      return [...[...spent].map(([type, s]) => `${type} ${seconds(s.ms)} s${s.n > 1 ? ` (${s.n})` : ''}`), `the rest ${seconds(ms - activities)} s`].join(', ');
    };
    const run = async (mode: 'test' | 'real') => {
      const t = performance.now();
      const { runId } = mode === 'test' ? await startMigrationTest(ctx, admin, 'bench', { chunkSize }) : await startMigrationReal(ctx, admin, 'bench', { chunkSize });
      await ctx.temporal.workflow.getHandle(runId).result();
      const ms = performance.now() - t;
      return { ms, run: (await repo.findRun(db, runId))!, phases: await phases(runId, ms) };
    };
    const test = await run('test');
    if (test.run.status !== 'passed') throw new Error(`the test run ended ${test.run.status}: ${test.run.error}`);
    await approveMigrationBatch(ctx, admin, 'bench');
    const real = await run('real');
    const report = real.run.report!;
    const outcomes = Object.fromEntries(Object.entries(report.outcomes).map(([e, o]) => [e, `${o.migrated}/${o.rejected}`]));
    const migrated = Object.values(report.outcomes).reduce((n, o) => n + o.migrated, 0);
    const [audits] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'member.migrated'`);
    const [ledger] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_entries`);

    // The floor: the same valid rows, ids made in the client, written with COPY into copies of the tables.
    const valid = new Map<MigrationEntity, { legacyId: string; data: unknown }[]>();
    for (const r of validateBatch(files, {})) {
      if (!r.ok) continue;
      if (!valid.has(r.entity)) valid.set(r.entity, []);
      valid.get(r.entity)!.push({ legacyId: r.legacyId, data: r.data });
    }
    const of = <E extends MigrationEntity>(e: E) => (valid.get(e) ?? []) as { legacyId: string; data: EntityData[E] }[];
    const ids = new Map<string, string>();
    const id = (kind: string, legacyId: string) => {
      const k = `${kind}:${legacyId}`;
      if (!ids.has(k)) ids.set(k, randomUUID());
      return ids.get(k)!;
    };
    const iban = ctx.profile.iban;
    /** The COPY of every table, timed; `foreignKeys` adds the register's foreign keys between the copies first (LIKE does not copy them). */
    const floor = async (foreignKeys: boolean) => {
      await db.execute(sql`DROP SCHEMA IF EXISTS bench_floor CASCADE`);
      await db.execute(sql`CREATE SCHEMA bench_floor`);
      for (const t of ['persons', 'members', 'membership_periods', 'invoices', 'ledger_entries']) await db.execute(sql.raw(`CREATE TABLE bench_floor.${t} (LIKE public.${t} INCLUDING ALL)`));
      if (foreignKeys) {
        for (const [t, column, parent] of [['members', 'person_id', 'persons'], ['membership_periods', 'member_id', 'members'], ['invoices', 'member_id', 'members'], ['ledger_entries', 'member_id', 'members'], ['ledger_entries', 'invoice_id', 'invoices']] as const) {
          await db.execute(sql.raw(`ALTER TABLE bench_floor.${t} ADD FOREIGN KEY (${column}) REFERENCES bench_floor.${parent} (id)`));
        }
      }
      const copy = (table: string, columns: string[], lines: unknown[][]) => copyRows(rawClient(db), `bench_floor.${table}`, columns, lines);
      const f0 = performance.now();
      await copy('persons', ['id', 'identity_code', 'birth_date', 'first_names', 'last_name', 'language', 'email', 'phone', 'street_address', 'postal_code', 'city', 'country', 'non_disclosure', 'delivery_channel'],
        of('persons').map(({ legacyId, data: d }) => [id('p', legacyId), d.identityCode, d.birthDate, d.firstNames, d.lastName, d.language, d.email, d.phone, d.streetAddress, d.postalCode, d.city, d.country, d.nonDisclosure, d.delivery]));
      await copy('members', ['id', 'person_id', 'member_number', 'channel', 'union_code'], of('memberships').map(({ legacyId, data: d }) => [id('m', legacyId), id('p', d.personLegacyId), d.memberNumber, d.channel, d.unionCode]));
      await copy('membership_periods', ['id', 'member_id', 'start_date', 'end_date', 'end_reason', 'ended_by'], of('periods').map(({ legacyId, data: d }) => [id('t', legacyId), id('m', d.membershipLegacyId), d.startDate, d.endDate, d.endReason, d.endDate ? 'migration' : null]));
      await copy('invoices', ['id', 'member_id', 'period_start', 'period_end', 'fee_year', 'amount_cents', 'lines', 'reference', 'rf_reference', 'iban', 'issued_on', 'due_date', 'delivery', 'virtual_barcode', 'status', 'open_cents'],
        of('invoices').map(({ legacyId, data: d }) => [id('i', legacyId), id('m', d.membershipLegacyId), d.periodStart, d.periodEnd, Number(d.periodStart.slice(0, 4)), d.amountCents, [{ month: d.periodStart.slice(0, 7), cents: d.amountCents }], d.reference, toRfReference(d.reference), iban, d.issuedOn, d.dueDate, 'letter', virtualBarcodeV4({ iban, amountCents: d.openCents, reference: d.reference, dueDate: d.dueDate }), d.openCents === 0 ? 'paid' : 'open', d.openCents]));
      await copy('ledger_entries', ['member_id', 'occurred_on', 'kind', 'amount_cents', 'invoice_id', 'description', 'source_key', 'created_by'], [
        ...of('invoices').map(({ legacyId, data: d }) => [id('m', d.membershipLegacyId), d.issuedOn, 'invoice', d.amountCents, id('i', legacyId), 'Invoice migrated from the previous register', `migration:invoice:${legacyId}`, 'migration']),
        ...of('payments').map(({ legacyId, data: d }) => [id('m', d.membershipLegacyId), d.paidOn, 'payment', -d.amountCents, id('i', d.invoiceLegacyId), 'Payment migrated from the previous register', `migration:payment:${legacyId}`, 'migration']),
      ]);
      const ms = performance.now() - f0;
      await db.execute(sql`DROP SCHEMA bench_floor CASCADE`);
      return ms;
    };
    const floorMs = await floor(false);
    const floorFkMs = await floor(true);
    const floorRows = [...valid.values()].reduce((n, v) => n + v.length, 0) + of('invoices').length;

    const scale = target / memberCount;
    const line = (name: string, ms: number) =>
      `${name}: ${seconds(ms)} s, ${(ms / floorMs).toFixed(1)}× the floor (${(ms / floorFkMs).toFixed(1)}× the floor with foreign keys); at ${target.toLocaleString('en')} members ≈ ${seconds(ms * scale)} s (goal ≤ 300 s ${ms * scale <= 300_000 ? 'met' : 'missed'}, ≤ 3× the floor ${ms <= 3 * floorMs ? 'met' : 'missed'})`;
    console.log(`\nmigration bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members, ${rows.toLocaleString('en')} source rows, chunks of ${chunkSize.toLocaleString('en')}`);
    console.log(`floor, COPY of the same ${floorRows.toLocaleString('en')} valid rows (ledger rows included) into copies of the tables: ${seconds(floorMs)} s, ${seconds(floorFkMs)} s with the register's foreign keys between them; at ${target.toLocaleString('en')} members ≈ ${seconds(floorMs * scale)} s (${seconds(floorFkMs * scale)} s)`);
    console.log(line('test run (validate, stage, load into its schema, reconcile, drop)', test.ms));
    console.log(`  ${test.phases}`);
    console.log(line('real run (validate, stage, load, reconcile, member audit)', real.ms));
    console.log(`  ${real.phases}`);
    console.log(`real run: ${real.run.status}, migrated/rejected ${JSON.stringify(outcomes)}, ${migrated.toLocaleString('en')} migrated records, ${ledger!.n.toLocaleString('en')} ledger rows, ${audits!.n.toLocaleString('en')} member audit rows, differences ${report.differences.length}`);
    if (real.run.status === 'failed') throw new Error(`the real run failed: ${real.run.error}`);
  } finally {
    await stack.close();
  }
}
