/**
 * ISO 20022 camt.054 (bank-to-customer debit/credit notification): the bank's report of incoming
 * reference payments, domain.md §3.6. Turns the XML into one item per transaction, with the
 * payment reference validated, ready for matching against open fees.
 *
 * Versions 001.02 to 001.08 share the parts read here; where later versions moved a field
 * (Sts/Cd, Dbtr/Pty/Nm, TxDtls/Amt) both places are read.
 */
import { isIsoDate } from '../../domain/dates';
import { decimalAmount } from '../../domain/money';
import { isValidIban, normalizeIban } from '../../domain/billing/iban';
import { parseReferenceInput, type PaymentReference } from '../../domain/billing/referenceNumber';
import { TransformError } from './errors';
import { attribute, child, children, parseXml, path, textOf, type XmlElement } from './xml';

export interface Camt054Entry {
  /**
   * The bank's archive id (arkistointitunnus), the idempotency key: the transaction's own
   * AcctSvcrRef, else the entry's (AcctSvcrRef, or NtryRef when that is missing). When an entry
   * holds several transactions without their own, '-1', '-2', … (position in the entry) is added.
   */
  archiveId: string;
  /** The IBAN of the account the notification is for (the same as `account` unless the message covers several). */
  accountIban: string;
  bookingDate: string;
  /** The value date; the booking date when the bank gives none. */
  valueDate: string;
  /** Always positive; the direction is in `creditDebit`. */
  amountCents: number;
  creditDebit: 'CRDT' | 'DBIT';
  /** A returned or cancelled payment (RvslInd true): undo the earlier booking. */
  reversal: boolean;
  /** 'BOOK' for booked entries; other statuses (e.g. 'PDNG') are passed on for the caller to skip. */
  status: string | null;
  /**
   * Every structured reference (RmtInf/Strd) that is a valid national or RF reference, in document
   * order: a member may pay several invoices in one transfer, one reference each.
   */
  references: PaymentReference[];
  /** The first of `references`, or null. */
  reference: PaymentReference | null;
  /** Free-text remittance info, plus any structured reference that failed validation. */
  unstructured: string | null;
  debtorName: string | null;
  /** The payer's end-to-end id; null also for SEPA's placeholder 'NOTPROVIDED'. */
  endToEndId: string | null;
  /** Line of the transaction (or entry) in the file, for a person checking an item by hand. */
  line: number;
}

export interface Camt054Notification {
  messageId: string;
  createdAt: string;
  /** The account of the first notification in the message. */
  account: { iban: string };
  entries: Camt054Entry[];
}

const FORMAT = 'camt.054';

/** Parses a camt.054 message. Throws TransformError naming the line and element of any problem. */
export function parseCamt054(xml: string): Camt054Notification {
  // Entries are read as they close and dropped from the tree: a day's file can hold 100,000.
  const entries: Camt054Entry[] = [];
  const document = parseXml(xml, {
    format: FORMAT,
    onClose: (element, parent) => {
      if (element.localName !== 'Ntry' || parent?.localName !== 'Ntfctn') return false;
      entries.push(...readEntry(element, accountOf(parent)));
      return true;
    },
  });
  if (document.localName !== 'Document') {
    fail(`expected an ISO 20022 <Document>, found <${document.name}>; is this a camt.054 file?`, document);
  }
  const namespace = attribute(document, 'xmlns') ?? (document.name.includes(':') ? document.attributes[`xmlns:${document.name.split(':')[0]}`] : undefined);
  if (namespace !== undefined && namespace !== '' && !/camt\.054\./.test(namespace)) {
    fail(`namespace "${namespace}" is not camt.054; this looks like a different ISO 20022 message (a camt.053 statement?)`, document);
  }
  const message = child(document, 'BkToCstmrDbtCdtNtfctn');
  if (message === undefined) {
    const found = document.children.map((c) => `<${c.name}>`).join(', ') || 'nothing';
    fail(`expected <BkToCstmrDbtCdtNtfctn> (a camt.054 debit/credit notification), found ${found}`, document);
  }

  const header = required(message, 'GrpHdr');
  const messageId = requiredText(header, 'MsgId');
  if (messageId.length > MAX_IDENTIFIER_LENGTH) fail(`<MsgId> is ${messageId.length} characters; the standard allows at most ${MAX_IDENTIFIER_LENGTH}`, required(header, 'MsgId'));
  const createdAt = dateTime(required(header, 'CreDtTm'));

  const notifications = children(message, 'Ntfctn');
  if (notifications.length === 0) fail('the message contains no <Ntfctn> (notification)', message);

  // Every notification names its account, also one without entries.
  const firstIban = accountOf(notifications[0]!);
  for (const notification of notifications.slice(1)) accountOf(notification);
  return { messageId, createdAt, account: { iban: firstIban }, entries };
}

const accounts = new WeakMap<XmlElement, string>();

/** The notification's account (Acct/Id/IBAN, which the schema puts before the entries); read once per notification. */
function accountOf(notification: XmlElement): string {
  const known = accounts.get(notification);
  if (known !== undefined) return known;
  const ibanElement = required(notification, 'Acct', 'Id', 'IBAN');
  const iban = normalizeIban(textOf(ibanElement));
  if (!isValidIban(iban)) fail(`account "${textOf(ibanElement)}" is not a valid IBAN`, ibanElement);
  accounts.set(notification, iban);
  return iban;
}

function readEntry(entry: XmlElement, accountIban: string): Camt054Entry[] {
  const entryAmount = amount(required(entry, 'Amt'));
  const creditDebit = direction(required(entry, 'CdtDbtInd'));
  const reversal = reversalFlag(child(entry, 'RvslInd'));
  const statusElement = child(entry, 'Sts');
  const status = statusElement === undefined ? null : (textOrNull(child(statusElement, 'Cd')) ?? textOrNull(statusElement));
  const bookingDate = dateOf(entry, 'BookgDt');
  if (bookingDate === null) fail('the entry has no booking date <BookgDt>', entry);
  const valueDate = dateOf(entry, 'ValDt') ?? bookingDate;
  const entryRef = identifier(child(entry, 'AcctSvcrRef')) ?? identifier(child(entry, 'NtryRef'));

  const transactions = children(entry, 'NtryDtls').flatMap((details) => children(details, 'TxDtls'));
  const base = { accountIban, bookingDate, valueDate, reversal, status };

  if (transactions.length === 0) {
    if (entryRef === null) fail('the entry has neither <AcctSvcrRef> nor <NtryRef>, so it has no archive id', entry);
    return [{ ...base, archiveId: entryRef, amountCents: entryAmount, creditDebit, references: [], reference: null, unstructured: null, debtorName: null, endToEndId: null, line: entry.line }];
  }

  const items = transactions.map((tx, index): Camt054Entry => {
    const own = identifier(path(tx, 'Refs', 'AcctSvcrRef'));
    let archiveId: string;
    if (own !== null) archiveId = own;
    else if (entryRef === null) fail('neither the transaction nor its entry has an <AcctSvcrRef> or <NtryRef>, so it has no archive id', tx);
    else archiveId = transactions.length === 1 ? entryRef : `${entryRef}-${index + 1}`;

    const amountElement = path(tx, 'AmtDtls', 'TxAmt', 'Amt') ?? child(tx, 'Amt');
    let amountCents: number;
    if (amountElement !== undefined) amountCents = amount(amountElement);
    else if (transactions.length === 1) amountCents = entryAmount;
    else fail(`the transaction has no amount (<AmtDtls><TxAmt><Amt>) and its entry holds ${transactions.length} transactions`, tx);

    const txDirection = child(tx, 'CdtDbtInd');
    return {
      ...base,
      archiveId,
      amountCents,
      creditDebit: txDirection === undefined ? creditDebit : direction(txDirection),
      ...remittance(tx),
      debtorName: textOrNull(path(tx, 'RltdPties', 'Dbtr', 'Nm')) ?? textOrNull(path(tx, 'RltdPties', 'Dbtr', 'Pty', 'Nm')),
      endToEndId: endToEnd(identifier(path(tx, 'Refs', 'EndToEndId'))),
      line: tx.line,
    };
  });

  // The transactions of an entry must add up to it; a gap means a transaction went missing.
  if (items.every((item) => item.creditDebit === creditDebit)) {
    const sum = items.reduce((total, item) => total + item.amountCents, 0);
    if (sum !== entryAmount) {
      fail(`the entry's transactions add up to ${decimalAmount(sum)} but the entry amount is ${decimalAmount(entryAmount)}`, entry);
    }
  }
  return items;
}

/**
 * The references from RmtInf/Strd/CdtrRefInf/Ref (Strd repeats, one per invoice paid) that
 * validate as national or RF; the text of any other is kept with the free text, for a person to
 * match by hand (domain.md §3.6).
 */
function remittance(tx: XmlElement): { references: PaymentReference[]; reference: PaymentReference | null; unstructured: string | null } {
  const info = child(tx, 'RmtInf');
  if (info === undefined) return { references: [], reference: null, unstructured: null };
  const references: PaymentReference[] = [];
  const text: string[] = [];
  for (const structured of children(info, 'Strd')) {
    for (const refInfo of children(structured, 'CdtrRefInf')) {
      const raw = textOrNull(child(refInfo, 'Ref'));
      if (raw === null) continue;
      const parsed = parseReferenceInput(raw);
      if (parsed !== null) references.push(parsed);
      else text.push(raw);
    }
  }
  for (const free of children(info, 'Ustrd')) {
    const value = textOf(free);
    if (value !== '') text.push(value);
  }
  return { references, reference: references[0] ?? null, unstructured: text.length > 0 ? text.join(' ') : null };
}

function amount(element: XmlElement): number {
  const raw = textOf(element);
  const match = /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(raw);
  if (!match) fail(`amount "${raw}" is not a decimal number (expected e.g. 12.50)`, element);
  const fraction = (match[2] ?? '').padEnd(2, '0');
  if (/[1-9]/.test(fraction.slice(2))) fail(`amount "${raw}" has fractions of a cent`, element);
  const currency = attribute(element, 'Ccy');
  if (currency !== 'EUR') {
    fail(currency === undefined ? `amount "${raw}" has no currency (Ccy)` : `amount is in ${currency}; only EUR is supported`, element);
  }
  const cents = Number(match[1]) * 100 + Number(fraction.slice(0, 2));
  if (!Number.isSafeInteger(cents)) fail(`amount "${raw}" is too large`, element);
  return cents;
}

function direction(element: XmlElement): 'CRDT' | 'DBIT' {
  const value = textOf(element);
  if (value !== 'CRDT' && value !== 'DBIT') fail(`credit/debit indicator must be CRDT or DBIT, found "${value}"`, element);
  return value;
}

function reversalFlag(element: XmlElement | undefined): boolean {
  if (element === undefined) return false;
  const value = textOf(element);
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return fail(`reversal indicator must be true or false, found "${value}"`, element);
}

/** <X><Dt>…</Dt></X> or <X><DtTm>…</DtTm></X> as an ISO date; null when <X> is absent. */
function dateOf(parent: XmlElement, localName: string): string | null {
  const holder = child(parent, localName);
  if (holder === undefined) return null;
  const dateElement = child(holder, 'Dt');
  if (dateElement !== undefined) {
    const value = textOf(dateElement);
    if (!isIsoDate(value)) fail(`date "${value}" is not a calendar date YYYY-MM-DD`, dateElement);
    return value;
  }
  const dateTimeElement = child(holder, 'DtTm');
  if (dateTimeElement !== undefined) return dateTime(dateTimeElement).slice(0, 10);
  return fail(`<${localName}> holds neither <Dt> nor <DtTm>`, holder);
}

function dateTime(element: XmlElement): string {
  const value = textOf(element);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value) || !isIsoDate(value.slice(0, 10))) {
    fail(`"${value}" is not a date and time such as 2025-01-31T10:15:00`, element);
  }
  return value;
}

function endToEnd(value: string | null): string | null {
  return value === null || value === 'NOTPROVIDED' ? null : value;
}

function required(parent: XmlElement, ...names: string[]): XmlElement {
  let current = parent;
  for (const name of names) {
    const next = child(current, name);
    if (next === undefined) fail(`<${current.name}> has no <${name}>`, current);
    current = next;
  }
  return current;
}

function requiredText(parent: XmlElement, name: string): string {
  const element = required(parent, name);
  const value = textOf(element);
  if (value === '') fail(`<${name}> is empty`, element);
  return value;
}

/**
 * The longest identifier the standard allows (ISO 20022 Max35Text: AcctSvcrRef, NtryRef,
 * EndToEndId, MsgId). The archive id becomes the key of the entry and part of its process's
 * workflow id, so a longer one is refused with the file here, at the edge, before anything is stored.
 */
export const MAX_IDENTIFIER_LENGTH = 35;

/** An identifier element's text (null when absent or empty), refused when longer than the standard allows. */
function identifier(element: XmlElement | undefined): string | null {
  const value = textOrNull(element);
  if (value !== null && value.length > MAX_IDENTIFIER_LENGTH) {
    fail(`<${element!.localName}> is ${value.length} characters; the standard allows at most ${MAX_IDENTIFIER_LENGTH}`, element!);
  }
  return value;
}

function textOrNull(element: XmlElement | undefined): string | null {
  if (element === undefined) return null;
  const value = textOf(element);
  return value === '' ? null : value;
}

function fail(detail: string, element: XmlElement): never {
  throw new TransformError(detail, { format: FORMAT, line: element.line, element: element.localName });
}
