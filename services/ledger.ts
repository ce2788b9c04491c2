import { createHash, randomUUID } from 'node:crypto';
import type { DbOrTx } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as ledgerRepo from '../db/repositories/ledger';
import * as paymentsRepo from '../db/repositories/payments';
import { isValidIban, normalizeIban } from '../domain/billing/iban';
import { afterCreditNote, creditOf, feeStatus, isOpenInvoice, openInvoiceTotals, paidThroughDate, spendCredits, withRunningBalance, type FeeStatus, type InvoiceState } from '../domain/billing/ledger';
import { decimalAmount } from '../domain/money';
import { TransformError } from '../integrations/transforms/errors';
import { buildPain001 } from '../integrations/transforms/pain001';
import type { ServiceContext } from './context';
import { failure, notFound } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

/** Roles that may read a member's ledger; every read is audited. */
const ledgerReaders = ['billing', 'caseworker', 'supervisor', 'admin'] as const;

function requireBilling(p: Principal) {
  if (!hasRole(p, 'billing')) throw failure(403, 'ledger_actions_billing_only', 'Ledger actions (credit notes, write-offs, refunds) are for billing users.');
}

/** An amount above what the ledger allows: the limit goes in params (cents) for the desk's text. */
const overLimit = (code: string, detail: string, limitCents: number) =>
  failure(422, code, detail, { params: { limitCents }, invalidParams: [{ name: 'amountCents', reason: `must be at most ${limitCents}` }] });

const keyReused = (detail: string, extra?: Record<string, unknown>) => failure(409, 'idempotency_key_reused', detail, extra ? { extra } : {});

/** The invoice has nothing open to act on (paid, credited, written off, or not issued). */
const notOpen = (invoiceNumber: number, status: string, what: string) =>
  failure(409, 'invoice_not_open', `Invoice ${invoiceNumber} has nothing open to ${what} (status: ${status}).`, { params: { invoiceNumber, status } });

const alreadyWrittenOff = (invoiceNumber: number) => failure(409, 'invoice_already_written_off', `Invoice ${invoiceNumber} is already written off.`, { params: { invoiceNumber } });

export interface FeeSummary {
  /** 'not-billed-yet' (nothing in the ledger), 'in-order', 'open' (invoices open, none overdue) or 'overdue'. */
  status: FeeStatus;
  note: string | null;
  /** What the member owes (+) or has in credit (−). */
  balanceCents: number;
  paidThrough: string | null;
  openInvoices: number;
  openCents: number;
}

/** The fee line of the member's overall view: balance, paid-through date and open invoices. */
export async function memberFeeSummary(db: DbOrTx, memberId: string, today: string): Promise<FeeSummary> {
  const [list, balanceCents, booked, remitted] = await Promise.all([
    ledgerRepo.memberInvoiceStates(db, memberId),
    ledgerRepo.memberBalance(db, memberId),
    ledgerRepo.hasLedgerEntries(db, memberId),
    ledgerRepo.memberRemittedMonths(db, memberId),
  ]);
  return feeSummaryOf({ invoices: list, balanceCents, booked, remittedMonths: remitted }, today);
}

/** The fee line from the member's invoice states, balance, whether anything was booked, and union-remitted months. */
export function feeSummaryOf(
  fees: { invoices: readonly (InvoiceState & { dueDate: string })[]; balanceCents: number; booked: boolean; remittedMonths: readonly string[] },
  today: string,
): FeeSummary {
  const status = feeStatus(fees.invoices, fees.booked, today);
  return {
    status,
    note: status === 'not-billed-yet' ? 'No invoices have been issued to this member yet.' : null,
    balanceCents: fees.balanceCents,
    paidThrough: paidThroughDate(fees.invoices, fees.remittedMonths),
    ...openInvoiceTotals(fees.invoices),
  };
}

/**
 * The member's ledger (reskontra): invoices with their open amounts, payments and their
 * allocations, credit notes, write-offs and refunds, and every ledger row with the running
 * balance. Positive amounts raise what the member owes; a negative balance is a credit.
 */
export async function getMemberLedger(ctx: ServiceContext, p: Principal, memberId: string) {
  if (!hasRole(p, ...ledgerReaders)) throw failure(403, 'ledger_read_role_required', 'Your role may not read member ledgers.');
  const member = await ledgerRepo.findMemberNumber(ctx.db, memberId);
  if (!member) throw notFound(`Member ${memberId}`, 'member_not_found');
  const db = ctx.db;
  const [invoiceRows, rows, payments, allocs, refundRows, remitted] = await Promise.all([
    ledgerRepo.memberInvoices(db, memberId),
    ledgerRepo.memberLedgerRows(db, memberId),
    ledgerRepo.memberBankEntries(db, memberId),
    ledgerRepo.memberAllocations(db, memberId),
    ledgerRepo.memberRefunds(db, memberId),
    ledgerRepo.memberRemittedMonths(db, memberId),
  ]);
  await recordAudit(db, { ...actorOf(p), action: 'member.ledger-read', entityType: 'member', entityId: memberId });
  const entries = withRunningBalance(rows).map((r) => ({
    id: r.id,
    occurredOn: r.occurredOn,
    kind: r.kind,
    amountCents: r.amountCents,
    runningBalanceCents: r.runningBalanceCents,
    invoiceId: r.invoiceId,
    bankEntryId: r.bankEntryId,
    description: r.description,
    descriptionCode: r.descriptionCode,
    descriptionParams: r.descriptionParams,
    createdBy: r.createdBy,
  }));
  const balanceCents = entries.at(-1)?.runningBalanceCents ?? 0;
  const ofKind = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => ({ id: e.id, occurredOn: e.occurredOn, amountCents: e.amountCents, invoiceId: e.invoiceId, description: e.description, createdBy: e.createdBy }));
  return {
    memberId,
    memberNumber: member.memberNumber,
    balanceCents,
    creditCents: creditOf(balanceCents),
    paidThrough: paidThroughDate(invoiceRows, remitted),
    ...openInvoiceTotals(invoiceRows),
    invoices: invoiceRows.map((i) => ({
      id: i.id,
      invoiceNumber: i.invoiceNumber,
      periodStart: i.periodStart,
      periodEnd: i.periodEnd,
      billedMonths: i.lines.map((l) => l.month),
      feeYear: i.feeYear,
      issuedOn: i.issuedOn,
      dueDate: i.dueDate,
      amountCents: i.amountCents,
      openCents: i.openCents,
      status: i.status,
      reference: i.reference,
      rfReference: i.rfReference,
      virtualBarcode: i.virtualBarcode,
      virtualBarcodeV5: i.virtualBarcodeV5,
    })),
    payments: payments.map((e) => ({
      id: e.id,
      archiveId: e.archiveId,
      bookingDate: e.bookingDate,
      amountCents: e.amountCents,
      reversal: e.reversal,
      reference: e.reference,
      status: e.status as paymentsRepo.EntryStatus,
      unallocatedCents: e.unallocatedCents,
    })),
    allocations: allocs.map(({ allocation: a, archiveId }) => ({
      id: a.id,
      bankEntryId: a.bankEntryId,
      archiveId,
      invoiceId: a.invoiceId,
      amountCents: a.amountCents,
      kind: a.kind,
      allocatedBy: a.allocatedBy,
      createdAt: a.createdAt.toISOString(),
    })),
    creditNotes: ofKind('credit-note'),
    writeOffs: ofKind('write-off'),
    refunds: refundRows.map(refundView),
    entries,
  };
}

function refundView(r: paymentsRepo.RefundRow) {
  return { id: r.id, memberId: r.memberId, amountCents: r.amountCents, iban: r.iban, reason: r.reason, status: r.status, requestedBy: r.requestedBy, createdAt: r.createdAt.toISOString() };
}

async function lockOwnInvoice(db: DbOrTx, invoiceId: string) {
  const invoice = await ledgerRepo.lockInvoice(db, invoiceId);
  if (!invoice) throw notFound(`Invoice ${invoiceId}`, 'invoice_not_found');
  return invoice;
}

/**
 * A credit note lowers an invoice's open amount (at most to zero) with a reason; an invoice
 * credited to zero is 'credited'. With an idempotency key the same request twice books once.
 */
export async function issueCreditNote(ctx: ServiceContext, p: Principal, invoiceId: string, input: { amountCents: number; reason: string; idempotencyKey?: string }) {
  requireBilling(p);
  const actor = actorOf(p);
  const sourceKey = `credit-note/${invoiceId}/${input.idempotencyKey ?? randomUUID()}`;
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockOwnInvoice(tx, invoiceId);
    const existing = await ledgerRepo.ledgerRowBySourceKey(tx, sourceKey);
    if (existing) {
      if (existing.amountCents !== -input.amountCents) throw keyReused('This idempotency key was already used for a different credit note.');
      return { created: false, creditNote: { id: existing.id, invoiceId, amountCents: input.amountCents, occurredOn: existing.occurredOn }, invoice: { id: invoice.id, openCents: invoice.openCents, status: invoice.status } };
    }
    if (!isOpenInvoice(invoice)) throw notOpen(invoice.invoiceNumber, invoice.status, 'credit');
    if (input.amountCents > invoice.openCents) {
      throw overLimit('credit_note_exceeds_open', `A credit note may not exceed the open amount (${decimalAmount(invoice.openCents)} €).`, invoice.openCents);
    }
    const { openCents, status } = afterCreditNote(invoice, input.amountCents);
    await ledgerRepo.updateInvoiceOpen(tx, invoice.id, openCents, status);
    const occurredOn = ctx.today();
    await ledgerRepo.insertLedgerRows(tx, [
      { memberId: invoice.memberId, occurredOn, kind: 'credit-note', amountCents: -input.amountCents, invoiceId: invoice.id, description: input.reason, sourceKey, createdBy: actor.actor },
    ]);
    const row = await ledgerRepo.ledgerRowBySourceKey(tx, sourceKey);
    await recordAudit(tx, { ...actor, action: 'invoice.credited', entityType: 'invoice', entityId: invoice.id, details: { amountCents: input.amountCents } });
    return { created: true, creditNote: { id: row!.id, invoiceId, amountCents: input.amountCents, occurredOn }, invoice: { id: invoice.id, openCents, status } };
  });
}

/** Writes off what is still open on an invoice (once per invoice): the fund gives up collecting it. */
export async function writeOffInvoice(ctx: ServiceContext, p: Principal, invoiceId: string, input: { reason: string }) {
  requireBilling(p);
  const actor = actorOf(p);
  return ctx.db.transaction(async (tx) => {
    const invoice = await lockOwnInvoice(tx, invoiceId);
    if (invoice.status === 'written-off') throw alreadyWrittenOff(invoice.invoiceNumber);
    if (!isOpenInvoice(invoice)) throw notOpen(invoice.invoiceNumber, invoice.status, 'write off');
    const amountCents = invoice.openCents;
    const occurredOn = ctx.today();
    const written = await ledgerRepo.insertLedgerRows(tx, [
      { memberId: invoice.memberId, occurredOn, kind: 'write-off', amountCents: -amountCents, invoiceId: invoice.id, description: input.reason, sourceKey: `write-off/${invoice.id}`, createdBy: actor.actor },
    ]);
    if (written.size === 0) throw alreadyWrittenOff(invoice.invoiceNumber);
    await ledgerRepo.updateInvoiceOpen(tx, invoice.id, 0, 'written-off');
    await recordAudit(tx, { ...actor, action: 'invoice.written-off', entityType: 'invoice', entityId: invoice.id, details: { amountCents } });
    return { invoiceId: invoice.id, amountCents, occurredOn, status: 'written-off' as const };
  });
}

export interface RefundInput {
  amountCents: number;
  iban: string;
  reason: string;
  idempotencyKey: string;
}

/**
 * Pays a member's credit back: at most the credit the ledger shows. Booked at once (the ledger
 * row), paid when the refund goes out in a SEPA file. The member row is locked so two refunds
 * cannot both spend the same credit.
 */
export async function requestRefund(ctx: ServiceContext, p: Principal, memberId: string, input: RefundInput) {
  requireBilling(p);
  if (!isValidIban(input.iban)) throw failure(400, 'invalid_iban', `"${input.iban}" is not a valid IBAN.`, { invalidParams: [{ name: 'iban', reason: 'is not a valid IBAN' }] });
  const iban = normalizeIban(input.iban);
  const actor = actorOf(p);
  return ctx.db.transaction(async (tx) => {
    if (!(await ledgerRepo.lockMember(tx, memberId))) throw notFound(`Member ${memberId}`, 'member_not_found');
    const existing = await ledgerRepo.findRefundByIdempotencyKey(tx, input.idempotencyKey);
    if (existing) {
      if (existing.memberId !== memberId || existing.amountCents !== input.amountCents || existing.iban !== iban) {
        throw keyReused('This idempotency key was already used for a different refund. Use a new key for a new refund.', { refundId: existing.id });
      }
      return { created: false, refund: refundView(existing) };
    }
    const balance = await ledgerRepo.memberBalance(tx, memberId);
    const credit = creditOf(balance);
    if (input.amountCents > credit) {
      throw overLimit('refund_exceeds_credit', `A refund may not exceed the member's credit (${decimalAmount(credit)} €).`, credit);
    }
    const refund = await ledgerRepo.insertRefundOnce(tx, { memberId, amountCents: input.amountCents, iban, reason: input.reason, requestedBy: actor.actor, idempotencyKey: input.idempotencyKey });
    if (!refund) throw keyReused('This idempotency key was already used for a different refund. Use a new key for a new refund.');
    await ledgerRepo.insertLedgerRows(tx, [
      { memberId, occurredOn: ctx.today(), kind: 'refund', amountCents: input.amountCents, description: input.reason, sourceKey: `refund/${refund.id}`, createdBy: actor.actor },
    ]);
    // Use up the over-payments the credit came from, oldest first, so their unallocated money
    // cannot be spent a second time.
    for (const { credit: entry, unallocatedCents } of spendCredits(await paymentsRepo.lockMemberCredits(tx, memberId), input.amountCents)) {
      await paymentsRepo.updateBankEntry(tx, entry.id, { status: entry.status as paymentsRepo.EntryStatus, unallocatedCents });
    }
    await recordAudit(tx, { ...actor, action: 'member.refund-requested', entityType: 'member', entityId: memberId, details: { refundId: refund.id, amountCents: input.amountCents } });
    return { created: true, refund: refundView(refund) };
  });
}

/**
 * The SEPA credit-transfer file (pain.001) for every pending refund; they become 'in-file'.
 * Idempotent per set: the message id is derived from the refunds in the file, so the same set
 * always has the same id (the bank refuses a message id twice), and when nothing is pending the
 * latest file is returned again, so a retried request gets the file it missed.
 */
export async function createRefundPaymentFile(ctx: ServiceContext, p: Principal): Promise<{ created: boolean; messageId: string; count: number; totalCents: number; xml: string }> {
  requireBilling(p);
  const actor = actorOf(p);
  return ctx.db.transaction(async (tx) => {
    const pending = await ledgerRepo.lockPendingRefunds(tx);
    if (pending.length === 0) {
      const latest = await ledgerRepo.latestRefundPaymentFile(tx);
      if (!latest) throw notFound('A pending refund', 'no_pending_refund');
      const previous = /<MsgId>([^<]+)<\/MsgId>/.exec(latest.xml)?.[1] ?? '';
      return { created: false, messageId: previous, count: latest.amounts.length, totalCents: latest.amounts.reduce((s, c) => s + c, 0), xml: latest.xml };
    }
    const ids = pending.map((r) => r.refund.id).sort();
    const messageId = `REFUNDS-${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 24)}`;
    let xml: string;
    try {
      xml = buildPain001({
        messageId,
        createdAt: new Date().toISOString(),
        executionDate: ctx.today(),
        debtor: { name: ctx.profile.name.fi.slice(0, 70), iban: ctx.profile.iban, bic: ctx.profile.bic },
        payments: pending.map(({ refund, firstNames, lastName }) => ({
          endToEndId: refund.id.replace(/-/g, ''),
          amountCents: refund.amountCents,
          creditorName: `${firstNames} ${lastName}`.slice(0, 70),
          creditorIban: refund.iban,
          message: refund.reason.slice(0, 140),
        })),
      });
    } catch (error) {
      if (error instanceof TransformError) throw failure(422, 'refund_file_not_buildable', `The refund file cannot be built: ${error.message}`);
      throw error;
    }
    await ledgerRepo.markRefundsInFile(tx, ids, xml);
    const totalCents = pending.reduce((s, r) => s + r.refund.amountCents, 0);
    await recordAudit(tx, { ...actor, action: 'refunds.payment-file', entityType: 'refund-file', entityId: messageId, details: { refundIds: ids, totalCents } });
    return { created: true, messageId, count: ids.length, totalCents, xml };
  });
}

/** Refunds by status (default: pending), for the billing user preparing the transfer file. */
export async function listRefunds(ctx: ServiceContext, p: Principal, status: 'pending' | 'in-file' | 'sent' = 'pending') {
  requireBilling(p);
  const rows = await ledgerRepo.refundsByStatus(ctx.db, status, 500);
  return { items: rows.map(refundView) };
}
