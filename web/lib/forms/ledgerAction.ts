import { isValidIban } from '../../../domain/billing/iban';
import { parseEuros } from '../../../domain/money';

/**
 * The billing user's actions on a member's ledger, as the desk's dialogs send them: a credit note
 * on an invoice (an amount), a write-off of what is open on an invoice, a refund of the member's
 * credit to an IBAN. The amount is typed in euros the Finnish way ("12,50").
 */
export type LedgerActionKind = 'creditNote' | 'writeOff' | 'refund';

export const ledgerActionKinds: readonly LedgerActionKind[] = ['creditNote', 'writeOff', 'refund'];

export const ledgerActionFields = ['kind', 'invoiceId', 'amount', 'reason', 'iban', 'idempotencyKey', 'confirmed'] as const;

export type LedgerField = 'amount' | 'reason' | 'iban';
export type LedgerFieldProblem = 'required' | 'invalid' | 'tooLong';
export type LedgerFieldErrors = Partial<Record<LedgerField, LedgerFieldProblem>>;

/** What the API is sent, once the form is read. */
export type LedgerActionRequest =
  | { kind: 'creditNote'; invoiceId: string; amountCents: number; reason: string; idempotencyKey: string }
  | { kind: 'writeOff'; invoiceId: string; reason: string }
  | { kind: 'refund'; amountCents: number; iban: string; reason: string; idempotencyKey: string };

/** The longest reason the API takes: a refund's is the message to the member's bank. */
export const reasonMaxLength: Record<LedgerActionKind, number> = { creditNote: 500, writeOff: 500, refund: 140 };

export function isLedgerActionKind(kind: string | undefined): kind is LedgerActionKind {
  return (ledgerActionKinds as readonly string[]).includes(kind ?? '');
}

/**
 * Reads a ledger dialog's fields: the request for the API, or what is wrong with which field.
 * An invoice action without an invoice, or an unknown kind, is a broken form (null).
 */
export function readLedgerAction(kind: LedgerActionKind, values: Record<string, string | undefined>): { request: LedgerActionRequest } | { errors: LedgerFieldErrors } | null {
  const text = (k: string) => (values[k] ?? '').trim();
  const errors: LedgerFieldErrors = {};
  const reason = text('reason');
  if (reason === '') errors.reason = 'required';
  else if (reason.length > reasonMaxLength[kind]) errors.reason = 'tooLong';
  let amountCents = 0;
  if (kind !== 'writeOff') {
    const parsed = text('amount') === '' ? null : parseEuros(text('amount'));
    if (text('amount') === '') errors.amount = 'required';
    else if (parsed === null || parsed === 0) errors.amount = 'invalid';
    else amountCents = parsed;
  }
  const iban = text('iban').replace(/\s+/g, '').toUpperCase();
  if (kind === 'refund') {
    if (iban === '') errors.iban = 'required';
    else if (!isValidIban(iban)) errors.iban = 'invalid';
  }
  const invoiceId = text('invoiceId');
  if (kind !== 'refund' && invoiceId === '') return null;
  if (Object.keys(errors).length) return { errors };
  const idempotencyKey = text('idempotencyKey');
  switch (kind) {
    case 'creditNote':
      return { request: { kind, invoiceId, amountCents, reason, idempotencyKey } };
    case 'writeOff':
      return { request: { kind, invoiceId, reason } };
    case 'refund':
      return { request: { kind, amountCents, iban, reason, idempotencyKey } };
  }
}

/** The API's names of the fields it refuses, mapped to the dialog's inputs. */
export function ledgerFieldOf(apiName: string): LedgerField | null {
  if (apiName === 'amountCents') return 'amount';
  if (apiName === 'reason' || apiName === 'iban') return apiName;
  return null;
}
