/**
 * SEPA credit transfer initiation, ISO 20022 pain.001.001.03 (domain.md §3.8): the file the
 * fund sends its bank to pay refunds to members. One payment batch, euro, SEPA service level,
 * charges shared per SEPA rules (SLEV), unstructured message to the member.
 */
import { isIsoDate } from '../../domain/dates';
import { isValidIban, normalizeIban } from '../../domain/billing/iban';
import { decimalAmount } from '../../domain/money';
import { bicProblem } from './bic';
import { TransformError } from './errors';
import { el, renderXml } from './xml';

export interface Pain001Payment {
  /** Shown to the member's bank and returned in status reports; 1–35 SEPA id characters. */
  endToEndId: string;
  amountCents: number;
  creditorName: string;
  creditorIban: string;
  /** Free text to the member, at most 140 characters. */
  message: string;
}

export interface Pain001Input {
  /** 1–35 SEPA id characters, unique per file sent to the bank. */
  messageId: string;
  /** ISO date-time, e.g. '2025-03-01T09:30:00+02:00'. */
  createdAt: string;
  /** Requested execution date; defaults to the date of createdAt. */
  executionDate?: string;
  debtor: { name: string; iban: string; bic: string };
  payments: Pain001Payment[];
}

const FORMAT = 'pain.001';
const NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03';
/** SEPA's restricted character set for identifiers (EPC guidelines), without '/' at either end or '//'. */
const SEPA_ID = /^(?!\/)(?!.*\/\/)[A-Za-z0-9/\-?:().,'+ ]{1,35}(?<!\/)$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const MAX_CENTS = 99_999_999_999; // 999 999 999.99, the SEPA maximum

/** The pain.001.001.03 XML. Throws TransformError naming the field of any invalid value. */
export function buildPain001(input: Pain001Input): string {
  const { debtor, payments } = input;
  if (!SEPA_ID.test(input.messageId)) fail(`message id "${input.messageId}" must be 1–35 SEPA characters (letters, digits, / - ? : ( ) . , ' + space)`, 'MsgId');
  if (!DATE_TIME.test(input.createdAt) || !isIsoDate(input.createdAt.slice(0, 10))) {
    fail(`creation time "${input.createdAt}" must be an ISO date-time such as 2025-03-01T09:30:00+02:00`, 'CreDtTm');
  }
  const executionDate = input.executionDate ?? input.createdAt.slice(0, 10);
  if (!isIsoDate(executionDate)) fail(`execution date "${executionDate}" is not a date YYYY-MM-DD`, 'ReqdExctnDt');
  if (payments.length === 0) fail('a transfer file needs at least one payment', 'CdtTrfTxInf');
  name(debtor.name, 'Dbtr');
  const debtorIban = iban(debtor.iban, 'DbtrAcct');
  const badBic = bicProblem(debtor.bic);
  if (badBic !== null) fail(badBic, 'BIC');

  let totalCents = 0;
  const transactions = payments.map((p, index) => {
    const label = `payment ${index + 1}`;
    if (!SEPA_ID.test(p.endToEndId)) fail(`${label}: end-to-end id "${p.endToEndId}" must be 1–35 SEPA characters`, 'EndToEndId');
    if (!Number.isSafeInteger(p.amountCents) || p.amountCents < 1 || p.amountCents > MAX_CENTS) {
      fail(`${label}: amount must be 1–${MAX_CENTS} whole cents, got ${p.amountCents}`, 'InstdAmt');
    }
    if (p.message.length > 140) fail(`${label}: message is ${p.message.length} characters; at most 140 fit`, 'Ustrd');
    totalCents += p.amountCents;
    return el('CdtTrfTxInf', [
      el('PmtId', [el('EndToEndId', p.endToEndId)]),
      el('Amt', [el('InstdAmt', decimalAmount(p.amountCents), { Ccy: 'EUR' })]),
      el('Cdtr', [el('Nm', name(p.creditorName, 'Cdtr', label))]),
      el('CdtrAcct', [el('Id', [el('IBAN', iban(p.creditorIban, 'CdtrAcct', label))])]),
      p.message.trim() !== '' && el('RmtInf', [el('Ustrd', p.message)]),
    ]);
  });

  const count = String(payments.length);
  const sum = decimalAmount(totalCents);
  const document = el(
    'Document',
    [
      el('CstmrCdtTrfInitn', [
        el('GrpHdr', [
          el('MsgId', input.messageId),
          el('CreDtTm', input.createdAt),
          el('NbOfTxs', count),
          el('CtrlSum', sum),
          el('InitgPty', [el('Nm', debtor.name)]),
        ]),
        el('PmtInf', [
          el('PmtInfId', input.messageId),
          el('PmtMtd', 'TRF'),
          el('NbOfTxs', count),
          el('CtrlSum', sum),
          el('PmtTpInf', [el('SvcLvl', [el('Cd', 'SEPA')])]),
          el('ReqdExctnDt', executionDate),
          el('Dbtr', [el('Nm', debtor.name)]),
          el('DbtrAcct', [el('Id', [el('IBAN', debtorIban)]), el('Ccy', 'EUR')]),
          el('DbtrAgt', [el('FinInstnId', [el('BIC', debtor.bic)])]),
          el('ChrgBr', 'SLEV'),
          ...transactions,
        ]),
      ]),
    ],
    { xmlns: NAMESPACE, 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance' },
  );
  return renderXml(document, { format: FORMAT });
}

function name(value: string, element: string, label?: string): string {
  const prefix = label === undefined ? '' : `${label}: `;
  if (value.trim() === '') fail(`${prefix}name is empty`, element);
  if (value.length > 70) fail(`${prefix}name "${value}" is longer than the 70 characters SEPA allows`, element);
  return value;
}

function iban(value: string, element: string, label?: string): string {
  if (!isValidIban(value)) fail(`${label === undefined ? '' : `${label}: `}"${value}" is not a valid IBAN`, element);
  return normalizeIban(value);
}

function fail(detail: string, element: string): never {
  throw new TransformError(detail, { format: FORMAT, line: null, element });
}
