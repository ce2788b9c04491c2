/** CSV the register writes for people to open in a spreadsheet: RFC 4180, formula-safe. */

/**
 * One CSV field (RFC 4180), safe to open in a spreadsheet: a text that starts with =, +, -, @, a
 * tab or a carriage return would be read as a formula (CSV injection, OWASP), so it gets a leading
 * apostrophe; quotes, commas and line breaks are quoted. Numbers are written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A header line and one line per row, CRLF-separated as RFC 4180 asks. */
export function csvTable(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
