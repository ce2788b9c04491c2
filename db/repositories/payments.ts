import { and, asc, eq, getTableColumns, gt, inArray, sql } from 'drizzle-orm';
import type { BankEntryFields } from '../../domain/payments/entries';
import type { DbOrTx } from '../client';
import { allocations, bankEntries, bankFiles, invoices, members, refunds, tasks } from '../schema';
import type { BankEntryStatus, InvoiceStatus } from '../../domain/vocabulary';

export type BankFileRow = typeof bankFiles.$inferSelect;
export type BankEntryRow = typeof bankEntries.$inferSelect;
export type AllocationRow = typeof allocations.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;

/**
 * Statuses of a bank entry. 'refund-needed' is an unmatched payment a billing user decided to
 * return to the payer; it is not in db/schema.ts's BankEntryStatus yet (the column is text).
 */
export type EntryStatus = BankEntryStatus | 'refund-needed';

export type BankFileMeta = Omit<BankFileRow, 'content'>;

/** Every column but the content, which can be tens of megabytes. */
function metaColumns() {
  const { content: _content, ...columns } = getTableColumns(bankFiles);
  return columns;
}

/** The same bytes are one file: a second insert of the same hash finds the first. */
export async function insertBankFileOnce(db: DbOrTx, file: typeof bankFiles.$inferInsert): Promise<{ row: BankFileMeta; created: boolean }> {
  const inserted = await db.insert(bankFiles).values(file).onConflictDoNothing({ target: bankFiles.sha256 }).returning(metaColumns());
  if (inserted[0]) return { row: inserted[0], created: true };
  const rows = await db.select(metaColumns()).from(bankFiles).where(eq(bankFiles.sha256, file.sha256));
  return { row: rows[0]!, created: false };
}

export async function findBankFile(db: DbOrTx, id: string): Promise<BankFileRow | undefined> {
  const rows = await db.select().from(bankFiles).where(eq(bankFiles.id, id));
  return rows[0];
}

/** The file without its content. */
export async function findBankFileMeta(db: DbOrTx, id: string): Promise<BankFileMeta | undefined> {
  const rows = await db.select(metaColumns()).from(bankFiles).where(eq(bankFiles.id, id));
  return rows[0];
}

export async function setBankFileStatus(db: DbOrTx, id: string, status: BankFileRow['status'], error: string | null = null): Promise<void> {
  await db.update(bankFiles).set({ status, error }).where(eq(bankFiles.id, id));
}

/** Entries this file brought in, per status (entries another file had already brought are not counted). */
export async function entryCountsOfFile(db: DbOrTx, fileId: string): Promise<Record<string, { count: number; cents: number }>> {
  const rows = await db.execute<{ status: string; count: number; cents: string }>(sql`
    SELECT status, count(*)::int AS count, coalesce(sum(amount_cents), 0)::bigint AS cents FROM bank_entries WHERE file_id = ${fileId} GROUP BY status`);
  return Object.fromEntries(rows.map((r) => [r.status, { count: r.count, cents: Number(r.cents) }]));
}

export async function findBankEntry(db: DbOrTx, id: string): Promise<BankEntryRow | undefined> {
  const rows = await db.select().from(bankEntries).where(eq(bankEntries.id, id));
  return rows[0];
}

export async function lockBankEntry(db: DbOrTx, id: string): Promise<BankEntryRow | undefined> {
  const rows = await db.select().from(bankEntries).where(eq(bankEntries.id, id)).for('update');
  return rows[0];
}

export async function updateBankEntry(db: DbOrTx, id: string, set: { memberId?: string | null; status: EntryStatus; unallocatedCents: number }): Promise<void> {
  await db
    .update(bankEntries)
    .set({ ...set, status: set.status as BankEntryStatus })
    .where(eq(bankEntries.id, id));
}

/** Unmatched entries of a file in id order, a page at a time (for starting their processes). */
export async function unmatchedEntriesOfFile(db: DbOrTx, fileId: string, afterId: string | null, limit: number) {
  return db
    .select({ id: bankEntries.id, archiveId: bankEntries.archiveId })
    .from(bankEntries)
    .where(and(eq(bankEntries.fileId, fileId), eq(bankEntries.status, 'unmatched'), afterId ? gt(bankEntries.id, afterId) : undefined))
    .orderBy(asc(bankEntries.id))
    .limit(limit);
}

export async function allocationsOfEntry(db: DbOrTx, entryId: string): Promise<AllocationRow[]> {
  return db.select().from(allocations).where(eq(allocations.bankEntryId, entryId)).orderBy(asc(allocations.createdAt));
}

export async function memberExists(db: DbOrTx, memberId: string): Promise<boolean> {
  const rows = await db.select({ id: members.id }).from(members).where(eq(members.id, memberId));
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Set-based booking of a chunk of a bank file: one statement per step, whatever the chunk size.

export type EntryInsert = BankEntryFields;

/** The archive ids among `archiveIds` that are already booked (by any file). */
export async function bookedArchiveIds(db: DbOrTx, archiveIds: string[]): Promise<Set<string>> {
  if (archiveIds.length === 0) return new Set();
  const rows = await db.execute<{ archive_id: string }>(sql`
    SELECT archive_id FROM bank_entries WHERE archive_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(archiveIds)}::jsonb))`);
  return new Set(rows.map((r) => r.archive_id));
}

export interface BookedEntry extends EntryInsert {
  id: string;
  memberId: string | null;
  status: EntryStatus;
  unallocatedCents: number;
}

/**
 * Inserts entries with their matching outcome in one statement and returns how many went in; an
 * archive id already booked (by a racing import) is skipped, and the caller, seeing fewer rows
 * than it sent, rolls back and retries. Rows go in archive-id order so two imports racing over
 * the same entries take the unique-index locks in the same order and cannot deadlock.
 */
export async function insertEntriesOnce(db: DbOrTx, fileId: string, entries: BookedEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  const payload = entries.map((e) => ({
    id: e.id,
    archive_id: e.archiveId,
    booking_date: e.bookingDate,
    value_date: e.valueDate,
    amount_cents: e.amountCents,
    reversal: e.reversal,
    reference: e.reference,
    unstructured: e.unstructured,
    debtor_name: e.debtorName,
    member_id: e.memberId,
    status: e.status,
    unallocated_cents: e.unallocatedCents,
  }));
  const rows = await db.execute<{ id: string }>(sql`
    INSERT INTO bank_entries (id, archive_id, file_id, booking_date, value_date, amount_cents, reversal, reference, unstructured, debtor_name, member_id, status, unallocated_cents)
    SELECT id, archive_id, ${fileId}::uuid, booking_date, value_date, amount_cents, reversal, reference, unstructured, debtor_name, member_id, status, unallocated_cents
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
      AS x(id uuid, archive_id text, booking_date date, value_date date, amount_cents integer, reversal boolean, reference text, unstructured text,
           debtor_name text, member_id uuid, status text, unallocated_cents integer)
    ORDER BY archive_id
    ON CONFLICT (archive_id) DO NOTHING
    RETURNING id`);
  return rows.length;
}

export interface CandidateInvoice {
  id: string;
  memberId: string;
  reference: string;
  amountCents: number;
  openCents: number;
  status: InvoiceStatus;
}

/**
 * Everything matching needs for a chunk, in two queries: the members behind the member numbers
 * and invoice references, and all their open invoices (locked, oldest fee period first).
 */
export async function loadMatchCandidates(
  db: DbOrTx,
  memberNumbers: number[],
  references: string[],
): Promise<{ members: { id: string; memberNumber: number }[]; byReference: Map<string, string>; openInvoices: CandidateInvoice[] }> {
  if (memberNumbers.length === 0 && references.length === 0) return { members: [], byReference: new Map(), openInvoices: [] };
  const found = await db.execute<{ id: string; member_number: string; reference: string | null }>(sql`
    WITH nums AS (SELECT (jsonb_array_elements_text(${JSON.stringify(memberNumbers)}::jsonb))::bigint AS n),
         refs AS (SELECT jsonb_array_elements_text(${JSON.stringify(references)}::jsonb) AS r)
    SELECT m.id, m.member_number::text AS member_number, NULL::text AS reference FROM members m WHERE m.member_number IN (SELECT n FROM nums)
    UNION ALL
    SELECT m.id, m.member_number::text, i.reference FROM invoices i JOIN members m ON m.id = i.member_id WHERE i.reference IN (SELECT r FROM refs)`);
  const memberRows = new Map<string, number>();
  const byReference = new Map<string, string>();
  for (const row of found) {
    memberRows.set(row.id, Number(row.member_number));
    if (row.reference !== null) byReference.set(row.reference, row.id);
  }
  if (memberRows.size === 0) return { members: [], byReference, openInvoices: [] };
  // Locked in id order, so concurrent chunks lock invoices in one global order.
  const open = await db.execute<{ id: string; member_id: string; reference: string; amount_cents: number; open_cents: number; status: InvoiceStatus }>(sql`
    SELECT id, member_id, reference, amount_cents, open_cents, status FROM (
      SELECT id, member_id, reference, amount_cents, open_cents, status, period_start, due_date, invoice_number
      FROM invoices
      WHERE member_id IN (SELECT (jsonb_array_elements_text(${JSON.stringify([...memberRows.keys()])}::jsonb))::uuid)
        AND open_cents > 0 AND status IN ('open', 'partially-paid')
      ORDER BY id
      FOR UPDATE
    ) locked
    ORDER BY member_id, period_start, due_date, invoice_number`);
  return {
    members: [...memberRows].map(([id, memberNumber]) => ({ id, memberNumber })),
    byReference,
    openInvoices: open.map((r) => ({ id: r.id, memberId: r.member_id, reference: r.reference, amountCents: r.amount_cents, openCents: r.open_cents, status: r.status })),
  };
}

export interface AllocationInsert {
  bankEntryId: string;
  invoiceId: string;
  amountCents: number;
  kind: 'automatic' | 'manual';
  allocatedBy: string;
}

export async function insertAllocations(db: DbOrTx, rows: AllocationInsert[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({ bank_entry_id: r.bankEntryId, invoice_id: r.invoiceId, amount_cents: r.amountCents, kind: r.kind, allocated_by: r.allocatedBy }));
  await db.execute(sql`
    INSERT INTO allocations (bank_entry_id, invoice_id, amount_cents, kind, allocated_by)
    SELECT bank_entry_id, invoice_id, amount_cents, kind, allocated_by
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(bank_entry_id uuid, invoice_id uuid, amount_cents integer, kind text, allocated_by text)
    ON CONFLICT (bank_entry_id, invoice_id) DO NOTHING`);
}

/** Sets open amounts and statuses of invoices the caller holds locked. */
export async function setInvoicesOpen(db: DbOrTx, rows: { id: string; openCents: number; status: InvoiceStatus }[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({ id: r.id, open_cents: r.openCents, status: r.status }));
  await db.execute(sql`
    UPDATE invoices SET open_cents = x.open_cents, status = x.status
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(id uuid, open_cents integer, status text)
    WHERE invoices.id = x.id`);
}

export async function setEntriesOutcome(db: DbOrTx, rows: { id: string; memberId: string | null; status: EntryStatus; unallocatedCents: number }[]): Promise<void> {
  if (rows.length === 0) return;
  const payload = rows.map((r) => ({ id: r.id, member_id: r.memberId, status: r.status, unallocated_cents: r.unallocatedCents }));
  await db.execute(sql`
    UPDATE bank_entries SET member_id = x.member_id, status = x.status, unallocated_cents = x.unallocated_cents
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) AS x(id uuid, member_id uuid, status text, unallocated_cents integer)
    WHERE bank_entries.id = x.id`);
}

/** The earlier entry a reversal undoes: same reference, the opposite amount, not yet reversed; the latest first. */
export async function lockReversalOriginal(db: DbOrTx, reversal: { id: string; reference: string; amountCents: number }): Promise<BankEntryRow | undefined> {
  const rows = await db
    .select()
    .from(bankEntries)
    .where(
      and(
        eq(bankEntries.reference, reversal.reference),
        eq(bankEntries.amountCents, -reversal.amountCents),
        eq(bankEntries.reversal, false),
        sql`${bankEntries.status} NOT IN ('reversed')`,
        sql`${bankEntries.id} <> ${reversal.id}`,
      ),
    )
    .orderBy(sql`${bankEntries.bookingDate} DESC, ${bankEntries.createdAt} DESC`)
    .limit(1)
    .for('update');
  return rows[0];
}

/** The file's reversals still waiting for their original to be looked up (no ledger row yet). */
export async function unsettledReversalsOfFile(db: DbOrTx, fileId: string): Promise<{ id: string }[]> {
  return db.execute<{ id: string }>(sql`
    SELECT e.id FROM bank_entries e
    WHERE e.file_id = ${fileId} AND e.reversal AND e.reference IS NOT NULL AND e.status = 'unmatched'
      AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.source_key IN ('suspense/' || e.archive_id, 'reversal/' || e.archive_id))
    ORDER BY e.booking_date, e.archive_id`);
}

/** What has been allocated to an invoice in total (net of reversed allocations). */
export async function allocatedToInvoice(db: DbOrTx, invoiceId: string): Promise<number> {
  const rows = await db.select({ cents: sql<string>`coalesce(sum(${allocations.amountCents}), 0)` }).from(allocations).where(eq(allocations.invoiceId, invoiceId));
  return Number(rows[0]?.cents ?? 0);
}

/** Over-payments of a member with money left, oldest first: refunds use them up in this order. */
export async function lockMemberCredits(db: DbOrTx, memberId: string): Promise<BankEntryRow[]> {
  return db
    .select()
    .from(bankEntries)
    .where(and(eq(bankEntries.memberId, memberId), gt(bankEntries.unallocatedCents, 0), eq(bankEntries.reversal, false), sql`${bankEntries.status} IN ('overpaid', 'allocated')`))
    .orderBy(asc(bankEntries.bookingDate), asc(bankEntries.createdAt))
    .for('update');
}

// ---------------------------------------------------------------------------------------------
// Placing an unmatched payment by hand.

/** The `allocate` task a process opened, open or not. */
export async function allocationTaskOfProcess(db: DbOrTx, workflowId: string): Promise<TaskRow | undefined> {
  const rows = await db.select().from(tasks).where(and(eq(tasks.workflowId, workflowId), eq(tasks.taskKey, 'allocate')));
  return rows[0];
}

/** The entry's open unmatched-payment task, if any. */
export async function openTaskOfEntry(db: DbOrTx, entryId: string): Promise<TaskRow | undefined> {
  const rows = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.subjectId, entryId), eq(tasks.kind, 'unmatched-payment'), eq(tasks.status, 'open')));
  return rows[0];
}

/** Closes the entry's open unmatched-payment task as withdrawn (its payment was reversed). */
export async function withdrawTaskOfEntry(db: DbOrTx, entryId: string): Promise<void> {
  await db
    .update(tasks)
    .set({ status: 'closed', outcome: 'withdrawn', closedAt: sql`coalesce(${tasks.closedAt}, now())` })
    .where(and(eq(tasks.subjectId, entryId), eq(tasks.kind, 'unmatched-payment'), eq(tasks.status, 'open')));
}

export async function invoicesByIds(db: DbOrTx, ids: string[]): Promise<InvoiceRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(invoices).where(inArray(invoices.id, ids));
}

/** The invoices, locked in id order (the order every booking locks invoices in). */
export async function lockInvoicesByIds(db: DbOrTx, ids: string[]): Promise<InvoiceRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(invoices).where(inArray(invoices.id, ids)).orderBy(asc(invoices.id)).for('update');
}
