/**
 * When the annual report of fees paid in `paymentYear` is due: the configured day of the next
 * year (31 January by the 2021 filling instructions; it was 20 February under the 2017 ones), moved
 * to the next business day when it falls on a Saturday, Sunday or Finnish public holiday.
 */
import { addDays } from '../dates';
import { onOrNextBusinessDay } from './holidays';
import type { TaxReportSettings } from './settings';

export function filingDeadline(paymentYear: number, due: TaxReportSettings['deadline'] = { month: 1, day: 31 }): string {
  const nominal = `${paymentYear + 1}-${String(due.month).padStart(2, '0')}-${String(due.day).padStart(2, '0')}`;
  return onOrNextBusinessDay(nominal);
}

/** From which day the desk warns that a year is not filed yet (`warnDaysBefore` before the deadline). */
export function filingWarningFrom(paymentYear: number, settings: Pick<TaxReportSettings, 'deadline' | 'warnDaysBefore'>): string {
  return addDays(filingDeadline(paymentYear, settings.deadline), -settings.warnDaysBefore);
}

/**
 * The payment year whose report is the current concern on `today`: the previous year until its
 * deadline has passed (and after: it stays the concern until filed, which the caller knows).
 */
export function reportYearOn(today: string): number {
  return Number(today.slice(0, 4)) - 1;
}
