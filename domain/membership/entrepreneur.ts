import { addDays, compareDates } from '../dates';
import { requireDate, requireWholeNumber } from './checks';
import { monthAnniversary } from './months';

/**
 * The last day a full-time entrepreneur may stay in a wage-earner fund: `maxMonths` (18) from the
 * start of the business (domain.md §1.1), counted like every month here (monthAnniversary): since
 * 1 Jan 2024 → last day 30 Jun 2025; since 31 Aug 2023 → 28 Feb 2025 (February has no 31st).
 */
export function entrepreneurLimitDate(since: string, maxMonths = 18): string {
  requireDate(since, 'since');
  requireWholeNumber(maxMonths, 'maxMonths', 1);
  return addDays(monthAnniversary(since, maxMonths), -1);
}

/**
 * True once the limit date has passed. Being over the limit does not end the membership by
 * itself: it is a ground for expulsion after a hearing (domain.md §1.4), so the caller opens a
 * caseworker task rather than ending anything.
 */
export function isEntrepreneurOverLimit(since: string, today: string, maxMonths = 18): boolean {
  requireDate(today, 'today');
  return compareDates(today, entrepreneurLimitDate(since, maxMonths)) > 0;
}
