import type { Language } from '../../../domain/localized';
import { en } from './en';
import { fi, type MessageKey } from './fi';
import { sv } from './sv';
import { formatMoney as formatEuros } from '../../../domain/money';

/** The months an invoice bills ('12/2026', '1–3/2026'): the same in every language. */
export { billedMonthsText } from '../../../domain/billing/billedMonths';
export { problemText, type ProblemCode } from './codes';
import { problemText, type ProblemCode } from './codes';

/** The languages of the desk and the forms: the fund's languages. */
export type Lang = Language;
export type { MessageKey } from './fi';

export const languages: readonly Lang[] = ['fi', 'sv', 'en'];

const dictionaries: Record<Lang, Record<MessageKey, string>> = { fi, sv, en };

/** Names each language in itself, so a reader finds their own language whatever the page shows. */
export const endonyms: Record<Lang, string> = { fi: 'Suomi', sv: 'Svenska', en: 'English' };

export type Params = Record<string, string | number>;

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function t(lang: Lang, key: MessageKey, params?: Params): string {
  return interpolate(dictionaries[lang][key] ?? fi[key], params);
}

/**
 * A label for a code the server sent (a status, a finding code, a channel). Codes the dictionary
 * does not know yet are shown as they are rather than hidden, so new server values stay visible.
 */
export function label(lang: Lang, prefix: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '';
  const key = `${prefix}.${code}`;
  return key in fi ? t(lang, key as MessageKey) : code;
}

/**
 * A text the system stored as a code with params (a ledger line, a change's reason), in the reader's
 * language; a code without a text shows `fallback` (the stored English), so nothing is hidden.
 */
export function describe(lang: Lang, prefix: string, code: string | null | undefined, params: Params = {}, fallback = ''): string {
  if (!code) return fallback;
  const key = `${prefix}.${code}`;
  return key in fi ? t(lang, key as MessageKey, params) : fallback || code;
}

/** Who did something: a desk user's name or id as stored, the system, a schedule or a person using a public form (`public:<id>`). */
export function actorLabel(lang: Lang, actor: string): string {
  const kind = actor.startsWith('public:') ? 'public' : actor;
  const key = `actor.${kind}`;
  return key in fi ? t(lang, key as MessageKey) : actor;
}

/** For optional entries such as per-field error texts, which not every field has. */
export function has(key: string): key is MessageKey {
  return key in fi;
}

/** Task titles are comma-separated finding codes; each becomes its label. */
export function taskTitle(lang: Lang, title: string): string {
  return title
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean)
    .map((code) => label(lang, 'finding', code))
    .join(', ');
}

const locales: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
// Fixed so the server render and the browser's hydration print the same text.
const timeZone = 'Europe/Helsinki';

/** A calendar date (YYYY-MM-DD) or a timestamp, as a date in the reader's language. */
export function formatDate(lang: Lang, value: string | null | undefined): string {
  if (!value) return '';
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  // Calendar dates carry no time zone; reading them as UTC noon keeps them on their own day.
  const date = new Date(dateOnly ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locales[lang], { day: 'numeric', month: 'numeric', year: 'numeric', timeZone }).format(date);
}

export function formatDateTime(lang: Lang, value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locales[lang], {
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(date);
}

/** Euros from cents, as the reader's language writes money: 1 234,50 € (fi), €1,234.50 (en). */
export function formatMoney(lang: Lang, cents: number | null | undefined, whole = false): string {
  if (cents === null || cents === undefined) return '';
  return formatEuros(cents, lang, { whole });
}

/** A count with the language's digit grouping. */
export function formatNumber(lang: Lang, n: number | null | undefined): string {
  if (n === null || n === undefined) return '';
  return new Intl.NumberFormat(locales[lang], { maximumFractionDigits: 0 }).format(n);
}

/** A calendar month (YYYY-MM) in words: "maalisk. 2027", "mars 2027", "Mar 2027"; without the year for chart axes. */
export function formatMonth(lang: Lang, month: string, style: 'short' | 'long' = 'short', withYear = true): string {
  if (!/^\d{4}-\d{2}$/.test(month)) return month;
  const date = new Date(`${month}-15T12:00:00Z`);
  return new Intl.DateTimeFormat(locales[lang], { month: style, ...(withYear ? { year: 'numeric' } : {}), timeZone }).format(date);
}

/** A translator bound to one language, for templates that use many strings. */
export function translator(lang: Lang) {
  const bound = (key: MessageKey, params?: Params) => t(lang, key, params);
  return Object.assign(bound, {
    lang,
    label: (prefix: string, code: string | null | undefined) => label(lang, prefix, code),
    date: (value: string | null | undefined) => formatDate(lang, value),
    dateTime: (value: string | null | undefined) => formatDateTime(lang, value),
    taskTitle: (title: string) => taskTitle(lang, title),
    describe: (prefix: string, code: string | null | undefined, params: Params = {}, fallback = '') => describe(lang, prefix, code, params, fallback),
    actor: (actor: string) => actorLabel(lang, actor),
    money: (cents: number | null | undefined, whole = false) => formatMoney(lang, cents, whole),
    number: (n: number | null | undefined) => formatNumber(lang, n),
    month: (month: string, style: 'short' | 'long' = 'short', withYear = true) => formatMonth(lang, month, style, withYear),
    /** An API problem in this language, from its code (never its English detail). */
    problem: (p: ProblemCode | null | undefined) => problemText(lang, p),
  });
}

export type Translator = ReturnType<typeof translator>;
