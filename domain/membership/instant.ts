import { daysBetween, isIsoDate } from '../dates';

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Milliseconds since 1970-01-01T00:00Z of an ISO timestamp such as '2025-03-01T12:00:00Z' or
 * '2025-03-01T14:00:00.123+02:00'. The offset is required: without one the instant would depend
 * on the host's time zone. Integer arithmetic only, like dates.ts, so no `Date` is involved.
 */
export function instantMs(iso: string): number {
  const m = TIMESTAMP.exec(iso);
  const date = m?.[1];
  if (!m || date === undefined || !isIsoDate(date)) {
    throw new Error(`not an ISO timestamp with an offset (e.g. 2025-03-01T12:00:00Z): "${iso}"`);
  }
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  const seconds = Number(m[4] ?? '0');
  const millis = Number((m[5] ?? '').padEnd(3, '0').slice(0, 3));
  if (hours > 23 || minutes > 59 || seconds > 59) throw new Error(`time of day out of range in "${iso}"`);
  const zone = m[6] ?? 'Z';
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return daysBetween('1970-01-01', date) * DAY_MS + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000 + millis;
}

/**
 * Milliseconds from `from` to `to`, both dates ('YYYY-MM-DD', counted in whole days) or both
 * timestamps. Mixing the two throws: a date has no time of day, so the answer would silently
 * depend on which midnight was meant.
 */
export function elapsedMs(from: string, to: string, names: [string, string]): number {
  const fromIsDate = isIsoDate(from);
  const toIsDate = isIsoDate(to);
  if (fromIsDate && toIsDate) return daysBetween(from, to) * DAY_MS;
  if (fromIsDate !== toIsDate) {
    throw new Error(`${names[0]} and ${names[1]} must both be dates or both be timestamps, got "${from}" and "${to}"`);
  }
  return instantMs(to) - instantMs(from);
}
