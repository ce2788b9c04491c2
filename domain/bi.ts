/**
 * The nightly BI extract's files and columns (docs/bi-extract.md, decision 025). A member appears
 * as `person_pseudonym`: HMAC-SHA-256 of the current identity code under the BI client's own key,
 * so the same member has the same pseudonym in every file and every night for that client, another
 * client's pseudonyms differ, and no file carries an identity code, a name or an address.
 */
import { decimalAmount } from './money';
import { csvField } from './statistics';

export type BiFileName = 'members' | 'periods' | 'invoices' | 'payments' | 'events';
export const biFileNames: readonly BiFileName[] = ['members', 'periods', 'invoices', 'payments', 'events'];

type Cell = string | number | boolean | null;

/** Each file's columns in order; a column named like a row cell takes it, `person_pseudonym` the pseudonym, money columns euros. */
export const biColumns: Readonly<Record<BiFileName, readonly string[]>> = {
  members: ['person_pseudonym', 'birth_year', 'language', 'municipality', 'union_code', 'channel', 'created_on', 'status', 'deceased'],
  periods: ['person_pseudonym', 'start_date', 'end_date', 'end_reason'],
  invoices: ['invoice_number', 'person_pseudonym', 'fee_year', 'period_start', 'period_end', 'amount', 'open', 'status', 'issued_on', 'due_date', 'delivery'],
  payments: ['ledger_id', 'person_pseudonym', 'occurred_on', 'kind', 'amount', 'collected_by'],
  events: ['position', 'event_id', 'type', 'person_pseudonym', 'member_seq', 'occurred_at'],
};

/** Columns whose value is a cents cell of another name, written in euros with a point. */
const moneyColumns: Readonly<Record<string, string>> = { amount: 'amount_cents', open: 'open_cents' };

/** The CSV header line of a file. */
export function biHeader(file: BiFileName): string {
  return `${biColumns[file].join(',')}\r\n`;
}

/** One CSV line of a file (CRLF-terminated, formula-safe text). */
export function biLine(file: BiFileName, cells: Readonly<Record<string, Cell>>, pseudonym: string | null): string {
  const values = biColumns[file].map((column) => {
    if (column === 'person_pseudonym') return csvField(pseudonym);
    const money = moneyColumns[column];
    // A number, written as such (csvField would guard a leading minus as if it were a formula).
    if (money) return cells[money] === null || cells[money] === undefined ? '' : decimalAmount(Number(cells[money]));
    const v = cells[column];
    if (v === undefined || v === null) return '';
    return csvField(typeof v === 'boolean' ? (v ? 'true' : 'false') : v);
  });
  return `${values.join(',')}\r\n`;
}

/** The extract's file formats: CSV (always the default) and Apache Parquet (typed columns). */
export type BiFormat = 'csv' | 'parquet';
export const biFormats: readonly BiFormat[] = ['csv', 'parquet'];

/** The stored name of a client's file of a day, e.g. `2026-12-03/members.csv` or `2026-12-03/members.parquet`. */
export const biFilePath = (day: string, file: BiFileName, format: BiFormat = 'csv') => `${day}/${file}.${format}`;
/** The idempotency key of a stored file; a CSV's key is the one it always had, a Parquet file's ends `.parquet`. */
export const biFileKey = (clientId: string, day: string, file: BiFileName, format: BiFormat = 'csv') => `bi-${clientId}-${day}-${file}${format === 'csv' ? '' : `.${format}`}`;

/**
 * BI_EXTRACT_FORMATS: `csv`, `parquet` or both (`csv,parquet`); every BI client gets each listed
 * format. Empty means `csv`.
 */
export function parseBiFormats(raw: string | undefined): BiFormat[] {
  const names = (raw ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) return ['csv'];
  const unknown = names.find((n) => !(biFormats as readonly string[]).includes(n));
  if (unknown !== undefined) throw new Error(`BI_EXTRACT_FORMATS: ${unknown} is not a format (csv, parquet)`);
  return biFormats.filter((f) => names.includes(f));
}
