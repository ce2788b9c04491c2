/**
 * Finnish public holidays and business days. A business day is a weekday that is not a public
 * holiday; Midsummer Eve and Christmas Eve are not holidays by law but banks and authorities are
 * closed, so they count as non-business days too (the Tax Administration's "arkipäivä").
 */
import { addDays } from '../dates';

export interface Holiday {
  date: string;
  /** Stable key; the desk translates it. */
  key:
    | 'new-year'
    | 'epiphany'
    | 'good-friday'
    | 'easter-sunday'
    | 'easter-monday'
    | 'may-day'
    | 'ascension'
    | 'whitsun'
    | 'midsummer-eve'
    | 'midsummer-day'
    | 'all-saints'
    | 'independence-day'
    | 'christmas-eve'
    | 'christmas-day'
    | 'boxing-day';
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The first date from `from` (inclusive) to `to` (inclusive) that falls on `day` (0 = Sunday). */
function firstWeekdayBetween(from: string, to: string, day: number): string {
  for (let d = from; d <= to; d = addDays(d, 1)) if (weekday(d) === day) return d;
  throw new Error(`no weekday ${day} between ${from} and ${to}`);
}

/** Every Finnish public holiday (and the two closed eves) of `year`, in date order. */
export function finnishHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const list: Holiday[] = [
    { date: iso(year, 1, 1), key: 'new-year' },
    { date: iso(year, 1, 6), key: 'epiphany' },
    { date: addDays(easter, -2), key: 'good-friday' },
    { date: easter, key: 'easter-sunday' },
    { date: addDays(easter, 1), key: 'easter-monday' },
    { date: iso(year, 5, 1), key: 'may-day' },
    { date: addDays(easter, 39), key: 'ascension' },
    { date: addDays(easter, 49), key: 'whitsun' },
    // Midsummer Day is the Saturday between 20 and 26 June; its eve is the Friday before.
    { date: addDays(firstWeekdayBetween(iso(year, 6, 20), iso(year, 6, 26), 6), -1), key: 'midsummer-eve' },
    { date: firstWeekdayBetween(iso(year, 6, 20), iso(year, 6, 26), 6), key: 'midsummer-day' },
    // All Saints' Day is the Saturday between 31 October and 6 November.
    { date: firstWeekdayBetween(iso(year, 10, 31), iso(year, 11, 6), 6), key: 'all-saints' },
    { date: iso(year, 12, 6), key: 'independence-day' },
    { date: iso(year, 12, 24), key: 'christmas-eve' },
    { date: iso(year, 12, 25), key: 'christmas-day' },
    { date: iso(year, 12, 26), key: 'boxing-day' },
  ];
  return list.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

export function holidayOn(date: string): Holiday | undefined {
  return finnishHolidays(Number(date.slice(0, 4))).find((h) => h.date === date);
}

export function isBusinessDay(date: string): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && holidayOn(date) === undefined;
}

/** `date` itself when it is a business day, else the next one. */
export function onOrNextBusinessDay(date: string): string {
  let d = date;
  while (!isBusinessDay(d)) d = addDays(d, 1);
  return d;
}
