import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Database, DbOrTx } from '../db/client';
import * as hearingsRepo from '../db/repositories/hearings';
import * as ledgerRepo from '../db/repositories/ledger';
import * as paymentsRepo from '../db/repositories/payments';
import {
  awaitsOriginal,
  bankMovement,
  entryStatusAfterSpread,
  invoiceStatusAfterPayment,
  invoiceStatusAfterReversal,
  memberShares,
  referenceKeys,
  resolveReference,
  reversibleAllocations,
  spreadOverReferences,
  type MemberPart,
  type ReferenceLookup,
  type ResolvedReference,
} from '../domain/payments';
import { readBankFile, type BankFileEntry } from '../integrations/transforms/bankFile';
import { collectionHearingWorkflowId, paymentBookedSignal } from '../workflows/definitions/collectionHearing';
import type { TaskQueueNames } from '../workflows/definitions/taskQueues';
import { unmatchedPaymentQueue, unmatchedPaymentWorkflowId, unmatchedPaymentWorkflowType, withdrawSignal } from '../workflows/definitions/unmatchedPayment';
import type { unmatchedPayment } from '../workflows/unmatchedPayment';

export interface PaymentFileDeps {
  db: Database;
  /** For starting the unmatched-payment processes of a file. */
  temporal?: Client;
  taskQueues: TaskQueueNames;
}

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

/** Another import booked one of the chunk's entries first: roll back and book the chunk again. */
class ChunkRaceLost extends Error {}

/**
 * Books one chunk in the caller's transaction and returns how many entries it booked (the rest
 * were already booked, by this or another file). Only new entries are matched: by the references
 * the payer quoted, in their order, then the payer's oldest open invoices (spreadOverReferences).
 * Every step is one statement for the whole chunk (existing archive ids, members and their open
 * invoices, entries, allocations, invoices, ledger rows). Reversals are only stored here;
 * bookReversals settles them once every chunk is in, since their original may be in any chunk.
 */
export async function bookChunk(tx: DbOrTx, fileId: string, chunk: BankFileEntry[]): Promise<number> {
  const unique = new Map<string, BankFileEntry>();
  for (const e of chunk) if (!unique.has(e.archiveId)) unique.set(e.archiveId, e);
  const already = await paymentsRepo.bookedArchiveIds(tx, [...unique.keys()]);
  const fresh: (paymentsRepo.BookedEntry & BankFileEntry)[] = [...unique.values()]
    .filter((e) => !already.has(e.archiveId))
    .map((e) => ({ ...e, id: randomUUID(), memberId: null, status: 'unmatched', unallocatedCents: e.amountCents }));

  const credits = fresh.filter((e) => e.amountCents > 0 && !e.reversal && e.references.length > 0);
  const keys = referenceKeys(credits.flatMap((e) => e.references));
  const candidates = await paymentsRepo.loadMatchCandidates(tx, keys.memberNumbers, keys.nationals);
  const memberByNumber = new Map(candidates.members.map((m) => [m.memberNumber, m.id]));
  const lookup: ReferenceLookup = { memberOfInvoiceReference: (n) => candidates.byReference.get(n), memberOfNumber: (n) => memberByNumber.get(n) };
  // The chunk's view of each member's open invoices (oldest first), updated as payments settle them.
  const openByMember = new Map<string, paymentsRepo.CandidateInvoice[]>();
  const invoiceById = new Map<string, paymentsRepo.CandidateInvoice>();
  for (const candidate of candidates.openInvoices) {
    const invoice = { ...candidate };
    invoiceById.set(invoice.id, invoice);
    const list = openByMember.get(invoice.memberId) ?? [];
    list.push(invoice);
    openByMember.set(invoice.memberId, list);
  }

  const allocationRows: paymentsRepo.AllocationInsert[] = [];
  const ledgerRows: ledgerRepo.NewLedgerRow[] = [];
  const touched = new Set<paymentsRepo.CandidateInvoice>();
  for (const e of credits) {
    const references = e.references.map((r) => resolveReference(r, lookup)).filter((r): r is ResolvedReference => r !== null);
    const spread = spreadOverReferences(e.amountCents, references, (memberId) => openByMember.get(memberId) ?? []);
    if (!spread) continue;
    for (const part of spread.parts) {
      allocationRows.push({ bankEntryId: e.id, invoiceId: part.invoiceId, amountCents: part.amountCents, kind: 'automatic', allocatedBy: 'system' });
      const invoice = invoiceById.get(part.invoiceId)!;
      invoice.openCents -= part.amountCents;
      invoice.status = invoiceStatusAfterPayment(invoice.openCents);
      touched.add(invoice);
    }
    e.memberId = spread.memberId;
    e.status = entryStatusAfterSpread(spread.restCents);
    e.unallocatedCents = spread.restCents;
    // The payer's row carries the whole payment but what settled other members' invoices: theirs.
    memberShares(spread.memberId, e.amountCents, spread.parts).forEach((share, i) =>
      ledgerRows.push({
        memberId: share.memberId,
        occurredOn: e.bookingDate,
        kind: 'payment',
        amountCents: -share.amountCents,
        bankEntryId: e.id,
        description: `Reference payment ${e.references.join(', ')}`,
        descriptionCode: 'reference_payment',
        descriptionParams: { references: e.references.join(', ') },
        sourceKey: i === 0 ? `payment/${e.archiveId}` : `payment/${e.archiveId}/${share.memberId}`,
        createdBy: 'system',
      }),
    );
  }
  // Everything else not matched, except reversals, goes to the suspense account (a ledger row
  // without a member) until a person places it.
  for (const e of fresh) {
    if (e.memberId === null && !awaitsOriginal(e) && e.amountCents !== 0) ledgerRows.push(suspenseRow(e));
  }

  if ((await paymentsRepo.insertEntriesOnce(tx, fileId, fresh)) !== fresh.length) throw new ChunkRaceLost();
  await paymentsRepo.insertAllocations(tx, allocationRows);
  await paymentsRepo.setInvoicesOpen(tx, [...touched].map((i) => ({ id: i.id, openCents: i.openCents, status: i.status })));
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
    descriptionCode: 'suspense',
    sourceKey: `suspense/${e.archiveId}`,
    createdBy: 'system',
  };
}

/**
 * A reversal (camt RvslInd, KTL correction) undoes the earlier entry with the same reference and
 * the opposite amount: its allocations are reversed (negative allocation rows, so the history
 * stays), the invoices reopen, and 'reversal' ledger rows book the money back (to each member
 * whose invoices it had settled). If the original was never identified, the reversal offsets it
 * in suspense and its task is withdrawn. Without an original the reversal itself is unmatched,
 * in suspense.
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
  const reopened: MemberPart[] = [];
  if (memberId !== null) {
    for (const { invoiceId, amountCents: cents } of reversibleAllocations(await paymentsRepo.allocationsOfEntry(tx, original.id))) {
      const invoice = await ledgerRepo.lockInvoice(tx, invoiceId);
      if (!invoice) continue;
      await paymentsRepo.insertAllocations(tx, [{ bankEntryId: e.id, invoiceId, amountCents: -cents, kind: 'automatic', allocatedBy: 'system' }]);
      // What the payment settled is owed again, whatever happened to the invoice since.
      const status = invoiceStatusAfterReversal(await paymentsRepo.allocatedToInvoice(tx, invoiceId));
      await ledgerRepo.updateInvoiceOpen(tx, invoiceId, invoice.openCents + cents, status);
      reopened.push({ invoiceId, amountCents: cents, memberId: invoice.memberId });
    }
  }
  const shares = memberId === null ? [{ memberId: null, amountCents: ledgerCents }] : memberShares(memberId, ledgerCents, reopened);
  await ledgerRepo.insertLedgerRows(
    tx,
    shares.map((share, i) => ({
      memberId: share.memberId,
      occurredOn: e.bookingDate,
      kind,
      amountCents: share.amountCents,
      bankEntryId: e.id,
      description,
      descriptionCode: 'reversal',
      descriptionParams: { archiveId: original.archiveId },
      sourceKey: i === 0 ? `reversal/${e.archiveId}` : `reversal/${e.archiveId}/${share.memberId}`,
      createdBy: 'system',
    })),
  );
  await paymentsRepo.setEntriesOutcome(tx, [
    { id: original.id, memberId, status: 'reversed', unallocatedCents: 0 },
    { id: e.id, memberId, status: 'reversed', unallocatedCents: 0 },
  ]);
  if (memberId !== null) return { kind: 'reversed' };
  await paymentsRepo.withdrawTaskOfEntry(tx, original.id);
  return { kind: 'withdrawn', archiveId: original.archiveId };
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  // Lost the race for an entry, or PostgreSQL broke a deadlock / serialization conflict.
  return error instanceof ChunkRaceLost || code === '40P01' || code === '40001';
}

/** Tells a member's running hearing that a payment was booked for them; none running is no error. */
export async function signalHearingOfPayment(temporal: Client, memberId: string, source: string): Promise<void> {
  try {
    await temporal.workflow.getHandle(collectionHearingWorkflowId(memberId)).signal(paymentBookedSignal, { source });
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/** Books one chunk in a transaction of its own, again when it lost a race or a deadlock (up to 5 times). */
async function bookChunkWithRetry(db: Database, fileId: string, chunk: BankFileEntry[]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => bookChunk(tx, fileId, chunk));
    } catch (error) {
      if (!isRetryable(error) || attempt >= 5) throw error;
    }
  }
}

/** A file of at most this many entries is booked by its upload, before its process starts (decision 043). */
export const BOOK_AT_UPLOAD_MAX_ENTRIES = BOOKING_CHUNK;

/**
 * Books a just-stored file's entries in the upload's request, one transaction, so a payment stops
 * the member's collection as soon as the upload answers (the invoice's open amount is what every
 * collection step reads under lock). The same booking as the process's first chunk: the process
 * then finds every archive id booked and books nothing twice; it still settles reversals, tells
 * hearings and starts the unmatched entries' processes. A bigger file is left to the process.
 */
export async function bookAtUpload(db: Database, fileId: string, entries: BankFileEntry[]): Promise<number> {
  if (entries.length === 0 || entries.length > BOOK_AT_UPLOAD_MAX_ENTRIES) return 0;
  return bookChunkWithRetry(db, fileId, entries);
}

/** A payment file's process: booking, matching and allocation, then the unmatched entries' processes. */
export function createPaymentFileActivities(deps: PaymentFileDeps) {
  const { db } = deps;

  return {
    /**
     * Books a stored file chunk by chunk, one transaction per chunk, heartbeating the first chunk
     * not yet done so a retried attempt resumes there (chunks after it that were done are skipped
     * by their archive ids), then settles the file's reversals. Returns what the entries came to.
     * The file is parsed from its stored content, so any worker can book it.
     */
    async bookPaymentFile({ fileId }: { fileId: string }) {
      const file = await paymentsRepo.findBankFile(db, fileId);
      if (!file) throw ApplicationFailure.nonRetryable(`bank file ${fileId} not found`);
      const read = readBankFile(file.format, file.content);
      const { entries } = read;
      const context = Context.current();
      const resume = context.info.heartbeatDetails as { nextChunk: number } | undefined;
      const chunks = Math.ceil(entries.length / BOOKING_CHUNK);
      let next = resume?.nextChunk ?? 0;
      let firstOpen = next;
      const done = new Set<number>();
      const work = async () => {
        for (let index = next++; index < chunks; index = next++) {
          await bookChunkWithRetry(db, fileId, entries.slice(index * BOOKING_CHUNK, (index + 1) * BOOKING_CHUNK));
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
      const taskQueue = deps.taskQueues[unmatchedPaymentQueue];
      let started = 0;
      let after: string | null = null;
      for (;;) {
        const page = await paymentsRepo.unmatchedEntriesOfFile(db, fileId, after, 200);
        if (page.length === 0) break;
        for (let i = 0; i < page.length; i += PROCESS_STARTS_AT_ONCE) {
          await Promise.all(
            page.slice(i, i + PROCESS_STARTS_AT_ONCE).map(async (entry) => {
              try {
                await temporal.workflow.start<typeof unmatchedPayment>(unmatchedPaymentWorkflowType, {
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

    /**
     * Tells the hearing process of every member the file paid for whose hearing is still running
     * (`collection-hearing/<memberId>`); the process re-checks the open amount itself, so a partial
     * payment changes nothing. A process that has ended meanwhile is no error.
     */
    async notifyHearingsOfPayments({ fileId }: { fileId: string }) {
      const temporal = deps.temporal;
      if (!temporal) throw ApplicationFailure.nonRetryable('no Temporal client wired for telling hearings of payments');
      const memberIds = await hearingsRepo.membersInHearingPaidInFile(db, fileId);
      await Promise.all(memberIds.map((memberId) => signalHearingOfPayment(temporal, memberId, `payment-file/${fileId}`)));
      return { notified: memberIds.length };
    },

    async finishPaymentFile({ fileId }: { fileId: string }) {
      await paymentsRepo.setBankFileStatus(db, fileId, 'processed');
    },
  };
}

export type PaymentFileActivities = ReturnType<typeof createPaymentFileActivities>;
