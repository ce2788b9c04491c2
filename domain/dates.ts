/**
 * Calendar dates as ISO 'YYYY-MM-DD' strings.
 *
 * Everything here is integer arithmetic on a proleptic Gregorian calendar, with no `Date`, so the
 * results never depend on the host's time zone or clock and are safe inside Temporal workflows.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** True for a real calendar date written as 'YYYY-MM-DD' (years 0001–9999). */
export function isIsoDate(s: string): boolean {
  return toCivil(s) !== undefined;
}

/** The date `n` days after `d` (before it if `n` is negative). */
export function addDays(d: string, n: number): string {
  requireInteger(n, 'addDays');
  return fromDayNumber(toDayNumber(parse(d)) + n);
}

/**
 * The date `n` calendar months after `d`. When the target month is shorter, the result is clamped
 * to its last day: 2024-01-31 + 1 month = 2024-02-29.
 */
export function addMonths(d: string, n: number): string {
  requireInteger(n, 'addMonths');
  const { year, month, day } = parse(d);
  const monthIndex = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return format({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, daysInMonth(targetYear, targetMonth)),
  });
}

/** The last day of the month `d` falls in. */
export function endOfMonth(d: string): string {
  const { year, month } = parse(d);
  return format({ year, month, day: daysInMonth(year, month) });
}

/** -1, 0 or 1 as `a` is before, equal to or after `b`. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const diff = toDayNumber(parse(a)) - toDayNumber(parse(b));
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** The later of two dates. */
export function maxDate(a: string, b: string): string {
  return compareDates(a, b) >= 0 ? a : b;
}

/**
 * Completed years of age on `onDate`.
 *
 * A person born on 29 February has their birthday on 1 March in common years: on 28 February
 * they have not yet reached the new age. This is the usual Finnish reading (a year of age is
 * completed when the calendar day of birth has passed), and it decides e.g. whether someone is
 * still under 68 on a membership start date.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const birth = parse(birthDate);
  const on = parse(onDate);
  const birthdayReached = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (birthdayReached ? 0 : 1);
}

/** Days from `a` to `b`: positive when `b` is later, 0 for the same day. */
export function daysBetween(a: string, b: string): number {
  return toDayNumber(parse(b)) - toDayNumber(parse(a));
}

function parse(s: string): CivilDate {
  const civil = toCivil(s);
  if (civil === undefined) {
    throw new Error(`not a calendar date in the form YYYY-MM-DD: "${s}"`);
  }
  return civil;
}

function toCivil(s: string): CivilDate | undefined {
  const match = ISO_DATE.exec(s);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  return { year, month, day };
}

function format({ year, month, day }: CivilDate): string {
  if (year < 1 || year > 9999) {
    throw new Error(`date out of the supported range 0001-01-01..9999-12-31 (year ${year})`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Day numbers relative to 1970-01-01, after Howard Hinnant's days_from_civil / civil_from_days:
// exact for every Gregorian date, using eras of 400 years (146,097 days).
function toDayNumber({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(dayNumber: number): string {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return format({ year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day });
}

function requireInteger(n: number, fn: string): void {
  if (!Number.isSafeInteger(n)) throw new Error(`${fn}: the count must be a whole number, got ${n}`);
}

const HELSINKI_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar day in Finland (Europe/Helsinki) at an instant, as 'YYYY-MM-DD'. This is the one
 * place "today" is computed: dates of receipt, deadlines and letters are Finnish dates, so an
 * instant between 00:00 and 03:00 Helsinki time is already the next day (UTC would say otherwise).
 * Workflows pass `new Date()`, which the Temporal sandbox makes deterministic.
 */
export function helsinkiDate(instant: Date | string | number): string {
  const date = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an instant: ${String(instant)}`);
  return HELSINKI_DAY.format(date);
}

/** Today in Finland, as 'YYYY-MM-DD'. */
export function todayInHelsinki(now: Date = new Date()): string {
  return helsinkiDate(now);
}

/**
 * A process's clock of Finnish days: `todayInHelsinki` that keeps the day it last computed with the
 * instants that day spans, so the many calls within one day (every membership read asks) cost a
 * comparison instead of an `Intl` format; an instant outside the kept span computes its day afresh.
 */
export function helsinkiDayClock(clock: () => Date = () => new Date()): () => string {
  let kept: { day: string; from: number; until: number } | null = null;
  return () => {
    const now = clock();
    const t = now.getTime();
    if (kept !== null && t >= kept.from && t < kept.until) return kept.day;
    const day = helsinkiDate(now);
    kept = { day, from: helsinkiDayStart(day).getTime(), until: helsinkiDayStart(addDays(day, 1)).getTime() };
    return day;
  };
}

/** The instant a Helsinki calendar day ('YYYY-MM-DD') begins: 22:00 or 21:00 UTC the day before. */
export function helsinkiDayStart(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  for (const offsetHours of [3, 2]) {
    const candidate = new Date(Date.UTC(y, m - 1, d) - offsetHours * 3_600_000);
    if (helsinkiDate(candidate) === day && helsinkiDate(candidate.getTime() - 1) !== day) return candidate;
  }
  throw new Error(`${day} is not a calendar day`);
}
