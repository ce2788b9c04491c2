import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { allocations, bankEntries, invoices, ledgerEntries, members, persons, refunds, unionRemittances } from '../schema';
import type { CollectedBy, InvoiceStatus, LedgerKind, LedgerLineCode } from '../../domain/vocabulary';
import type { AllocationRow, BankEntryRow, RefundRow } from './payments';

export type LedgerRow = typeof ledgerEntries.$inferSelect;
export type InvoiceRow = typeof invoices.$inferSelect;

export interface NewLedgerRow {
  memberId: string | null;
  occurredOn: string;
  kind: LedgerKind;
  amountCents: number;
  invoiceId?: string | null;
  bankEntryId?: string | null;
  description?: string | null;
  /** What the line is, for the desk to translate (domain/vocabulary.ts ledgerLineCodes), with its params. */
  descriptionCode?: LedgerLineCode | null;
  descriptionParams?: Record<string, string | number>;
  sourceKey: string;
  createdBy: string;
  /** Default 'fund': money through the fund's own account. 'union': a union collected it and passed it on. */
  collectedBy?: CollectedBy;
}

/**
 * Appends ledger rows in one statement; a row whose source key is already booked is skipped, so
 * a retried activity never books twice. Returns the source keys actually written.
 */
export async function insertLedgerRows(db: DbOrTx, rows: NewLedgerRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const payload = rows.map((r) => ({
    member_id: r.memberId,
    occurred_on: r.occurredOn,
    kind: r.kind,
    amount_cents: r.amountCents,
    invoice_id: r.invoiceId ?? null,
    bank_entry_id: r.bankEntryId ?? null,
    description: r.description ?? null,
    description_code: r.descriptionCode ?? null,
    description_params: r.descriptionParams ?? {},
    source_key: r.sourceKey,
    created_by: r.createdBy,
    collected_by: r.collectedBy ?? 'fund',
  }));
  const written = await db.execute<{ source_key: string }>(sql`
    INSERT INTO ledger_entries (member_id, occurred_on, kind, amount_cents, invoice_id, bank_entry_id, description, description_code, description_params, source_key, created_by, collected_by)
    SELECT member_id, occurred_on, kind, amount_cents, invoice_id, bank_entry_id, description, description_code, coalesce(description_params, '{}'::jsonb), source_key, created_by, collected_by
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
      AS x(member_id uuid, occurred_on date, kind text, amount_cents integer, invoice_id uuid, bank_entry_id uuid, description text, description_code text, description_params jsonb, source_key text, created_by text, collected_by text)
    ON CONFLICT (source_key) DO NOTHING
    RETURNING source_key`);
  return new Set(written.map((r) => r.source_key));
}

export async function memberLedgerRows(db: DbOrTx, memberId: string): Promise<LedgerRow[]> {
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.memberId, memberId)).orderBy(asc(ledgerEntries.occurredOn), asc(ledgerEntries.id));
}

/** What the member owes (+) or has in credit (−): the sum of their ledger. */
export async function memberBalance(db: DbOrTx, memberId: string): Promise<number> {
  const rows = await db
    .select({ cents: sql<string>`coalesce(sum(${ledgerEntries.amountCents}), 0)` })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.memberId, memberId));
  return Number(rows[0]?.cents ?? 0);
}

export async function ledgerRowBySourceKey(db: DbOrTx, sourceKey: string): Promise<LedgerRow | undefined> {
  const rows = await db.select().from(ledgerEntries).where(eq(ledgerEntries.sourceKey, sourceKey));
  return rows[0];
}

export async function memberInvoices(db: DbOrTx, memberId: string): Promise<InvoiceRow[]> {
  return db.select().from(invoices).where(eq(invoices.memberId, memberId)).orderBy(asc(invoices.periodStart), asc(invoices.invoiceNumber));
}

export async function lockInvoice(db: DbOrTx, id: string): Promise<InvoiceRow | undefined> {
  const rows = await db.select().from(invoices).where(eq(invoices.id, id)).for('update');
  return rows[0];
}

export async function updateInvoiceOpen(db: DbOrTx, id: string, openCents: number, status: InvoiceStatus): Promise<void> {
  await db.update(invoices).set({ openCents, status }).where(eq(invoices.id, id));
}

/** A member's invoices that still have something to pay, oldest fee period first (the order payments settle them). */
export async function lockOpenInvoicesOfMember(db: DbOrTx, memberId: string): Promise<InvoiceRow[]> {
  return db
    .select()
    .from(invoices)
    .where(and(eq(invoices.memberId, memberId), sql`${invoices.openCents} > 0`, sql`${invoices.status} in ('open', 'partially-paid')`))
    .orderBy(asc(invoices.periodStart), asc(invoices.dueDate), asc(invoices.invoiceNumber))
    .for('update');
}

export interface LedgerGroup {
  day: string;
  kind: LedgerKind;
  /** True for rows without a member: payments not yet identified (suspense). */
  unidentified: boolean;
  cents: number;
  rows: number;
}

/** Ledger sums per day, kind and identified/unidentified over [from, to]: the bookkeeping journal's source. */
export async function ledgerGroups(db: DbOrTx, from: string, to: string): Promise<LedgerGroup[]> {
  const rows = await db.execute<{ day: string; kind: LedgerKind; unidentified: boolean; cents: string; rows: number }>(sql`
    SELECT occurred_on::text AS day, kind, (member_id IS NULL) AS unidentified, sum(amount_cents)::bigint AS cents, count(*)::int AS rows
    FROM ledger_entries
    WHERE occurred_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3`);
  return rows.map((r) => ({ day: r.day, kind: r.kind, unidentified: r.unidentified, cents: Number(r.cents), rows: r.rows }));
}

/** Member ledger sums per calendar month and kind over [from, to]. */
export async function memberLedgerByMonth(db: DbOrTx, from: string, to: string): Promise<{ month: string; kind: LedgerKind; cents: number }[]> {
  const rows = await db.execute<{ month: string; kind: LedgerKind; cents: string }>(sql`
    SELECT to_char(occurred_on, 'YYYY-MM') AS month, kind, sum(amount_cents)::bigint AS cents
    FROM ledger_entries
    WHERE member_id IS NOT NULL AND occurred_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY 1, 2
    ORDER BY 1, 2`);
  return rows.map((r) => ({ month: r.month, kind: r.kind, cents: Number(r.cents) }));
}

/**
 * Open invoices issued on or before `on`, counted and summed per due date. The open amount is
 * today's (invoices keep no history of it), so a past `on` shows today's open items as of then.
 */
export async function openInvoicesByDueDate(db: DbOrTx, on: string): Promise<{ dueDate: string; count: number; cents: number }[]> {
  const rows = await db.execute<{ dueDate: string; count: number; cents: string }>(sql`
    SELECT due_date::text AS "dueDate", count(*)::int AS count, sum(open_cents)::bigint AS cents
    FROM invoices
    WHERE open_cents > 0 AND status IN ('open', 'partially-paid') AND issued_on <= ${on}::date
    GROUP BY 1`);
  return rows.map((r) => ({ dueDate: r.dueDate, count: r.count, cents: Number(r.cents) }));
}

// ---------------------------------------------------------------------------------------------
// A member's ledger as the desk reads it

/** What the fee status reads of each of a member's invoices. */
export async function memberInvoiceStates(db: DbOrTx, memberId: string) {
  return db
    .select({ periodStart: invoices.periodStart, periodEnd: invoices.periodEnd, status: invoices.status, openCents: invoices.openCents, dueDate: invoices.dueDate })
    .from(invoices)
    .where(eq(invoices.memberId, memberId));
}

/** The months ('YYYY-MM') a union remitted the member's fee for, in order. */
export async function memberRemittedMonths(db: DbOrTx, memberId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ period: unionRemittances.period }).from(unionRemittances).where(eq(unionRemittances.memberId, memberId)).orderBy(asc(unionRemittances.period));
  return rows.map((r) => r.period);
}

/** Whether anything was ever booked on the member's ledger. */
export async function hasLedgerEntries(db: DbOrTx, memberId: string): Promise<boolean> {
  const rows = await db.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.memberId, memberId)).limit(1);
  return rows.length > 0;
}

/** The member's number, or undefined when there is no such member. */
export async function findMemberNumber(db: DbOrTx, memberId: string): Promise<{ id: string; memberNumber: number } | undefined> {
  const [row] = await db.select({ id: members.id, memberNumber: members.memberNumber }).from(members).where(eq(members.id, memberId));
  return row;
}

/** Payments identified to the member, in booking order. */
export async function memberBankEntries(db: DbOrTx, memberId: string): Promise<BankEntryRow[]> {
  return db.select().from(bankEntries).where(eq(bankEntries.memberId, memberId)).orderBy(asc(bankEntries.bookingDate), asc(bankEntries.createdAt));
}

/** Allocations to the member's invoices, with the archive id of the payment each comes from. */
export async function memberAllocations(db: DbOrTx, memberId: string): Promise<{ allocation: AllocationRow; archiveId: string }[]> {
  return db
    .select({ allocation: allocations, archiveId: bankEntries.archiveId })
    .from(allocations)
    .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
    .innerJoin(bankEntries, eq(bankEntries.id, allocations.bankEntryId))
    .where(eq(invoices.memberId, memberId))
    .orderBy(asc(allocations.createdAt));
}

// ---------------------------------------------------------------------------------------------
// Refunds

export async function memberRefunds(db: DbOrTx, memberId: string): Promise<RefundRow[]> {
  return db.select().from(refunds).where(eq(refunds.memberId, memberId)).orderBy(asc(refunds.createdAt));
}

/** Locks the member's row (two refunds must not both spend the same credit); false when there is no such member. */
export async function lockMember(db: DbOrTx, memberId: string): Promise<boolean> {
  const rows = await db.select({ id: members.id }).from(members).where(eq(members.id, memberId)).for('update');
  return rows.length > 0;
}

export async function findRefundByIdempotencyKey(db: DbOrTx, key: string): Promise<RefundRow | undefined> {
  const [row] = await db.select().from(refunds).where(eq(refunds.idempotencyKey, key));
  return row;
}

/** Inserts the refund unless its idempotency key is taken; undefined when it was. */
export async function insertRefundOnce(db: DbOrTx, refund: typeof refunds.$inferInsert): Promise<RefundRow | undefined> {
  const [row] = await db.insert(refunds).values(refund).onConflictDoNothing({ target: refunds.idempotencyKey }).returning();
  return row;
}

/** Pending refunds with the member's name, oldest first, locked for the payment file. */
export async function lockPendingRefunds(db: DbOrTx): Promise<{ refund: RefundRow; firstNames: string; lastName: string }[]> {
  return db
    .select({ refund: refunds, firstNames: persons.firstNames, lastName: persons.lastName })
    .from(refunds)
    .innerJoin(members, eq(members.id, refunds.memberId))
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(eq(refunds.status, 'pending'))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .for('update', { of: refunds });
}

/** The newest refund payment file and the amounts of the refunds in it; undefined when none was made. */
export async function latestRefundPaymentFile(db: DbOrTx): Promise<{ xml: string; amounts: number[] } | undefined> {
  const [latest] = await db.select({ file: refunds.paymentFile }).from(refunds).where(isNotNull(refunds.paymentFile)).orderBy(desc(refunds.createdAt)).limit(1);
  if (!latest?.file) return undefined;
  const inFile = await db.select({ amountCents: refunds.amountCents }).from(refunds).where(eq(refunds.paymentFile, latest.file));
  return { xml: latest.file, amounts: inFile.map((r) => r.amountCents) };
}

export async function markRefundsInFile(db: DbOrTx, ids: string[], xml: string): Promise<void> {
  await db.update(refunds).set({ status: 'in-file', paymentFile: xml }).where(inArray(refunds.id, ids));
}

export async function refundsByStatus(db: DbOrTx, status: 'pending' | 'in-file' | 'sent', limit: number): Promise<RefundRow[]> {
  return db.select().from(refunds).where(eq(refunds.status, status)).orderBy(asc(refunds.createdAt)).limit(limit);
}
