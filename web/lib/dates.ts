export { addDays, todayInHelsinki } from '../../domain/dates';

/** A well-formed calendar date (YYYY-MM-DD) from a query parameter, or null. */
export function dateParam(value: string | null): string | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T12:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? null : value;
}
