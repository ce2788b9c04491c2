import { fail } from '@sveltejs/kit';
import { isLedgerActionKind, ledgerActionFields, ledgerFieldOf, readLedgerAction, type LedgerActionRequest, type LedgerFieldErrors } from '$lib/forms/ledgerAction';
import { deskProblem, failAction } from './actions';
import type { ApiClient } from './api';
import { isApiError } from './api';
import { readValues } from './applicationForm';

/** A refused ledger action: the API's problem (its code and params, which the dialog translates) and the fields it names. */
function ledgerFailure(e: unknown, url: URL, kind: string, values: Record<string, string>) {
  const errors: LedgerFieldErrors = {};
  if (isApiError(e)) {
    for (const p of e.invalidParams) {
      const field = ledgerFieldOf(p.name);
      if (field && !errors[field]) errors[field] = /is required|must not be empty/.test(p.reason) ? 'required' : 'invalid';
    }
  }
  return failAction(e, url, { action: 'ledger' as const, kind, values, errors });
}

async function send(api: ApiClient, memberId: string, request: LedgerActionRequest): Promise<{ amountCents: number }> {
  switch (request.kind) {
    case 'creditNote': {
      const { creditNote } = await api.issueCreditNote(request.invoiceId, { amountCents: request.amountCents, reason: request.reason, idempotencyKey: request.idempotencyKey });
      return { amountCents: creditNote.amountCents };
    }
    case 'writeOff': {
      const written = await api.writeOffInvoice(request.invoiceId, { reason: request.reason });
      return { amountCents: written.amountCents };
    }
    case 'refund': {
      const refund = await api.requestRefund(memberId, { amountCents: request.amountCents, iban: request.iban, reason: request.reason, idempotencyKey: request.idempotencyKey });
      return { amountCents: refund.amountCents };
    }
  }
}

/**
 * The desk's ledger dialogs (credit note, write-off, refund) in two steps: the first reads and
 * checks the form and answers what would be done (`confirm`); the second, with `confirmed=yes`,
 * sends it to the API once (the idempotency key of the first step goes with it).
 */
export async function ledgerAction(api: ApiClient, memberId: string, form: FormData, url: URL) {
  const values = readValues(form, ledgerActionFields);
  const kind = values.kind;
  if (!isLedgerActionKind(kind)) return fail(400, { action: 'ledger' as const, kind: kind ?? '', values, errors: {}, problem: deskProblem(400, 'invalid_request', 'Unknown ledger action.') });
  values.idempotencyKey ||= crypto.randomUUID();
  const read = readLedgerAction(kind, values);
  if (!read) return fail(400, { action: 'ledger' as const, kind, values, errors: {}, problem: deskProblem(400, 'invalid_request', 'invoiceId is missing.') });
  if ('errors' in read) return fail(400, { action: 'ledger' as const, kind, values, errors: read.errors });
  if (values.confirmed !== 'yes') return { action: 'ledger' as const, kind, values, confirm: read.request };
  try {
    const done = await send(api, memberId, read.request);
    return { action: 'ledger' as const, kind, done };
  } catch (e) {
    return ledgerFailure(e, url, kind, values);
  }
}
