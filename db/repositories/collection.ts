import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { atomically, recordEvent } from './outbox';
import type { CollectionRules } from '../../domain/collection/rules';
import type { CollectionItemOutcome, CollectionOutcome, InvoiceLine, InvoiceStatus, IssuedLetter, ReminderChannel, ReminderStatus } from '../../domain/vocabulary';
import { collectionHearingStarts, collectionHolds, collectionReminders, collectionRuns, invoices } from '../schema';
import { pgArray, type BillingPerson } from './billing';

export type CollectionRunRow = typeof collectionRuns.$inferSelect;
export type CollectionHoldRow = typeof collectionHolds.$inferSelect;
export type CollectionReminderRow = typeof collectionReminders.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Selection: what is due today, in one statement.

/**
 * The invoices that need a collection step on `today`, with the level that falls due (the number
 * of levels + 1 stands for the hearing): open invoices past the first level's wait, whose next
 * level's wait (from the due date or from the previous reminder, and never before the previous
 * reminder's new due date) has passed, or whose last reminder's due date + the hearing wait has.
 * Members who have died get no reminders. Members on hold are selected too, so the day's outcome
 * counts them. domain/collection/rules.ts decides each one again in the chunk; this narrows.
 * `columns`: more of the invoice's (`i`) and the person's (`p`) columns (the issue statement's).
 */
export function dueSelection(rules: CollectionRules, today: string, columns?: SQL): SQL {
  const levels = rules.levels.map((l, i) => ({ level: i + 1, wait: l.waitDays, fromDue: l.from === 'due-date' }));
  const first = rules.levels[0]!.waitDays;
  const hearingLevel = rules.levels.length + 1;
  return sql`
    with lv as (
      select * from jsonb_to_recordset(${JSON.stringify(levels)}::jsonb) as x(level int, wait int, "fromDue" boolean)
    )
    select i.id as invoice_id, i.member_id, coalesce(last.level, 0) + 1 as level${columns ? sql`, ${columns}` : sql``}
      from invoices i
      join members m on m.id = i.member_id
      join persons p on p.id = m.person_id
      left join lateral (
        select r.level, r.sent_on, r.new_due_date, r.status from collection_reminders r
         where r.invoice_id = i.id and r.status in ('issued', 'sent') order by r.level desc limit 1
      ) last on true
      left join lv on lv.level = coalesce(last.level, 0) + 1
     where i.status in ('open', 'partially-paid')
       and i.open_cents >= ${Math.max(1, rules.minimumOpenCents)}::int
       and i.due_date <= ${today}::date - ${first}::int
       and p.date_of_death is null
       and not exists (select 1 from collection_hearing_starts h where h.invoice_id = i.id)
       and (
         (last.level is null and i.due_date + lv.wait <= ${today}::date)
         -- The next level or the hearing only once the last level has been sent (collectionStep).
         or (last.level is not null and last.status = 'sent' and lv.level is not null and last.new_due_date < ${today}::date
             and (case when lv."fromDue" then i.due_date else last.sent_on end) + lv.wait <= ${today}::date)
         or (last.level = ${hearingLevel - 1}::int and last.status = 'sent' and last.new_due_date + ${rules.hearingAfterDays}::int <= ${today}::date)
       )`;
}

/** The floor: the same selection as one statement, nothing staged (the bench's comparison). */
export async function countDue(db: DbOrTx, rules: CollectionRules, today: string): Promise<{ members: number; invoices: number; byLevel: Record<string, number> }> {
  const rows = await db.execute<{ level: number; invoices: number; members: number }>(sql`
    select level, count(*)::int as invoices, count(distinct member_id)::int as members from (${dueSelection(rules, today)}) d group by rollup(level)`);
  const byLevel: Record<string, number> = {};
  let total = { members: 0, invoices: 0 };
  for (const r of rows) {
    if (r.level === null) total = { members: r.members, invoices: r.invoices };
    else byLevel[String(r.level)] = r.invoices;
  }
  return { ...total, byLevel };
}

// ---------------------------------------------------------------------------------------------
// Runs and staging.

export async function openRun(db: DbOrTx, runDate: string, workflowId: string): Promise<void> {
  await db
    .insert(collectionRuns)
    .values({ runDate, status: 'running', workflowId })
    .onConflictDoUpdate({ target: collectionRuns.runDate, set: { status: 'running', workflowId, finishedAt: null } });
}

/**
 * Stages the day's due invoices in chunks of `chunkSize`, a member's invoices in one chunk (so a
 * member's hearing starts once). A re-run of the day stages only what is not staged yet, in new
 * chunks after the existing ones. Returns the chunks that still have work.
 */
export async function stageDue(db: DbOrTx, rules: CollectionRules, runDate: string, chunkSize: number): Promise<{ staged: number; chunks: number[]; total: number }> {
  const inserted = await db.execute(sql`
    insert into collection_run_items (run_date, invoice_id, member_id, chunk, level)
    select ${runDate}::date, invoice_id, member_id,
           coalesce((select max(chunk) + 1 from collection_run_items where run_date = ${runDate}::date), 0)
             + ((dense_rank() over (order by member_id) - 1) / greatest(1, ${chunkSize}::int))::int,
           level
      from (${dueSelection(rules, runDate)}) due
    on conflict (run_date, invoice_id) do nothing`);
  const chunks = await db.execute<{ chunk: number }>(sql`
    select distinct chunk from collection_run_items where run_date = ${runDate}::date and outcome is null order by chunk`);
  const [total] = await db.execute<{ n: number }>(sql`select count(*)::int as n from collection_run_items where run_date = ${runDate}::date`);
  await db.update(collectionRuns).set({ total: total!.n }).where(eq(collectionRuns.runDate, runDate));
  return { staged: inserted.count, chunks: chunks.map((c) => c.chunk), total: total!.n };
}

/** What the issue statement needs of the fund's rules besides the selection: per level, computed by the pure rules (decision 052). */
export interface IssuePlan {
  /** Per level: days to the new due date, fee, and the channel for a member whose invoices go by e-invoice, e-mail or letter (reminderChannel). */
  levels: { level: number; newDueDays: number; feeCents: number; byPreferred: Record<ReminderChannel, ReminderChannel> }[];
  /** The hearing's workflow id is this prefix and the member's id. */
  hearingWorkflowPrefix: string;
}

export type IssueCounts = Partial<Record<CollectionItemOutcome, number>>;

/**
 * The daily step (decisions 052, 061, 068): selects what is due (dueSelection), decides each
 * invoice as domain/collection/rules.ts does (on hold, the hearing, no delivery channel, or the
 * level's reminder), issues the reminders — one row per invoice and level with its new due date,
 * amount, fee, channel and idempotency key, claimed by the unique (invoice, level): a level issued or sent
 * already is not taken again, a failed or withdrawn one is (under a retry key) — records the
 * hearings, and stages the invoices that got no reminder in `collection_run_items` with their
 * outcome (on hold, hearing, no delivery channel, already sent). An issued reminder is its own
 * record of the day (its `run_date`); its run item is written when the delivery settles it
 * (decision 061). A re-run of the day finds nothing new. Nothing is locked: a payment that lands
 * after the selection's snapshot is caught by the delivery, which re-checks under the invoice's
 * lock at the moment of sending and withdraws the reminder.
 *
 * Two statements in one transaction (decision 068): the selection with the decisions into a
 * temporary table (`create table … as` may run in parallel workers, as the bench's floor does; a
 * statement that writes to a table never does), then the writes from it. Everything commits
 * together or not at all.
 *
 * The channel mirrors domain/billing/invoiceDelivery.ts (e-invoice with consent, address and
 * operator; e-mail for a digital preference with an address; a letter with a full postal address;
 * else none) and tests/integration/collection.test.ts ("the issue statement and the pure rules agree") holds the two together.
 * Returns what it issued and staged, by outcome.
 */
export async function issueDue(db: DbOrTx, rules: CollectionRules, plan: IssuePlan, runDate: string): Promise<IssueCounts> {
  return atomically(db, async (tx) => {
    // The day's ~25,600 selected invoices are sorted and hashed in memory, not in temporary files
    // (PostgreSQL's 4 MB default spilled them; decision 056).
    await tx.execute(sql`set local work_mem = '64MB'`);
    const { decide, write } = issueStatements(rules, plan, runDate);
    await tx.execute(decide);
    const rows = await tx.execute<{ outcome: CollectionItemOutcome; n: number }>(write);
    // Gone now, not only at the commit: a caller's transaction may run the step again.
    await tx.execute(sql`drop table collection_due`);
    const counts: IssueCounts = {};
    for (const r of rows) if (r.n > 0) counts[r.outcome] = r.n;
    return counts;
  });
}

/**
 * issueDue's two statements (the bench explains them): `decide` creates the transaction's
 * temporary table `collection_due` (dropped at its commit) with each selected invoice's decision;
 * `write` issues, records the hearings and stages from it, and returns the counts by outcome.
 */
export function issueStatements(rules: CollectionRules, plan: IssuePlan, runDate: string): { decide: SQL; write: SQL } {
  const hearingLevel = rules.levels.length + 1;
  const levels = plan.levels.map((l) => ({ level: l.level, nd: l.newDueDays, fee: l.feeCents, ce: l.byPreferred['e-invoice'], cm: l.byPreferred.email, cl: l.byPreferred.letter }));
  const decide = sql`
    create temporary table collection_due on commit drop as
    with lv as (
      select * from jsonb_to_recordset(${JSON.stringify(levels)}::jsonb) as x(level int, nd int, fee int, ce text, cm text, cl text)
    ),
    -- The selection carries what the decisions need (no second join to the invoice and the person).
    due as (${dueSelection(rules, runDate, sql`i.open_cents, p.email, p.street_address, p.postal_code, p.city, p.e_invoice_address, p.e_invoice_operator, p.e_invoice_consent, p.delivery_channel`)}),
    d as (
      select p.invoice_id, p.member_id, p.level, p.open_cents,
             exists (select 1 from collection_holds h where h.member_id = p.member_id and h.resumed_at is null and h.until >= ${runDate}::date) as on_hold,
             case when p.delivery_channel = 'e-invoice' and p.e_invoice_consent and coalesce(p.e_invoice_address, '') <> '' and coalesce(p.e_invoice_operator, '') <> '' then 'e-invoice'
                  when p.delivery_channel <> 'letter' and coalesce(p.email, '') <> '' then 'email'
                  when coalesce(p.street_address, '') ~ '[^[:space:]]' and coalesce(p.postal_code, '') ~ '[^[:space:]]' and coalesce(p.city, '') ~ '[^[:space:]]' then 'letter'
             end as preferred
        from due p
    )
    select d.invoice_id, d.member_id, d.level, d.open_cents, lv.nd, lv.fee,
           case when d.on_hold then 'on-hold' when d.level = ${hearingLevel}::int then 'hearing' when d.preferred is null then 'failed' else 'issue' end as what,
           case d.preferred when 'e-invoice' then lv.ce when 'email' then lv.cm else lv.cl end as channel
      from d left join lv on lv.level = d.level`;
  const write = sql`
    -- The row is the decision: level, dates, amounts, channel, key. What the letter is made of (the
    -- recipient, the template) is read by the delivery and recorded as it sends (decision 061).
    with issued as (
      insert into collection_reminders as r (invoice_id, member_id, level, run_date, sent_on, new_due_date, open_cents, fee_cents, channel, message_key, status, issued_at)
      select x.invoice_id, x.member_id, x.level, ${runDate}::date, ${runDate}::date, ${runDate}::date + x.nd, x.open_cents, x.fee, x.channel,
             'reminder/' || x.invoice_id || '/' || x.level, 'issued', now()
        from collection_due x
       where x.what = 'issue'
       -- In key order: the key's and the partial index's entries go in page by page, not one random
       -- leaf each (decision 065).
       order by x.invoice_id, x.level
      on conflict (invoice_id, level) do update
         set run_date = excluded.run_date, sent_on = excluded.sent_on, new_due_date = excluded.new_due_date, open_cents = excluded.open_cents,
             -- A level taken again (failed or withdrawn before) goes under a retry key of its own.
             fee_cents = excluded.fee_cents, channel = excluded.channel, message_key = excluded.message_key || '/retry-' || ${runDate}, status = 'issued', failure_reason = null,
             letter = null, issued_at = excluded.issued_at, sent_at = null
       where r.status in ('failed', 'withdrawn')
      returning r.invoice_id
    ),
    hearings as (
      insert into collection_hearing_starts (invoice_id, member_id, workflow_id, started_on, overdue_cents)
      select x.invoice_id, x.member_id, ${plan.hearingWorkflowPrefix} || x.member_id, ${runDate}::date, x.open_cents from collection_due x where x.what = 'hearing'
      on conflict do nothing
    ),
    -- Only what got no reminder: an issued reminder is the day's record until its delivery settles it.
    items as (
      insert into collection_run_items as ri (run_date, invoice_id, member_id, chunk, level, outcome, reason)
      select ${runDate}::date, x.invoice_id, x.member_id, 0, x.level,
             case when x.what = 'issue' then 'already-sent' else x.what end,
             case when x.what = 'failed' then 'no-delivery-channel' end
        from collection_due x left join issued on issued.invoice_id = x.invoice_id
       where x.what <> 'issue' or issued.invoice_id is null
      on conflict (run_date, invoice_id) do update set outcome = excluded.outcome, reason = excluded.reason, level = excluded.level
       where ri.outcome is null
      returning ri.outcome
    )
    select outcome, count(*)::int as n from items group by outcome
    union all
    select 'issued', count(*)::int from issued`;
  return { decide, write };
}

// ---------------------------------------------------------------------------------------------
// Delivery: the issued reminders, sent (or withdrawn) at the moment of sending (decision 052).

/** An invoice's fixed fields: what its reminder letter and barcode are made of besides the amounts. */
export type InvoiceFixedFields = {
  invoiceNumber: number;
  dueDate: string;
  amountCents: number;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  lines: InvoiceLine[];
  reference: string;
  rfReference: string;
  iban: string;
};

/** The recipient as the person's row says now: what a reminder issued without its letter (decision 061) is rendered for. */
export type ReminderRecipient = Omit<IssuedLetter, 'template' | 'templateVersion'>;

/**
 * An issued reminder with what its letter is made of: its row, the invoice's fixed fields, and
 * the recipient — as issued (`letter`, a row of decision 052's step) or as the person's row says
 * at this read (`recipient`, the delivery renders and records it).
 */
export type IssuedReminder = ReminderClaim & InvoiceFixedFields & {
  memberNumber: number;
  letter: IssuedLetter | null;
  recipient: ReminderRecipient;
};

/** An issued reminder's key: its invoice and level. */
export type ReminderKey = { invoiceId: string; level: number };

/**
 * The keys of the reminders still issued after `after`, in (invoice, level) order: what the
 * delivery has left to send. One read for many batches: a batch read by a cursor over the partial
 * `collection_reminders_issued_idx` was planned as a bitmap scan of the whole index and a sort
 * (its statistics are those of before the day's issue), every batch again (decision 056).
 */
export async function issuedKeys(db: DbOrTx, after: ReminderKey | null): Promise<ReminderKey[]> {
  const rows = await db.execute<{ i: string; l: number }>(sql`
    select invoice_id as i, level as l from collection_reminders
     where status = 'issued' ${after ? sql`and (invoice_id, level) > (${after.invoiceId}::uuid, ${after.level}::int)` : sql``}
     order by invoice_id, level`);
  return rows.map((r) => ({ invoiceId: r.i, level: r.l }));
}

/** These reminders with what their letters are made of, those still issued, in key order; no lock (what the delivery renders ahead). */
export async function issuedBatch(db: DbOrTx, keys: ReminderKey[]): Promise<IssuedReminder[]> {
  if (keys.length === 0) return [];
  const rows = await db.execute<IssuedReminder>(sql`
    select r.invoice_id as "invoiceId", r.member_id as "memberId", m.member_number::int as "memberNumber", r.level, r.run_date::text as "runDate",
           r.sent_on::text as "sentOn", r.new_due_date::text as "newDueDate", r.open_cents as "openCents", r.fee_cents as "feeCents",
           r.channel, r.message_key as "messageKey", r.letter,
           i.invoice_number::int as "invoiceNumber", i.due_date::text as "dueDate", i.amount_cents as "amountCents",
           i.period_start::text as "periodStart", i.period_end::text as "periodEnd", i.issued_on::text as "issuedOn", i.lines,
           i.reference, i.rf_reference as "rfReference", i.iban,
           jsonb_build_object('firstNames', p.first_names, 'lastName', p.last_name, 'language', p.language, 'email', p.email,
             'streetAddress', p.street_address, 'postalCode', p.postal_code, 'city', p.city, 'country', p.country,
             'eInvoiceAddress', p.e_invoice_address, 'eInvoiceOperator', p.e_invoice_operator) as recipient
      from unnest(${pgArray(keys.map((k) => k.invoiceId))}::uuid[], ${pgArray(keys.map((k) => String(k.level)))}::int[]) as k(invoice_id, level)
      join collection_reminders r on r.invoice_id = k.invoice_id and r.level = k.level
      join invoices i on i.id = r.invoice_id
      join members m on m.id = r.member_id
      join persons p on p.id = m.person_id
     where r.status = 'issued'
     order by r.invoice_id, r.level`);
  return [...rows];
}

/**
 * Under the delivery's transaction: locks the invoices FOR UPDATE in id order (the order payment
 * matching locks them in), then reads each reminder's status and the invoice's open amount and
 * status as they are now, and whether the member is on hold today.
 */
export async function lockForDelivery(tx: DbOrTx, keys: { invoiceId: string; level: number }[], today: string) {
  if (keys.length === 0) return new Map<string, { status: ReminderStatus; invoiceStatus: InvoiceStatus; openCents: number; onHold: boolean }>();
  const ids = [...new Set(keys.map((k) => k.invoiceId))].sort();
  await tx.execute(sql`select id from invoices where id = any(${pgArray(ids)}::uuid[]) order by id for update`);
  const rows = await tx.execute<{ k: string; status: ReminderStatus; invoiceStatus: InvoiceStatus; openCents: number; onHold: boolean }>(sql`
    select r.invoice_id || '/' || r.level as k, r.status, i.status as "invoiceStatus", i.open_cents as "openCents",
           exists (select 1 from collection_holds h where h.member_id = r.member_id and h.resumed_at is null and h.until >= ${today}::date) as "onHold"
      from collection_reminders r join invoices i on i.id = r.invoice_id
     where r.invoice_id = any(${pgArray(ids)}::uuid[])
     for update of r`);
  return new Map(rows.map((r) => [r.k, r]));
}

/**
 * The delivery's outcome of reminders: sent (with when), withdrawn or failed (with the reason), a
 * partly paid one's amount now, and what its letter was made of (`letter`: kept as it is when
 * null, so a row issued with its letter keeps it).
 */
export async function settleReminders(
  tx: DbOrTx,
  rows: { invoiceId: string; level: number; status: 'sent' | 'withdrawn' | 'failed'; reason: string | null; openCents: number; letter: IssuedLetter | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({ i: r.invoiceId, l: r.level, s: r.status, r: r.reason?.slice(0, 500) ?? null, o: r.openCents, t: r.letter }));
  await tx.execute(sql`
    update collection_reminders set status = x.s, failure_reason = x.r, open_cents = x.o, sent_at = case when x.s = 'sent' then now() end,
           letter = coalesce(x.t, collection_reminders.letter)
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(i uuid, l int, s text, r text, o int, t jsonb)
     where collection_reminders.invoice_id = x.i and collection_reminders.level = x.l and collection_reminders.status = 'issued'`);
}

/**
 * The run items of delivered reminders, with the delivery's outcome (sent, withdrawn, or failed
 * with a reason code): written now (decision 061; before, the step wrote them `issued` and this
 * updated them). An item of the same day and invoice already there — a run of decision 052
 * (`issued`), or the same day's run that issued the level again after an earlier outcome — takes
 * the delivery's outcome: the day's last word on the invoice.
 */
export async function settleItems(tx: DbOrTx, rows: { runDate: string; invoiceId: string; memberId: string; level: number; outcome: CollectionItemOutcome; reason: string | null }[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({ d: r.runDate, i: r.invoiceId, m: r.memberId, l: r.level, o: r.outcome, r: r.reason }));
  await tx.execute(sql`
    insert into collection_run_items as ri (run_date, invoice_id, member_id, chunk, level, outcome, reason)
    select x.d, x.i, x.m, 0, x.l, x.o, x.r
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(d date, i uuid, m uuid, l int, o text, r text)
    on conflict (run_date, invoice_id) do update set outcome = excluded.outcome, reason = excluded.reason, level = excluded.level`);
}

/** Stores the outcome of each run whose items the delivery settled (the desk's run table). */
export async function refreshRunOutcomes(db: DbOrTx, runDates: string[]): Promise<void> {
  for (const runDate of runDates) {
    const run = await findRun(db, runDate);
    if (run && run.status !== 'running') await db.update(collectionRuns).set({ outcome: await runOutcome(db, runDate) }).where(eq(collectionRuns.runDate, runDate));
  }
}

/** An invoice of a chunk, locked, with what a reminder says and how it goes out. */
export type ChunkInvoice = InvoiceFixedFields & {
  invoiceId: string;
  memberId: string;
  memberNumber: number;
  stagedLevel: number;
  status: InvoiceStatus;
  openCents: number;
  /** The same person fields billing addresses its invoices by. */
  person: Omit<BillingPerson, 'memberId' | 'memberNumber'>;
};

/**
 * The chunk's items without an outcome. With `lock`, their invoices locked FOR UPDATE in id order
 * (the order payment matching locks them in), so a payment being booked either landed before (and
 * is seen here) or waits until the chunk's reminders are sent and recorded. Without, as they stand
 * (what the chunk renders ahead, before it locks).
 */
export async function chunkInvoices(db: DbOrTx, runDate: string, chunk: number, { lock }: { lock: boolean }): Promise<ChunkInvoice[]> {
  const rows = await db.execute<ChunkInvoice>(sql`
    select i.id as "invoiceId", i.member_id as "memberId", m.member_number::int as "memberNumber", ri.level as "stagedLevel",
           i.invoice_number::int as "invoiceNumber", i.status, i.due_date::text as "dueDate", i.open_cents as "openCents",
           i.amount_cents as "amountCents", i.period_start::text as "periodStart", i.period_end::text as "periodEnd",
           i.issued_on::text as "issuedOn", i.lines, i.reference, i.rf_reference as "rfReference", i.iban,
           jsonb_build_object('firstNames', p.first_names, 'lastName', p.last_name, 'language', p.language, 'email', p.email,
             'streetAddress', p.street_address, 'postalCode', p.postal_code, 'city', p.city, 'country', p.country,
             'dateOfDeath', p.date_of_death, 'deliveryChannel', p.delivery_channel, 'eInvoiceAddress', p.e_invoice_address,
             'eInvoiceOperator', p.e_invoice_operator, 'eInvoiceConsent', p.e_invoice_consent) as person
      from collection_run_items ri
      join invoices i on i.id = ri.invoice_id
      join members m on m.id = ri.member_id
      join persons p on p.id = m.person_id
     where ri.run_date = ${runDate}::date and ri.chunk = ${chunk}::int and ri.outcome is null
     order by i.id
     ${lock ? sql`for update of i` : sql``}`);
  return [...rows];
}

/** Sent reminders of these invoices (the failed ones do not count: their level is tried again). */
export async function remindersOf(db: DbOrTx, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return [];
  return db.execute<{ invoiceId: string; level: number; sentOn: string; newDueDate: string; status: ReminderStatus }>(sql`
    select invoice_id as "invoiceId", level, sent_on::text as "sentOn", new_due_date::text as "newDueDate", status
      from collection_reminders where invoice_id = any(${pgArray(invoiceIds)}::uuid[])`);
}

export async function hearingStartedFor(db: DbOrTx, invoiceIds: string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await db.execute<{ id: string }>(sql`select invoice_id as id from collection_hearing_starts where invoice_id = any(${pgArray(invoiceIds)}::uuid[])`);
  return new Set(rows.map((r) => r.id));
}

/** Members of these whose collection is on hold on `today`. */
export async function membersOnHold(db: DbOrTx, memberIds: string[], today: string): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set();
  const rows = await db.execute<{ id: string }>(sql`
    select member_id as id from collection_holds
     where member_id = any(${pgArray(memberIds)}::uuid[]) and resumed_at is null and until >= ${today}::date`);
  return new Set(rows.map((r) => r.id));
}

export type ReminderClaim = {
  invoiceId: string;
  memberId: string;
  level: number;
  runDate: string;
  sentOn: string;
  newDueDate: string;
  openCents: number;
  feeCents: number;
  channel: ReminderChannel;
  messageKey: string;
};

/**
 * Claims reminder levels: a level never sent is inserted, a failed one is taken again; a level
 * already sent is left alone and not returned. What is returned is what this chunk may send.
 */
export async function claimReminders(db: DbOrTx, claims: ReminderClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const payload = claims.map((c) => ({ i: c.invoiceId, m: c.memberId, l: c.level, rd: c.runDate, so: c.sentOn, nd: c.newDueDate, o: c.openCents, f: c.feeCents, ch: c.channel, k: c.messageKey }));
  const rows = await db.execute<{ invoice_id: string; level: number }>(sql`
    insert into collection_reminders (invoice_id, member_id, level, run_date, sent_on, new_due_date, open_cents, fee_cents, channel, message_key, status)
    select i, m, l, rd, so, nd, o, f, ch, k, 'sent'
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
        as x(i uuid, m uuid, l int, rd date, so date, nd date, o int, f int, ch text, k text)
    on conflict (invoice_id, level) do update
       set run_date = excluded.run_date, sent_on = excluded.sent_on, new_due_date = excluded.new_due_date, open_cents = excluded.open_cents,
           fee_cents = excluded.fee_cents, channel = excluded.channel, message_key = excluded.message_key, status = 'sent', failure_reason = null
     where collection_reminders.status = 'failed'
    returning invoice_id, level`);
  return new Set(rows.map((r) => `${r.invoice_id}/${r.level}`));
}

/** Marks claimed reminders that could not go as failed (or suppressed), with the reason. */
export async function markReminders(db: DbOrTx, rows: { invoiceId: string; level: number; status: ReminderStatus; reason: string | null }[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({ i: r.invoiceId, l: r.level, s: r.status, r: r.reason?.slice(0, 500) ?? null }));
  await db.execute(sql`
    update collection_reminders set status = x.s, failure_reason = x.r
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(i uuid, l int, s text, r text)
     where collection_reminders.invoice_id = x.i and collection_reminders.level = x.l`);
}

/** Whether a failed reminder of this level exists (its retry goes under a key of its own). */
export async function failedLevels(db: DbOrTx, invoiceIds: string[]): Promise<Set<string>> {
  if (invoiceIds.length === 0) return new Set();
  const rows = await db.execute<{ k: string }>(sql`
    select invoice_id || '/' || level as k from collection_reminders where status = 'failed' and invoice_id = any(${pgArray(invoiceIds)}::uuid[])`);
  return new Set(rows.map((r) => r.k));
}

export async function recordHearingStarts(db: DbOrTx, rows: { invoiceId: string; memberId: string; workflowId: string; startedOn: string; overdueCents: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(collectionHearingStarts).values(rows).onConflictDoNothing();
}

/** Hearings recorded but not yet started, per member (of these members, or all). */
export async function pendingHearings(db: DbOrTx, memberIds: string[] | null) {
  if (memberIds !== null && memberIds.length === 0) return [];
  const rows = await db.execute<{ memberId: string; workflowId: string; invoiceIds: string[]; overdueCents: number; startedOn: string; migrated: boolean }>(sql`
    select member_id as "memberId", min(workflow_id) as "workflowId", array_agg(invoice_id::text order by invoice_id) as "invoiceIds",
           sum(overdue_cents)::int as "overdueCents", min(started_on)::text as "startedOn", bool_or(migrated) as "migrated"
      from collection_hearing_starts
     where started_at is null ${memberIds === null ? sql`` : sql`and member_id = any(${pgArray(memberIds)}::uuid[])`}
     group by member_id`);
  return [...rows];
}

export async function markHearingStarted(db: DbOrTx, invoiceIds: string[]): Promise<void> {
  if (invoiceIds.length === 0) return;
  await db.execute(sql`update collection_hearing_starts set started_at = now() where invoice_id = any(${pgArray(invoiceIds)}::uuid[]) and started_at is null`);
}

export async function setItemOutcomes(db: DbOrTx, runDate: string, rows: { invoiceId: string; outcome: CollectionItemOutcome; reason: string | null }[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({ i: r.invoiceId, o: r.outcome, r: r.reason }));
  await db.execute(sql`
    update collection_run_items set outcome = x.o, reason = x.r
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(i uuid, o text, r text)
     where collection_run_items.run_date = ${runDate}::date and collection_run_items.invoice_id = x.i`);
}

/** Moves the run's progress bar to the items that have an outcome. */
export async function refreshProgress(db: DbOrTx, runDate: string): Promise<void> {
  await db.execute(sql`
    update collection_runs set done = (select count(*)::int from collection_run_items where run_date = ${runDate}::date and outcome is not null)
     where run_date = ${runDate}::date`);
}

/**
 * The day's outcome: its items, and its reminders still issued that have no item of the day yet
 * (since decision 061 the step writes no item for a reminder it issued; the delivery writes it as
 * it settles the reminder). The issued ones are read through the small partial index of what is
 * left to send.
 */
export async function runOutcome(db: DbOrTx, runDate: string): Promise<CollectionOutcome> {
  const rows = await db.execute<{ outcome: CollectionItemOutcome | null; level: number; reason: string | null; n: number }>(sql`
    select outcome, level, reason, count(*)::int as n from collection_run_items where run_date = ${runDate}::date group by outcome, level, reason
    union all
    select 'issued', r.level, null, count(*)::int from collection_reminders r
     where r.status = 'issued' and r.run_date = ${runDate}::date
       and not exists (select 1 from collection_run_items ri where ri.run_date = ${runDate}::date and ri.invoice_id = r.invoice_id)
     group by r.level`);
  const o: CollectionOutcome = { staged: 0, sent: 0, skippedPaid: 0, onHold: 0, failed: 0, hearings: 0, byLevel: {}, failures: {} };
  for (const r of rows) {
    o.staged += r.n;
    if (r.outcome === 'issued') o.issued = (o.issued ?? 0) + r.n;
    else if (r.outcome === 'withdrawn') o.withdrawn = (o.withdrawn ?? 0) + r.n;
    else if (r.outcome === 'sent') {
      o.sent += r.n;
      o.byLevel[String(r.level)] = (o.byLevel[String(r.level)] ?? 0) + r.n;
    } else if (r.outcome === 'paid') o.skippedPaid += r.n;
    else if (r.outcome === 'on-hold') o.onHold += r.n;
    else if (r.outcome === 'hearing') o.hearings += r.n;
    else if (r.outcome === 'failed') {
      o.failed += r.n;
      o.failures[r.reason ?? 'unknown'] = (o.failures[r.reason ?? 'unknown'] ?? 0) + r.n;
    }
  }
  return o;
}

/** Ends the day's run with its outcome; `done`: every staged invoice has an outcome (issued is one), so the progress bar is full. */
export async function finishRun(db: DbOrTx, runDate: string, status: 'done' | 'failed', outcome: CollectionOutcome | null): Promise<void> {
  const full = status === 'done' && outcome ? { total: outcome.staged, done: outcome.staged } : {};
  await db
    .update(collectionRuns)
    .set({ status, finishedAt: new Date(), ...(outcome ? { outcome } : {}), ...full })
    .where(eq(collectionRuns.runDate, runDate));
}

export async function findRun(db: DbOrTx, runDate: string): Promise<CollectionRunRow | undefined> {
  const [row] = await db.select().from(collectionRuns).where(eq(collectionRuns.runDate, runDate));
  return row;
}

export async function latestRuns(db: DbOrTx, limit: number): Promise<CollectionRunRow[]> {
  return db.select().from(collectionRuns).orderBy(desc(collectionRuns.runDate)).limit(limit);
}

// ---------------------------------------------------------------------------------------------
// Holds and a member's collection.

export async function openHold(db: DbOrTx, memberId: string): Promise<CollectionHoldRow | undefined> {
  const [row] = await db.select().from(collectionHolds).where(and(eq(collectionHolds.memberId, memberId), isNull(collectionHolds.resumedAt)));
  return row;
}

/** Puts a member on hold; an open hold of theirs is closed by the new one (resumed by its setter). Its `collection.held` event with it. */
export async function insertHold(db: DbOrTx, row: { memberId: string; reason: CollectionHoldRow['reason']; until: string; setBy: string }): Promise<CollectionHoldRow> {
  return atomically(db, async (tx) => {
    await tx.update(collectionHolds).set({ resumedAt: new Date(), resumedBy: row.setBy }).where(and(eq(collectionHolds.memberId, row.memberId), isNull(collectionHolds.resumedAt)));
    const [inserted] = await tx.insert(collectionHolds).values(row).returning();
    await recordEvent(tx, { type: 'collection.held', memberId: row.memberId, payload: { holdId: inserted!.id, reason: inserted!.reason, until: inserted!.until } });
    return inserted!;
  });
}

export async function resumeHold(db: DbOrTx, id: string, by: string): Promise<CollectionHoldRow | undefined> {
  return atomically(db, async (tx) => {
    const [row] = await tx.update(collectionHolds).set({ resumedAt: new Date(), resumedBy: by }).where(and(eq(collectionHolds.id, id), isNull(collectionHolds.resumedAt))).returning();
    if (row) await recordEvent(tx, { type: 'collection.resumed', memberId: row.memberId, payload: { holdId: row.id } });
    return row;
  });
}

export async function holdsOf(db: DbOrTx, memberId: string): Promise<CollectionHoldRow[]> {
  return db.select().from(collectionHolds).where(eq(collectionHolds.memberId, memberId)).orderBy(desc(collectionHolds.setAt));
}

/** A member's reminders, found through the member's invoices (the reminders have no index by member: decision 061). */
export async function remindersOfMember(db: DbOrTx, memberId: string): Promise<CollectionReminderRow[]> {
  return db
    .select()
    .from(collectionReminders)
    .where(inArray(collectionReminders.invoiceId, db.select({ id: invoices.id }).from(invoices).where(eq(invoices.memberId, memberId))))
    .orderBy(asc(collectionReminders.sentOn), asc(collectionReminders.level));
}

export async function hearingStartsOfMember(db: DbOrTx, memberId: string) {
  return db.select().from(collectionHearingStarts).where(eq(collectionHearingStarts.memberId, memberId));
}

/** A member's open invoices past their due date: what collection is about. */
export async function overdueInvoicesOf(db: DbOrTx, memberId: string, today: string) {
  return db.execute<{ id: string; invoiceNumber: number; dueDate: string; openCents: number; periodStart: string; periodEnd: string }>(sql`
    select id, invoice_number::int as "invoiceNumber", due_date::text as "dueDate", open_cents as "openCents",
           period_start::text as "periodStart", period_end::text as "periodEnd"
      from invoices where member_id = ${memberId}::uuid and status in ('open', 'partially-paid') and open_cents > 0 and due_date < ${today}::date
     order by due_date, invoice_number`);
}

/**
 * The collection page's groups (decision 070). Each overdue member is in one: `hearing` while their
 * hearing is open (or its process is starting), `awaiting-decision` once its deadline passed,
 * `expelled` when the hearing ended in an expulsion (the invoices stay open: a receivable of the
 * fund, no longer collection's work), `on-hold`, or else `level-N` by the highest reminder level
 * sent for an overdue invoice (0: none yet). A hearing that ended without an expulsion (or as paid,
 * with a remainder still open) puts the member back at their level. The hearing of an invoice is
 * the member's hearing started that day (hearings_member_started_uq).
 */
const bucketedMembers = (today: string) => sql`
    with overdue as (
      select i.member_id, i.open_cents,
             coalesce((select max(r.level) from collection_reminders r where r.invoice_id = i.id and r.status in ('issued', 'sent')), 0) as level,
             case when s.invoice_id is null then null else coalesce(h.status, 'open') end as hearing
        from invoices i
        left join collection_hearing_starts s on s.invoice_id = i.id
        left join hearings h on h.member_id = s.member_id and h.started_on = s.started_on
       where i.status in ('open', 'partially-paid') and i.open_cents > 0 and i.due_date < ${today}::date
    ),
    held as (select member_id, max(until)::text as until from collection_holds where resumed_at is null and until >= ${today}::date group by member_id),
    per_member as (
      select o.member_id,
             case when bool_or(o.hearing = 'open') then 'hearing'
                  when bool_or(o.hearing = 'awaiting-decision') then 'awaiting-decision'
                  when bool_or(o.hearing = 'expelled') then 'expelled'
                  when o.member_id in (select member_id from held) then 'on-hold'
                  else 'level-' || max(o.level) end as bucket,
             count(*)::int as invoices, sum(o.open_cents) as cents, max(o.level)::int as level
        from overdue o group by o.member_id
    )`;

/** The statement behind `overview` (the collection bench explains it). */
export const overviewStatement = (today: string) => sql`
    ${bucketedMembers(today)}
    select bucket, count(*)::int as members, sum(invoices)::int as invoices, sum(cents)::text as cents from per_member group by bucket order by bucket`;

/** The collection page's overview: members, invoices and open sums per group (`bucketedMembers`). One pass over the open invoices. */
export async function overview(db: DbOrTx, today: string) {
  const rows = await db.execute<{ bucket: string; members: number; invoices: number; cents: string | null }>(overviewStatement(today));
  return rows.map((r) => ({ bucket: r.bucket, members: r.members, invoices: r.invoices, openCents: Number(r.cents ?? 0) }));
}

/** Members of one group (as `overview` names them), a page of them by open sum, and how many the group has. */
export async function membersInBucket(db: DbOrTx, today: string, bucket: string, page: { offset: number; limit: number }) {
  const rows = await db.execute<{ memberId: string; memberNumber: number; invoices: number; openCents: number; level: number; holdUntil: string | null; total: number }>(sql`
    ${bucketedMembers(today)},
    bucket as (select pm.*, count(*) over ()::int as total from per_member pm where pm.bucket = ${bucket})
    select b.member_id as "memberId", m.member_number::int as "memberNumber", b.invoices, b.cents::int as "openCents", b.level, held.until as "holdUntil", b.total
      from bucket b join members m on m.id = b.member_id left join held on held.member_id = b.member_id
     order by b.cents desc, m.member_number
     offset ${page.offset}::int limit ${page.limit}::int`);
  const total = rows[0]?.total ?? (page.offset > 0 ? await bucketSize(db, today, bucket) : 0);
  return { total, members: rows.map(({ total: _total, ...m }) => m) };
}

/** How many members a group has (a page past its end has no row to carry the count). */
async function bucketSize(db: DbOrTx, today: string, bucket: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`${bucketedMembers(today)} select count(*)::int as n from per_member where bucket = ${bucket}`);
  return row?.n ?? 0;
}
