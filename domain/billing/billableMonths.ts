import { compareDates } from '../dates';
import type { FeeLine, MembershipPeriod } from './fees';
import type { InvoiceLine } from '../vocabulary';

/**
 * The membership periods a member is billed for, from the register's periods ([start, end],
 * end null while open). Membership ends at death: a period the register has not closed yet is
 * billed to the date of death at most, and a period starting after it not at all.
 */
export function billablePeriods(periods: readonly (readonly [string, string | null])[], dateOfDeath: string | null): MembershipPeriod[] {
  return periods
    .map(([startDate, endDate]) => ({ startDate, endDate }))
    .filter((p) => dateOfDeath === null || compareDates(p.startDate, dateOfDeath) <= 0)
    .map((p) => (dateOfDeath !== null && (p.endDate === null || compareDates(p.endDate, dateOfDeath) > 0) ? { ...p, endDate: dateOfDeath } : p));
}

/** An invoice line's month: 'YYYY-MM'. */
export function invoiceMonth(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Every month ('YYYY-MM') the given invoices bill. */
export function invoicedMonths(invoices: readonly { lines: readonly Pick<InvoiceLine, 'month'>[] }[]): Set<string> {
  return new Set(invoices.flatMap((i) => i.lines.map((l) => l.month)));
}

/**
 * The fee's lines of `year` minus the months invoiced already (by another period's invoice, e.g. a
 * yearly invoice before a monthly run): the member pays for each month once.
 */
export function linesNotYetInvoiced(year: number, lines: readonly FeeLine[], invoiced: ReadonlySet<string>): InvoiceLine[] {
  return lines.map((l) => ({ month: invoiceMonth(year, l.month), cents: l.cents })).filter((l) => !invoiced.has(l.month));
}
