import { createHash } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import type { BillingSum } from '../../domain/billing/runTotals';
import type { InvoiceLine } from '../../domain/vocabulary';
import { auditLog, billingRunItems, billingRuns, invoices, members, messages, persons, tasks } from '../schema';
import type { BillingRunStatus, DeliveryPreference, MessageFailureCode } from '../../domain/vocabulary';

export type BillingRunRow = typeof billingRuns.$inferSelect;
export type NewBillingRun = typeof billingRuns.$inferInsert;
export type StagingItem = typeof billingRunItems.$inferInsert;
export type NewInvoice = typeof invoices.$inferInsert;
export type NewMessage = typeof messages.$inferInsert;
export type StagingCategory = 'invoice' | 'union' | 'exempt' | 'zero' | 'already-invoiced' | 'exception';

/** A slice of members by id, [from, to); null means open-ended, so members added later still fall in a slice. */
export interface MemberRange {
  from: string | null;
  to: string | null;
}

// A fixed namespace for the name-based uuids below (RFC 9562 version 5); never change it, or
// existing tasks no longer point at their runs.
const BILLING_RUN_NAMESPACE = Buffer.from('6f1c2a4e0b3d4c7a9e5f1a2b3c4d5e6f', 'hex');

/**
 * The uuid that stands for a billing run in uuid columns (tasks.subject_id): a version-5 uuid of
 * the run id, so the approval task finds its run, and a retried activity derives the same value.
 */
export function billingRunSubjectId(runId: string): string {
  const hash = createHash('sha1').update(BILLING_RUN_NAMESPACE).update(runId, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A PostgreSQL array literal for one bound parameter (`$1::uuid[]`), instead of one parameter per element. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function rangeCondition(column: string, range: MemberRange) {
  const col = sql.raw(column);
  return sql`(${range.from}::uuid is null or ${col} >= ${range.from}::uuid) and (${range.to}::uuid is null or ${col} < ${range.to}::uuid)`;
}

// ---------------------------------------------------------------------------------------------
// Runs

/** Inserts the run unless it exists; either way returns the stored row. */
export async function insertRunOnce(db: DbOrTx, run: NewBillingRun): Promise<{ row: BillingRunRow; created: boolean }> {
  const inserted = await db.insert(billingRuns).values(run).onConflictDoNothing({ target: billingRuns.id }).returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  return { row: (await findRun(db, run.id))!, created: false };
}

export async function findRun(db: DbOrTx, id: string): Promise<BillingRunRow | undefined> {
  const rows = await db.select().from(billingRuns).where(eq(billingRuns.id, id));
  return rows[0];
}

export async function listRuns(db: DbOrTx, limit = 100): Promise<BillingRunRow[]> {
  return db.select().from(billingRuns).orderBy(desc(billingRuns.createdAt)).limit(limit);
}

/** Every attempt at a period, newest first. */
export async function runsForPeriod(db: DbOrTx, period: string): Promise<BillingRunRow[]> {
  return db.select().from(billingRuns).where(eq(billingRuns.period, period)).orderBy(desc(billingRuns.createdAt));
}

/** Unfinished runs whose period overlaps [start, end]: running two at once could bill a month twice. */
export async function unfinishedOverlappingRuns(db: DbOrTx, start: string, end: string): Promise<BillingRunRow[]> {
  return db
    .select()
    .from(billingRuns)
    .where(
      and(
        inArray(billingRuns.status, ['previewing', 'awaiting-approval', 'committing']),
        sql`${billingRuns.periodStart} <= ${end} and ${billingRuns.periodEnd} >= ${start}`,
      ),
    );
}

export async function updateRun(
  db: DbOrTx,
  id: string,
  patch: Partial<Pick<BillingRunRow, 'status' | 'decidedBy' | 'decidedAt' | 'previewTotals' | 'commitTotals' | 'progress' | 'deliveryTotals'>>,
): Promise<void> {
  await db.update(billingRuns).set({ ...patch, updatedAt: sql`now()` }).where(eq(billingRuns.id, id));
}

/**
 * Adds `delta` to the progress of `phase`. Chunks count only rows they newly wrote, so a retried
 * chunk adds nothing, and the bar never counts a member twice.
 */
export async function advanceProgress(db: DbOrTx, id: string, phase: string, delta: number): Promise<void> {
  if (delta === 0) return;
  await db.execute(sql`
    update billing_runs
       set progress = jsonb_build_object(
             'phase', ${phase}::text,
             'done', case when progress->>'phase' = ${phase}::text then coalesce((progress->>'done')::int, 0) else 0 end + ${delta}::int,
             'total', coalesce((progress->>'total')::int, 0)),
           updated_at = now()
     where id = ${id}`);
}

// ---------------------------------------------------------------------------------------------
// Chunking

/**
 * Splits the members a step must visit into ranges of about `size` by member id (keyset), in one
 * pass over the index; the ranges are open at both ends, so nobody falls between two chunks.
 */
async function bounds(db: DbOrTx, inner: SQL, size: number): Promise<{ total: number; ranges: MemberRange[] }> {
  const rows = await db.execute<{ id: string; total: number }>(sql`
    select id, total from (
      select id, row_number() over (order by id) as rn, count(*) over ()::int as total from (${inner}) candidates
    ) numbered
    where (rn - 1) % ${size}::int = 0
    order by id`);
  const starts = rows.map((r) => r.id);
  const total = rows[0]?.total ?? 0;
  const ranges = starts.map((_, i) => ({ from: i === 0 ? null : starts[i]!, to: starts[i + 1] ?? null }));
  return { total, ranges };
}

/** The members whose membership touches the period: the population of a run's preview. */
export function previewChunks(db: DbOrTx, periodStart: string, periodEnd: string, size: number) {
  return bounds(
    db,
    sql`select m.id from members m where exists (
          select 1 from membership_periods mp
           where mp.member_id = m.id and mp.start_date <= ${periodEnd}::date and (mp.end_date is null or mp.end_date >= ${periodStart}::date))`,
    size,
  );
}

/** The staged invoices of a run: the work of its commit. */
export function commitChunks(db: DbOrTx, runId: string, size: number) {
  return bounds(db, sql`select member_id as id from billing_run_items where run_id = ${runId} and category = 'invoice'`, size);
}

// ---------------------------------------------------------------------------------------------
// Preview

export type BillingPerson = {
  memberId: string;
  memberNumber: number;
  firstNames: string;
  lastName: string;
  language: string;
  email: string | null;
  streetAddress: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  dateOfDeath: string | null;
  deliveryChannel: DeliveryPreference;
  eInvoiceAddress: string | null;
  eInvoiceOperator: string | null;
  eInvoiceConsent: boolean;
};

export type PreviewCandidate = BillingPerson & {
  channel: string;
  periods: [string, string | null][];
  /** Invoices of the member that overlap the run's period, from any run. */
  invoiced: { periodStart: string; periodEnd: string; lines: InvoiceLine[] }[];
  /** Fee exemptions ([start, end], end null while open) that overlap the run's period (decision 031). */
  exemptions: [string, string | null][];
};

const personColumns = sql`
  m.id as "memberId", m.member_number::int as "memberNumber", p.first_names as "firstNames", p.last_name as "lastName",
  p.language, p.email, p.street_address as "streetAddress", p.postal_code as "postalCode", p.city, p.country,
  p.date_of_death as "dateOfDeath", p.delivery_channel as "deliveryChannel", p.e_invoice_address as "eInvoiceAddress",
  p.e_invoice_operator as "eInvoiceOperator", p.e_invoice_consent as "eInvoiceConsent"`;

/** One chunk of the preview population with everything the fee rules and delivery need, in one query. */
export async function previewCandidates(db: DbOrTx, range: MemberRange, periodStart: string, periodEnd: string): Promise<PreviewCandidate[]> {
  const rows = await db.execute<PreviewCandidate>(sql`
    select ${personColumns}, m.channel,
      coalesce((select json_agg(json_build_array(mp.start_date, mp.end_date) order by mp.start_date)
                  from membership_periods mp where mp.member_id = m.id), '[]'::json) as periods,
      coalesce((select json_agg(json_build_object('periodStart', i.period_start, 'periodEnd', i.period_end, 'lines', i.lines))
                  from invoices i where i.member_id = m.id and i.period_start <= ${periodEnd}::date and i.period_end >= ${periodStart}::date), '[]'::json) as invoiced,
      coalesce((select json_agg(json_build_array(e.start_date, e.end_date) order by e.start_date)
                  from fee_exemptions e where e.member_id = m.id and e.start_date <= ${periodEnd}::date and (e.end_date is null or e.end_date >= ${periodStart}::date)), '[]'::json) as exemptions
    from members m join persons p on p.id = m.person_id
    where ${rangeCondition('m.id', range)}
      and exists (select 1 from membership_periods mp
                   where mp.member_id = m.id and mp.start_date <= ${periodEnd}::date and (mp.end_date is null or mp.end_date >= ${periodStart}::date))
    order by m.id`);
  return [...rows];
}

/** References already carried by issued invoices (the column is unique). */
export async function referencesInUse(db: DbOrTx, references: string[]): Promise<Map<string, { memberId: string; periodStart: string; periodEnd: string }>> {
  if (references.length === 0) return new Map();
  const rows = await db.execute<{ reference: string; memberId: string; periodStart: string; periodEnd: string }>(sql`
    select reference, member_id as "memberId", period_start as "periodStart", period_end as "periodEnd"
      from invoices where reference = any(${pgArray(references)}::text[])`);
  return new Map(rows.map((r) => [r.reference, r]));
}

/**
 * Writes a chunk's staging rows (insert or replace, so a retried chunk converges) and drops rows
 * of members who left the chunk's population since an earlier attempt. Returns how many rows are new.
 */
export async function upsertStagingItems(db: DbOrTx, runId: string, range: MemberRange, items: StagingItem[]): Promise<number> {
  await db.execute(sql`
    delete from billing_run_items
     where run_id = ${runId} and ${rangeCondition('member_id', range)}
       and not (member_id = any(${pgArray(items.map((i) => i.memberId))}::uuid[]))`);
  if (items.length === 0) return 0;
  // One JSON parameter instead of seven per row: a fifth of the time of a multi-row VALUES.
  const payload = items.map((i) => ({ m: i.memberId, c: i.category, a: i.amountCents, l: i.lines, d: i.delivery ?? null, e: i.exception ?? null, ec: i.exceptionCode ?? null, ep: i.exceptionParams ?? {} }));
  const rows = await db.execute<{ inserted: boolean }>(sql`
    insert into billing_run_items (run_id, member_id, category, amount_cents, lines, delivery, exception, exception_code, exception_params)
    select ${runId}, m, c, a, l, d, e, ec, coalesce(ep, '{}'::jsonb) from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(m uuid, c text, a integer, l jsonb, d text, e text, ec text, ep jsonb)
    on conflict (run_id, member_id) do update
       set category = excluded.category, amount_cents = excluded.amount_cents, lines = excluded.lines,
           delivery = excluded.delivery, exception = excluded.exception, exception_code = excluded.exception_code, exception_params = excluded.exception_params
    returning (xmax = 0) as inserted`);
  return rows.filter((r) => r.inserted).length;
}

/** What the preview would issue: the staging area summed in SQL per category and delivery. */
export async function stagedSums(db: DbOrTx, runId: string): Promise<BillingSum[]> {
  const rows = await db.execute<BillingSum>(sql`
    select category, delivery, count(*)::int as count, coalesce(sum(amount_cents), 0)::float8 as "amountCents"
      from billing_run_items where run_id = ${runId} group by category, delivery`);
  return [...rows];
}

/**
 * The same figures from what was really issued: invoices of the run for the 'invoice' category,
 * the staging area for the members who were not invoiced. Equal to the preview unless something
 * was held back at commit.
 */
export async function issuedSums(db: DbOrTx, runId: string): Promise<BillingSum[]> {
  const rows = await db.execute<BillingSum>(sql`
    select 'invoice' as category, delivery, count(*)::int as count, coalesce(sum(amount_cents), 0)::float8 as "amountCents"
      from invoices where run_id = ${runId} group by delivery
    union all
    select category, delivery, count(*)::int, coalesce(sum(amount_cents), 0)::float8
      from billing_run_items where run_id = ${runId} and category <> 'invoice' group by category, delivery`);
  return [...rows];
}

/** How many members a run has staged so far (what earlier attempts of its preview wrote). */
export async function countStagedItems(db: DbOrTx, runId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(billingRunItems).where(eq(billingRunItems.runId, runId));
  return row!.n;
}

/** How many invoices a run has issued so far. */
export async function countRunInvoices(db: DbOrTx, runId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(invoices).where(eq(invoices.runId, runId));
  return row!.n;
}

export async function stagedItems(db: DbOrTx, runId: string, category: StagingCategory, limit: number) {
  return db
    .select({
      memberId: billingRunItems.memberId,
      memberNumber: members.memberNumber,
      amountCents: billingRunItems.amountCents,
      lines: billingRunItems.lines,
      delivery: billingRunItems.delivery,
      exception: billingRunItems.exception,
      exceptionCode: billingRunItems.exceptionCode,
      exceptionParams: billingRunItems.exceptionParams,
    })
    .from(billingRunItems)
    .innerJoin(members, eq(members.id, billingRunItems.memberId))
    .where(and(eq(billingRunItems.runId, runId), eq(billingRunItems.category, category)))
    .orderBy(asc(billingRunItems.memberId))
    .limit(limit);
}

// ---------------------------------------------------------------------------------------------
// Commit

export type CommitCandidate = BillingPerson & {
  amountCents: number;
  lines: InvoiceLine[];
  delivery: DeliveryPreference;
  /** Lines of invoices overlapping the period that some other run (or a person) issued. */
  coveredElsewhere: InvoiceLine[][];
};

export async function commitCandidates(db: DbOrTx, runId: string, range: MemberRange, periodStart: string, periodEnd: string): Promise<CommitCandidate[]> {
  const rows = await db.execute<CommitCandidate>(sql`
    select ${personColumns}, b.amount_cents as "amountCents", b.lines, b.delivery,
      coalesce((select json_agg(i.lines) from invoices i
                 where i.member_id = b.member_id and i.period_start <= ${periodEnd}::date and i.period_end >= ${periodStart}::date
                   and i.run_id is distinct from ${runId}), '[]'::json) as "coveredElsewhere"
    from billing_run_items b join members m on m.id = b.member_id join persons p on p.id = m.person_id
    where b.run_id = ${runId} and b.category = 'invoice' and ${rangeCondition('b.member_id', range)}
    order by b.member_id`);
  return [...rows];
}

/** The ledger source key of an invoice (see invoiceKey), in SQL over an `i` row. */
const invoiceSourceKeySql = sql`'invoice/' || i.member_id || '/' || to_char(i.period_start, 'YYYY-MM-DD') || '/' || to_char(i.period_end, 'YYYY-MM-DD')`;

/** An invoice's ledger line: English text for integrators and the params of its code ('invoice'). */
export interface InvoiceLineText {
  text: string;
  params: Record<string, string | number>;
}

/**
 * Inserts a chunk's invoices and their ledger entries in one statement. A member invoiced for the
 * period already (unique member + period) or a reference in use (unique reference) is skipped,
 * never doubled; the ledger entry's source key (member + period) makes its insert a no-op too.
 * Returns how many invoices and entries were new.
 */
export async function insertInvoicesWithLedger(db: DbOrTx, rows: NewInvoice[], description: InvoiceLineText, createdBy: string): Promise<{ invoices: number; ledger: number }> {
  if (rows.length === 0) return { invoices: 0, ledger: 0 };
  const payload = rows.map((r) => ({
    m: r.memberId, r: r.runId, ps: r.periodStart, pe: r.periodEnd, y: r.feeYear, a: r.amountCents, l: r.lines, ref: r.reference,
    rf: r.rfReference, iban: r.iban, i: r.issuedOn, d: r.dueDate, dl: r.delivery, bc: r.virtualBarcode, bc5: r.virtualBarcodeV5 ?? null, o: r.openCents,
  }));
  // One JSON parameter instead of fifteen per row: a fifth of the time of a multi-row VALUES.
  const [counts] = await db.execute<{ invoices: number; ledger: number }>(sql`
    with issued as (
      insert into invoices (member_id, run_id, period_start, period_end, fee_year, amount_cents, lines, reference, rf_reference, iban, issued_on, due_date, delivery, virtual_barcode, virtual_barcode_v5, open_cents)
      select m, r, ps, pe, y, a, l, ref, rf, iban, i, d, dl, bc, bc5, o
        from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
          as x(m uuid, r text, ps date, pe date, y integer, a integer, l jsonb, ref text, rf text, iban text, i date, d date, dl text, bc text, bc5 text, o integer)
      on conflict do nothing
      returning id, member_id, issued_on, amount_cents, period_start, period_end
    ), booked as (
      insert into ledger_entries (member_id, occurred_on, kind, amount_cents, invoice_id, description, description_code, description_params, source_key, created_by)
      select i.member_id, i.issued_on, 'invoice', i.amount_cents, i.id, ${description.text}::text, 'invoice', ${JSON.stringify(description.params)}::jsonb, ${invoiceSourceKeySql}, ${createdBy}::text
        from issued i
      on conflict (source_key) do nothing
      returning 1
    )
    select (select count(*) from issued)::int as invoices, (select count(*) from booked)::int as ledger`);
  return counts ?? { invoices: 0, ledger: 0 };
}

export type DeliveredMessage = NewMessage & { status: 'sent' | 'failed' | 'suppressed'; externalId: string | null; channel: string | null; failureReason?: string | null; failureCode?: MessageFailureCode | null };

/** Records messages with their delivery outcome in one statement; a key recorded before stays as it is. */
export async function recordMessages(db: DbOrTx, rows: DeliveredMessage[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({
    k: r.messageKey, kind: r.kind, m: r.memberId ?? null, lang: r.language, to: r.recipient, s: r.subject, b: r.body, st: r.status, x: r.externalId, ch: r.channel,
    fr: r.failureReason?.slice(0, 500) ?? null, fc: r.failureCode ?? null, tv: r.templateVersion ?? null,
  }));
  await db.execute(sql`
    insert into messages (message_key, kind, member_id, language, recipient, subject, body, status, external_id, channel, failure_reason, failure_code, template_version, sent_at)
    select k, kind, m, lang, "to", s, b, st, x, ch, fr, fc, tv, case when st = 'sent' then now() end
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
        as x(k text, kind text, m uuid, lang text, "to" jsonb, s text, b text, st text, x text, ch text, fr text, fc text, tv text)
    on conflict (message_key) do nothing`);
}

/** Which of these message keys are recorded already. */
export async function recordedMessageKeys(db: DbOrTx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.execute<{ k: string }>(sql`select message_key as k from messages where message_key = any(${pgArray(keys)}::text[])`);
  return new Set(rows.map((r) => r.k));
}

/**
 * The ledger entries of the run's invoices among these members, for invoices an earlier attempt
 * issued without them (never, as both go in one statement; kept so a retry converges regardless).
 */
export async function insertInvoiceLedgerEntries(db: DbOrTx, runId: string, memberIds: string[], description: InvoiceLineText): Promise<number> {
  if (memberIds.length === 0) return 0;
  const rows = await db.execute<{ id: number }>(sql`
    insert into ledger_entries (member_id, occurred_on, kind, amount_cents, invoice_id, description, description_code, description_params, source_key, created_by)
    select i.member_id, i.issued_on, 'invoice', i.amount_cents, i.id, ${description.text}::text, 'invoice', ${JSON.stringify(description.params)}::jsonb,
           ${invoiceSourceKeySql}, ${runId}::text
      from invoices i
     where i.run_id = ${runId} and i.member_id = any(${pgArray(memberIds)}::uuid[])
    on conflict (source_key) do nothing
    returning id`);
  return rows.length;
}

/** The key of everything that happens once per invoice (ledger entry, message): member + period. */
export function invoiceKey(memberId: string, periodStart: string, periodEnd: string): string {
  return `invoice/${memberId}/${periodStart}/${periodEnd}`;
}

export type IssuedInvoice = Pick<
  typeof invoices.$inferSelect,
  'id' | 'invoiceNumber' | 'memberId' | 'amountCents' | 'lines' | 'reference' | 'rfReference' | 'iban' | 'issuedOn' | 'dueDate' | 'delivery' | 'virtualBarcode' | 'periodStart' | 'periodEnd'
>;

const issuedColumns = {
  id: invoices.id,
  invoiceNumber: invoices.invoiceNumber,
  memberId: invoices.memberId,
  amountCents: invoices.amountCents,
  lines: invoices.lines,
  reference: invoices.reference,
  rfReference: invoices.rfReference,
  iban: invoices.iban,
  issuedOn: invoices.issuedOn,
  dueDate: invoices.dueDate,
  delivery: invoices.delivery,
  virtualBarcode: invoices.virtualBarcode,
  periodStart: invoices.periodStart,
  periodEnd: invoices.periodEnd,
};

/** The run's invoices among these members, as stored (the source of what is sent). */
export async function issuedInvoices(db: DbOrTx, runId: string, memberIds: string[]): Promise<IssuedInvoice[]> {
  if (memberIds.length === 0) return [];
  return db
    .select(issuedColumns)
    .from(invoices)
    .where(and(eq(invoices.runId, runId), sql`${invoices.memberId} = any(${pgArray(memberIds)}::uuid[])`));
}

/** Issued invoices with their recipients, for the delivery steps. */
async function issuedWithPerson(db: DbOrTx, where: SQL, orderBy: SQL): Promise<(IssuedInvoice & { person: BillingPerson })[]> {
  const rows = await db.execute<IssuedInvoice & BillingPerson>(sql`
    select i.id, i.invoice_number::float8 as "invoiceNumber", i.amount_cents as "amountCents", i.lines, i.reference,
           i.rf_reference as "rfReference", i.iban, i.issued_on as "issuedOn", i.due_date as "dueDate", i.delivery,
           i.virtual_barcode as "virtualBarcode", i.period_start as "periodStart", i.period_end as "periodEnd", ${personColumns}
      from invoices i join members m on m.id = i.member_id join persons p on p.id = m.person_id
     where ${where}
     order by ${orderBy}`);
  return rows.map((r) => ({ ...r, person: r }));
}

/** The run's e-invoices with their buyers, in invoice-number order so batch parts are stable across retries. */
export function eInvoicesOfRun(db: DbOrTx, runId: string) {
  return issuedWithPerson(db, sql`i.run_id = ${runId} and i.delivery = 'e-invoice'`, sql`i.invoice_number`);
}

/** The run's e-mail and letter invoices among the members of `range`, with their recipients: one delivery chunk. */
export function invoicesToDeliver(db: DbOrTx, runId: string, range: MemberRange) {
  return issuedWithPerson(db, sql`i.run_id = ${runId} and i.delivery in ('email', 'letter') and ${rangeCondition('i.member_id', range)}`, sql`i.member_id`);
}

/** The run's invoices whose e-mail or letter could not go, with why: for the billing user to follow up. */
export async function failedDeliveries(db: DbOrTx, runId: string, limit: number) {
  const rows = await db.execute<{ memberId: string; memberNumber: number; invoiceNumber: number; delivery: string; reason: string | null; code: MessageFailureCode | null }>(sql`
    select i.member_id as "memberId", m.member_number::int as "memberNumber", i.invoice_number::float8 as "invoiceNumber", i.delivery, msg.failure_reason as reason, msg.failure_code as code
      from invoices i
      join messages msg on msg.message_key = ${invoiceSourceKeySql}
      join members m on m.id = i.member_id
     where i.run_id = ${runId} and msg.status = 'failed'
     order by i.invoice_number
     limit ${limit}`);
  return [...rows];
}

/** How the run's invoice messages went: recorded messages by status, beside the invoices of the run. */
export async function deliveryOutcome(db: DbOrTx, runId: string): Promise<{ invoices: number; sent: number; failed: number; suppressed: number }> {
  const [row] = await db.execute<{ invoices: number; sent: number; failed: number; suppressed: number }>(sql`
    select count(*)::int as invoices,
           count(*) filter (where msg.status = 'sent')::int as sent,
           count(*) filter (where msg.status = 'failed')::int as failed,
           count(*) filter (where msg.status = 'suppressed')::int as suppressed
      from invoices i
      left join messages msg on msg.message_key = ${invoiceSourceKeySql}
     where i.run_id = ${runId}`);
  return row!;
}

/** An invoice with the person it was issued to, for a reprint of its letter. */
export async function findInvoiceWithPerson(db: DbOrTx, invoiceId: string) {
  const [row] = await db
    .select({ invoice: invoices, person: persons })
    .from(invoices)
    .innerJoin(members, eq(members.id, invoices.memberId))
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(eq(invoices.id, invoiceId));
  return row;
}

// ---------------------------------------------------------------------------------------------
// Approval task and decision trail

export async function openApprovalTaskId(db: DbOrTx, workflowId: string): Promise<string | null> {
  const rows = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.workflowId, workflowId), eq(tasks.taskKey, 'approval'), eq(tasks.status, 'open')));
  return rows[0]?.id ?? null;
}

/** The reason given when the run was rejected; the audit trail is where decisions and their reasons live. */
export async function rejectionOf(db: DbOrTx, runId: string): Promise<{ reason: string; by: string; at: string } | null> {
  const rows = await db
    .select({ actor: auditLog.actor, at: auditLog.at, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'billing-run'), eq(auditLog.entityId, runId), eq(auditLog.action, 'billing-run.rejected')))
    .orderBy(desc(auditLog.at))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return { reason: String(row.details.reason ?? ''), by: row.actor, at: row.at.toISOString() };
}

export type { BillingRunStatus };
