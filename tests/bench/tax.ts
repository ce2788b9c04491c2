import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { Principal } from '../../services/principal';
import { decideTask } from '../../services/tasks';
import { getTaxRun, startTaxReport } from '../../services/taxReport';
import * as repo from '../../db/repositories/taxReport';
import type { FundProfile } from '../../domain/fundProfile';
import { taxReportSettings } from '../../domain/tax/settings';
import { startBenchStack } from './benchStack';
import { generateMembers } from './generateMembers';

/**
 * `npm run bench -- tax`: the annual tax report over 270,000 members with a year of payments
 * (BENCH_TAX_PAYMENTS per member, default 12: one a month, 3.24 million bank entries and ledger
 * rows; 2 % of members with a refund, 1 % paying through a union). Times the preview (through the
 * workflow, until the approval task) and the file (approval → file made, records kept, sent to the
 * fake channel), beside a SQL floor: one aggregate over the same payments, in the same run. Each
 * step's time is read from the run's workflow history (activity started → completed).
 * BENCH_TAX_REUSE=1 with BENCH_DATABASE_URL: the database already holds this bench's generated
 * register and payments (the same generators), and only the report and the floor are run.
 */
const memberCount = Number(process.env.BENCH_MEMBERS ?? 270_000);
const perMember = Number(process.env.BENCH_TAX_PAYMENTS ?? 12);
const starter: Principal = { kind: 'user', id: 'bench-billing', name: 'Bench Billing', roles: ['billing'] };
const approver: Principal = { kind: 'user', id: 'bench-billing-2', name: 'Bench Approver', roles: ['billing'] };
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function yearOfPayments(db: Database, year: number) {
  const t = performance.now();
  const [file] = await db.execute<{ id: string }>(sql`
    insert into bank_files (format, sha256, filename, content, received_by, status, workflow_id)
    values ('camt054', 'bench-tax', 'bench-tax.xml', '', 'bench', 'processed', 'bench') returning id`);
  // Set-based and without row-by-row triggers: in this transaction only, `session_replication_role =
  // replica` skips the foreign-key checks (every key comes from a join of the rows it names) and the
  // `ledger_entries_booked_on` trigger, whose value the insert writes itself (the booking date where
  // it differs from the ledger date: never here), and the `member_year_money_*` triggers, whose table
  // is made after the load. With the trigger's lookup per row the 3.2 million
  // rows took 250–924 s on the shared machine; real writers keep the trigger. The two tables' plain
  // indexes (not the keys) are dropped for the load and built again after it, as a bulk load does.
  await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    const indexes = await tx.execute<{ name: string; def: string }>(sql`
      select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = 'public' and i.tablename in ('bank_entries', 'ledger_entries')
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`);
    for (const i of indexes) await tx.execute(sql.raw(`drop index "${i.name}"`));
    // One payment a month (or BENCH_TAX_PAYMENTS), 10–30 € each, booked on the 5th.
    await tx.execute(sql`
      insert into bank_entries (archive_id, file_id, booking_date, amount_cents, member_id, status, unallocated_cents)
      select 'TAX-' || m.member_number || '-' || n, ${file!.id}::uuid,
             make_date(${year}, 1 + ((n - 1) % 12), 5), 1000 + (m.member_number % 21) * 100, m.id, 'allocated', 0
        from members m cross join generate_series(1, ${perMember}) n`);
    await tx.execute(sql`
      insert into ledger_entries (member_id, occurred_on, booked_on, kind, amount_cents, bank_entry_id, description, source_key, created_by, collected_by)
      select b.member_id, b.booking_date, null, 'payment', -b.amount_cents, b.id, 'bench', 'payment/' || b.archive_id, 'bench',
             case when m.member_number % 100 = 7 then 'union' else 'fund' end
        from bank_entries b join members m on m.id = b.member_id where b.file_id = ${file!.id}::uuid`);
    await tx.execute(sql`
      insert into ledger_entries (member_id, occurred_on, kind, amount_cents, description, source_key, created_by)
      select m.id, make_date(${year}, 11, 20), 'refund', 500, 'bench', 'refund/bench-' || m.member_number, 'bench'
        from members m where m.member_number % 50 = 3`);
    for (const i of indexes) await tx.execute(sql.raw(i.def));
    // The year's money per member (decision 060): the replica role skipped its statement triggers
    // too, so it is made from the loaded ledger as the migration's backfill makes it.
    const m = performance.now();
    await tx.execute(sql`select member_year_money_rebuild()`);
    console.log(`member_year_money rebuilt from the ledger in ${seconds(performance.now() - m)} s`);
  });
  await db.execute(sql`analyze`);
  const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries`)) as unknown as [{ n: number }];
  console.log(`payments: ${n.toLocaleString('en')} ledger rows for ${year} in ${seconds(performance.now() - t)} s`);
}

/** The floor: one aggregate over the same payments, per member, as plain SQL. */
export async function sqlFloor(db: Database, year: number): Promise<{ ms: number; members: number; totalCents: number }> {
  const t = performance.now();
  const [row] = await db.execute<{ members: number; total: string }>(sql`
    select count(*)::int as members, coalesce(sum(net), 0) as total from (
      select member_id, sum(-amount_cents) as net
        from ledger_entries
       where kind in ('payment', 'reversal', 'refund') and member_id is not null and collected_by = 'fund'
         and occurred_on between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date
       group by member_id) t`);
  return { ms: performance.now() - t, members: row!.members, totalCents: Number(row!.total) };
}

/** BENCH_TAX_EXPLAIN=1: the preview's statement under EXPLAIN (ANALYZE, BUFFERS), rolled back, before the timed run. */
async function explainPreview(ctx: { db: Database; profile: FundProfile }, year: number) {
  const rolledBack = new Error('rolled back');
  await ctx.db
    .transaction(async (tx) => {
      const t = performance.now();
      await repo.prepareStaging(tx);
      console.log(`prepareStaging: ${seconds(performance.now() - t)} s`);
      const plan = await tx.execute<{ 'QUERY PLAN': string }>(sql`EXPLAIN (ANALYZE, BUFFERS) ${repo.stagingStatement('bench-explain', year, taxReportSettings(ctx.profile))}`);
      console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      throw rolledBack;
    })
    .catch((e: unknown) => {
      if (e !== rolledBack) throw e;
    });
}

/** Each activity of the run, started → completed, from its workflow history (where the time goes). */
async function activitySteps(handle: { fetchHistory(): Promise<{ events?: TemporalEvent[] | null }> }) {
  const at = (e: TemporalEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);
  const scheduled = new Map<string, string>();
  const started = new Map<string, number>();
  const out: { name: string; ms: number }[] = [];
  for (const e of (await handle.fetchHistory()).events ?? []) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) scheduled.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    if (e.activityTaskStartedEventAttributes) started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), at(e));
    if (e.activityTaskCompletedEventAttributes) {
      const sid = String(e.activityTaskCompletedEventAttributes.scheduledEventId);
      out.push({ name: scheduled.get(sid) ?? '?', ms: at(e) - (started.get(sid) ?? at(e)) });
    }
  }
  return out;
}
type TemporalEvent = {
  eventId?: unknown;
  eventTime?: { seconds?: unknown; nanos?: number | null } | null;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null;
  activityTaskStartedEventAttributes?: { scheduledEventId?: unknown } | null;
  activityTaskCompletedEventAttributes?: { scheduledEventId?: unknown } | null;
};

export async function runTaxBench() {
  const stack = await startBenchStack();
  const { ctx } = stack;
  const db = ctx.db;
  const year = Number(ctx.today().slice(0, 4)) - 1;
  try {
    if (process.env.BENCH_TAX_REUSE !== '1') {
      await generateMembers(db, memberCount);
      await yearOfPayments(db, year);
    }

    if (process.env.BENCH_TAX_EXPLAIN === '1') await explainPreview(ctx, year);
    const t0 = performance.now();
    const started = await startTaxReport(ctx, starter, { year, kind: 'annual' });
    // Watches the run's row only (cheap), so the watching does not compete with the run.
    const row = async () => (await repo.findRun(db, started.id))!;
    let state = await row();
    while (state.status !== 'awaiting-approval') {
      if (state.status === 'failed') throw new Error(`tax run failed: ${state.error}`);
      await sleep(100);
      state = await row();
    }
    const previewMs = performance.now() - t0;
    let run = await getTaxRun(ctx, starter, started.id);
    const t1 = performance.now();
    await decideTask(ctx, approver, run.approvalTaskId!, { decision: 'approve' });
    while (!(await repo.fileOfRun(db, started.id))?.sentAt) {
      state = await row();
      if (state.status === 'failed') throw new Error(`tax run failed: ${state.error}`);
      await sleep(100);
    }
    const fileMs = performance.now() - t1;
    run = await getTaxRun(ctx, starter, started.id);
    const floor = await sqlFloor(db, year);
    const floor2 = await sqlFloor(db, year);
    const floorMs = Math.min(floor.ms, floor2.ms);
    const wholeMs = previewMs + fileMs;
    const s = run.summary!;
    console.log(`machine: ${stack.machine}`);
    console.log(`members: ${memberCount.toLocaleString('en')}, payments per member: ${perMember}, payment year ${year}`);
    console.log(`preview (start → approval task, through the workflow): ${seconds(previewMs)} s — ${s.members.toLocaleString('en')} members, ${s.outgoing.toLocaleString('en')} records, ${(s.outgoingCents / 100).toLocaleString('en')} €, exceptions ${JSON.stringify(s.exceptions)}`);
    console.log(`file (approval → file made, ${run.file!.recordCount.toLocaleString('en')} records kept, sent): ${seconds(fileMs)} s`);
    console.log(`SQL floor (one aggregate over the same payments): ${seconds(floorMs)} s — ${floor.members.toLocaleString('en')} members, ${(floor.totalCents / 100).toLocaleString('en')} €`);
    console.log(`whole report: ${seconds(wholeMs)} s = ${(wholeMs / floorMs).toFixed(1)} × the floor (goal ≤ 20 s and ≤ 3×)`);
    for (const step of await activitySteps(ctx.temporal.workflow.getHandle(started.id))) console.log(`  step ${step.name}: ${seconds(step.ms)} s`);
    if (floor.totalCents !== s.outgoingCents) console.log(`note: floor total ${floor.totalCents} vs report ${s.outgoingCents} (the floor nets refunds by ledger date, as the report does)`);
    await ctx.temporal.workflow.getHandle(started.id).terminate('bench done');
  } finally {
    await stack.close();
  }
}
