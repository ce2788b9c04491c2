import { addDays, helsinkiDate } from './dates';

/** Languages a fund serves: the two official languages and English. */
export type Language = 'fi' | 'sv' | 'en';

/** A text in every language a fund serves; a missing translation is a type error. */
export type Localized = Record<Language, string>;

export const languages: readonly Language[] = ['fi', 'sv', 'en'];

const ENGLISH_MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/**
 * An ISO date as people in Finland read it: 1.3.2025 in Finnish and Swedish, 1 March 2025 in
 * English (a bare 1.3. is ambiguous to English readers).
 */
export function formatDate(isoDate: string, lang: Language): string {
  // addDays(…, 0) validates the date and throws a readable error for anything else.
  const [year, month, day] = addDays(isoDate, 0).split('-').map(Number) as [number, number, number];
  return lang === 'en' ? `${day} ${ENGLISH_MONTHS[month - 1]} ${year}` : `${day}.${month}.${year}`;
}


/**
 * The Finnish calendar day of an instant (a deadline, a timestamp) as a letter prints it: a
 * deadline at 01:30 Helsinki time on 2 March is "2.3.2025", although it is still 1 March in UTC.
 */
export function formatHelsinkiDate(instant: Date, lang: Language): string {
  return formatDate(helsinkiDate(instant), lang);
}
