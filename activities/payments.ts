import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as ledgerRepo from '../db/repositories/ledger';
import * as paymentsRepo from '../db/repositories/payments';
import * as tasksRepo from '../db/repositories/tasks';
import { invoices, tasks, type InvoiceStatus } from '../db/schema';
import { isValidReferenceNumber, parseMemberReference } from '../domain/billing/referenceNumber';
import type { FundProfile } from '../domain/fundProfile';
import { parseCamt054 } from '../integrations/transforms/camt054';
import { parseKtl } from '../integrations/transforms/ktl';
import { todayInHelsinki } from '../domain/dates';
import { unmatchedPayment, withdrawSignal, type AllocationOutcome } from '../workflows/unmatchedPayment';

export interface PaymentDeps {
  db: Database;
  profile: FundProfile;
  /** For starting the unmatched-payment processes of a file. */
  temporal?: Client;
  today?: () => string;
}

export type BankFileFormat = 'camt054' | 'ktl';

/** Entries per transaction while booking a file: big enough for set-based SQL, small enough to heartbeat often. */
export const BOOKING_CHUNK = 2000;
/**
 * Chunks booked at the same time. Two keep the database busy while the other chunk is being
 * prepared; chunks lock invoices in id order and insert entries in archive-id order, so they
 * cannot deadlock each other.
 */
const BOOKING_CONCURRENCY = 2;
/** Unmatched-payment processes started at once: a day's file may leave thousands to place by hand. */
const PROCESS_STARTS_AT_ONCE = 50;
/** How long a billing user has for an unmatched payment before the task shows as overdue. */
const UNMATCHED_TASK_DUE_MS = 14 * 24 * 60 * 60 * 1000;

export const paymentFileWorkflowId = (sha256: string) => `payment-file/${sha256}`;
export const unmatchedPaymentWorkflowId = (archiveId: string) => `unmatched-payment/${archiveId}`;

export interface ReadBankFile {
  entries: paymentsRepo.EntryInsert[];
  /** Entries the bank did not book (e.g. pending) and KTL records of other types: not imported. */
  skipped: number;
  /** Net of the booked entries: money in minus money out. */
  totalCents: number;
}

/**
 * The booked entries of a camt.054 or KTL file in one shape, amounts signed (money out negative).
 * Throws TransformError naming the line and element of a malformed file.
 */
export function readBankFile(format: BankFileFormat, content: string): ReadBankFile {
  const entries: paymentsRepo.EntryInsert[] = [];
  let skipped = 0;
  if (format === 'camt054') {
    for (const e of parseCamt054(content).entries) {
      if (e.status !== null && e.status !== 'BOOK') {
        skipped++;
        continue;
      }
      entries.push({
        archiveId: e.archiveId,
        bookingDate: e.bookingDate,
        valueDate: e.valueDate,
        amountCents: e.creditDebit === 'DBIT' ? -e.amountCents : e.amountCents,
        reversal: e.reversal,
        reference: e.reference?.value ?? null,
        unstructured: e.unstructured,
        debtorName: e.debtorName,
      });
    }
  } else {
    const file = parseKtl(content);
    skipped = file.skipped.length;
    for (const r of file.records) {
      entries.push({
        archiveId: r.archiveId,
        bookingDate: r.bookingDate,
        valueDate: r.paymentDate,
        // Correction code 1: the bank takes back an earlier payment of this amount.
        amountCents: r.correction ? -r.amountCents : r.amountCents,
        reversal: r.correction,
        reference: r.reference,
        unstructured: r.reference === null && r.rawReference !== '' ? r.rawReference : null,
        debtorName: r.payerName || null,
      });
    }
  }
  return { entries, skipped, totalCents: entries.reduce((sum, e) => sum + e.amountCents, 0) };
}

/**
 * Files the API has just parsed, by SHA-256. When the worker runs in the same process (npm start,
 * the tests, the benchmark) the booking activity takes the parsed entries from here instead of
 * parsing tens of megabytes a second time; anywhere else it simply parses the stored file.
 */
const recentlyRead = new Map<string, ReadBankFile>();
const RECENTLY_READ_KEEP_MS = 10 * 60 * 1000;

export function rememberReadFile(sha256: string, read: ReadBankFile): void {
  if (recentlyRead.size >= 2) recentlyRead.delete(recentlyRead.keys().next().value!);
  recentlyRead.set(sha256, read);
  setTimeout(() => recentlyRead.delete(sha256), RECENTLY_READ_KEEP_MS).unref();
}

function takeReadFile(sha256: string): ReadBankFile | undefined {
  const read = recentlyRead.get(sha256);
  recentlyRead.delete(sha256);
  return read;
}

/** The national form of a reference (an RF built from a national one carries it after 'RFkk'). */
export function nationalReferenceOf(reference: string): string | null {
  if (reference.startsWith('RF')) {
    const body = reference.slice(4).replace(/^0+/, '');
    return isValidReferenceNumber(body) ? body : null;
  }
  return reference;
}

interface OpenInvoice {
  id: string;
  reference: string;
  amountCents: number;
  openCents: number;
  status: InvoiceStatus;
}

/**
 * Spreads a payment over invoices in the given order; what is left over stays on the entry as
 * the member's credit. Mutates the invoices' open amounts so the next payment sees them.
 */
export function spreadPayment(amountCents: number, list: OpenInvoice[]): { parts: { invoiceId: string; amountCents: number }[]; restCents: number } {
  let rest = amountCents;
  const parts: { invoiceId: string; amountCents: number }[] = [];
  for (const invoice of list) {
    if (rest <= 0) break;
    if (invoice.openCents <= 0) continue;
    const take = Math.min(rest, invoice.openCents);
    invoice.openCents -= take;
    invoice.status = invoice.openCents === 0 ? 'paid' : 'partially-paid';
    parts.push({ invoiceId: invoice.id, amountCents: take });
    rest -= take;
  }
  return { parts, restCents: rest };
}

/** Ledger kind and amount of money moving on the fund's account (ledger sign: + the member owes more). */
function bankMovement(amountCents: number): { kind: 'payment' | 'reversal'; ledgerCents: number } {
  return { kind: amountCents >= 0 ? 'payment' : 'reversal', ledgerCents: -amountCents };
}

/** A reversal with a reference: bookReversals looks for the entry it undoes. */
const isSettledLater = (e: { reversal: boolean; reference: string | null }) => e.reversal && e.reference !== null;

/** Another import booked one of the chunk's entries first: roll back and book the chunk again. */
class ChunkRaceLost extends Error {}

/**
 * Books one chunk in the caller's transaction and returns how many entries it booked (the rest
 * were already booked, by this or another file). Only new entries are matched: by the reference
 * the payer quoted to that member's invoice, then the member's oldest open invoices. Every step is
 * one statement for the whole chunk (existing archive ids, members and their open invoices,
 * entries, allocations, invoices, ledger rows). Reversals are only stored here; bookReversals
 * settles them once every chunk is in, since their original may be in any chunk of the file.
 */
export async function bookChunk(tx: DbOrTx, fileId: string, chunk: paymentsRepo.EntryInsert[]): Promise<number> {
  const unique = new Map<string, paymentsRepo.EntryInsert>();
  for (const e of chunk) if (!unique.has(e.archiveId)) unique.set(e.archiveId, e);
  const already = await paymentsRepo.bookedArchiveIds(tx, [...unique.keys()]);
  const fresh: paymentsRepo.BookedEntry[] = [...unique.values()]
    .filter((e) => !already.has(e.archiveId))
    .map((e) => ({ ...e, id: randomUUID(), memberId: null, status: 'unmatched', unallocatedCents: e.amountCents }));

  const credits = fresh.filter((e) => e.amountCents > 0 && !e.reversal && e.reference !== null);
  const memberNumbers = new Set<number>();
  const nationals = new Set<string>();
  for (const e of credits) {
    const national = nationalReferenceOf(e.reference!);
    if (national) nationals.add(national);
    const parsed = parseMemberReference(e.reference!);
    if (parsed) memberNumbers.add(parsed.memberNumber);
  }
  const candidates = await paymentsRepo.loadMatchCandidates(tx, [...memberNumbers], [...nationals]);
  const memberByNumber = new Map(candidates.members.map((m) => [m.memberNumber, m.id]));
  const openByMember = new Map<string, OpenInvoice[]>();
  for (const invoice of candidates.openInvoices) {
    const list = openByMember.get(invoice.memberId) ?? [];
    list.push({ ...invoice });
    openByMember.set(invoice.memberId, list);
  }

  const allocationRows: paymentsRepo.AllocationInsert[] = [];
  const ledgerRows: ledgerRepo.NewLedgerRow[] = [];
  const touched = new Map<string, OpenInvoice>();
  for (const e of credits) {
    const national = nationalReferenceOf(e.reference!);
    const parsed = parseMemberReference(e.reference!);
    const memberId = (national ? candidates.byReference.get(national) : undefined) ?? (parsed ? memberByNumber.get(parsed.memberNumber) : undefined);
    if (!memberId) continue;
    const open = openByMember.get(memberId) ?? [];
    const ordered = [...open.filter((i) => i.reference === national), ...open.filter((i) => i.reference !== national)];
    const { parts, restCents } = spreadPayment(e.amountCents, ordered);
    for (const part of parts) {
      allocationRows.push({ bankEntryId: e.id, invoiceId: part.invoiceId, amountCents: part.amountCents, kind: 'automatic', allocatedBy: 'system' });
      touched.set(part.invoiceId, ordered.find((i) => i.id === part.invoiceId)!);
    }
    e.memberId = memberId;
    e.status = restCents === 0 ? 'allocated' : 'overpaid';
    e.unallocatedCents = restCents;
    ledgerRows.push({
      memberId,
      occurredOn: e.bookingDate,
      kind: 'payment',
      amountCents: -e.amountCents,
      bankEntryId: e.id,
      description: `Reference payment ${e.reference}`,
      sourceKey: `payment/${e.archiveId}`,
      createdBy: 'system',
    });
  }
  // Everything else not matched, except reversals, goes to the suspense account (a ledger row
  // without a member) until a person places it.
  for (const e of fresh) {
    if (e.memberId === null && !isSettledLater(e) && e.amountCents !== 0) ledgerRows.push(suspenseRow(e));
  }

  if ((await paymentsRepo.insertEntriesOnce(tx, fileId, fresh)) !== fresh.length) throw new ChunkRaceLost();
  await paymentsRepo.insertAllocations(tx, allocationRows);
  await paymentsRepo.setInvoicesOpen(tx, [...touched.values()].map((i) => ({ id: i.id, openCents: i.openCents, status: i.status })));
  await ledgerRepo.insertLedgerRows(tx, ledgerRows);
  return fresh.length;
}

/**
 * Settles the file's reversals not yet booked to the ledger, one transaction each (they are
 * rare). Safe to run again: a settled reversal has its ledger row and is skipped. Returns the
 * archive ids of unidentified payments the reversals undid, whose tasks are to be withdrawn.
 */
async function bookReversals(db: Database, fileId: string): Promise<string[]> {
  const withdrawn: string[] = [];
  for (const e of await paymentsRepo.unsettledReversalsOfFile(db, fileId)) {
    const outcome = await db.transaction(async (tx) => {
      const locked = await paymentsRepo.lockBankEntry(tx, e.id);
      if (!locked || locked.status !== 'unmatched') return { kind: 'settled' as const };
      return bookReversal(tx, locked);
    });
    if (outcome.kind === 'withdrawn') withdrawn.push(outcome.archiveId);
  }
  return withdrawn;
}

function suspenseRow(e: Pick<paymentsRepo.BookedEntry, 'id' | 'archiveId' | 'amountCents' | 'bookingDate'>): ledgerRepo.NewLedgerRow {
  const { kind, ledgerCents } = bankMovement(e.amountCents);
  return {
    memberId: null,
    occurredOn: e.bookingDate,
    kind,
    amountCents: ledgerCents,
    bankEntryId: e.id,
    description: 'Unidentified bank entry (suspense)',
    sourceKey: `suspense/${e.archiveId}`,
    createdBy: 'system',
  };
}

/**
 * A reversal (camt RvslInd, KTL correction) undoes the earlier entry with the same reference and
 * the opposite amount: its allocations are reversed (negative allocation rows, so the history
 * stays), the invoices reopen, and a 'reversal' ledger row books the money back. If the original
 * was never identified, the reversal offsets it in suspense and its task is withdrawn. Without an
 * original the reversal itself is unmatched, in suspense.
 */
async function bookReversal(
  tx: DbOrTx,
  e: Pick<paymentsRepo.BookedEntry, 'id' | 'archiveId' | 'amountCents' | 'bookingDate' | 'reference'>,
): Promise<{ kind: 'reversed' } | { kind: 'withdrawn'; archiveId: string } | { kind: 'unmatched' }> {
  const original = await paymentsRepo.lockReversalOriginal(tx, { id: e.id, reference: e.reference!, amountCents: e.amountCents });
  const { kind, ledgerCents } = bankMovement(e.amountCents);
  if (!original || (original.memberId !== null && original.amountCents < 0)) {
    if (e.amountCents !== 0) await ledgerRepo.insertLedgerRows(tx, [suspenseRow(e)]);
    return { kind: 'unmatched' };
  }
  const description = `Reversal of bank entry ${original.archiveId}`;
  const memberId = original.memberId;
  if (memberId !== null) {
    const perInvoice = new Map<string, number>();
    for (const a of await paymentsRepo.allocationsOfEntry(tx, original.id)) perInvoice.set(a.invoiceId, (perInvoice.get(a.invoiceId) ?? 0) + a.amountCents);
    for (const [invoiceId, cents] of [...perInvoice].filter(([, c]) => c > 0).sort(([a], [b]) => a.localeCompare(b))) {
      const invoice = await ledgerRepo.lockInvoice(tx, invoiceId);
      if (!invoice) continue;
      await paymentsRepo.insertAllocations(tx, [{ bankEntryId: e.id, invoiceId, amountCents: -cents, kind: 'automatic', allocatedBy: 'system' }]);
      // What the payment settled is owed again, whatever happened to the invoice since.
      const stillPaid = (await paymentsRepo.allocatedToInvoice(tx, invoiceId)) > 0;
      await ledgerRepo.updateInvoiceOpen(tx, invoiceId, invoice.openCents + cents, stillPaid ? 'partially-paid' : 'open');
    }
  }
  await ledgerRepo.insertLedgerRows(tx, [{ memberId, occurredOn: e.bookingDate, kind, amountCents: ledgerCents, bankEntryId: e.id, description, sourceKey: `reversal/${e.archiveId}`, createdBy: 'system' }]);
  await paymentsRepo.setEntriesOutcome(tx, [
    { id: original.id, memberId, status: 'reversed', unallocatedCents: 0 },
    { id: e.id, memberId, status: 'reversed', unallocatedCents: 0 },
  ]);
  if (memberId !== null) return { kind: 'reversed' };
  await tx
    .update(tasks)
    .set({ status: 'closed', outcome: 'withdrawn', closedAt: sql`coalesce(${tasks.closedAt}, now())` })
    .where(and(eq(tasks.subjectId, original.id), eq(tasks.kind, 'unmatched-payment'), eq(tasks.status, 'open')));
  return { kind: 'withdrawn', archiveId: original.archiveId };
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  // Lost the race for an entry, or PostgreSQL broke a deadlock / serialization conflict.
  return error instanceof ChunkRaceLost || code === '40P01' || code === '40001';
}

/** Payment files and unmatched payments: booking, matching, allocation, and the human tasks. */
export function createPaymentActivities(deps: PaymentDeps) {
  const { db } = deps;
  const today = deps.today ?? (() => todayInHelsinki());

  async function bookChunkWithRetry(fileId: string, chunk: paymentsRepo.EntryInsert[]): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction((tx) => bookChunk(tx, fileId, chunk));
      } catch (error) {
        if (!isRetryable(error) || attempt >= 5) throw error;
      }
    }
  }

  return {
    /**
     * Books a stored file chunk by chunk, one transaction per chunk, heartbeating the first chunk
     * not yet done so a retried attempt resumes there (chunks after it that were done are skipped
     * by their archive ids), then settles the file's reversals. Returns what the entries came to.
     */
    async bookPaymentFile({ fileId }: { fileId: string }) {
      const file = await paymentsRepo.findBankFileMeta(db, fileId);
      if (!file) throw ApplicationFailure.nonRetryable(`bank file ${fileId} not found`);
      const read = takeReadFile(file.sha256) ?? readBankFile(file.format, (await paymentsRepo.findBankFile(db, fileId))!.content);
      const { entries } = read;
      const context = Context.current();
      const resume = context.info.heartbeatDetails as { nextChunk: number } | undefined;
      const chunks = Math.ceil(entries.length / BOOKING_CHUNK);
      let next = resume?.nextChunk ?? 0;
      let firstOpen = next;
      const done = new Set<number>();
      const work = async () => {
        for (let index = next++; index < chunks; index = next++) {
          await bookChunkWithRetry(fileId, entries.slice(index * BOOKING_CHUNK, (index + 1) * BOOKING_CHUNK));
          done.add(index);
          while (done.delete(firstOpen)) firstOpen++;
          context.heartbeat({ nextChunk: firstOpen });
        }
      };
      await Promise.all(Array.from({ length: BOOKING_CONCURRENCY }, work));
      const withdrawn = await bookReversals(db, fileId);
      const byStatus = await paymentsRepo.entryCountsOfFile(db, fileId);
      const booked = Object.values(byStatus).reduce((s, x) => s + x.count, 0);
      const count = (status: string) => byStatus[status]?.count ?? 0;
      return {
        entries: entries.length,
        skipped: read.skipped,
        booked,
        duplicates: entries.length - booked,
        allocated: count('allocated'),
        overpaid: count('overpaid'),
        unmatched: count('unmatched'),
        reversed: count('reversed'),
        withdrawn,
      };
    },

    /** One process per unmatched entry of the file; an already started one is left as it is. */
    async startUnmatchedPaymentProcesses({ fileId, withdrawn }: { fileId: string; withdrawn: string[] }) {
      const temporal = deps.temporal;
      if (!temporal) throw ApplicationFailure.nonRetryable('no Temporal client wired for starting unmatched-payment processes');
      const context = Context.current();
      const taskQueue = context.info.taskQueue;
      let started = 0;
      let after: string | null = null;
      for (;;) {
        const page = await paymentsRepo.unmatchedEntriesOfFile(db, fileId, after, 200);
        if (page.length === 0) break;
        for (let i = 0; i < page.length; i += PROCESS_STARTS_AT_ONCE) {
          await Promise.all(
            page.slice(i, i + PROCESS_STARTS_AT_ONCE).map(async (entry) => {
              try {
                await temporal.workflow.start(unmatchedPayment, {
                  taskQueue,
                  workflowId: unmatchedPaymentWorkflowId(entry.archiveId),
                  args: [{ entryId: entry.id, archiveId: entry.archiveId }],
                  workflowIdReusePolicy: 'REJECT_DUPLICATE',
                });
                started++;
              } catch (error) {
                if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
              }
            }),
          );
          context.heartbeat();
        }
        after = page.at(-1)!.id;
      }
      for (const archiveId of withdrawn) {
        try {
          await temporal.workflow.getHandle(unmatchedPaymentWorkflowId(archiveId)).signal(withdrawSignal, { reason: 'reversed by the bank' });
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return { started };
    },

    async finishPaymentFile({ fileId }: { fileId: string }) {
      await paymentsRepo.setBankFileStatus(db, fileId, 'processed');
    },

    /** The billing user's task; none when the entry was settled before the process got here. */
    async openUnmatchedPaymentTask({ entryId, workflowId }: { entryId: string; workflowId: string }): Promise<{ taskId: string | null }> {
      return db.transaction(async (tx) => {
        const entry = await paymentsRepo.lockBankEntry(tx, entryId);
        if (!entry) throw ApplicationFailure.nonRetryable(`bank entry ${entryId} not found`);
        const [existing] = await tx.select().from(tasks).where(and(eq(tasks.workflowId, workflowId), eq(tasks.taskKey, 'allocate')));
        if (existing) return { taskId: existing.status === 'open' ? existing.id : null };
        if (entry.status !== 'unmatched') return { taskId: null };
        const reason = entry.amountCents < 0 ? (entry.reversal ? 'reversal-without-original' : 'debit') : entry.reference === null ? 'no-reference' : 'unknown-reference';
        const task = await tasksRepo.upsertTask(tx, {
          workflowId,
          taskKey: 'allocate',
          kind: 'unmatched-payment',
          queue: 'payments',
          requiredRole: 'billing',
          subjectType: 'bank-entry',
          subjectId: entryId,
          title: reason,
          priority: 3,
          dueAt: new Date(Date.now() + UNMATCHED_TASK_DUE_MS),
        });
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'task.opened', entityType: 'task', entityId: task.id, details: { bankEntryId: entryId, reason } });
        return { taskId: task.id };
      });
    },

    /**
     * A billing user's allocation: books the entry to the member (out of suspense) and settles the
     * chosen invoices, or the member's oldest open ones; any rest is the member's credit. One
     * transaction, so the task closes exactly when the money is booked.
     */
    async allocateUnmatchedPayment(input: { entryId: string; taskId: string; memberId: string; invoiceIds: string[] | null; note: string; by: string }): Promise<AllocationOutcome> {
      const day = today();
      return db.transaction(async (tx) => {
        const entry = await paymentsRepo.lockBankEntry(tx, input.entryId);
        if (!entry) throw ApplicationFailure.nonRetryable(`Bank entry ${input.entryId} was not found.`);
        if (entry.status !== 'unmatched') throw ApplicationFailure.nonRetryable(`This payment is no longer unmatched (status: ${entry.status}).`);
        if (!(await paymentsRepo.memberExists(tx, input.memberId))) throw ApplicationFailure.nonRetryable(`Member ${input.memberId} was not found.`);
        const { kind, ledgerCents } = bankMovement(entry.amountCents);
        let parts: { invoiceId: string; amountCents: number }[] = [];
        let restCents = 0;
        if (entry.amountCents < 0) {
          if (input.invoiceIds?.length) throw ApplicationFailure.nonRetryable('Money going out cannot be allocated to invoices; allocate it to the member only.');
        } else {
          let chosen: ledgerRepo.InvoiceRow[];
          if (input.invoiceIds?.length) {
            const locked = await tx.select().from(invoices).where(inArray(invoices.id, input.invoiceIds)).orderBy(asc(invoices.id)).for('update');
            const byId = new Map(locked.map((i) => [i.id, i]));
            const problems = input.invoiceIds.filter((id) => {
              const i = byId.get(id);
              return !i || i.memberId !== input.memberId || i.openCents <= 0 || (i.status !== 'open' && i.status !== 'partially-paid');
            });
            if (problems.length) throw ApplicationFailure.nonRetryable(`These are not open invoices of the member: ${problems.join(', ')}.`);
            chosen = input.invoiceIds.map((id) => byId.get(id)!);
          } else {
            chosen = await ledgerRepo.lockOpenInvoicesOfMember(tx, input.memberId);
          }
          const open: OpenInvoice[] = chosen.map((i) => ({ id: i.id, reference: i.reference, amountCents: i.amountCents, openCents: i.openCents, status: i.status }));
          ({ parts, restCents } = spreadPayment(entry.amountCents, open));
          await paymentsRepo.insertAllocations(
            tx,
            parts.map((p) => ({ bankEntryId: entry.id, invoiceId: p.invoiceId, amountCents: p.amountCents, kind: 'manual', allocatedBy: input.by })),
          );
          await paymentsRepo.setInvoicesOpen(tx, open.filter((i) => parts.some((p) => p.invoiceId === i.id)).map((i) => ({ id: i.id, openCents: i.openCents, status: i.status })));
        }
        const status = restCents === 0 ? 'allocated' : 'overpaid';
        await paymentsRepo.setEntriesOutcome(tx, [{ id: entry.id, memberId: input.memberId, status, unallocatedCents: restCents }]);
        // The member's row and the suspense clearing share the day of allocation, so the bank
        // account nets to zero in that day's journal and no day already exported changes.
        const memberKey = `${kind}/${entry.archiveId}`;
        const written = await ledgerRepo.insertLedgerRows(tx, [
          { memberId: input.memberId, occurredOn: day, kind, amountCents: ledgerCents, bankEntryId: entry.id, description: `Allocated by hand: ${input.note}`.slice(0, 500), sourceKey: memberKey, createdBy: input.by },
          { memberId: null, occurredOn: day, kind, amountCents: -ledgerCents, bankEntryId: entry.id, description: 'Identified: moved out of suspense', sourceKey: `suspense/${entry.archiveId}/cleared`, createdBy: input.by },
        ]);
        if (!written.has(memberKey)) throw ApplicationFailure.nonRetryable('This payment is already booked to a member.');
        await tasksRepo.closeTask(tx, input.taskId, 'allocated');
        await recordAudit(tx, {
          actor: input.by,
          actorKind: 'user',
          action: 'payment.allocated',
          entityType: 'bank-entry',
          entityId: entry.id,
          details: { memberId: input.memberId, invoiceIds: parts.map((p) => p.invoiceId), taskId: input.taskId },
        });
        return {
          entryId: entry.id,
          memberId: input.memberId,
          status,
          allocatedCents: parts.reduce((s, p) => s + p.amountCents, 0),
          unallocatedCents: restCents,
          allocations: parts,
        };
      });
    },

    /** Return to payer: the money stays in suspense, marked 'refund-needed', until the bank sends it back. */
    async returnUnmatchedPayment(input: { entryId: string; taskId: string; reason: string; by: string }) {
      await db.transaction(async (tx) => {
        const entry = await paymentsRepo.lockBankEntry(tx, input.entryId);
        if (!entry) throw ApplicationFailure.nonRetryable(`Bank entry ${input.entryId} was not found.`);
        if (entry.status !== 'unmatched') throw ApplicationFailure.nonRetryable(`This payment is no longer unmatched (status: ${entry.status}).`);
        await paymentsRepo.updateBankEntry(tx, entry.id, { status: 'refund-needed', unallocatedCents: entry.unallocatedCents });
        await tasksRepo.closeTask(tx, input.taskId, 'returned-to-payer');
        await recordAudit(tx, { actor: input.by, actorKind: 'user', action: 'payment.return-to-payer', entityType: 'bank-entry', entityId: entry.id, details: { taskId: input.taskId, reason: input.reason } });
      });
    },

    async closeUnmatchedPaymentTask({ taskId, outcome }: { taskId: string; outcome: string }) {
      await tasksRepo.closeTask(db, taskId, outcome);
    },
  };
}

export type PaymentActivities = ReturnType<typeof createPaymentActivities>;
