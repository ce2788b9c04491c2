import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { invoices, ledgerEntries, type InvoiceStatus, type LedgerKind } from '../schema';

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
  sourceKey: string;
  createdBy: string;
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
    source_key: r.sourceKey,
    created_by: r.createdBy,
  }));
  const written = await db.execute<{ source_key: string }>(sql`
    INSERT INTO ledger_entries (member_id, occurred_on, kind, amount_cents, invoice_id, bank_entry_id, description, source_key, created_by)
    SELECT member_id, occurred_on, kind, amount_cents, invoice_id, bank_entry_id, description, source_key, created_by
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
      AS x(member_id uuid, occurred_on date, kind text, amount_cents integer, invoice_id uuid, bank_entry_id uuid, description text, source_key text, created_by text)
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

export type AgingBucket = 'not-due' | '1-30' | '31-90' | '91-180' | 'over-180';

/**
 * Open invoices issued on or before `on`, bucketed by days past due on that day. The open amount
 * is today's (invoices keep no history of it), so a past `on` shows today's open items aged as of then.
 */
export async function agingBuckets(db: DbOrTx, on: string): Promise<{ bucket: AgingBucket; count: number; cents: number }[]> {
  const rows = await db.execute<{ bucket: AgingBucket; count: number; cents: string }>(sql`
    SELECT CASE
             WHEN due_date >= ${on}::date THEN 'not-due'
             WHEN ${on}::date - due_date <= 30 THEN '1-30'
             WHEN ${on}::date - due_date <= 90 THEN '31-90'
             WHEN ${on}::date - due_date <= 180 THEN '91-180'
             ELSE 'over-180'
           END AS bucket,
           count(*)::int AS count,
           sum(open_cents)::bigint AS cents
    FROM invoices
    WHERE open_cents > 0 AND status IN ('open', 'partially-paid') AND issued_on <= ${on}::date
    GROUP BY 1`);
  return rows.map((r) => ({ bucket: r.bucket, count: r.count, cents: Number(r.cents) }));
}
