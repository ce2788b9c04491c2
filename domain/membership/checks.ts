import { compareDates, isIsoDate } from '../dates';

// Argument checks shared by the membership rules. A bad date here is a caller's bug (the API and
// the database validate what people type), so these throw with the argument's name.

export function requireDate(value: string, name: string): void {
  if (!isIsoDate(value)) throw new Error(`${name} must be a date YYYY-MM-DD, got "${value}"`);
}

/** A period ending before it starts is a data error, never a state to reason about. */
export function requirePeriod(p: { startDate: string; endDate: string | null }, name: string): void {
  requireDate(p.startDate, `${name}.startDate`);
  if (p.endDate === null) return;
  requireDate(p.endDate, `${name}.endDate`);
  if (compareDates(p.endDate, p.startDate) < 0) {
    throw new Error(`${name}: endDate ${p.endDate} is before startDate ${p.startDate}`);
  }
}

export function requireWholeNumber(n: number, name: string, min = 0): void {
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got ${n}`);
}
