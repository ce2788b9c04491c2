/**
 * How a payment settles invoices (domain.md §3.6): by the references the payer quoted, then the
 * payer's oldest open invoices; what is left over is the payer's credit.
 */
import type { ResolvedReference } from './references';

/** An invoice with something left to pay. */
export interface OpenInvoice {
  id: string;
  reference: string;
  openCents: number;
}

/** Part of a payment settling one invoice. */
export interface PaymentPart {
  invoiceId: string;
  amountCents: number;
}

export interface Spread {
  parts: PaymentPart[];
  /** What no invoice took: stays on the payment as the member's credit. */
  restCents: number;
}

/**
 * Spreads a payment over invoices in the given order, each taking at most what is open on it.
 * A payment of zero or less settles nothing. The invoices are not changed.
 */
export function spreadPayment(amountCents: number, invoices: readonly OpenInvoice[]): Spread {
  let rest = amountCents;
  const parts: PaymentPart[] = [];
  const taken = new Map<string, number>();
  for (const invoice of invoices) {
    if (rest <= 0) break;
    const open = invoice.openCents - (taken.get(invoice.id) ?? 0);
    if (open <= 0) continue;
    const take = Math.min(rest, open);
    taken.set(invoice.id, (taken.get(invoice.id) ?? 0) + take);
    parts.push({ invoiceId: invoice.id, amountCents: take });
    rest -= take;
  }
  return { parts, restCents: rest };
}

/** An invoice's status once a payment has left `openCents` on it. */
export function invoiceStatusAfterPayment(openCents: number): 'paid' | 'partially-paid' {
  return openCents === 0 ? 'paid' : 'partially-paid';
}

/** A payment's status once spread: fully used, or with a rest that is the member's credit. */
export function entryStatusAfterSpread(restCents: number): 'allocated' | 'overpaid' {
  return restCents === 0 ? 'allocated' : 'overpaid';
}

export interface MemberPart extends PaymentPart {
  /** The member whose invoice this is. */
  memberId: string;
}

export interface ReferenceSpread {
  /** The payer: the member of the first reference the register knows. The rest is their credit. */
  memberId: string;
  parts: MemberPart[];
  restCents: number;
}

/**
 * Spreads a payment over the invoices its references point to, in the payer's order of the
 * references: a reference an invoice carries points to that invoice, a reference that names only a
 * member to all of that member's open invoices, oldest first. What is left then settles the
 * payer's other open invoices, oldest first, and the rest is the payer's credit. With one
 * reference this is: the quoted invoice, then the member's oldest.
 *
 * `openInvoices` gives a member's open invoices, oldest first. Null when no reference is known.
 */
export function spreadOverReferences(
  amountCents: number,
  references: readonly ResolvedReference[],
  openInvoices: (memberId: string) => readonly OpenInvoice[],
): ReferenceSpread | null {
  const payer = references[0]?.memberId;
  if (payer === undefined) return null;
  const order: (OpenInvoice & { memberId: string })[] = [];
  const seen = new Set<string>();
  const add = (memberId: string, invoices: readonly OpenInvoice[]) => {
    for (const invoice of invoices) {
      if (seen.has(invoice.id)) continue;
      seen.add(invoice.id);
      order.push({ ...invoice, memberId });
    }
  };
  for (const ref of references) {
    const invoices = openInvoices(ref.memberId);
    add(ref.memberId, ref.invoiceReference === null ? invoices : invoices.filter((i) => i.reference === ref.invoiceReference));
  }
  add(payer, openInvoices(payer));
  const { parts, restCents } = spreadPayment(amountCents, order);
  const memberOf = new Map(order.map((i) => [i.id, i.memberId]));
  return { memberId: payer, parts: parts.map((p) => ({ ...p, memberId: memberOf.get(p.invoiceId)! })), restCents };
}

/**
 * How a payment of `amountCents` divides between members' ledgers: each member whose invoices it
 * settled gets what went to them; the payer (listed first) gets the rest, their credit included.
 */
export function memberShares(payer: string, amountCents: number, parts: readonly MemberPart[]): { memberId: string; amountCents: number }[] {
  const others = new Map<string, number>();
  for (const part of parts) if (part.memberId !== payer) others.set(part.memberId, (others.get(part.memberId) ?? 0) + part.amountCents);
  const toOthers = [...others.values()].reduce((s, c) => s + c, 0);
  return [{ memberId: payer, amountCents: amountCents - toOthers }, ...[...others].map(([memberId, cents]) => ({ memberId, amountCents: cents }))];
}

/** An invoice a person may place a payment on: the member's own, with money still open. */
export function isAllocatableInvoice(invoice: { memberId: string; openCents: number; status: string } | undefined, memberId: string): boolean {
  return invoice !== undefined && invoice.memberId === memberId && invoice.openCents > 0 && (invoice.status === 'open' || invoice.status === 'partially-paid');
}

/**
 * What a reversal takes back from each invoice: the net of the payment's allocations to it, for
 * the invoices still holding some, in invoice id order (the order invoices are locked in).
 */
export function reversibleAllocations(allocations: readonly PaymentPart[]): PaymentPart[] {
  const perInvoice = new Map<string, number>();
  for (const a of allocations) perInvoice.set(a.invoiceId, (perInvoice.get(a.invoiceId) ?? 0) + a.amountCents);
  return [...perInvoice]
    .filter(([, cents]) => cents > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([invoiceId, amountCents]) => ({ invoiceId, amountCents }));
}

/** An invoice's status once a reversal reopened it: partly paid while other payments still stand on it. */
export function invoiceStatusAfterReversal(stillAllocatedCents: number): 'open' | 'partially-paid' {
  return stillAllocatedCents > 0 ? 'partially-paid' : 'open';
}
