/**
 * Invoice letters as PDF: one A4 page with the letter part (fund, recipient in the envelope
 * window, invoice facts, rows, payment instructions) and the Finnish bank transfer form
 * (tilisiirtolomake) at the bottom third, with the bank barcode (pankkiviivakoodi) drawn as Code 128
 * set C of the 54-digit virtual barcode (domain.md §3.4) and printed as digits.
 *
 * A small hand-made PDF 1.4 writer, no dependency: a billing run renders ~100,000 letters, so the
 * page is one uncompressed content stream with the two standard Type1 fonts (Helvetica and
 * Helvetica-Bold, WinAnsiEncoding: no font embedding, every PDF reader has them), and everything that
 * does not depend on the invoice (lines, labels, the legal text) is built once per language at
 * module load. The output is deterministic: no timestamps, no random ids, so the same document
 * renders to the same bytes.
 *
 * Characters: the standard fonts print Windows-1252 (WinAnsi), which covers Finnish, Swedish and
 * most Western names (ä ö å é ü ß € – …). Anything else is folded to its base Latin letter the way a
 * postal address is transliterated (Č → C, ő → o, ł → l, ș → s; combining marks dropped); a character
 * with no Latin fold (another script, an emoji, a control character) throws TransformError naming
 * the field, since a letter with a garbled name or address should not be mailed: a person records a
 * Latin-letter form of it instead.
 *
 * Layout assumptions [P]: window envelope C5/E65 with the window 20 mm from the left and the
 * address 35–50 mm from the top of the sheet (SFS 2487 address field); bank barcode with a module
 * of 0.254 mm (1/100 inch, whole printer dots at 300 and 600 dpi), 13 mm high, at least 6.4 mm quiet
 * zone on each side, on the bottom of the form; form rows per the Finnish bank transfer form
 * (fi/sv labels, as the form standard prints them, whatever the letter's language).
 */
import { isIsoDate } from '../../domain/dates';
import { formatDate, type Language } from '../../domain/localized';
import { formatMoney } from '../../domain/money';
import { TransformError } from './errors';

export interface InvoicePostalAddress {
  street: string;
  postalCode: string;
  city: string;
  /** Printed (upper case) under the city; leave out for a Finnish address. */
  country?: string;
}

/** What a printed invoice shows, already formatted where people read a grouped form. */
export interface InvoiceDocument {
  /** The letter part's language; the bank transfer form is always fi/sv. */
  language: Language;
  /** What the letter is headed: an invoice (the default) or a payment reminder of an overdue invoice. */
  kind?: 'invoice' | 'reminder';
  fund: {
    name: string;
    /** Y-tunnus, e.g. '2931547-9'. */
    businessId: string;
    /** Printed form in groups of four: 'FI37 1590 3000 0007 76'. Must be the account in the barcode. */
    iban: string;
    bic: string;
  };
  recipient: {
    name: string;
    /** Null when there is none to print (an e-mail member's reprint, or a protected address). */
    address: InvoicePostalAddress | null;
  };
  /** 1–20 printable ASCII characters. */
  invoiceNumber: string;
  /** ISO dates (YYYY-MM-DD). */
  issueDate: string;
  dueDate: string;
  /** National reference in groups of five: '12345 67890 12'. */
  reference: string;
  /** RF creditor reference in groups of four: 'RF33 2348 236'. */
  rfReference: string;
  period: { start: string; end: string };
  /** The months billed ('12/2026', '1–3/2026'): printed as the billing period instead of the run's dates when given. */
  billedMonths?: string;
  /** 1–18 rows, each whole cents ≥ 0. */
  rows: { description: string; amountCents: number }[];
  /** The sum of the rows, more than 0. */
  totalCents: number;
  /** The 54-digit virtual barcode (version 4 or 5); must agree with the IBAN, total, reference and due date. */
  virtualBarcode: string;
}

const FORMAT = 'invoice-pdf';
/** Rows that fit between the header and the bank transfer form. */
export const MAX_INVOICE_ROWS = 18;

function fail(detail: string, element: string): never {
  throw new TransformError(detail, { format: FORMAT, line: null, element });
}

/* ---------------------------------------------------------------------------------------------
 * Text encoding: Unicode → WinAnsi (Windows-1252) bytes, held as a string of char codes 0–255.
 * ------------------------------------------------------------------------------------------- */

/** The 27 WinAnsi codes 0x80–0x9F that differ from Latin-1. */
const WIN_ANSI_EXTRA: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86],
  [0x2021, 0x87], [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c],
  [0x017d, 0x8e], [0x2018, 0x91], [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95],
  [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98], [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b],
  [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

/** Letters and marks without a canonical decomposition, folded as a postal address would be. */
const FOLDS: Readonly<Record<string, string>> = {
  'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'ı': 'i', 'ħ': 'h', 'Ħ': 'H', 'ŧ': 't', 'Ŧ': 'T',
  'ŋ': 'n', 'Ŋ': 'N', 'ſ': 's', 'ĸ': 'k', 'ʼ': '\u2019', 'ʻ': '\u2018', '\u2032': "'", '\u2033': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2212': '-', '\u2009': ' ', '\u2007': ' ', '\u202f': ' ',
  '\u2002': ' ', '\u2003': ' ', '\t': ' ', '\n': ' ', '\r': ' ',
};

const PLAIN = /^[\x20-\x7e\xa0-\xff]*$/;

function winAnsiCode(cp: number): number | null {
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return WIN_ANSI_EXTRA.get(cp) ?? null;
}

/** `text` as WinAnsi bytes (a string of char codes 0–255), folded as described at the top. */
export function win(text: string, field: string): string {
  if (PLAIN.test(text)) return text;
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    const direct = winAnsiCode(cp);
    if (direct !== null) {
      out += String.fromCharCode(direct);
      continue;
    }
    if (cp >= 0x300 && cp <= 0x36f) continue; // a combining mark left over after NFC
    const folded = FOLDS[ch] ?? foldByDecomposition(ch);
    if (folded === null) {
      const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      fail(`"${ch}" (${code}) cannot be printed with the letter's fonts (Windows-1252); record the text in Latin letters`, field);
    }
    out += win(folded, field);
  }
  return out;
}

/** 'Č' → 'C', 'ő' → 'o': the base letters of the canonical decomposition, if all printable. */
function foldByDecomposition(ch: string): string | null {
  const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (base === '' || base === ch) return null;
  for (const b of base) if (winAnsiCode(b.codePointAt(0)!) === null && FOLDS[b] === undefined) return null;
  return base;
}

const NEEDS_ESCAPE = /[()\\]/;

/** A PDF literal string: ( ) and \ escaped; bytes 0x80–0xFF go in as they are. */
export function pdfString(bytes: string): string {
  return NEEDS_ESCAPE.test(bytes) ? `(${bytes.replace(/[()\\]/g, '\\$&')})` : `(${bytes})`;
}

/* ---------------------------------------------------------------------------------------------
 * Fonts: advance widths (1/1000 em) of WinAnsi codes 32–255, from Adobe's Core 14 AFM metrics.
 * ------------------------------------------------------------------------------------------- */

// prettier-ignore
const HELVETICA_WIDTHS = [278,278,355,556,556,889,667,191,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,278,278,584,584,584,556,1015,667,667,722,722,667,611,778,722,278,500,667,556,833,722,778,667,778,722,667,611,722,667,944,667,667,611,278,278,278,469,556,333,556,556,500,556,556,278,556,556,222,222,500,222,833,556,556,556,556,333,500,278,556,500,722,500,500,500,334,260,334,584,0,556,0,222,556,333,1000,556,556,333,1000,667,333,1000,0,611,0,0,222,222,333,333,350,556,1000,333,1000,500,333,944,0,500,667,278,333,556,556,556,556,260,556,333,737,370,556,584,333,737,333,400,584,333,333,333,556,537,278,333,333,365,556,834,834,834,611,667,667,667,667,667,667,1000,722,667,667,667,667,278,278,278,278,722,722,778,778,778,778,778,584,778,722,722,722,722,667,667,611,556,556,556,556,556,556,889,500,556,556,556,556,278,278,278,278,556,556,556,556,556,556,556,584,611,556,556,556,556,500,556,500];
// prettier-ignore
const HELVETICA_BOLD_WIDTHS = [278,333,474,556,556,889,722,238,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,333,333,584,584,584,611,975,722,722,722,722,667,611,778,722,278,556,722,611,833,722,778,667,778,722,667,611,722,667,944,667,667,611,333,278,333,584,556,333,556,611,556,611,556,333,611,611,278,278,556,278,889,611,611,611,611,389,556,333,611,556,778,556,556,500,389,280,389,584,0,556,0,278,556,500,1000,556,556,333,1000,667,333,1000,0,611,0,0,278,278,500,500,350,556,1000,333,1000,556,333,944,0,500,667,278,333,556,556,556,556,280,556,333,737,370,556,584,333,737,333,400,584,333,333,333,611,556,278,333,333,365,556,834,834,834,611,722,722,722,722,722,722,1000,722,667,667,667,667,278,278,278,278,722,722,778,778,778,778,778,584,778,722,722,722,722,667,667,611,556,556,556,556,556,556,889,556,556,556,556,556,278,278,278,278,611,611,611,611,611,556,611,556];

export interface Font {
  /** Resource name in the page's font dictionary. */
  id: 'F1' | 'F2';
  widths: readonly number[];
}
export const REGULAR: Font = { id: 'F1', widths: HELVETICA_WIDTHS };
export const BOLD: Font = { id: 'F2', widths: HELVETICA_BOLD_WIDTHS };

/** Width in points of WinAnsi `bytes` at `size`. */
export function widthOf(bytes: string, font: Font, size: number): number {
  let units = 0;
  for (let i = 0; i < bytes.length; i++) units += font.widths[bytes.charCodeAt(i) - 32] ?? 556;
  return (units * size) / 1000;
}

/** Lines of at most `maxWidth` points, broken at spaces (a word longer than a line stays whole). */
export function wrap(bytes: string, font: Font, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of bytes.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && widthOf(candidate, font, size) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/* ---------------------------------------------------------------------------------------------
 * Page drawing: operators appended to an array, joined once.
 * ------------------------------------------------------------------------------------------- */

const MM = 72 / 25.4;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MIN_FONT_SIZE = 6;

/** A coordinate in points with at most two decimals. */
const n = (v: number): string => String(Math.round(v * 100) / 100);

type Align = 'left' | 'right';

/** Text at (x, y) in millimetres from the bottom-left corner; `bytes` are WinAnsi. */
function text(out: string[], bytes: string, font: Font, size: number, xMm: number, yMm: number, align: Align = 'left'): void {
  const x = align === 'right' ? xMm * MM - widthOf(bytes, font, size) : xMm * MM;
  out.push(`BT /${font.id} ${n(size)} Tf ${n(x)} ${n(yMm * MM)} Td ${pdfString(bytes)} Tj ET`);
}

/** Text that must stay within `maxWidthMm`: shrunk down to 6 pt, then cut with an ellipsis. */
function fittedText(out: string[], bytes: string, font: Font, size: number, xMm: number, yMm: number, maxWidthMm: number): void {
  const max = maxWidthMm * MM;
  const width = widthOf(bytes, font, size);
  if (width <= max) return text(out, bytes, font, size, xMm, yMm);
  const shrunk = Math.floor(((size * max) / width) * 10) / 10;
  if (shrunk >= MIN_FONT_SIZE) return text(out, bytes, font, shrunk, xMm, yMm);
  let cut = bytes;
  while (cut.length > 1 && widthOf(`${cut}\x85`, font, MIN_FONT_SIZE) > max) cut = cut.slice(0, -1);
  text(out, `${cut.trimEnd()}\x85`, font, MIN_FONT_SIZE, xMm, yMm);
}

function line(out: string[], x1: number, y1: number, x2: number, y2: number): void {
  out.push(`${n(x1 * MM)} ${n(y1 * MM)} m ${n(x2 * MM)} ${n(y2 * MM)} l S`);
}

/* ---------------------------------------------------------------------------------------------
 * Code 128 set C.
 * ------------------------------------------------------------------------------------------- */

/**
 * Bar and space widths in modules of the Code 128 symbols 0–106 (ISO/IEC 15417): bar, space, bar,
 * space, bar, space; 103–105 are the start symbols A, B and C; 106 is the stop symbol, which has a
 * final 2-module bar.
 */
// prettier-ignore
export const CODE128_PATTERNS: readonly string[] = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 ' +
  '122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 ' +
  '322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 ' +
  '112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 ' +
  '331121 312113 312311 332111 314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 ' +
  '112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 ' +
  '124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 114311 411113 ' +
  '411311 113141 114131 311141 411131 211412 211214 211232 2331112'
).split(' ');

const START_C = 105;
const STOP = 106;

/**
 * The Code 128 symbols for an even number of digits in set C: start C (105), one symbol per pair
 * of digits, the check symbol (start value plus each pair's value times its position, mod 103) and
 * the stop symbol (106).
 */
export function code128CSymbols(digits: string): number[] {
  if (!/^(?:\d\d)+$/.test(digits)) fail(`Code 128 set C needs an even number of digits, got "${digits}"`, 'virtualBarcode');
  const symbols = [START_C];
  let sum = START_C;
  for (let i = 0; i < digits.length; i += 2) {
    const value = (digits.charCodeAt(i) - 48) * 10 + (digits.charCodeAt(i + 1) - 48);
    symbols.push(value);
    sum += value * (i / 2 + 1);
  }
  symbols.push(sum % 103, STOP);
  return symbols;
}

/** Module of the bank barcode: 1/100 inch (0.254 mm), whole dots at 300 and 600 dpi. */
const BARCODE_MODULE = 0.72;
const BARCODE_X_MM = 20;
const BARCODE_Y_MM = 14;
const BARCODE_HEIGHT_MM = 13;

/** The bars as filled rectangles, drawn left to right from (xMm, yMm). */
function barcode(out: string[], digits: string, xMm: number, yMm: number, heightMm: number): void {
  let x = xMm * MM;
  const y = n(yMm * MM);
  const h = n(heightMm * MM);
  for (const symbol of code128CSymbols(digits)) {
    const pattern = CODE128_PATTERNS[symbol]!;
    for (let i = 0; i < pattern.length; i++) {
      const width = (pattern.charCodeAt(i) - 48) * BARCODE_MODULE;
      if (i % 2 === 0) out.push(`${n(x)} ${y} ${n(width)} ${h} re`);
      x += width;
    }
  }
  out.push('f');
}

/* ---------------------------------------------------------------------------------------------
 * Texts.
 * ------------------------------------------------------------------------------------------- */

interface LetterTexts {
  title: string;
  businessId: string;
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  amountDue: string;
  reference: string;
  rfReference: string;
  account: string;
  period: string;
  rows: string;
  amount: string;
  total: string;
  instructions: string;
  virtualBarcode: string;
}

const LETTER_TEXTS: Record<Language, LetterTexts> = {
  fi: {
    title: 'LASKU',
    businessId: 'Y-tunnus',
    invoiceNumber: 'Laskun numero',
    issueDate: 'Laskun päivä',
    dueDate: 'Eräpäivä',
    amountDue: 'Maksettava',
    reference: 'Viitenumero',
    rfReference: 'RF-viite',
    account: 'Tilinumero',
    period: 'Laskutuskausi',
    rows: 'Erittely',
    amount: 'Summa',
    total: 'Yhteensä',
    instructions:
      'Maksathan laskun viimeistään eräpäivänä viitenumerolla. Verkkopankissa voit lukea viivakoodin tai kopioida virtuaaliviivakoodin. Jäsenmaksu ei sisällä arvonlisäveroa.',
    virtualBarcode: 'Virtuaaliviivakoodi',
  },
  sv: {
    title: 'FAKTURA',
    businessId: 'FO-nummer',
    invoiceNumber: 'Fakturanummer',
    issueDate: 'Fakturadatum',
    dueDate: 'Förfallodag',
    amountDue: 'Att betala',
    reference: 'Referensnummer',
    rfReference: 'RF-referens',
    account: 'Kontonummer',
    period: 'Faktureringsperiod',
    rows: 'Specifikation',
    amount: 'Belopp',
    total: 'Totalt',
    instructions:
      'Vänligen betala fakturan senast på förfallodagen med referensnumret. I nätbanken kan du läsa streckkoden eller kopiera den virtuella streckkoden. Medlemsavgiften är momsfri.',
    virtualBarcode: 'Virtuell streckkod',
  },
  en: {
    title: 'INVOICE',
    businessId: 'Business ID',
    invoiceNumber: 'Invoice number',
    issueDate: 'Invoice date',
    dueDate: 'Due date',
    amountDue: 'Amount due',
    reference: 'Reference number',
    rfReference: 'RF reference',
    account: 'Account',
    period: 'Billing period',
    rows: 'Description',
    amount: 'Amount',
    total: 'Total',
    instructions:
      'Please pay by the due date using the reference number. In your online bank you can scan the barcode or copy the virtual barcode. The membership fee is not subject to VAT.',
    virtualBarcode: 'Virtual barcode',
  },
};

/** The bank transfer form's printed texts: Finnish and Swedish, as the form standard has them. */
const FORM = {
  title: 'TILISIIRTO. GIRO.',
  payeeAccount: ['Saajan tilinumero', 'Mottagarens kontonummer'],
  payee: ['Saaja', 'Mottagare'],
  payer: ['Maksajan nimi ja osoite', 'Betalarens namn och adress'],
  signature: ['Allekirjoitus', 'Underskrift'],
  fromAccount: ['Tililtä nro', 'Från konto nr'],
  reference: ['Viitenro', 'Ref.nr'],
  dueDate: ['Eräpäivä', 'Förfallodag'],
  euro: 'Euro',
  legal: [
    'Maksu välitetään saajalle maksujenvälityksen ehtojen mukaisesti Euroopan talousalueella vain maksajan ilmoittaman tilinumeron perusteella.',
    'Betalningen förmedlas till mottagaren enligt villkoren för betalningsförmedling inom Europeiska ekonomiska samarbetsområdet endast till det kontonummer som betalaren angivit.',
  ],
} as const;

const TITLE_ASCII: Record<Language, string> = { fi: 'Lasku', sv: 'Faktura', en: 'Invoice' };
/** A payment reminder's heading and file title; the rest of the letter is the invoice's. */
const REMINDER_TITLE: Record<Language, string> = { fi: 'MAKSUMUISTUTUS', sv: 'BETALNINGSPÅMINNELSE', en: 'PAYMENT REMINDER' };
const REMINDER_TITLE_ASCII: Record<Language, string> = { fi: 'Maksumuistutus', sv: 'Betalningspaminnelse', en: 'Payment reminder' };

/* ---------------------------------------------------------------------------------------------
 * Layout (millimetres from the bottom-left corner of the A4 sheet).
 * ------------------------------------------------------------------------------------------- */

const LEFT = 20;
const RIGHT = 190;
/** Address block: inside the envelope window (20 mm from the left, 35–50 mm from the top). */
const ADDRESS_X = 22;
const ADDRESS_TOP = 262;
const ADDRESS_WIDTH = 85;
const INFO_LABEL_X = 112;
const INFO_VALUE_X = 146;
const INFO_TOP = 272;
const INFO_STEP = 4.5;
const ROWS_TOP = 228;
const ROW_STEP = 4.6;
/** The bank transfer form: the bottom 101.6 mm (4 inches) of the sheet. */
const FORM_TOP = 101.6;
const FORM_MID = 111.3;

// Row boundaries of the form, top to bottom.
const R1 = 84.6; // payee account | title
const R2 = 71.6; // payee
const R3 = 51.6; // payer | (message area) ; below: signature | reference
const R4 = 41.6; // from account | due date and amount
const R5 = 33.6; // bottom of the fields; the barcode area below
const IBAN_BIC_SPLIT = 85;
const DUE_EURO_SPLIT = 160;

/** The lines and labels of a letter in one language: the part that is the same on every invoice. */
function staticContent(lang: Language, title: string = LETTER_TEXTS[lang].title): string {
  const t = { ...LETTER_TEXTS[lang], title };
  const out: string[] = ['0 g 0 G 0.5 w'];
  // Letter part.
  text(out, win(t.title, 'title'), BOLD, 14, INFO_LABEL_X, 280);
  const labels = [t.invoiceNumber, t.issueDate, t.dueDate, t.amountDue, t.reference, t.rfReference, t.account, t.period];
  labels.forEach((label, i) => text(out, win(label, 'label'), REGULAR, 8, INFO_LABEL_X, INFO_TOP - i * INFO_STEP));
  text(out, win(t.rows, 'label'), BOLD, 9, LEFT, ROWS_TOP);
  text(out, win(t.amount, 'label'), BOLD, 9, RIGHT, ROWS_TOP, 'right');
  line(out, LEFT, ROWS_TOP - 1.8, RIGHT, ROWS_TOP - 1.8);

  // Bank transfer form.
  out.push('[2 2] 0 d');
  line(out, 0, FORM_TOP, PAGE_WIDTH / MM, FORM_TOP);
  out.push('[] 0 d');
  for (const y of [R1, R3, R4, R5]) line(out, 0, y, 210, y);
  line(out, 0, R2, FORM_MID, R2);
  line(out, LEFT, R5, LEFT, FORM_TOP);
  line(out, FORM_MID, R5, FORM_MID, FORM_TOP);
  line(out, IBAN_BIC_SPLIT, R1, IBAN_BIC_SPLIT, FORM_TOP);
  line(out, DUE_EURO_SPLIT, R5, DUE_EURO_SPLIT, R4);
  line(out, LEFT + 2, R4 + 2.5, FORM_MID - 3, R4 + 2.5); // the signature line

  const formLabel = (pair: readonly [string, string], x: number, top: number) => {
    text(out, win(pair[0], 'label'), REGULAR, 6, x, top - 2.8);
    text(out, win(pair[1], 'label'), REGULAR, 6, x, top - 5.2);
  };
  // The left label column is 20 mm wide; two short lines per label.
  const leftLabel = (pair: readonly [string, string], top: number) => {
    const lines = [...wrap(win(pair[0], 'label'), REGULAR, 6, 18 * MM), ...wrap(win(pair[1], 'label'), REGULAR, 6, 18 * MM)];
    lines.forEach((l, i) => text(out, l, REGULAR, 6, 1.5, top - 2.8 - i * 2.4));
  };
  leftLabel(FORM.payeeAccount, FORM_TOP);
  leftLabel(FORM.payee, R1);
  leftLabel(FORM.payer, R2);
  leftLabel(FORM.signature, R3);
  leftLabel(FORM.fromAccount, R4);
  text(out, 'IBAN', REGULAR, 6, LEFT + 2, FORM_TOP - 2.8);
  text(out, 'BIC', REGULAR, 6, IBAN_BIC_SPLIT + 1.5, FORM_TOP - 2.8);
  text(out, win(FORM.title, 'label'), BOLD, 10, FORM_MID + 2, FORM_TOP - 6);
  formLabel(FORM.reference, FORM_MID + 1.5, R3);
  formLabel(FORM.dueDate, FORM_MID + 1.5, R4);
  text(out, FORM.euro, REGULAR, 6, DUE_EURO_SPLIT + 1.5, R4 - 2.8);
  let y = 29;
  for (const paragraph of FORM.legal) {
    for (const l of wrap(win(paragraph, 'label'), REGULAR, 6, (205 - FORM_MID - 2) * MM)) {
      text(out, l, REGULAR, 6, FORM_MID + 2, y);
      y -= 2.5;
    }
    y -= 1;
  }
  return out.join('\n');
}

const STATIC: Record<Language, string> = { fi: staticContent('fi'), sv: staticContent('sv'), en: staticContent('en') };
const STATIC_REMINDER: Record<Language, string> = {
  fi: staticContent('fi', REMINDER_TITLE.fi),
  sv: staticContent('sv', REMINDER_TITLE.sv),
  en: staticContent('en', REMINDER_TITLE.en),
};

/* ---------------------------------------------------------------------------------------------
 * The document.
 * ------------------------------------------------------------------------------------------- */

/** Money as the language writes it: '1 234,50 €' (no-break spaces) or '€1,234.50'. */
function money(cents: number, lang: Language): string {
  return formatMoney(cents, lang);
}

/** The form's "Euro" field: digits with a decimal comma, no currency sign. */
function formAmount(cents: number): string {
  return formatMoney(cents, 'fi', { bare: true });
}

function requireText(value: string, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') fail('is required', field);
  if (value.length > max) fail(`must be at most ${max} characters, got ${value.length}`, field);
  return value.trim();
}

function requireDate(value: string, field: string): void {
  if (typeof value !== 'string' || !isIsoDate(value)) fail(`must be a date YYYY-MM-DD, got "${value}"`, field);
}

/** Checks the document and that its barcode agrees with what the letter prints. */
function validate(doc: InvoiceDocument): void {
  if (doc.language !== 'fi' && doc.language !== 'sv' && doc.language !== 'en') fail(`must be fi, sv or en, got "${String(doc.language)}"`, 'language');
  if (typeof doc.invoiceNumber !== 'string' || !/^[\x21-\x7e]{1,20}$/.test(doc.invoiceNumber)) {
    fail(`must be 1–20 letters, digits or signs without spaces, got "${doc.invoiceNumber}"`, 'invoiceNumber');
  }
  for (const [field, value] of [['issueDate', doc.issueDate], ['dueDate', doc.dueDate], ['period.start', doc.period.start], ['period.end', doc.period.end]] as const) {
    requireDate(value, field);
  }
  if (doc.dueDate < doc.issueDate) fail(`${doc.dueDate} is before the invoice date ${doc.issueDate}`, 'dueDate');
  if (doc.period.end < doc.period.start) fail(`the period ends (${doc.period.end}) before it starts (${doc.period.start})`, 'period.end');
  if (!Array.isArray(doc.rows) || doc.rows.length === 0) fail('the invoice needs at least one row', 'rows');
  if (doc.rows.length > MAX_INVOICE_ROWS) fail(`at most ${MAX_INVOICE_ROWS} rows fit on the page, got ${doc.rows.length}`, 'rows');
  let sum = 0;
  doc.rows.forEach((row, i) => {
    if (!Number.isSafeInteger(row.amountCents) || row.amountCents < 0) fail(`must be whole cents, 0 or more, got ${row.amountCents}`, `rows[${i}].amountCents`);
    sum += row.amountCents;
  });
  if (!Number.isSafeInteger(doc.totalCents) || doc.totalCents <= 0) fail(`must be whole cents, more than 0, got ${doc.totalCents}`, 'totalCents');
  if (sum !== doc.totalCents) fail(`is ${doc.totalCents} cents but the rows add up to ${sum}`, 'totalCents');

  const bc = doc.virtualBarcode;
  if (typeof bc !== 'string' || !/^[45]\d{53}$/.test(bc)) fail('must be 54 digits starting with 4 or 5 (version 4 or 5)', 'virtualBarcode');
  const iban = String(doc.fund.iban).replace(/\s+/g, '').toUpperCase();
  if (!/^FI\d{16}$/.test(iban)) fail(`"${doc.fund.iban}" is not a Finnish IBAN`, 'fund.iban');
  if (bc.slice(1, 17) !== iban.slice(2)) fail(`carries the account FI${bc.slice(1, 17)}, not the printed ${doc.fund.iban}`, 'virtualBarcode');
  if (Number(bc.slice(17, 25)) !== doc.totalCents) fail(`carries ${Number(bc.slice(17, 25))} cents, not the total ${doc.totalCents}`, 'virtualBarcode');
  const due = `${doc.dueDate.slice(2, 4)}${doc.dueDate.slice(5, 7)}${doc.dueDate.slice(8, 10)}`;
  if (bc.slice(48) !== due) fail(`carries the due date ${bc.slice(48)} (YYMMDD), not ${doc.dueDate}`, 'virtualBarcode');
  const reference = String(doc.reference).replace(/\s+/g, '');
  if (!/^\d{4,20}$/.test(reference)) fail(`"${doc.reference}" is not a national reference number`, 'reference');
  const rf = String(doc.rfReference).replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(rf)) fail(`"${doc.rfReference}" is not an RF reference`, 'rfReference');
  if (bc[0] === '4' && bc.slice(28, 48) !== reference.padStart(20, '0')) fail(`carries the reference ${bc.slice(28, 48).replace(/^0+/, '')}, not ${reference}`, 'virtualBarcode');
  if (bc[0] === '5' && bc.slice(25, 48) !== `${rf.slice(2, 4)}${rf.slice(4).padStart(21, '0')}`) fail(`does not carry the RF reference ${rf}`, 'virtualBarcode');
}

/**
 * The invoice letter as a one-page PDF 1.4 file. Throws TransformError for a document that cannot
 * be printed as it is (a missing field, rows that do not add up, a barcode that disagrees with the
 * printed facts, a character the fonts do not have).
 */
export function renderInvoicePdf(invoice: InvoiceDocument): Uint8Array<ArrayBuffer> {
  validate(invoice);
  const lang = invoice.language;
  const t = LETTER_TEXTS[lang];
  const fundName = win(requireText(invoice.fund.name, 'fund.name', 140), 'fund.name');
  const businessId = win(requireText(invoice.fund.businessId, 'fund.businessId', 20), 'fund.businessId');
  const iban = win(requireText(invoice.fund.iban, 'fund.iban', 42), 'fund.iban');
  const bic = win(requireText(invoice.fund.bic, 'fund.bic', 11), 'fund.bic');
  const name = win(requireText(invoice.recipient.name, 'recipient.name', 140), 'recipient.name');
  const addressLines: string[] = [];
  const address = invoice.recipient.address;
  if (address !== null) {
    addressLines.push(win(requireText(address.street, 'recipient.address.street', 100), 'recipient.address.street'));
    const postalCode = win(requireText(address.postalCode, 'recipient.address.postalCode', 20), 'recipient.address.postalCode');
    const city = win(requireText(address.city, 'recipient.address.city', 60), 'recipient.address.city');
    addressLines.push(`${postalCode} ${city}`);
    if (address.country !== undefined && address.country.trim() !== '') {
      addressLines.push(win(address.country.trim().toUpperCase(), 'recipient.address.country'));
    }
  }
  const reference = win(requireText(invoice.reference, 'reference', 30), 'reference');
  const rfReference = win(requireText(invoice.rfReference, 'rfReference', 40), 'rfReference');
  const dueDate = win(formatDate(invoice.dueDate, lang), 'dueDate');
  const total = win(money(invoice.totalCents, lang), 'totalCents');
  const rows = invoice.rows.map((row, i) => ({
    description: win(requireText(row.description, `rows[${i}].description`, 200), `rows[${i}].description`),
    amount: win(money(row.amountCents, lang), `rows[${i}].amountCents`),
  }));

  const reminder = invoice.kind === 'reminder';
  const out: string[] = [reminder ? STATIC_REMINDER[lang] : STATIC[lang]];

  // Letter part: sender, the window address, the invoice facts.
  fittedText(out, fundName, BOLD, 11, LEFT, 280, INFO_LABEL_X - LEFT - 4);
  text(out, `${win(t.businessId, 'label')} ${businessId}`, REGULAR, 8, LEFT, 275.5);
  [name, ...addressLines].forEach((l, i) => fittedText(out, l, REGULAR, 10, ADDRESS_X, ADDRESS_TOP - i * 4.5, ADDRESS_WIDTH));
  const values: [string, Font][] = [
    [win(invoice.invoiceNumber, 'invoiceNumber'), REGULAR],
    [win(formatDate(invoice.issueDate, lang), 'issueDate'), REGULAR],
    [dueDate, BOLD],
    [total, BOLD],
    [reference, BOLD],
    [rfReference, REGULAR],
    [`${iban}  ${bic}`, REGULAR],
    [win(invoice.billedMonths ?? `${formatDate(invoice.period.start, lang)} – ${formatDate(invoice.period.end, lang)}`, 'period'), REGULAR],
  ];
  values.forEach(([value, font], i) => fittedText(out, value, font, 9, INFO_VALUE_X, INFO_TOP - i * INFO_STEP, 205 - INFO_VALUE_X));

  // Rows, total, instructions, the virtual barcode as text.
  let y = ROWS_TOP - 6;
  for (const row of rows) {
    fittedText(out, row.description, REGULAR, 9, LEFT, y, RIGHT - LEFT - 35);
    text(out, row.amount, REGULAR, 9, RIGHT, y, 'right');
    y -= ROW_STEP;
  }
  line(out, LEFT, y + 2.6, RIGHT, y + 2.6);
  y -= 1.5;
  text(out, win(t.total, 'label'), BOLD, 9, LEFT, y);
  text(out, total, BOLD, 9, RIGHT, y, 'right');
  y -= 8;
  for (const l of wrap(win(t.instructions, 'label'), REGULAR, 8.5, (RIGHT - LEFT) * MM)) {
    text(out, l, REGULAR, 8.5, LEFT, y);
    y -= 3.8;
  }
  y -= 1.5;
  text(out, `${win(t.virtualBarcode, 'label')}: ${invoice.virtualBarcode}`, REGULAR, 8.5, LEFT, y);

  // The bank transfer form.
  text(out, iban, BOLD, 10, LEFT + 2, R1 + 5);
  text(out, bic, BOLD, 10, IBAN_BIC_SPLIT + 1.5, R1 + 5);
  fittedText(out, fundName, REGULAR, 10, LEFT + 2, R2 + 5, FORM_MID - LEFT - 4);
  [name, ...addressLines].forEach((l, i) => fittedText(out, l, REGULAR, 9, LEFT + 2, R2 - 5 - i * 3.9, FORM_MID - LEFT - 4));
  text(out, reference, BOLD, 11, FORM_MID + 22, R3 - 7);
  text(out, win(formatDate(invoice.dueDate, 'fi'), 'dueDate'), BOLD, 10, FORM_MID + 22, R5 + 2.5);
  text(out, win(formAmount(invoice.totalCents), 'totalCents'), BOLD, 11, 206, R5 + 2.5, 'right');
  barcode(out, invoice.virtualBarcode, BARCODE_X_MM, BARCODE_Y_MM, BARCODE_HEIGHT_MM);
  text(out, invoice.virtualBarcode, REGULAR, 7, BARCODE_X_MM, BARCODE_Y_MM - 3.5);

  return assemble(out.join('\n'), `${(reminder ? REMINDER_TITLE_ASCII : TITLE_ASCII)[lang]} ${invoice.invoiceNumber}`);
}

/* ---------------------------------------------------------------------------------------------
 * File structure: header, seven objects, cross-reference table, trailer.
 * ------------------------------------------------------------------------------------------- */

const FONT_RESOURCES = '<< /Font << /F1 4 0 R /F2 5 0 R >> >>';
const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';
const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources ${FONT_RESOURCES} /Contents 6 0 R >>`;
const FONT_REGULAR = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
const FONT_BOLD = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>';
/** The second line marks the file as binary (bytes above 127) for transfer programs. */
const HEADER = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';

function assemble(content: string, title: string): Uint8Array<ArrayBuffer> {
  const objects = [
    CATALOG,
    PAGES,
    PAGE,
    FONT_REGULAR,
    FONT_BOLD,
    // The end-of-line before endstream is not part of the stream's length.
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Title ${pdfString(title.replace(/[^\x20-\x7e]/g, '?'))} /Producer (Jasenrekisteri) >>`,
  ];
  let pdf = HEADER;
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  objects.forEach((body, i) => {
    xref += `${String(pdf.length).padStart(10, '0')} 00000 n \n`;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const startxref = pdf.length;
  pdf += `${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${startxref}\n%%EOF\n`;
  // Every character is a byte by construction (win() above); a wider one would be a bug here.
  const wide = /[\u0100-\uffff]/.exec(pdf);
  if (wide) throw new Error(`invoice PDF: character U+${wide[0].charCodeAt(0).toString(16)} escaped the WinAnsi encoding (a bug)`);
  const bytes = new Uint8Array(pdf.length);
  Buffer.from(bytes.buffer).write(pdf, 'latin1');
  return bytes;
}
