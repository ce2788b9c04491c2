import { endOfMonth } from '../dates';

/** The fee period of a billing run: a year, a quarter or a month, always within one fee year. */
export interface BillingPeriod {
  /** '2027' (a year), '2027-Q1' (a quarter) or '2027-03' (a month). */
  period: string;
  periodStart: string;
  periodEnd: string;
  feeYear: number;
}

/** A period string as the API and the schedule write it, or null when it is none of the three shapes. */
export function parseBillingPeriod(period: string): BillingPeriod | null {
  const match = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/.exec(period);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2001 || year > 2099) return null;
  const [fromMonth, toMonth] = match[2] ? [Number(match[2]) * 3 - 2, Number(match[2]) * 3] : match[3] ? [Number(match[3]), Number(match[3])] : [1, 12];
  const month = (m: number) => `${year}-${String(m).padStart(2, '0')}-01`;
  return { period, periodStart: month(fromMonth), periodEnd: endOfMonth(month(toMonth)), feeYear: year };
}
