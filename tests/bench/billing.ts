import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { Principal } from '../../services/principal';
import { getBillingRun, startBillingRun, type BillingRunView } from '../../services/billing';
import { getPaymentFile, importPaymentFile } from '../../services/payments';
import { decideTask } from '../../services/tasks';
import { addDays } from '../../domain/dates';
import { feeRuleForYear, monthlyFeeCents } from '../../domain/billing/fees';
import type { FundProfile } from '../../domain/fundProfile';
import { camt054, type CamtEntry } from '../support/camt054File';
import { startBenchStack } from './benchStack';
import { generateMembers } from './generateMembers';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 270_000);
const paymentCount = Number(process.env.BENCH_PAYMENTS ?? 100_000);
/** The period billed: the data set's own year, so joiners and leavers are billed pro rata. */
const period = process.env.BENCH_PERIOD ?? '2026';

const billingUser: Principal = { kind: 'user', id: 'bench-billing', name: 'Bench Billing', roles: ['billing'] };
/** Four eyes: a second billing user approves the run the first one started. */
const approver: Principal = { kind: 'user', id: 'bench-billing-2', name: 'Bench Approver', roles: ['billing'] };
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForRun(ctx: Parameters<typeof getBillingRun>[0], id: string, done: (run: BillingRunView) => boolean): Promise<BillingRunView> {
  for (;;) {
    const run = await getBillingRun(ctx, billingUser, id);
    if (run.status === 'failed' || run.status === 'rejected') throw new Error(`billing run ${id} ended ${run.status}`);
    if (done(run)) return run;
    await sleep(200);
  }
}

const invoiceColumns = sql.raw(
  'member_id, run_id, period_start, period_end, fee_year, amount_cents, lines, reference, rf_reference, iban, issued_on, due_date, delivery, virtual_barcode, virtual_barcode_v5, open_cents',
);

/** An empty copy of the invoices table with the same indexes and unique constraints. */
async function freshInvoiceCopy(db: Database) {
  await db.execute(sql`drop table if exists bench_floor_invoices`);
  await db.execute(sql`create table bench_floor_invoices (like invoices including all)`);
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

/**
 * The floor the goal compares against: billing as one plain INSERT … SELECT, computing the same
 * invoice rows from the register (billable months, fee, national and RF reference, virtual
 * barcode, delivery channel) straight into an empty copy of the invoices table; then checked
 * column by column against what the run issued, so it is the same work. Also timed: copying the
 * run's finished rows (the bare write, no computation at all).
 */
async function invoiceInsertFloor(db: Database, run: { id: string; periodStart: string; periodEnd: string; feeYear: number; dueDate: string }, profile: FundProfile) {
  const rule = feeRuleForYear(profile, run.feeYear);
  const monthCents = Array.from({ length: 12 }, (_, i) => monthlyFeeCents(rule, i + 1));
  const ibanDigits = profile.iban.replace(/\s/g, '').slice(2);
  const [{ issuedOn }] = (await db.execute<{ issuedOn: string }>(sql`select min(issued_on)::text as "issuedOn" from invoices where run_id = ${run.id}`)) as unknown as [{ issuedOn: string }];

  await freshInvoiceCopy(db);
  const computedMs = await timed(() =>
    db.execute(sql`
      insert into bench_floor_invoices (${invoiceColumns})
      select m.id, ${run.id}, ${run.periodStart}::date, ${run.periodEnd}::date, ${run.feeYear}::int, f.amount, f.lines, r.reference,
             'RF' || rf.rf_check || r.reference,
             ${profile.iban}, ${issuedOn}::date, ${run.dueDate}::date, d.delivery,
             '4' || ${ibanDigits} || lpad((f.amount / 100)::text, 6, '0') || lpad((f.amount % 100)::text, 2, '0') || '000'
                 || lpad(r.reference, 20, '0') || to_char(${run.dueDate}::date, 'YYMMDD'),
             '5' || ${ibanDigits} || lpad((f.amount / 100)::text, 6, '0') || lpad((f.amount % 100)::text, 2, '0') || rf.rf_check
                 || lpad(r.reference, 21, '0') || to_char(${run.dueDate}::date, 'YYMMDD'),
             f.amount
        from members m
        join persons p on p.id = m.person_id
        cross join lateral (
          select sum((${`{${monthCents.join(',')}}`}::int[])[extract(month from mo)::int])::int as amount,
                 jsonb_agg(jsonb_build_object('month', to_char(mo, 'YYYY-MM'), 'cents', (${`{${monthCents.join(',')}}`}::int[])[extract(month from mo)::int]) order by mo) as lines
            from generate_series(${run.periodStart}::date, ${run.periodEnd}::date, interval '1 month') mo
           where exists (
             select 1 from membership_periods mp
              where mp.member_id = m.id
                and mp.start_date <= (mo + interval '1 month' - interval '1 day')::date
                and coalesce(least(mp.end_date, p.date_of_death), mp.end_date, p.date_of_death, 'infinity'::date) >= mo::date
                and (p.date_of_death is null or mp.start_date <= p.date_of_death))
        ) f
        cross join lateral (select m.member_number::text || lpad((${run.feeYear}::int % 100)::text, 2, '0') as base) b
        cross join lateral (
          select b.base || ((10 - sum(substr(reverse(b.base), k, 1)::int * (array[7, 3, 1])[(k - 1) % 3 + 1]) % 10) % 10)::text as reference
            from generate_series(1, length(b.base)) k
        ) r
        cross join lateral (select lpad((98 - ((r.reference || '271500')::numeric % 97))::text, 2, '0') as rf_check) rf
        cross join lateral (
          select case when p.delivery_channel = 'e-invoice' and p.e_invoice_consent and p.e_invoice_address is not null and p.e_invoice_operator is not null then 'e-invoice'
                      when p.delivery_channel <> 'letter' and p.email is not null then 'email'
                      else 'letter' end as delivery
        ) d
       where m.channel = 'direct' and f.amount > 0`),
  );
  const [check] = await db.execute<{ floor: number; issued: number }>(sql`
    select (select count(*) from bench_floor_invoices)::int as floor, (select count(*) from invoices where run_id = ${run.id})::int as issued`);
  const [diff] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n
      from (select ${invoiceColumns} from invoices where run_id = ${run.id}
            except all
            select ${invoiceColumns} from bench_floor_invoices) x`);
  if (check!.floor !== check!.issued || diff!.n !== 0) {
    throw new Error(`the floor statement wrote ${check!.floor} rows, the run issued ${check!.issued}; ${diff!.n} of the run's rows differ`);
  }

  await freshInvoiceCopy(db);
  const copyMs = await timed(() =>
    db.execute(sql`insert into bench_floor_invoices (${invoiceColumns}) select ${invoiceColumns} from invoices where run_id = ${run.id}`),
  );
  await db.execute(sql`drop table bench_floor_invoices`);
  return { computedMs, copyMs, rows: check!.issued };
}

/**
 * Bank entries for `count` of the run's invoices: mostly exact payments, some partial, some over,
 * and a few the fund cannot place (unknown reference, none at all), as a real day's file has.
 */
async function paymentEntries(db: Database, runId: string, count: number): Promise<CamtEntry[]> {
  const rows = await db.execute<{ reference: string; amount: number }>(sql`
    select reference, amount_cents as amount from invoices where run_id = ${runId} order by invoice_number limit ${count}`);
  return rows.map((r, i): CamtEntry => {
    const archiveId = `BENCH${String(i).padStart(11, '0')}`;
    const kind = i % 100;
    if (kind < 90) return { archiveId, amountCents: r.amount, ref: r.reference };
    if (kind < 95) return { archiveId, amountCents: Math.max(1, Math.floor(r.amount / 2)), ref: r.reference };
    if (kind < 98) return { archiveId, amountCents: r.amount + 500, ref: r.reference };
    if (kind < 99) return { archiveId, amountCents: r.amount, ref: '1232' };
    return { archiveId, amountCents: r.amount, ustrd: 'jäsenmaksu' };
  });
}

/**
 * `npm run bench -- billing`: a billing run (preview, approval, commit) over 270,000 generated
 * members beside the floor of writing the same invoice rows in one statement, then a camt.054 file
 * of 100,000 entries paying those invoices, imported and booked.
 */
export async function runBillingBench() {
  const stack = await startBenchStack();
  const { ctx } = stack;
  const db = ctx.db;
  try {
    await generateMembers(db, memberCount);

    // The billing run, as a billing user drives it from the desk.
    const dueDate = addDays(ctx.today(), 30);
    const t0 = performance.now();
    const { run: started } = await startBillingRun(ctx, billingUser, { period, dueDate });
    const previewed = await waitForRun(ctx, started.id, (r) => r.status === 'awaiting-approval' && r.approvalTaskId !== null);
    const previewMs = performance.now() - t0;
    const t1 = performance.now();
    await decideTask(ctx, approver, previewed.approvalTaskId!, { decision: 'approve', acknowledgeProvisionalFeeYear: true });
    const committed = await waitForRun(ctx, started.id, (r) => r.status === 'committed');
    const commitMs = performance.now() - t1;
    await waitForRun(ctx, started.id, (r) => r.progress?.phase === 'done');
    const deliveryMs = performance.now() - t1 - commitMs;
    const preview = previewed.previewTotals!;
    const commit = committed.commitTotals!;
    if (commit.invoices !== preview.invoices || commit.amountCents !== preview.amountCents) {
      throw new Error(`commit totals ${JSON.stringify(commit)} differ from the preview ${JSON.stringify(preview)}`);
    }
    const [messages] = await db.execute<{ sent: number; failed: number; suppressed: number }>(sql`
      select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status = 'failed')::int as failed,
             count(*) filter (where status = 'suppressed')::int as suppressed
        from messages where kind = 'invoice'`);
    const floor = await invoiceInsertFloor(db, committed, ctx.profile);
    const runMs = previewMs + commitMs;

    // The payment file: built from the issued invoices, imported as the bank adapter does.
    const entries = await paymentEntries(db, started.id, paymentCount);
    const xml = camt054(entries, { iban: ctx.profile.iban, messageId: `BENCH-${Date.now()}` });
    const bytes = new TextEncoder().encode(xml);
    const t2 = performance.now();
    const { file } = await importPaymentFile(ctx, billingUser, { bytes, format: 'camt054', filename: 'bench-camt054.xml' });
    const receivedMs = performance.now() - t2;
    let booked = await getPaymentFile(ctx, billingUser, file.id);
    while (booked.status !== 'processed') {
      if (booked.status === 'failed') throw new Error(`payment file ${file.id} failed`);
      await sleep(200);
      booked = await getPaymentFile(ctx, billingUser, file.id);
    }
    const importMs = performance.now() - t2;
    // The unidentified entries each get a process and a task in the payments queue, after the booking.
    const tasksOpen = async () => {
      const [row] = await db.execute<{ entries: number; tasks: number }>(sql`
        select (select count(*) from bank_entries where file_id = ${file.id} and status = 'unmatched')::int as entries,
               (select count(*) from tasks t join bank_entries e on e.id = t.subject_id where e.file_id = ${file.id} and t.kind = 'unmatched-payment')::int as tasks`);
      return row!;
    };
    for (let open = await tasksOpen(); open.tasks < open.entries; open = await tasksOpen()) await sleep(200);
    const tasksMs = performance.now() - t2;
    const byStatus = await db.execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from bank_entries group by status order by status`);
    const [tasks] = await db.execute<{ n: number }>(sql`select count(*)::int as n from tasks where kind = 'unmatched-payment'`);

    const euros = (cents: number) => `€${(cents / 100).toLocaleString('en', { minimumFractionDigits: 2 })}`;
    console.log(`\nbilling bench on ${stack.machine}: ${memberCount.toLocaleString('en')} members, period ${period}`);
    console.log(`preview: ${seconds(previewMs)} s — ${preview.members.toLocaleString('en')} members, ${preview.invoices.toLocaleString('en')} invoices ${euros(preview.amountCents)}, by category ${JSON.stringify(preview.byCategory)}, by delivery ${JSON.stringify(preview.byDelivery)}`);
    console.log(`commit (approval to committed): ${seconds(commitMs)} s — ${commit.invoices.toLocaleString('en')} invoices with their ledger entries`);
    console.log(`billing run (preview + commit): ${seconds(runMs)} s; goal ≤ 60 s ${runMs <= 60_000 ? 'met' : 'missed'}`);
    console.log(`floor, billing as one INSERT … SELECT computing the same ${floor.rows.toLocaleString('en')} invoice rows from the register: ${seconds(floor.computedMs)} s; the run is ${(runMs / floor.computedMs).toFixed(1)}× the floor (goal ≤ 5×)`);
    console.log(`  (copying the finished rows alone, no computation: ${seconds(floor.copyMs)} s; the run is ${(runMs / floor.copyMs).toFixed(1)}× that)`);
    console.log(`delivery after the commit: ${seconds(deliveryMs)} s — ${messages!.sent.toLocaleString('en')} e-mails and PDF letters sent, ${messages!.failed} failed, ${messages!.suppressed} suppressed (deceased), ${(preview.byDelivery['e-invoice'] ?? 0).toLocaleString('en')} e-invoices in Finvoice files; run end to end ${seconds(runMs + deliveryMs)} s`);
    console.log(`camt.054 import: ${entries.length.toLocaleString('en')} entries, ${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB: parsed and stored in ${seconds(receivedMs)} s, every entry booked, matched and allocated (or in suspense) in ${seconds(importMs)} s; goal ≤ 30 s ${importMs <= 30_000 ? 'met' : 'missed'}`);
    console.log(`  entries by outcome: ${byStatus.map((r) => `${r.status} ${r.n.toLocaleString('en')}`).join(', ')}; ${tasks!.n.toLocaleString('en')} unmatched-payment tasks open in the payments queue ${seconds(tasksMs)} s after the upload`);
  } finally {
    await stack.close();
  }
}
