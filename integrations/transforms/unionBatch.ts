/**
 * Union batch files → the register's union events (domain/unions/exchange.ts). The real layout is
 * agreed per union (domain.md §7), so each union has a mapping here: the documented default format
 * (docs/union-batch-format.md, semicolon-separated UTF-8) and, as an example of a different
 * layout, union 015's fixed-width file. Pure: a string in, typed events out; a bad line throws
 * TransformError naming the line.
 */
import { isIsoDate } from '../../domain/dates';
import { isValidIdentityCode } from '../../domain/identityCode';
import { parseEuros } from '../../domain/money';
import type { UnionBatch, UnionEvent } from '../../domain/unions/exchange';
import { TransformError } from './errors';

export type UnionBatchFormat = 'union-default' | 'union-015';

/** Which layout each union sends; a union not named here sends the default format. */
export const unionBatchFormats: Readonly<Record<string, UnionBatchFormat>> = { '015': 'union-015' };

export function unionBatchFormatOf(unionCode: string): UnionBatchFormat {
  return unionBatchFormats[unionCode] ?? 'union-default';
}

/** Parses a union's batch in the layout agreed with that union. */
export function parseUnionBatch(text: string, format: UnionBatchFormat): UnionBatch {
  return format === 'union-015' ? parseUnion015(text) : parseUnionDefault(text);
}

const LANGUAGES = new Set(['fi', 'sv', 'en']);

function linesOf(text: string): { no: number; text: string }[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((t, i) => ({ no: i + 1, text: t }))
    .filter((l) => l.text.trim() !== '');
}

function failAt(format: UnionBatchFormat, line: number, element: string | null, detail: string): never {
  throw new TransformError(detail, { format, line, element });
}

function identityCodeAt(format: UnionBatchFormat, line: number, raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!isValidIdentityCode(code)) failAt(format, line, 'identity code', `"${code.slice(0, 6)}…" is not a valid identity code`);
  return code;
}

function isoDateAt(format: UnionBatchFormat, line: number, element: string, raw: string): string {
  const d = raw.trim();
  if (!isIsoDate(d)) failAt(format, line, element, `"${d}" is not a date (YYYY-MM-DD)`);
  return d;
}

function periodAt(format: UnionBatchFormat, line: number, element: string, raw: string): string {
  const p = raw.trim();
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(p)) failAt(format, line, element, `"${p}" is not a month (YYYY-MM)`);
  return p;
}

// ── the default format ───────────────────────────────────────────────────────────────────────

const DEFAULT_FIELDS: Record<string, number> = { JOIN: 8, LEAVE: 4, EXEMPTION_START: 3, EXEMPTION_END: 3, PAID_THROUGH: 3, REMITTANCE: 4 };

/**
 * `UNION;<code>;<batch id>;<created on>` first, then one record per line, then
 * `END;<records>;<remitted total>`. docs/union-batch-format.md.
 */
export function parseUnionDefault(text: string): UnionBatch {
  const F: UnionBatchFormat = 'union-default';
  const lines = linesOf(text);
  const head = lines[0];
  if (!head) failAt(F, 1, 'UNION', 'the file is empty: it must start with a UNION line');
  const h = head.text.split(';');
  if (h[0] !== 'UNION' || h.length !== 4) failAt(F, head.no, 'UNION', 'the first line must be UNION;<union code>;<batch id>;<created on>');
  const unionCode = h[1]!.trim();
  const batchId = h[2]!.trim();
  if (!/^\d{3}$/.test(unionCode)) failAt(F, head.no, 'UNION', `union code "${unionCode}" must be three digits`);
  if (!/^[A-Za-z0-9._-]{1,40}$/.test(batchId)) failAt(F, head.no, 'UNION', 'the batch id must be 1–40 letters, digits, ".", "_" or "-"');
  isoDateAt(F, head.no, 'UNION', h[3]!);
  const events: UnionEvent[] = [];
  let remittedCents = 0;
  let ended = false;
  for (const { no, text: t } of lines.slice(1)) {
    if (ended) failAt(F, no, null, 'nothing may follow the END line');
    const f = t.split(';');
    const record = f[0]!.trim();
    if (record === 'END') {
      if (f.length !== 3) failAt(F, no, 'END', 'the last line must be END;<record count>;<remitted total>');
      if (Number(f[1]) !== events.length || !/^\d+$/.test(f[1]!.trim())) failAt(F, no, 'END', `the file has ${events.length} records, the END line says ${f[1]}`);
      const total = parseEuros(f[2]!.trim());
      if (total === null || total !== remittedCents) failAt(F, no, 'END', `the remittances total ${(remittedCents / 100).toFixed(2)}, the END line says ${f[2]}`);
      ended = true;
      continue;
    }
    const expected = DEFAULT_FIELDS[record];
    if (expected === undefined) failAt(F, no, null, `unknown record "${record.slice(0, 20)}"`);
    if (f.length !== expected) failAt(F, no, record, `${record} has ${expected} fields, this line ${f.length}`);
    const identityCode = identityCodeAt(F, no, f[1]!);
    switch (record) {
      case 'JOIN': {
        const language = f[5]!.trim();
        if (!LANGUAGES.has(language)) failAt(F, no, record, `language "${language}" must be fi, sv or en`);
        const lastName = f[3]!.trim();
        const firstNames = f[4]!.trim();
        if (!lastName || !firstNames) failAt(F, no, record, 'last name and first names are required');
        const email = f[6]!.trim();
        const employer = f[7]!.trim();
        events.push({ kind: 'join', line: no, identityCode, receivedOn: isoDateAt(F, no, record, f[2]!), lastName, firstNames, language: language as 'fi', ...(email ? { email } : {}), ...(employer ? { employer } : {}) });
        break;
      }
      case 'LEAVE': {
        const end = f[3]!.trim();
        events.push({ kind: 'leave', line: no, identityCode, receivedOn: isoDateAt(F, no, record, f[2]!), ...(end ? { requestedEndDate: isoDateAt(F, no, record, end) } : {}) });
        break;
      }
      case 'EXEMPTION_START':
      case 'EXEMPTION_END':
        events.push({ kind: record === 'EXEMPTION_START' ? 'exemption-start' : 'exemption-end', line: no, identityCode, date: isoDateAt(F, no, record, f[2]!) });
        break;
      case 'PAID_THROUGH':
        events.push({ kind: 'paid-through', line: no, identityCode, paidThrough: isoDateAt(F, no, record, f[2]!) });
        break;
      case 'REMITTANCE': {
        const amountCents = parseEuros(f[3]!.trim());
        if (amountCents === null || amountCents <= 0) failAt(F, no, record, `amount "${f[3]!.trim()}" is not a positive amount in euros (12.50)`);
        remittedCents += amountCents;
        events.push({ kind: 'remittance', line: no, identityCode, period: periodAt(F, no, record, f[2]!), amountCents });
        break;
      }
    }
  }
  if (!ended) failAt(F, (lines.at(-1)?.no ?? 0) + 1, 'END', 'the file ends without its END line (cut short?)');
  return { unionCode, batchId, events };
}

// ── union 015: fixed width ───────────────────────────────────────────────────────────────────

/** DDMMYYYY → YYYY-MM-DD. */
function fromDdmmyyyy(F: UnionBatchFormat, line: number, element: string, raw: string): string {
  if (!/^\d{8}$/.test(raw)) failAt(F, line, element, `"${raw}" is not a date (DDMMYYYY)`);
  return isoDateAt(F, line, element, `${raw.slice(4, 8)}-${raw.slice(2, 4)}-${raw.slice(0, 2)}`);
}

const TYPES_015: Record<string, UnionEvent['kind']> = { '10': 'join', '20': 'leave', '30': 'exemption-start', '31': 'exemption-end', '40': 'paid-through', '50': 'remittance' };

/**
 * Union 015's file: fixed-width records, the record type in columns 1–2. `00` header (union code
 * 3–5, batch id 6–25, created DDMMYYYY 26–33); details: identity code 3–13, date DDMMYYYY 14–21
 * (received on, event day, paid-through day, or the first day of the remitted month), amount in
 * cents 22–30 (remittances; zeros otherwise), and for a join last name 31–60, first names 61–90,
 * language 91–92, e-mail 93–152; `99` trailer: record count 3–8, remitted cents 9–20.
 */
export function parseUnion015(text: string): UnionBatch {
  const F: UnionBatchFormat = 'union-015';
  const lines = linesOf(text);
  const head = lines[0];
  if (!head || !head.text.startsWith('00') || head.text.length < 33) failAt(F, head?.no ?? 1, 'record 00', 'the first record must be the 00 header (33 characters)');
  const unionCode = head.text.slice(2, 5);
  const batchId = head.text.slice(5, 25).trim();
  if (unionCode !== '015') failAt(F, head.no, 'record 00', `union code "${unionCode}" is not 015: this layout is union 015's`);
  if (!batchId) failAt(F, head.no, 'record 00', 'the batch id (columns 6–25) is empty');
  fromDdmmyyyy(F, head.no, 'record 00', head.text.slice(25, 33));
  const events: UnionEvent[] = [];
  let remittedCents = 0;
  let ended = false;
  for (const { no, text: t } of lines.slice(1)) {
    const type = t.slice(0, 2);
    const element = `record ${type}`;
    if (ended) failAt(F, no, element, 'nothing may follow the 99 trailer');
    if (type === '99') {
      const count = t.slice(2, 8);
      const cents = t.slice(8, 20);
      if (!/^\d{6}$/.test(count) || Number(count) !== events.length) failAt(F, no, element, `the file has ${events.length} records, the trailer says "${count}"`);
      if (!/^\d{12}$/.test(cents) || Number(cents) !== remittedCents) failAt(F, no, element, `the remittances total ${remittedCents} cents, the trailer says "${cents}"`);
      ended = true;
      continue;
    }
    const kind = TYPES_015[type];
    if (!kind) failAt(F, no, null, `unknown record type "${type}"`);
    if (t.length < 30) failAt(F, no, element, `a detail record is at least 30 characters, this one ${t.length}`);
    const identityCode = identityCodeAt(F, no, t.slice(2, 13));
    const day = fromDdmmyyyy(F, no, element, t.slice(13, 21));
    const amountText = t.slice(21, 30);
    if (!/^\d{9}$/.test(amountText)) failAt(F, no, element, `amount "${amountText}" (columns 22–30) must be nine digits of cents`);
    const amountCents = Number(amountText);
    switch (kind) {
      case 'join': {
        const lastName = t.slice(30, 60).trim();
        const firstNames = t.slice(60, 90).trim();
        const language = t.slice(90, 92).trim().toLowerCase();
        const email = t.slice(92, 152).trim();
        if (!lastName || !firstNames) failAt(F, no, element, 'last name (31–60) and first names (61–90) are required');
        if (!LANGUAGES.has(language)) failAt(F, no, element, `language "${language}" (91–92) must be FI, SV or EN`);
        events.push({ kind, line: no, identityCode, receivedOn: day, lastName, firstNames, language: language as 'fi', ...(email ? { email } : {}) });
        break;
      }
      case 'leave':
        events.push({ kind, line: no, identityCode, receivedOn: day });
        break;
      case 'exemption-start':
      case 'exemption-end':
        events.push({ kind, line: no, identityCode, date: day });
        break;
      case 'paid-through':
        events.push({ kind, line: no, identityCode, paidThrough: day });
        break;
      case 'remittance':
        if (!day.endsWith('-01')) failAt(F, no, element, `a remittance's date is the first day of its month, not ${day}`);
        if (amountCents <= 0) failAt(F, no, element, 'a remittance needs an amount');
        remittedCents += amountCents;
        events.push({ kind, line: no, identityCode, period: day.slice(0, 7), amountCents });
        break;
    }
  }
  if (!ended) failAt(F, (lines.at(-1)?.no ?? 0) + 1, 'record 99', 'the file ends without its 99 trailer (cut short?)');
  return { unionCode, batchId, events };
}

// ── fund → union: the member list file ──────────────────────────────────────────────────────

export interface UnionMemberListRow {
  memberNumber: number;
  identityCode: string;
  status: string;
  paidThrough: string | null;
  unionPaidThrough: string | null;
  differences: string[];
}

/** The member list sent to a union: `MEMBERS;<code>;<as of>`, one `MEMBER` line each, `END;<count>`. */
export function unionMemberListFile(unionCode: string, asOf: string, rows: readonly UnionMemberListRow[]): string {
  const out = [`MEMBERS;${unionCode};${asOf}`];
  for (const r of rows) out.push(['MEMBER', r.memberNumber, r.identityCode, r.status, r.paidThrough ?? '', r.unionPaidThrough ?? '', r.differences.join(',')].join(';'));
  out.push(`END;${rows.length}`);
  return `${out.join('\r\n')}\r\n`;
}
