import { and, asc, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { atomically, recordEvent } from './outbox';
import type { CollectionRules } from '../../domain/collection/rules';
import type { CollectionItemOutcome, CollectionOutcome, InvoiceLine, InvoiceStatus, ReminderChannel, ReminderStatus } from '../../domain/vocabulary';
import { collectionHearingStarts, collectionHolds, collectionReminders, collectionRuns } from '../schema';
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
 */
export function dueSelection(rules: CollectionRules, today: string): SQL {
  const levels = rules.levels.map((l, i) => ({ level: i + 1, wait: l.waitDays, fromDue: l.from === 'due-date' }));
  const first = rules.levels[0]!.waitDays;
  const hearingLevel = rules.levels.length + 1;
  return sql`
    with lv as (
      select * from jsonb_to_recordset(${JSON.stringify(levels)}::jsonb) as x(level int, wait int, "fromDue" boolean)
    )
    select i.id as invoice_id, i.member_id, coalesce(last.level, 0) + 1 as level
      from invoices i
      join members m on m.id = i.member_id
      join persons p on p.id = m.person_id
      left join lateral (
        select r.level, r.sent_on, r.new_due_date from collection_reminders r
         where r.invoice_id = i.id and r.status = 'sent' order by r.level desc limit 1
      ) last on true
      left join lv on lv.level = coalesce(last.level, 0) + 1
     where i.status in ('open', 'partially-paid')
       and i.open_cents >= ${Math.max(1, rules.minimumOpenCents)}::int
       and i.due_date <= ${today}::date - ${first}::int
       and p.date_of_death is null
       and not exists (select 1 from collection_hearing_starts h where h.invoice_id = i.id)
       and (
         (last.level is null and i.due_date + lv.wait <= ${today}::date)
         or (last.level is not null and lv.level is not null and last.new_due_date < ${today}::date
             and (case when lv."fromDue" then i.due_date else last.sent_on end) + lv.wait <= ${today}::date)
         or (last.level = ${hearingLevel - 1}::int and last.new_due_date + ${rules.hearingAfterDays}::int <= ${today}::date)
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

/** An invoice of a chunk, locked, with what a reminder says and how it goes out. */
export type ChunkInvoice = {
  invoiceId: string;
  memberId: string;
  memberNumber: number;
  stagedLevel: number;
  invoiceNumber: number;
  status: InvoiceStatus;
  dueDate: string;
  openCents: number;
  amountCents: number;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  lines: InvoiceLine[];
  reference: string;
  rfReference: string;
  iban: string;
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

export interface ReminderClaim {
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
}

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

/** The day's outcome from its items. */
export async function runOutcome(db: DbOrTx, runDate: string): Promise<CollectionOutcome> {
  const rows = await db.execute<{ outcome: CollectionItemOutcome | null; level: number; reason: string | null; n: number }>(sql`
    select outcome, level, reason, count(*)::int as n from collection_run_items where run_date = ${runDate}::date group by outcome, level, reason`);
  const o: CollectionOutcome = { staged: 0, sent: 0, skippedPaid: 0, onHold: 0, failed: 0, hearings: 0, byLevel: {}, failures: {} };
  for (const r of rows) {
    o.staged += r.n;
    if (r.outcome === 'sent') {
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

export async function finishRun(db: DbOrTx, runDate: string, status: 'done' | 'failed', outcome: CollectionOutcome | null): Promise<void> {
  await db.update(collectionRuns).set({ status, finishedAt: new Date(), ...(outcome ? { outcome } : {}) }).where(eq(collectionRuns.runDate, runDate));
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

export async function remindersOfMember(db: DbOrTx, memberId: string): Promise<CollectionReminderRow[]> {
  return db.select().from(collectionReminders).where(eq(collectionReminders.memberId, memberId)).orderBy(asc(collectionReminders.sentOn), asc(collectionReminders.level));
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
 * The collection page's overview: overdue members by the highest level sent to them (0: none yet),
 * members on hold and in hearing, with counts and open sums. One pass over the open invoices.
 */
export async function overview(db: DbOrTx, today: string) {
  const rows = await db.execute<{ bucket: string; members: number; invoices: number; cents: string | null }>(sql`
    with overdue as (
      select i.id, i.member_id, i.open_cents,
             coalesce((select max(r.level) from collection_reminders r where r.invoice_id = i.id and r.status = 'sent'), 0) as level,
             exists (select 1 from collection_hearing_starts h where h.invoice_id = i.id) as hearing
        from invoices i
       where i.status in ('open', 'partially-paid') and i.open_cents > 0 and i.due_date < ${today}::date
    ),
    held as (select member_id from collection_holds where resumed_at is null and until >= ${today}::date),
    per_member as (
      select o.member_id,
             case when bool_or(o.hearing) then 'hearing'
                  when o.member_id in (select member_id from held) then 'on-hold'
                  else 'level-' || max(o.level) end as bucket,
             count(*)::int as invoices, sum(o.open_cents) as cents
        from overdue o group by o.member_id
    )
    select bucket, count(*)::int as members, sum(invoices)::int as invoices, sum(cents)::text as cents from per_member group by bucket order by bucket`);
  return rows.map((r) => ({ bucket: r.bucket, members: r.members, invoices: r.invoices, openCents: Number(r.cents ?? 0) }));
}

/** Members of one bucket (as `overview` names them), a page of them, by open sum. */
export async function membersInBucket(db: DbOrTx, today: string, bucket: string, limit: number) {
  return db.execute<{ memberId: string; memberNumber: number; invoices: number; openCents: number; level: number; holdUntil: string | null }>(sql`
    with overdue as (
      select i.id, i.member_id, i.open_cents,
             coalesce((select max(r.level) from collection_reminders r where r.invoice_id = i.id and r.status = 'sent'), 0) as level,
             exists (select 1 from collection_hearing_starts h where h.invoice_id = i.id) as hearing
        from invoices i
       where i.status in ('open', 'partially-paid') and i.open_cents > 0 and i.due_date < ${today}::date
    ),
    held as (select member_id, max(until)::text as until from collection_holds where resumed_at is null and until >= ${today}::date group by member_id),
    per_member as (
      select o.member_id,
             case when bool_or(o.hearing) then 'hearing'
                  when o.member_id in (select member_id from held) then 'on-hold'
                  else 'level-' || max(o.level) end as bucket,
             count(*)::int as invoices, sum(o.open_cents)::int as cents, max(o.level)::int as level
        from overdue o group by o.member_id
    )
    select pm.member_id as "memberId", m.member_number::int as "memberNumber", pm.invoices, pm.cents as "openCents", pm.level, held.until as "holdUntil"
      from per_member pm join members m on m.id = pm.member_id left join held on held.member_id = pm.member_id
     where pm.bucket = ${bucket}
     order by pm.cents desc, m.member_number
     limit ${limit}::int`);
}
