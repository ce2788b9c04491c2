/**
 * The legacy domestic reference-payment file ("KTL", viitesiirto), domain.md §3.7: fixed width,
 * 90 characters a line. A header record '0', reference payments '3', direct debits '5'
 * (suoraveloitus), a sum record '9'. Direct debits are read with the layout of record 3 (plus
 * the feedback code at position 90, which only they carry) and count in the sum record's totals,
 * but are not reference payments: they are returned apart and listed as skipped. Record '7' is
 * skipped without being read.
 *
 * [U] The sum record's layout beyond count and total is not confirmed; see checkSum.
 */
import { isIsoDate } from '../../domain/dates';
import { decimalAmount } from '../../domain/money';
import { isValidReferenceNumber } from '../../domain/billing/referenceNumber';
import { TransformError } from './errors';

export interface KtlHeader {
  /** 'YYYY-MM-DDTHH:MM', local bank time. */
  createdAt: string;
  bankGroup: string;
  /** The invoicer's reference-payment id at the bank. */
  invoicerId: string;
}

export interface KtlRecord {
  line: number;
  /** The payee account, a 14-digit BBAN. */
  account: string;
  bookingDate: string;
  paymentDate: string;
  archiveId: string;
  /** The reference with its zero padding removed, or null if it fails the 7-3-1 check. */
  reference: string | null;
  /** The reference as it stands in the file, zero padding removed: for the manual queue. */
  rawReference: string;
  /** Truncated to 12 characters by the bank. */
  payerName: string;
  /** 'A' customer, 'J' bank register, 'K' clerk; null when blank. */
  nameSource: string | null;
  amountCents: number;
  /** Correction code 1: the bank reverses an earlier payment of this amount. */
  correction: boolean;
  /** Mediation channel ('A', 'J', 'K'); null when blank. */
  channel: string | null;
}

/** A direct-debit record '5': the fields of record 3, and the feedback code. */
export interface KtlDirectDebit extends KtlRecord {
  /** Position 90; null when blank. */
  feedbackCode: string | null;
}

export interface KtlSum {
  line: number;
  count: number;
  totalCents: number;
  /** Null when the field is blank. [U] layout. */
  correctionCount: number | null;
  correctionTotalCents: number | null;
}

export interface KtlFile {
  header: KtlHeader;
  /** The reference payments (record 3). */
  records: KtlRecord[];
  /** Direct debits (record 5), read and counted in the sum check but not reference payments. */
  directDebits: KtlDirectDebit[];
  sum: KtlSum;
  /** Records that are not reference payments ('5', '7'), in file order. */
  skipped: { line: number; recordType: string }[];
}

const FORMAT = 'ktl';
const LINE_LENGTH = 90;

/**
 * Parses a KTL file. Bytes are decoded as Latin-1 (banks write the file in an 8-bit code page);
 * pass a string if you have decoded it yourself. Throws TransformError naming the line.
 */
export function parseKtl(input: string | Uint8Array): KtlFile {
  const text = typeof input === 'string' ? input : new TextDecoder('latin1').decode(input);
  const lines = text.split(/\r?\n/);
  // A final newline is normal; anything else that is empty is a broken line, reported below.
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new TransformError('the file is empty', { format: FORMAT, line: null, element: null });

  let header: KtlHeader | undefined;
  let sum: KtlSum | undefined;
  const records: KtlRecord[] = [];
  const directDebits: KtlDirectDebit[] = [];
  const skipped: { line: number; recordType: string }[] = [];

  lines.forEach((content, index) => {
    const line = index + 1;
    const type = content[0] ?? '';
    const element = recordName(type);
    if (content.length !== LINE_LENGTH) {
      fail(`every line must be exactly ${LINE_LENGTH} characters, this one has ${content.length}`, line, element);
    }
    if (sum !== undefined) fail(`nothing may follow the sum record (line ${sum.line})`, line, element);
    if (type === '0') {
      if (header !== undefined) fail('a second header record: one file holds one batch; split the file per batch', line, element);
      header = readHeader(content, line);
      return;
    }
    if (header === undefined) fail('the file must start with a header record (record type 0)', line, element);
    if (type === '3') records.push(readRecord(content, line, 'record 3'));
    else if (type === '5') {
      directDebits.push({ ...readRecord(content, line, 'record 5'), feedbackCode: blankToNull(field(content, 90, 1)) });
      skipped.push({ line, recordType: type });
    } else if (type === '7') skipped.push({ line, recordType: type });
    else if (type === '9') sum = readSum(content, line);
    else fail(`unknown record type "${type}" (expected 0, 3, 5, 7 or 9)`, line, null);
  });

  if (sum === undefined) fail('the file ends without a sum record (record type 9); it may be cut short', lines.length, null);
  checkSum(sum, [...records, ...directDebits]);
  return { header: header!, records, directDebits, sum, skipped };
}

function readHeader(content: string, line: number): KtlHeader {
  const stamp = digits(content, 2, 10, line, 'header record', 'creation time');
  const date = `20${stamp.slice(0, 2)}-${stamp.slice(2, 4)}-${stamp.slice(4, 6)}`;
  const hours = Number(stamp.slice(6, 8));
  const minutes = Number(stamp.slice(8, 10));
  if (!isIsoDate(date) || hours > 23 || minutes > 59) fail(`creation time "${stamp}" is not a valid YYMMDDHHMM`, line, 'header record');
  currency(content, 23, line, 'header record');
  return {
    createdAt: `${date}T${stamp.slice(6, 8)}:${stamp.slice(8, 10)}`,
    bankGroup: field(content, 12, 2).trim(),
    invoicerId: field(content, 14, 9).trim(),
  };
}

/** A payment record, '3' or '5' (the same layout). */
function readRecord(content: string, line: number, element: string): KtlRecord {
  const account = digits(content, 2, 14, line, element, 'account');
  const rawReference = digits(content, 44, 20, line, element, 'reference').replace(/^0+/, '');
  const correctionCode = field(content, 88, 1);
  if (correctionCode !== '0' && correctionCode !== '1') fail(`correction code must be 0 or 1, found "${correctionCode}"`, line, element);
  currency(content, 76, line, element);
  return {
    line,
    account,
    bookingDate: date(content, 16, line, element, 'booking date'),
    paymentDate: date(content, 22, line, element, 'payment date'),
    archiveId: nonBlank(content, 28, 16, line, element, 'archive id'),
    reference: isValidReferenceNumber(rawReference) ? rawReference : null,
    rawReference,
    payerName: field(content, 64, 12).trim(),
    nameSource: blankToNull(field(content, 77, 1)),
    amountCents: Number(digits(content, 78, 10, line, element, 'amount')),
    correction: correctionCode === '1',
    channel: blankToNull(field(content, 89, 1)),
  };
}

function readSum(content: string, line: number): KtlSum {
  const element = 'sum record';
  const optionalNumber = (start: number, length: number, what: string): number | null => {
    const value = field(content, start, length);
    if (value.trim() === '') return null;
    return Number(digits(content, start, length, line, element, what));
  };
  return {
    line,
    count: Number(digits(content, 2, 6, line, element, 'number of payments')),
    totalCents: Number(digits(content, 8, 11, line, element, 'total amount')),
    correctionCount: optionalNumber(19, 6, 'number of corrections'),
    correctionTotalCents: optionalNumber(25, 11, 'total of corrections'),
  };
}

/**
 * The sum record must agree with the payments (reference payments and direct debits), or the
 * file was cut or altered. [U] Whether the count and total include corrections is not confirmed,
 * so both readings are accepted: normal payments only (corrections then in their own fields) or
 * all payment records. The correction fields are checked only when they are filled with something
 * other than zeros.
 */
function checkSum(sum: KtlSum, records: KtlRecord[]): void {
  const normal = records.filter((r) => !r.correction);
  const corrections = records.filter((r) => r.correction);
  const total = (rs: KtlRecord[]): number => rs.reduce((acc, r) => acc + r.amountCents, 0);
  const matches = (rs: KtlRecord[]): boolean => sum.count === rs.length && sum.totalCents === total(rs);
  if (!matches(normal) && !matches(records)) {
    fail(
      `the sum record says ${sum.count} payments totalling ${euros(sum.totalCents)}, but the file has ${normal.length} ` +
        `totalling ${euros(total(normal))}` +
        (corrections.length > 0 ? ` plus ${corrections.length} corrections totalling ${euros(total(corrections))}` : '') +
        '; the file may be incomplete: ask the bank to resend it',
      sum.line,
      'sum record',
    );
  }
  if ((sum.correctionCount ?? 0) !== 0 || (sum.correctionTotalCents ?? 0) !== 0) {
    if (sum.correctionCount !== corrections.length || sum.correctionTotalCents !== total(corrections)) {
      fail(
        `the sum record says ${sum.correctionCount ?? 0} corrections totalling ${euros(sum.correctionTotalCents ?? 0)}, ` +
          `but the file has ${corrections.length} totalling ${euros(total(corrections))}`,
        sum.line,
        'sum record',
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writer (test data and fakes of the bank)

export interface KtlRecordInput {
  account: string;
  bookingDate: string;
  paymentDate: string;
  archiveId: string;
  reference: string;
  payerName: string;
  amountCents: number;
  correction?: boolean;
  nameSource?: 'A' | 'J' | 'K';
  channel?: 'A' | 'J' | 'K';
  /** '5' writes a direct debit (counted in the sum record like a reference payment); '3' when left out. */
  recordType?: '3' | '5';
  /** Position 90 of a direct debit. */
  feedbackCode?: string;
}

export interface KtlInput {
  header: KtlHeader;
  records: KtlRecordInput[];
  /** Ready-made 90-character lines of record type '7' (not counted in the sum), written before the sum record. */
  otherLines?: string[];
  lineEnding?: '\r\n' | '\n';
}

/**
 * Writes a KTL file as a string; encode it as Latin-1 to get the bank's bytes. The sum record
 * counts normal payments (reference payments and direct debits) and puts corrections in their own
 * fields.
 */
export function buildKtl(input: KtlInput): string {
  const { header } = input;
  const stamp = /^20(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d)$/.exec(header.createdAt);
  if (!stamp) buildFail(`header createdAt must be YYYY-MM-DDTHH:MM in 2000–2099, got "${header.createdAt}"`, 'header record');
  const lines = [
    pad(`0${stamp.slice(1).join('')}${fixed(header.bankGroup, 2, 'bank group')}${fixed(header.invoicerId, 9, 'invoicer id')}1`),
  ];
  let count = 0;
  let total = 0;
  let correctionCount = 0;
  let correctionTotal = 0;
  input.records.forEach((r, index) => {
    const type = r.recordType ?? '3';
    const where = `record ${type} #${index + 1}`;
    if (!/^\d{14}$/.test(r.account)) buildFail(`account must be a 14-digit BBAN, got "${r.account}"`, where);
    if (!/^\d{1,20}$/.test(r.reference)) buildFail(`reference must be 1–20 digits, got "${r.reference}"`, where);
    if (!Number.isSafeInteger(r.amountCents) || r.amountCents < 0 || r.amountCents > 9_999_999_999) {
      buildFail(`amount must be 0–9999999999 cents, got ${r.amountCents}`, where);
    }
    const name = r.payerName.slice(0, 12);
    if (/[^\u0020-\u007E\u00A0-\u00FF]/.test(name)) buildFail(`payer name "${name}" has characters Latin-1 cannot carry`, where);
    if (r.archiveId.length === 0 || r.archiveId.length > 16) buildFail(`archive id must be 1–16 characters, got "${r.archiveId}"`, where);
    const feedback = r.feedbackCode ?? ' ';
    if (feedback.length !== 1 || (type === '3' && feedback !== ' ')) buildFail('a feedback code is one character, and only direct debits (record 5) have one', where);
    lines.push(
      type + r.account + yymmdd(r.bookingDate, where) + yymmdd(r.paymentDate, where) + r.archiveId.padEnd(16) +
        r.reference.padStart(20, '0') + name.padEnd(12) + '1' + (r.nameSource ?? ' ') +
        String(r.amountCents).padStart(10, '0') + (r.correction ? '1' : '0') + (r.channel ?? ' ') + feedback,
    );
    if (r.correction) {
      correctionCount++;
      correctionTotal += r.amountCents;
    } else {
      count++;
      total += r.amountCents;
    }
  });
  for (const other of input.otherLines ?? []) {
    if (other.length !== LINE_LENGTH || other[0] !== '7') {
      buildFail(`other lines must be 90-character records of type 7 (write direct debits as records with recordType '5'), got "${other.slice(0, 20)}…"`, 'other record');
    }
    lines.push(other);
  }
  lines.push(
    pad(`9${String(count).padStart(6, '0')}${String(total).padStart(11, '0')}` +
      `${String(correctionCount).padStart(6, '0')}${String(correctionTotal).padStart(11, '0')}`, '0'),
  );
  const eol = input.lineEnding ?? '\r\n';
  return lines.join(eol) + eol;
}

// ---------------------------------------------------------------------------------------------

function recordName(type: string): string | null {
  if (type === '0') return 'header record';
  if (type === '9') return 'sum record';
  if (type === '3' || type === '5' || type === '7') return `record ${type}`;
  return null;
}

/** Characters at 1-based position `start`, `length` long. */
function field(content: string, start: number, length: number): string {
  return content.slice(start - 1, start - 1 + length);
}

function digits(content: string, start: number, length: number, line: number, element: string, what: string): string {
  const value = field(content, start, length);
  if (!/^\d+$/.test(value)) fail(`${what} (positions ${start}–${start + length - 1}) must be digits, found "${value}"`, line, element);
  return value;
}

function nonBlank(content: string, start: number, length: number, line: number, element: string, what: string): string {
  const value = field(content, start, length).trim();
  if (value === '') fail(`${what} (positions ${start}–${start + length - 1}) is blank`, line, element);
  return value;
}

function date(content: string, start: number, line: number, element: string, what: string): string {
  const value = digits(content, start, 6, line, element, what);
  // YYMMDD: the century is always 20, as the format dates from well after 2000 for our purposes.
  const iso = `20${value.slice(0, 2)}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
  if (!isIsoDate(iso)) fail(`${what} "${value}" is not a valid date YYMMDD`, line, element);
  return iso;
}

function currency(content: string, position: number, line: number, element: string): void {
  const code = field(content, position, 1);
  if (code !== '1') fail(`currency code must be 1 (euro), found "${code}"`, line, element);
}

function blankToNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}

function pad(line: string, filler = ' '): string {
  return line.padEnd(LINE_LENGTH, filler);
}

function fixed(value: string, length: number, what: string): string {
  if (value.length > length) buildFail(`${what} must be at most ${length} characters, got "${value}"`, 'header record');
  return value.padEnd(length);
}

function yymmdd(iso: string, where: string): string {
  if (!isIsoDate(iso) || !iso.startsWith('20')) buildFail(`dates must be YYYY-MM-DD in 2000–2099, got "${iso}"`, where);
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

function euros(cents: number): string {
  return `${decimalAmount(cents)} €`;
}

function fail(detail: string, line: number, element: string | null): never {
  throw new TransformError(detail, { format: FORMAT, line, element });
}

function buildFail(detail: string, element: string): never {
  throw new TransformError(detail, { format: FORMAT, line: null, element });
}
