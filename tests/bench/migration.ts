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
import { startBenchStack, topStatements } from './benchStack';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 20_000);
const invoicesPerMember = Number(process.env.BENCH_INVOICES ?? 3);
const chunkSize = Number(process.env.BENCH_CHUNK ?? migrationChunkSize);
/** The format's version 2 files too (collection state, transferred periods, tax reports, messages, applications), unless BENCH_FORMAT=1. */
const version2 = process.env.BENCH_FORMAT !== '1';
const target = 270_000;

const admin: Principal = { kind: 'user', id: 'bench-admin', name: 'Bench Admin', roles: ['admin'] };
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/**
 * `npm run bench -- migration`: a generated legacy export (20,000 members by default,
 * BENCH_MEMBERS; persons, memberships, periods, 3 invoices each and their payments, one member in
 * fifty with a fault; since decision 051 the format's version 2 files too — collection state,
 * transferred periods, tax reports, messages sent, applications — unless BENCH_FORMAT=1) uploaded, tested in its throw-away schema, approved and loaded for real, each
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
    // Until the end of February: each member's three invoices and payments reach back into the year before, whose tax reports the export then has.
    const v2 = version2 ? { collectionState: true, transferredPeriods: true, taxReports: true, messages: true, applications: Math.round(memberCount / 100), until: '2026-02-28' } : {};
    const { files } = generateLegacyExport({ members: memberCount, seed: 5, faults: true, prefix: 'B', memberNumberBase: 5_000_000, invoicesPerMember, ...v2 });
    const uploads: UploadedFile[] = (Object.keys(files) as MigrationEntity[]).filter((entity) => files[entity].length > 0).map((entity) => ({ entity, filename: `${entity}.csv`, format: 'csv', bytes: new TextEncoder().encode(exportCsv(entity, files[entity])) }));
    const rows = Object.values(files).reduce((n, f) => n + f.length, 0);
    const bytes = uploads.reduce((n, f) => n + f.bytes.length, 0);
    await uploadMigrationBatch(ctx, admin, 'bench', uploads);
    console.log(`data: ${memberCount.toLocaleString('en')} members, ${rows.toLocaleString('en')} source rows (${(bytes / 2 ** 20).toFixed(1)} MiB of CSV) generated and uploaded in ${seconds(performance.now() - g0)} s`);

    /**
     * Where a run's time went, from its workflow history: each activity type's time from the first
     * scheduled to the last completed (since decision 064 the load's lanes run side by side, so its
     * activities' own times, also given, add up to more), and what is left (the workflow's own turns, starting).
     */
    const phases = async (runId: string, ms: number) => {
      const scheduled = new Map<string, { type: string; at: number }>();
      const spent = new Map<string, { ms: number; n: number; from: number; to: number }>();
      for (const e of (await ctx.temporal.workflow.getHandle(runId).fetchHistory()).events ?? []) {
        if (e.activityTaskScheduledEventAttributes) scheduled.set(String(e.eventId), { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at: tsToMs(e.eventTime) });
        const done = e.activityTaskCompletedEventAttributes;
        const from = done && scheduled.get(String(done.scheduledEventId));
        if (!from) continue;
        const at = tsToMs(e.eventTime);
        const s = spent.get(from.type) ?? { ms: 0, n: 0, from: from.at, to: at };
        spent.set(from.type, { ms: s.ms + at - from.at, n: s.n + 1, from: Math.min(s.from, from.at), to: Math.max(s.to, at) });
      }
      const activities = [...spent.values()].reduce((n, s) => n + s.to - s.from, 0);
      return [...[...spent].map(([type, s]) => `${type} ${seconds(s.to - s.from)} s${s.n > 1 ? ` (${s.n}, ${seconds(s.ms)} s of activities)` : ''}`), `the rest ${seconds(ms - activities)} s`].join(', ');
    };
    /** The server's write-ahead log written so far and the checkpoints it took (requested: the log outgrew max_wal_size). */
    const walNow = async () => {
      const [w] = await db.execute<{ bytes: string; requested: number; timed: number }>(sql`SELECT (SELECT wal_bytes FROM pg_stat_wal)::text AS bytes, num_requested::int AS requested, num_timed::int AS timed FROM pg_stat_checkpointer`);
      return { bytes: Number(w!.bytes), requested: w!.requested, timed: w!.timed };
    };
    const run = async (mode: 'test' | 'real') => {
      await topStatements(db);
      const wal0 = await walNow();
      const t = performance.now();
      const { runId } = mode === 'test' ? await startMigrationTest(ctx, admin, 'bench', { chunkSize }) : await startMigrationReal(ctx, admin, 'bench', { chunkSize });
      await ctx.temporal.workflow.getHandle(runId).result();
      const ms = performance.now() - t;
      const wal1 = await walNow();
      const wal = `${((wal1.bytes - wal0.bytes) / 2 ** 30).toFixed(2)} GiB of write-ahead log, checkpoints ${wal1.requested - wal0.requested} requested + ${wal1.timed - wal0.timed} timed`;
      const statements = await topStatements(db, 25);
      return { ms, run: (await repo.findRun(db, runId))!, phases: `${await phases(runId, ms)}; ${wal}`, statements };
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
    for (const r of validateBatch(files, {}, { reminderLevels: ctx.profile.collection.levels.length })) {
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
    let floorRows = 0;
    const floorTables = ['persons', 'members', 'membership_periods', 'invoices', 'ledger_entries', ...(version2 ? ['collection_reminders', 'collection_holds', 'hearings', 'collection_hearing_starts', 'transferred_periods', 'tax_migrated_records', 'messages', 'applications'] : [])];
    const floorForeignKeys: [string, string, string][] = [['members', 'person_id', 'persons'], ['membership_periods', 'member_id', 'members'], ['invoices', 'member_id', 'members'], ['ledger_entries', 'member_id', 'members'], ['ledger_entries', 'invoice_id', 'invoices']];
    if (version2) {
      floorForeignKeys.push(['collection_reminders', 'invoice_id', 'invoices'], ['collection_reminders', 'member_id', 'members'], ['collection_holds', 'member_id', 'members'], ['hearings', 'member_id', 'members'], ['collection_hearing_starts', 'invoice_id', 'invoices'], ['collection_hearing_starts', 'member_id', 'members'], ['transferred_periods', 'member_id', 'members'], ['tax_migrated_records', 'member_id', 'members'], ['messages', 'member_id', 'members']);
    }
    /** The COPY of every table, timed; `foreignKeys` adds the register's foreign keys between the copies first (LIKE does not copy them). */
    const floor = async (foreignKeys: boolean) => {
      await db.execute(sql`DROP SCHEMA IF EXISTS bench_floor CASCADE`);
      await db.execute(sql`CREATE SCHEMA bench_floor`);
      for (const t of floorTables) await db.execute(sql.raw(`CREATE TABLE bench_floor.${t} (LIKE public.${t} INCLUDING ALL)`));
      if (foreignKeys) {
        for (const [t, column, parent] of floorForeignKeys) {
          await db.execute(sql.raw(`ALTER TABLE bench_floor.${t} ADD FOREIGN KEY (${column}) REFERENCES bench_floor.${parent} (id)`));
        }
      }
      floorRows = 0;
      const copy = (table: string, columns: string[], lines: unknown[][]) => {
        floorRows += lines.length;
        // In a transaction of its own: on the pool, a COPY's connection was handed to the migrated intakes' queries meanwhile (COPY_IN_PROGRESS).
        return rawClient(db).begin((tx) => copyRows(tx, `bench_floor.${table}`, columns, lines));
      };
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
      if (version2) {
        // The version 2 files' rows, as the loader writes them (decision 047): the collection state as the register's reminders, holds, hearings and hearing starts.
        const invoiceOf = new Map(of('invoices').map(({ legacyId, data: d }) => [legacyId, { id: id('i', legacyId), memberId: id('m', d.membershipLegacyId), openCents: d.openCents }]));
        const states = of('collection').flatMap((r) => (invoiceOf.has(r.data.invoiceLegacyId) ? [{ ...r, inv: invoiceOf.get(r.data.invoiceLegacyId)! }] : []));
        await copy('collection_reminders', ['invoice_id', 'member_id', 'level', 'run_date', 'sent_on', 'new_due_date', 'open_cents', 'channel', 'message_key', 'status'],
          states.filter((r) => r.data.reminderLevel !== null).map(({ legacyId, data: d, inv }) => [inv.id, inv.memberId, d.reminderLevel, d.reminderDate, d.reminderDate, d.reminderDueDate, inv.openCents, 'letter', `migration:collection:${legacyId}:${d.reminderLevel}`, 'sent']));
        const holds = new Map<string, { reason: string; until: string }>();
        for (const { data: d, inv } of states) if (d.holdReason && d.holdUntil && (holds.get(inv.memberId)?.until ?? '') < d.holdUntil) holds.set(inv.memberId, { reason: d.holdReason, until: d.holdUntil });
        await copy('collection_holds', ['member_id', 'reason', 'until', 'set_by'], [...holds].map(([memberId, h]) => [memberId, h.reason, h.until, 'migration']));
        const inHearing = states.filter((r) => r.data.hearingStartedOn && r.data.hearingDeadline);
        const hearingOf = new Map<string, { invoiceIds: string[]; overdue: number; startedOn: string; deadline: string }>();
        for (const { data: d, inv } of inHearing) {
          const h = hearingOf.get(inv.memberId) ?? { invoiceIds: [], overdue: 0, startedOn: d.hearingStartedOn!, deadline: d.hearingDeadline! };
          h.invoiceIds.push(inv.id);
          h.overdue += inv.openCents;
          hearingOf.set(inv.memberId, h);
        }
        await copy('hearings', ['member_id', 'workflow_id', 'invoice_ids', 'overdue_cents', 'started_on', 'deadline', 'status'], [...hearingOf].map(([memberId, h]) => [memberId, `collection-hearing/${memberId}`, h.invoiceIds, h.overdue, h.startedOn, h.deadline, 'open']));
        await copy('collection_hearing_starts', ['invoice_id', 'member_id', 'workflow_id', 'started_on', 'overdue_cents', 'migrated'], inHearing.map(({ inv }) => [inv.id, inv.memberId, `collection-hearing/${inv.memberId}`, hearingOf.get(inv.memberId)!.startedOn, inv.openCents, true]));
        await copy('transferred_periods', ['member_id', 'fund_name', 'fund_business_id', 'start_date', 'end_date', 'paid_through', 'recorded_by'],
          of('transferred_periods').map(({ data: d }) => [id('m', d.membershipLegacyId), d.fundName, d.fundBusinessId, d.startDate, d.endDate, d.paidThrough, 'migration']));
        await copy('tax_migrated_records', ['member_id', 'year', 'identity_code', 'name', 'amount_cents', 'reported_on'], of('tax_reports').map(({ data: d }) => [id('m', d.membershipLegacyId), d.year, d.identityCode, d.name, d.amountCents, d.reportedOn]));
        const personOf = new Map(of('memberships').map(({ legacyId, data: d }) => [legacyId, d.personLegacyId]));
        const personLanguage = new Map(of('persons').map(({ legacyId, data: d }) => [legacyId, d.language]));
        await copy('messages', ['message_key', 'kind', 'member_id', 'language', 'recipient', 'subject', 'body', 'status', 'channel', 'template_version', 'created_at', 'sent_at'],
          of('messages').map(({ legacyId, data: d }) => [`migration:message:${legacyId}`, d.kind, id('m', d.membershipLegacyId), personLanguage.get(personOf.get(d.membershipLegacyId) ?? '') ?? 'fi', { name: '' }, '', '', 'sent', d.channel, 'migration', `${d.sentOn} 00:00+02`, `${d.sentOn} 00:00+02`]));
        await copy('applications', ['id', 'idempotency_key', 'channel', 'submitted_by', 'received_on', 'received_by', 'identity_code', 'data', 'status', 'workflow_id'],
          of('applications').map(({ legacyId, data: d }) => [id('a', legacyId), `migration:${legacyId}`, 'migration', 'migration', d.receivedOn, 'fund', d.application.identityCode, d.application, 'received', `application/${id('a', legacyId)}`]));
      }
      const ms = performance.now() - f0;
      await db.execute(sql`DROP SCHEMA bench_floor CASCADE`);
      return ms;
    };
    const floorMs = await floor(false);
    const floorFkMs = await floor(true);

    const scale = target / memberCount;
    const line = (name: string, ms: number) =>
      `${name}: ${seconds(ms)} s, ${(ms / floorMs).toFixed(1)}× the floor (${(ms / floorFkMs).toFixed(1)}× the floor with foreign keys); at ${target.toLocaleString('en')} members ≈ ${seconds(ms * scale)} s (goal ≤ 300 s ${ms * scale <= 300_000 ? 'met' : 'missed'}, ≤ 3× the floor ${ms <= 3 * floorMs ? 'met' : 'missed'})`;
    console.log(`\nmigration bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members, ${rows.toLocaleString('en')} source rows, chunks of ${chunkSize.toLocaleString('en')}`);
    console.log(`floor, COPY of the same ${floorRows.toLocaleString('en')} valid rows (ledger rows included) into copies of the tables (${floorTables.length}): ${seconds(floorMs)} s, ${seconds(floorFkMs)} s with the register's foreign keys between them; at ${target.toLocaleString('en')} members ≈ ${seconds(floorMs * scale)} s (${seconds(floorFkMs * scale)} s)`);
    console.log(line('test run (validate, stage, load into its schema, reconcile, drop)', test.ms));
    console.log(`  ${test.phases}`);
    for (const s of test.statements) console.log(`    ${s}`);
    console.log(line('real run (validate, stage, load, reconcile, member audit)', real.ms));
    console.log(`  ${real.phases}`);
    for (const s of real.statements) console.log(`    ${s}`);
    console.log(`real run: ${real.run.status}, migrated/rejected ${JSON.stringify(outcomes)}, ${migrated.toLocaleString('en')} migrated records, ${ledger!.n.toLocaleString('en')} ledger rows, ${audits!.n.toLocaleString('en')} member audit rows, differences ${report.differences.length}`);
    if (real.run.status === 'failed') throw new Error(`the real run failed: ${real.run.error}`);
  } finally {
    await stack.close();
  }
}
