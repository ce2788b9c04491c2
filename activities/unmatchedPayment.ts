import { ApplicationFailure } from '@temporalio/common';
import { refusal } from '../workflows/definitions/refusal';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import type { FundProfile } from '../domain/fundProfile';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as ledgerRepo from '../db/repositories/ledger';
import * as paymentsRepo from '../db/repositories/payments';
import * as tasksRepo from '../db/repositories/tasks';
import { todayInHelsinki } from '../domain/dates';
import { bankMovement, entryStatusAfterSpread, invoiceStatusAfterPayment, isAllocatableInvoice, spreadPayment, unmatchedReason, type PaymentPart } from '../domain/payments';
import type { AllocationOutcome } from '../workflows/definitions/unmatchedPayment';

export interface UnmatchedPaymentDeps {
  db: Database;
  /** The live fund profile (read per call): its task-group mapping names the group of a new task. */
  readonly profile: Pick<FundProfile, 'taskGroups'>;
  today?: () => string;
}

/** How long a billing user has for an unmatched payment before the task shows as overdue. */
const UNMATCHED_TASK_DUE_MS = 14 * 24 * 60 * 60 * 1000;

/** An unmatched payment's process: the billing user's task and what they decide. */
export function createUnmatchedPaymentActivities(deps: UnmatchedPaymentDeps) {
  const { db } = deps;
  const today = deps.today ?? (() => todayInHelsinki());

  return {
    /** The billing user's task; none when the entry was settled before the process got here. */
    async openUnmatchedPaymentTask({ entryId, workflowId }: { entryId: string; workflowId: string }): Promise<{ taskId: string | null }> {
      return db.transaction(async (tx) => {
        const entry = await paymentsRepo.lockBankEntry(tx, entryId);
        if (!entry) throw ApplicationFailure.nonRetryable(`bank entry ${entryId} not found`);
        const existing = await paymentsRepo.allocationTaskOfProcess(tx, workflowId);
        if (existing) return { taskId: existing.status === 'open' ? existing.id : null };
        if (entry.status !== 'unmatched') return { taskId: null };
        const reason = unmatchedReason(entry);
        const task = await tasksRepo.upsertTask(tx, {
          workflowId,
          taskKey: 'allocate',
          ...taskKind('unmatched-payment'),
          queue: 'payments',
          subjectType: 'bank-entry',
          subjectId: entryId,
          title: reason,
          priority: 3,
          dueAt: new Date(Date.now() + UNMATCHED_TASK_DUE_MS),
        }, kindGroupOf(deps.profile, 'unmatched-payment'));
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
        if (!entry) throw refusal('bank_entry_not_found', `Bank entry ${input.entryId} was not found.`);
        if (entry.status !== 'unmatched') throw refusal('payment_not_unmatched', `This payment is no longer unmatched (status: ${entry.status}).`, { status: entry.status });
        if (!(await paymentsRepo.memberExists(tx, input.memberId))) throw refusal('member_not_found', `Member ${input.memberId} was not found.`);
        const { kind, ledgerCents } = bankMovement(entry.amountCents);
        let parts: PaymentPart[] = [];
        let restCents = 0;
        if (entry.amountCents < 0) {
          if (input.invoiceIds?.length) throw refusal('debit_not_to_invoices', 'Money going out cannot be allocated to invoices; allocate it to the member only.');
        } else {
          let chosen: ledgerRepo.InvoiceRow[];
          if (input.invoiceIds?.length) {
            const byId = new Map((await paymentsRepo.lockInvoicesByIds(tx, input.invoiceIds)).map((i) => [i.id, i]));
            const problems = input.invoiceIds.filter((id) => !isAllocatableInvoice(byId.get(id), input.memberId));
            if (problems.length) throw refusal('invoices_not_open', `These are not open invoices of the member: ${problems.join(', ')}.`, { invoices: problems.join(', ') });
            chosen = input.invoiceIds.map((id) => byId.get(id)!);
          } else {
            chosen = await ledgerRepo.lockOpenInvoicesOfMember(tx, input.memberId);
          }
          ({ parts, restCents } = spreadPayment(entry.amountCents, chosen));
          await paymentsRepo.insertAllocations(
            tx,
            parts.map((p) => ({ bankEntryId: entry.id, invoiceId: p.invoiceId, amountCents: p.amountCents, kind: 'manual', allocatedBy: input.by })),
          );
          await paymentsRepo.setInvoicesOpen(
            tx,
            parts.map((p) => {
              const openCents = chosen.find((i) => i.id === p.invoiceId)!.openCents - p.amountCents;
              return { id: p.invoiceId, openCents, status: invoiceStatusAfterPayment(openCents) };
            }),
          );
        }
        const status = entryStatusAfterSpread(restCents);
        await paymentsRepo.setEntriesOutcome(tx, [{ id: entry.id, memberId: input.memberId, status, unallocatedCents: restCents }]);
        // The member's row and the suspense clearing share the day of allocation, so the bank
        // account nets to zero in that day's journal and no day already exported changes.
        const memberKey = `${kind}/${entry.archiveId}`;
        const written = await ledgerRepo.insertLedgerRows(tx, [
          { memberId: input.memberId, occurredOn: day, kind, amountCents: ledgerCents, bankEntryId: entry.id, description: `Allocated by hand: ${input.note}`.slice(0, 500), descriptionCode: 'allocated_by_hand', descriptionParams: { note: input.note.slice(0, 480) }, sourceKey: memberKey, createdBy: input.by },
          { memberId: null, occurredOn: day, kind, amountCents: -ledgerCents, bankEntryId: entry.id, description: 'Identified: moved out of suspense', descriptionCode: 'suspense_cleared', sourceKey: `suspense/${entry.archiveId}/cleared`, createdBy: input.by },
        ]);
        if (!written.has(memberKey)) throw refusal('payment_already_booked', 'This payment is already booked to a member.');
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
        if (!entry) throw refusal('bank_entry_not_found', `Bank entry ${input.entryId} was not found.`);
        if (entry.status !== 'unmatched') throw refusal('payment_not_unmatched', `This payment is no longer unmatched (status: ${entry.status}).`, { status: entry.status });
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

export type UnmatchedPaymentActivities = ReturnType<typeof createUnmatchedPaymentActivities>;
