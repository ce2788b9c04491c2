import { createHash, randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as ledgerRepo from '../db/repositories/ledger';
import * as paymentsRepo from '../db/repositories/payments';
import { allocations, bankEntries, invoices, members, persons, refunds, type InvoiceStatus } from '../db/schema';
import { isValidIban, normalizeIban } from '../domain/billing/iban';
import { TransformError } from '../integrations/transforms/errors';
import { buildPain001 } from '../integrations/transforms/pain001';
import type { ServiceContext } from './context';
import { conflict, forbidden, notFound, ServiceError } from './errors';
import { actorOf, hasRole, type Principal } from './principal';

/** Roles that may read a member's ledger; every read is audited. */
const ledgerReaders = ['billing', 'caseworker', 'supervisor', 'admin'] as const;

function requireBilling(p: Principal) {
  if (!hasRole(p, 'billing')) throw forbidden('Ledger actions (credit notes, write-offs, refunds) are for billing users.');
}

const unprocessable = (detail: string, name: string, reason: string) => new ServiceError(422, 'Unprocessable', detail, { invalidParams: [{ name, reason }] });

export function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

interface InvoiceLike {
  periodStart: string;
  periodEnd: string;
  status: InvoiceStatus;
  openCents: number;
}

const isOpen = (i: InvoiceLike) => i.openCents > 0 && (i.status === 'open' || i.status === 'partially-paid');

/**
 * The end of the last fee period whose invoice is settled (paid, or credited to zero), with no
 * open invoice for an earlier period; null when nothing qualifies. A written-off invoice was not
 * paid, so its own period never counts, but it no longer holds up the periods after it.
 */
export function paidThroughDate(list: readonly InvoiceLike[]): string | null {
  let through: string | null = null;
  for (const invoice of [...list].sort((a, b) => a.periodStart.localeCompare(b.periodStart))) {
    if (isOpen(invoice)) break;
    if ((invoice.status === 'paid' || invoice.status === 'credited') && (through === null || invoice.periodEnd > through)) through = invoice.periodEnd;
  }
  return through;
}

export interface FeeSummary {
  /** 'not-billed-yet' (nothing in the ledger), 'in-order', 'open' (invoices open, none overdue) or 'overdue'. */
  status: 'not-billed-yet' | 'in-order' | 'open' | 'overdue';
  note: string | null;
  /** What the member owes (+) or has in credit (−). */
  balanceCents: number;
  paidThrough: string | null;
  openInvoices: number;
  openCents: number;
}

/** The fee line of the member's overall view: balance, paid-through date and open invoices. */
export async function memberFeeSummary(db: DbOrTx, memberId: string, today: string): Promise<FeeSummary> {
  const [list, balanceCents, rows] = await Promise.all([
    db.select({ periodStart: invoices.periodStart, periodEnd: invoices.periodEnd, status: invoices.status, openCents: invoices.openCents, dueDate: invoices.dueDate }).from(invoices).where(eq(invoices.memberId, memberId)),
    ledgerRepo.memberBalance(db, memberId),
    db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ledger_entries WHERE member_id = ${memberId}`),
  ]);
  const open = list.filter(isOpen);
  const status: FeeSummary['status'] =
    (rows[0]?.n ?? 0) === 0 && list.length === 0 ? 'not-billed-yet' : open.some((i) => i.dueDate < today) ? 'overdue' : open.length > 0 ? 'open' : 'in-order';
  return {
    status,
    note: status === 'not-billed-yet' ? 'No invoices have been issued to this member yet.' : null,
    balanceCents,
    paidThrough: paidThroughDate(list),
    openInvoices: open.length,
    openCents: open.reduce((s, i) => s + i.openCents, 0),
  };
}

/**
 * The member's ledger (reskontra): invoices with their open amounts, payments and their
 * allocations, credit notes, write-offs and refunds, and every ledger row with the running
 * balance. Positive amounts raise what the member owes; a negative balance is a credit.
 */
export async function getMemberLedger(ctx: ServiceContext, p: Principal, memberId: string) {
  if (!hasRole(p, ...ledgerReaders)) throw forbidden('Your role may not read member ledgers.');
  const [member] = await ctx.db.select({ id: members.id, memberNumber: members.memberNumber }).from(members).where(eq(members.id, memberId));
  if (!member) throw notFound(`Member ${memberId}`);
  const db = ctx.db;
  const [invoiceRows, rows, payments, allocs, refundRows] = await Promise.all([
    ledgerRepo.memberInvoices(db, memberId),
    ledgerRepo.memberLedgerRows(db, memberId),
    db.select().from(bankEntries).where(eq(bankEntries.memberId, memberId)).orderBy(asc(bankEntries.bookingDate), asc(bankEntries.createdAt)),
    db
      .select({ allocation: allocations, archiveId: bankEntries.archiveId })
      .from(allocations)
      .innerJoin(invoices, eq(invoices.id, allocations.invoiceId))
      .innerJoin(bankEntries, eq(bankEntries.id, allocations.bankEntryId))
      .where(eq(invoices.memberId, memberId))
      .orderBy(asc(allocations.createdAt)),
    db.select().from(refunds).where(eq(refunds.memberId, memberId)).orderBy(asc(refunds.createdAt)),
  ]);
  await recordAudit(db, { ...actorOf(p), action: 'member.ledger-read', entityType: 'member', entityId: memberId });
  let running = 0;
  const entries = rows.map((r) => {
    running += r.amountCents;
    return {
      id: r.id,
      occurredOn: r.occurredOn,
      kind: r.kind,
      amountCents: r.amountCents,
      runningBalanceCents: running,
      invoiceId: r.invoiceId,
      bankEntryId: r.bankEntryId,
      description: r.description,
      createdBy: r.createdBy,
    };
  });
  const open = invoiceRows.filter(isOpen);
  const ofKind = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => ({ id: e.id, occurredOn: e.occurredOn, amountCents: e.amountCents, invoiceId: e.invoiceId, description: e.description, createdBy: e.createdBy }));
  return {
    memberId,
    memberNumber: member.memberNumber,
    balanceCents: running,
    creditCents: Math.max(0, -running),
    paidThrough: paidThroughDate(invoiceRows),
    openInvoices: open.length,
    openCents: open.reduce((s, i) => s + i.openCents, 0),
    invoices: invoiceRows.map((i) => ({
      id: i.id,
      invoiceNumber: i.invoiceNumber,
      periodStart: i.periodStart,
      periodEnd: i.periodEnd,
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
  if (!invoice) throw notFound(`Invoice ${invoiceId}`);
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
      if (existing.amountCents !== -input.amountCents) throw conflict('This idempotency key was already used for a different credit note.');
      return { created: false, creditNote: { id: existing.id, invoiceId, amountCents: input.amountCents, occurredOn: existing.occurredOn }, invoice: { id: invoice.id, openCents: invoice.openCents, status: invoice.status } };
    }
    if (!isOpen(invoice)) throw conflict(`Invoice ${invoice.invoiceNumber} has nothing open to credit (status: ${invoice.status}).`);
    if (input.amountCents > invoice.openCents) {
      throw unprocessable(`A credit note may not exceed the open amount (${euros(invoice.openCents)} €).`, 'amountCents', `must be at most ${invoice.openCents}`);
    }
    const openCents = invoice.openCents - input.amountCents;
    const status: InvoiceStatus = openCents === 0 ? 'credited' : invoice.status;
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
    if (invoice.status === 'written-off') throw conflict(`Invoice ${invoice.invoiceNumber} is already written off.`);
    if (!isOpen(invoice)) throw conflict(`Invoice ${invoice.invoiceNumber} has nothing open to write off (status: ${invoice.status}).`);
    const amountCents = invoice.openCents;
    const occurredOn = ctx.today();
    const written = await ledgerRepo.insertLedgerRows(tx, [
      { memberId: invoice.memberId, occurredOn, kind: 'write-off', amountCents: -amountCents, invoiceId: invoice.id, description: input.reason, sourceKey: `write-off/${invoice.id}`, createdBy: actor.actor },
    ]);
    if (written.size === 0) throw conflict(`Invoice ${invoice.invoiceNumber} is already written off.`);
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
  if (!isValidIban(input.iban)) throw new ServiceError(400, 'Invalid request', `"${input.iban}" is not a valid IBAN.`, { invalidParams: [{ name: 'iban', reason: 'is not a valid IBAN' }] });
  const iban = normalizeIban(input.iban);
  const actor = actorOf(p);
  return ctx.db.transaction(async (tx) => {
    const locked = await tx.select({ id: members.id }).from(members).where(eq(members.id, memberId)).for('update');
    if (!locked[0]) throw notFound(`Member ${memberId}`);
    const [existing] = await tx.select().from(refunds).where(eq(refunds.idempotencyKey, input.idempotencyKey));
    if (existing) {
      if (existing.memberId !== memberId || existing.amountCents !== input.amountCents || existing.iban !== iban) {
        throw conflict('This idempotency key was already used for a different refund. Use a new key for a new refund.', { refundId: existing.id });
      }
      return { created: false, refund: refundView(existing) };
    }
    const balance = await ledgerRepo.memberBalance(tx, memberId);
    const credit = Math.max(0, -balance);
    if (input.amountCents > credit) {
      throw unprocessable(`A refund may not exceed the member's credit (${euros(credit)} €).`, 'amountCents', `must be at most ${credit}`);
    }
    const inserted = await tx
      .insert(refunds)
      .values({ memberId, amountCents: input.amountCents, iban, reason: input.reason, requestedBy: actor.actor, idempotencyKey: input.idempotencyKey })
      .onConflictDoNothing({ target: refunds.idempotencyKey })
      .returning();
    const refund = inserted[0];
    if (!refund) throw conflict('This idempotency key was already used for a different refund. Use a new key for a new refund.');
    await ledgerRepo.insertLedgerRows(tx, [
      { memberId, occurredOn: ctx.today(), kind: 'refund', amountCents: input.amountCents, description: input.reason, sourceKey: `refund/${refund.id}`, createdBy: actor.actor },
    ]);
    // Use up the over-payments the credit came from, oldest first, so their unallocated money
    // cannot be spent a second time.
    let left = input.amountCents;
    for (const entry of await paymentsRepo.lockMemberCredits(tx, memberId)) {
      if (left <= 0) break;
      const take = Math.min(left, entry.unallocatedCents);
      await paymentsRepo.updateBankEntry(tx, entry.id, { status: entry.status as paymentsRepo.EntryStatus, unallocatedCents: entry.unallocatedCents - take });
      left -= take;
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
    const pending = await tx
      .select({ refund: refunds, firstNames: persons.firstNames, lastName: persons.lastName })
      .from(refunds)
      .innerJoin(members, eq(members.id, refunds.memberId))
      .innerJoin(persons, eq(persons.id, members.personId))
      .where(eq(refunds.status, 'pending'))
      .orderBy(asc(refunds.createdAt), asc(refunds.id))
      .for('update', { of: refunds });
    if (pending.length === 0) {
      const [latest] = await tx.select({ file: refunds.paymentFile }).from(refunds).where(isNotNull(refunds.paymentFile)).orderBy(desc(refunds.createdAt)).limit(1);
      if (!latest?.file) throw notFound('A pending refund');
      const previous = /<MsgId>([^<]+)<\/MsgId>/.exec(latest.file)?.[1] ?? '';
      const inFile = await tx.select({ amountCents: refunds.amountCents }).from(refunds).where(eq(refunds.paymentFile, latest.file));
      return { created: false, messageId: previous, count: inFile.length, totalCents: inFile.reduce((s, r) => s + r.amountCents, 0), xml: latest.file };
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
      if (error instanceof TransformError) throw new ServiceError(422, 'Unprocessable', `The refund file cannot be built: ${error.message}`);
      throw error;
    }
    await tx.update(refunds).set({ status: 'in-file', paymentFile: xml }).where(inArray(refunds.id, ids));
    const totalCents = pending.reduce((s, r) => s + r.refund.amountCents, 0);
    await recordAudit(tx, { ...actor, action: 'refunds.payment-file', entityType: 'refund-file', entityId: messageId, details: { refundIds: ids, totalCents } });
    return { created: true, messageId, count: ids.length, totalCents, xml };
  });
}

/** Refunds by status (default: pending), for the billing user preparing the transfer file. */
export async function listRefunds(ctx: ServiceContext, p: Principal, status: 'pending' | 'in-file' | 'sent' = 'pending') {
  requireBilling(p);
  const rows = await ctx.db.select().from(refunds).where(and(eq(refunds.status, status))).orderBy(asc(refunds.createdAt)).limit(500);
  return { items: rows.map(refundView) };
}
