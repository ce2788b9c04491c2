import { compareDates } from '../dates';

/**
 * The periods that still count towards the membership condition (domain.md §1.4 consequences):
 * an expelled member loses the accrued membership, so nothing that ended on or before the last
 * expulsion counts, transferred periods included; a later membership (a rejoin) counts from its
 * own start. A reinstated member's period no longer carries the reason and counts whole again.
 */
export interface CountedPeriod {
  startDate: string;
  endDate: string | null;
  endReason?: string | null;
}

export function periodsCountingAfterExpulsion(periods: readonly CountedPeriod[], transferred: readonly CountedPeriod[] = []): CountedPeriod[] {
  const expulsionEnds = periods.filter((p) => p.endReason === 'expulsion' && p.endDate !== null).map((p) => p.endDate!);
  const all = [...periods, ...transferred];
  if (expulsionEnds.length === 0) return all;
  const lastEnd = expulsionEnds.reduce((a, b) => (compareDates(a, b) >= 0 ? a : b));
  return all.filter((p) => compareDates(p.startDate, lastEnd) > 0);
}
