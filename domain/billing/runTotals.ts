import type { BillingTotals } from '../vocabulary';

/** Members of a run summed per staging category and delivery channel. */
export type BillingSum = {
  category: string;
  delivery: string | null;
  count: number;
  amountCents: number;
};

/**
 * A run's totals from its sums: every member counts once under their category; invoices (the
 * 'invoice' category) also count by delivery channel ('none' when it has none) and make up the
 * amount; exceptions are counted apart.
 */
export function billingTotals(sums: readonly BillingSum[]): BillingTotals {
  const totals: BillingTotals = { members: 0, invoices: 0, amountCents: 0, byCategory: {}, byDelivery: {}, exceptions: 0 };
  for (const r of sums) {
    totals.members += r.count;
    const cat = (totals.byCategory[r.category] ??= { count: 0, amountCents: 0 });
    cat.count += r.count;
    cat.amountCents += r.amountCents;
    if (r.category === 'invoice') {
      totals.invoices += r.count;
      totals.amountCents += r.amountCents;
      const channel = r.delivery ?? 'none';
      totals.byDelivery[channel] = (totals.byDelivery[channel] ?? 0) + r.count;
    }
    if (r.category === 'exception') totals.exceptions += r.count;
  }
  return totals;
}
