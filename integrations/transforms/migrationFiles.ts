/**
 * The files of a legacy export (docs/migration-format.md): bytes in UTF-8 or Windows-1252 /
 * ISO-8859-1 (declared, or detected: a UTF-8 byte-order mark or valid UTF-8 is UTF-8, anything
 * else is read as Windows-1252, which is ISO-8859-1 with printable characters in 0x80–0x9F),
 * CSV (comma or semicolon, RFC 4180 quoting, the first row names the columns) or JSON Lines (one
 * object of strings per line). Out: rows as column → text. And back: rejected rows as CSV in the
 * source's columns with a `reasons` column.
 */
import { TransformError } from './errors';

export type LegacyEncoding = 'utf-8' | 'windows-1252';
export type LegacyFileFormat = 'csv' | 'jsonl';

export interface DecodedFile {
  encoding: LegacyEncoding;
  text: string;
}

/** Decodes a file; `declared` wins when given ('iso-8859-1' and 'latin1' read as Windows-1252, its superset). */
export function decodeLegacyFile(bytes: Uint8Array, declared?: string | null): DecodedFile {
  const wanted = declared?.trim().toLowerCase();
  if (wanted && ['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252'].includes(wanted)) {
    return { encoding: 'windows-1252', text: new TextDecoder('windows-1252').decode(bytes) };
  }
  if (wanted && wanted !== 'utf-8' && wanted !== 'utf8') throw new TransformError(`encoding "${declared}" is not UTF-8, ISO-8859-1 or Windows-1252`, { format: 'legacy', line: null, element: null });
  try {
    // ignoreBOM false: a byte-order mark is dropped.
    return { encoding: 'utf-8', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    if (wanted) throw new TransformError('the file is not valid UTF-8 as declared', { format: 'legacy', line: null, element: null });
    return { encoding: 'windows-1252', text: new TextDecoder('windows-1252').decode(bytes) };
  }
}

/** Parses CSV with a header row; the delimiter (`,` or `;`) is whichever the header has more of. */
export function parseLegacyCsv(text: string): Record<string, string>[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const delim = delimiter.charCodeAt(0);
  const records: string[][] = [];
  let row: string[] = [];
  const n = text.length;
  // Field by field: an unquoted field is one slice of the text (a 270,000-member export is 224 MiB; character by character with a string built up it took seconds per file, decision 064).
  let i = 0;
  while (i < n) {
    let field = '';
    let start = i;
    if (text.charCodeAt(i) === QUOTE) {
      // RFC 4180 quoting: "" inside is one quote; anything after the closing quote up to the delimiter is kept too.
      for (let from = i + 1; ; ) {
        const q = text.indexOf('"', from);
        if (q < 0) throw new TransformError('a quoted field is not closed', { format: 'csv', line: lineBreaks(text) + 1, element: null });
        field += text.slice(from, q);
        if (text.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          from = q + 2;
        } else {
          start = q + 1;
          break;
        }
      }
    }
    let end = start;
    for (let c = text.charCodeAt(end); end < n && c !== delim && c !== LF && c !== CR; c = text.charCodeAt(++end));
    field += text.slice(start, end);
    row.push(field);
    if (end >= n) break;
    const c = text.charCodeAt(end);
    i = end + 1;
    if (c === delim) {
      // A delimiter last in the text ends the row with an empty field.
      if (i >= n) row.push('');
      continue;
    }
    if (c === CR && text.charCodeAt(i) === LF) i++;
    if (row.length > 1 || row[0] !== '') records.push(row);
    row = [];
  }
  if (row.length > 0) records.push(row);
  const [header, ...body] = records;
  if (!header) return [];
  const columns = header.map((h) => h.trim().toLowerCase());
  return body.map((cells, i) => {
    if (cells.length !== columns.length) throw new TransformError(`${cells.length} fields where the header has ${columns.length}`, { format: 'csv', line: i + 2, element: null });
    const out: Record<string, string> = {};
    for (let j = 0; j < columns.length; j++) out[columns[j]!] = cells[j]!;
    return out;
  });
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** Line breaks in a text (\r\n, \r or \n: one each), for an error's line. */
const lineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/** Parses JSON Lines: each non-empty line an object whose values are strings, numbers, booleans or null. */
export function parseLegacyJsonLines(text: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  text.split(/\r?\n/).forEach((lineText, i) => {
    if (!lineText.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch {
      throw new TransformError('not a JSON object', { format: 'jsonl', line: i + 1, element: null });
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TransformError('not a JSON object', { format: 'jsonl', line: i + 1, element: null });
    const row: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== null && typeof v === 'object') throw new TransformError(`"${k}" is not a plain value`, { format: 'jsonl', line: i + 1, element: null });
      row[k.toLowerCase()] = v === null || v === undefined ? '' : String(v);
    }
    rows.push(row);
  });
  return rows;
}

/** Reads one legacy file into rows. */
export function readLegacyFile(bytes: Uint8Array, format: LegacyFileFormat, declaredEncoding?: string | null): { encoding: LegacyEncoding; rows: Record<string, string>[] } {
  const { encoding, text } = decodeLegacyFile(bytes, declaredEncoding);
  return { encoding, rows: format === 'csv' ? parseLegacyCsv(text) : parseLegacyJsonLines(text) };
}

function csvField(v: string): string {
  return /[",;\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The rejected records of one file as CSV in the source's columns (the format's order, then any
 * extra columns the source had) with `reasons` last, UTF-8, so the fund can fix and resend them.
 */
export function rejectedRecordsCsv(columns: readonly string[], rows: readonly { source: Readonly<Record<string, string>>; reasons: string }[]): string {
  const extra = [...new Set(rows.flatMap((r) => Object.keys(r.source)))].filter((c) => !columns.includes(c));
  const all = [...columns, ...extra];
  const lines = [[...all, 'reasons'].join(',')];
  for (const r of rows) lines.push([...all.map((c) => csvField(r.source[c] ?? '')), csvField(r.reasons)].join(','));
  return lines.join('\r\n') + '\r\n';
}
