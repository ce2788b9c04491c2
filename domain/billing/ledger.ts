/**
 * The member ledger's rules: which invoices are open, how far the fees are paid, what the member
 * owes or has in credit. Amounts are signed from the fund's side: + the member owes, − a credit.
 */
import { compareDates, endOfMonth } from '../dates';
import type { InvoiceStatus } from '../vocabulary';

export interface InvoiceState {
  periodStart: string;
  periodEnd: string;
  status: InvoiceStatus;
  openCents: number;
}

/** Something left to pay on an invoice that is still being collected. */
export function isOpenInvoice(i: Pick<InvoiceState, 'status' | 'openCents'>): boolean {
  return i.openCents > 0 && (i.status === 'open' || i.status === 'partially-paid');
}

/** How many invoices are open and what is open on them. */
export function openInvoiceTotals(list: readonly Pick<InvoiceState, 'status' | 'openCents'>[]): { openInvoices: number; openCents: number } {
  const open = list.filter(isOpenInvoice);
  return { openInvoices: open.length, openCents: open.reduce((s, i) => s + i.openCents, 0) };
}

/**
 * The end of the last fee period whose invoice is settled (paid, or credited to zero), or whose
 * month a union remitted (`remittedMonths`, 'YYYY-MM': a union member's fees are the union's to
 * collect), with no open invoice for an earlier period; null when nothing qualifies. A written-off invoice was not
 * paid, so its own period never counts, but it no longer holds up the periods after it.
 */
export function paidThroughDate(list: readonly InvoiceState[], remittedMonths: readonly string[] = []): string | null {
  let through: string | null = null;
  // A month a union remitted the fund's share for is settled like a paid invoice of that month.
  const remitted = remittedMonths.map((m): InvoiceState => ({ periodStart: `${m}-01`, periodEnd: endOfMonth(`${m}-01`), status: 'paid', openCents: 0 }));
  for (const invoice of [...list, ...remitted].sort((a, b) => a.periodStart.localeCompare(b.periodStart))) {
    if (isOpenInvoice(invoice)) break;
    if ((invoice.status === 'paid' || invoice.status === 'credited') && (through === null || invoice.periodEnd > through)) through = invoice.periodEnd;
  }
  return through;
}

/** 'not-billed-yet' (nothing in the ledger), 'in-order', 'open' (invoices open, none overdue) or 'overdue'. */
export type FeeStatus = 'not-billed-yet' | 'in-order' | 'open' | 'overdue';

/** The fee status of a member on `today`: overdue once an open invoice's due date has passed (the due day itself is not late). */
export function feeStatus(invoices: readonly (Pick<InvoiceState, 'status' | 'openCents'> & { dueDate: string })[], hasLedgerRows: boolean, today: string): FeeStatus {
  if (!hasLedgerRows && invoices.length === 0) return 'not-billed-yet';
  const open = invoices.filter(isOpenInvoice);
  if (open.some((i) => compareDates(i.dueDate, today) < 0)) return 'overdue';
  return open.length > 0 ? 'open' : 'in-order';
}

/** Ledger rows with the balance after each (rows in ledger order); the last one is the member's balance. */
export function withRunningBalance<T extends { amountCents: number }>(rows: readonly T[]): (T & { runningBalanceCents: number })[] {
  let running = 0;
  return rows.map((r) => {
    running += r.amountCents;
    return { ...r, runningBalanceCents: running };
  });
}

/** What the fund owes the member back: the negative part of the balance, never below zero. */
export function creditOf(balanceCents: number): number {
  return Math.max(0, -balanceCents);
}

/**
 * An invoice after a credit note of `amountCents` (1 to its open amount): the open amount falls by
 * it, and an invoice credited to zero is 'credited'.
 */
export function afterCreditNote(invoice: Pick<InvoiceState, 'status' | 'openCents'>, amountCents: number): { openCents: number; status: InvoiceStatus } {
  if (!isOpenInvoice(invoice)) throw new Error(`an invoice with nothing open (status ${invoice.status}) cannot be credited`);
  if (!Number.isSafeInteger(amountCents) || amountCents < 1 || amountCents > invoice.openCents) {
    throw new RangeError(`a credit note must be 1 to ${invoice.openCents} cents, got ${amountCents}`);
  }
  const openCents = invoice.openCents - amountCents;
  return { openCents, status: openCents === 0 ? 'credited' : invoice.status };
}

/**
 * A refund of `amountCents` spent from the member's over-payments in the order given (oldest
 * first): what each one has left after it. Over-payments the refund does not reach are left out.
 */
export function spendCredits<T extends { unallocatedCents: number }>(credits: readonly T[], amountCents: number): { credit: T; unallocatedCents: number }[] {
  const spent: { credit: T; unallocatedCents: number }[] = [];
  let left = amountCents;
  for (const credit of credits) {
    if (left <= 0) break;
    const take = Math.min(left, credit.unallocatedCents);
    if (take <= 0) continue;
    spent.push({ credit, unallocatedCents: credit.unallocatedCents - take });
    left -= take;
  }
  return spent;
}
