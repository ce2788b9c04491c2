/**
 * The annual report of fees paid as an Ilmoitin "tunnus:tieto" file (domain.md §5): one
 * `code:value` pair a line, each record from `000:<record id>` to `999:<running number>`,
 * amounts with a decimal comma, bytes in ISO-8859-1. A character ISO-8859-1 has no room for is
 * transliterated (Š → S, ł → l, “ → "), and every such change is returned so the caller lists it;
 * one with no transliteration becomes '?' and is listed too, never dropped silently.
 */
import { createHash } from 'node:crypto';
import { decimalAmount } from '../../domain/money';
import type { TaxReportSettings } from '../../domain/tax/settings';
import { TransformError } from './errors';

export interface TaxReportHeader {
  paymentYear: number;
  /** The fund's Y-tunnus. */
  businessId: string;
  /** When the file was made, in Helsinki time, as `DDMMYYYYHHMMSS` goes into 198. */
  createdAt: { date: string; time: string };
}

export interface TaxReportFileRecord {
  identityCode: string;
  name: string;
  amountCents: number;
}

export interface Transliteration {
  /** 1-based record number in the file. */
  record: number;
  field: string;
  from: string;
  to: string;
  /** No sensible Latin-1 form existed: '?' went into the file. */
  unrepresentable: boolean;
}

export interface TaxReportFile {
  bytes: Uint8Array;
  /** The same content as text (for storage and display). */
  text: string;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  recordCount: number;
  transliterations: Transliteration[];
}

// Letters and signs whose Unicode decomposition does not yield a Latin-1 base letter.
const SPECIAL: Readonly<Record<string, string>> = {
  ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ħ: 'h', Ħ: 'H', ı: 'i', ŀ: 'l', Ŀ: 'L', ŋ: 'n', Ŋ: 'N', ŧ: 't', Ŧ: 'T',
  œ: 'oe', Œ: 'OE', ĳ: 'ij', Ĳ: 'IJ', ſ: 's', ƒ: 'f', ə: 'e', Ə: 'E', ʻ: "'", ʼ: "'",
  '‘': "'", '’': "'", '‚': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-', '‐': '-', '‑': '-', '…': '...',
  '€': 'EUR', '\u2009': ' ', '\u202f': ' ', '\u200b': '',
};

function isLatin1(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  return cp <= 0xff;
}

/** A value as Latin-1 text: the changes made, and whether any character had no Latin-1 form. */
export function toLatin1(value: string): { text: string; changes: { from: string; to: string; unrepresentable: boolean }[] } {
  let text = '';
  const changes: { from: string; to: string; unrepresentable: boolean }[] = [];
  for (const ch of value.normalize('NFC')) {
    if (isLatin1(ch)) {
      text += ch;
      continue;
    }
    let to = SPECIAL[ch];
    if (to === undefined) {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      to = base.length > 0 && [...base].every(isLatin1) ? base : undefined;
    }
    const unrepresentable = to === undefined;
    changes.push({ from: ch, to: to ?? '?', unrepresentable });
    text += to ?? '?';
  }
  return { text, changes };
}

function isPrintableLatin1(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c > 0xff) return false;
  }
  return true;
}

/** Every run of control characters (line breaks included) as one space: a value stays on its line. */
export function flattenControls(value: string): string {
  let out = '';
  let inRun = false;
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    const control = cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
    if (control && !inRun) out += ' ';
    if (!control) out += ch;
    inRun = control;
  }
  return out;
}

function pad2(n: string): string {
  return n.padStart(2, '0');
}

/** `DDMMYYYYHHMMSS` from an ISO date and `HH:MM:SS`. */
export function ilmoitinTimestamp(date: string, time: string): string {
  const [y, m, d] = date.split('-');
  const [hh, mm, ss] = time.split(':');
  return `${pad2(d!)}${pad2(m!)}${y}${pad2(hh!)}${pad2(mm!)}${pad2(ss ?? '0')}`;
}

/**
 * The file's lines as pieces, made once per file: the lines that are the same in every record
 * (`prefix`, with their transliterations), the code before each of the member's own values, and
 * `value`, which turns a value into what goes into the file and lists its transliterations.
 * `taxReportFileBuilder` puts a record together from them in memory; the file step puts the same
 * pieces together in SQL from the staged records (db/repositories/taxReport.ts#insertFileFromStaging),
 * with `value` applied in Node to the few values that are not printable Latin-1 already.
 */
export interface TaxReportLines {
  /** The record's first lines (000 … 010), each ending in the line ending. */
  prefix: string;
  /** The prefix's transliterations (record 0): repeated for every record. */
  prefixChanges: readonly Transliteration[];
  /** `083:` */
  codeLine: string;
  /** `<eol>084:`; null when the name is not sent. */
  nameLine: string | null;
  /** `<eol>310:` */
  amountLine: string;
  /** `<eol>999:` */
  endLine: string;
  eol: string;
  /** The value as it goes into the file; its transliterations are pushed to `into`. */
  value(v: string, record: number, field: string, into: Transliteration[]): string;
}

/** A character range test for `isPrintableLatin1`, as a regular expression (PostgreSQL's too): a match is a value that needs `value`'s care. */
export const NOT_PRINTABLE_LATIN1 = '[^\u0020-\u007e\u00a0-\u00ff]';

export function taxReportLines(header: TaxReportHeader, settings: TaxReportSettings): TaxReportLines {
  const f = settings.fields;
  const eol = settings.lineEnding;
  const value = (v: string, record: number, field: string, into: Transliteration[]): string => {
    // Nearly every value is printable Latin-1 already: it goes in as it is.
    if (isPrintableLatin1(v)) return v;
    // A line break or a control character inside a value would end the line: never allowed in.
    const { text, changes } = toLatin1(flattenControls(v));
    for (const c of changes) into.push({ record, field, ...c });
    return text;
  };
  // The lines before the member's own are the same in every record: made once, with their
  // transliterations (if any) repeated for each record.
  const stamp = ilmoitinTimestamp(header.createdAt.date, header.createdAt.time);
  const fixed: [code: string, v: string, field: string][] = [
    [f.recordStart, settings.recordIdentifier, 'recordStart'],
    [f.softwareName, settings.software.name, 'softwareName'],
    [f.softwareProducer, `${header.businessId}_${settings.software.producerSuffix}`, 'softwareProducer'],
    [f.createdAt, stamp, 'createdAt'],
    ...(settings.contact
      ? ([
          [f.contactName, settings.contact.name, 'contactName'],
          [f.contactPhone, settings.contact.phone, 'contactPhone'],
        ] as [string, string, string][])
      : []),
    [f.paymentYear, String(header.paymentYear), 'paymentYear'],
    [f.reporterBusinessId, header.businessId, 'reporterBusinessId'],
  ];
  const prefixChanges: Transliteration[] = [];
  const prefix = fixed.map(([code, v, field]) => `${code}:${value(v, 0, field, prefixChanges)}${eol}`).join('');
  return {
    prefix,
    prefixChanges,
    codeLine: `${f.identityCode}:`,
    nameLine: f.name === null ? null : `${eol}${f.name}:`,
    amountLine: `${eol}${f.fundFeeAmount}:`,
    endLine: `${eol}${f.recordEnd}:`,
    eol,
    value,
  };
}

/** A record's amount, refused unless whole cents and not negative. */
export function checkedAmount(amountCents: number, record: number): number {
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) {
    throw new TransformError(`record ${record}: the amount must be whole cents and not negative, got ${amountCents}`, { format: 'tax-report', line: null, element: `record ${record}` });
  }
  return amountCents;
}

/** Builds the file a chunk of records at a time: `add` in order, then `finish`. */
export interface TaxReportFileBuilder {
  add(records: readonly TaxReportFileRecord[]): void;
  finish(): TaxReportFile;
}

export function taxReportFileBuilder(header: TaxReportHeader, settings: TaxReportSettings): TaxReportFileBuilder {
  const { prefix, prefixChanges, codeLine, nameLine, amountLine, endLine, eol, value } = taxReportLines(header, settings);
  const transliterations: Transliteration[] = [];
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  let n = 0;
  return {
    add(records) {
      let text = '';
      for (const r of records) {
        n += 1;
        checkedAmount(r.amountCents, n);
        for (const c of prefixChanges) transliterations.push({ ...c, record: n });
        text += prefix + codeLine + value(r.identityCode, n, 'identityCode', transliterations);
        if (nameLine !== null) text += nameLine + value(r.name, n, 'name', transliterations);
        text += amountLine + decimalAmount(r.amountCents, ',') + endLine + n + eol;
      }
      // Every value is printable Latin-1 or transliterated into it; a slip would lose a character.
      if (/[\u0100-\uffff]/.test(text)) throw new Error('tax report file: a character outside ISO-8859-1 slipped through');
      const bytes = Buffer.from(text, 'latin1');
      hash.update(bytes);
      chunks.push(bytes);
    },
    finish() {
      const bytes = Buffer.concat(chunks);
      return { bytes, text: bytes.toString('latin1'), sha256: hash.digest('hex'), recordCount: n, transliterations };
    },
  };
}

export function buildTaxReportFile(header: TaxReportHeader, records: readonly TaxReportFileRecord[], settings: TaxReportSettings): TaxReportFile {
  const builder = taxReportFileBuilder(header, settings);
  builder.add(records);
  return builder.finish();
}

export interface ParsedTaxRecord {
  /** 1-based running number (the 999 line). */
  number: number;
  /** 1-based line of the 000 line. */
  line: number;
  fields: Map<string, string>;
}

/** Reads a tunnus:tieto file back (the fake filing channel checks what it receives with it). */
export function parseTaxReportFile(bytes: Uint8Array, settings: Pick<TaxReportSettings, 'fields'>): ParsedTaxRecord[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const lines = text.split(/\r\n|\n/);
  if (lines.at(-1) === '') lines.pop();
  const out: ParsedTaxRecord[] = [];
  let current: ParsedTaxRecord | null = null;
  lines.forEach((raw, i) => {
    const at = { format: 'tax-report', line: i + 1, element: null };
    const m = /^(\d{3}):(.*)$/.exec(raw);
    if (!m) throw new TransformError(`"${raw.slice(0, 20)}" is not a code:value line`, at);
    const [, code, value] = m as unknown as [string, string, string];
    if (code === settings.fields.recordStart) {
      if (current) throw new TransformError('a record starts before the previous one ended', at);
      current = { number: 0, line: i + 1, fields: new Map([[code, value]]) };
      return;
    }
    if (!current) throw new TransformError(`line outside a record (code ${code})`, at);
    if (code === settings.fields.recordEnd) {
      current.number = Number(value);
      if (current.number !== out.length + 1) throw new TransformError(`record number ${value}, expected ${out.length + 1}`, at);
      out.push(current);
      current = null;
      return;
    }
    if (current.fields.has(code)) throw new TransformError(`code ${code} twice in one record`, at);
    current.fields.set(code, value);
  });
  if (current) throw new TransformError('the last record has no end line', { format: 'tax-report', line: lines.length, element: null });
  return out;
}
