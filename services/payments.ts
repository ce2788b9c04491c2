import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { recordAudit } from '../db/repositories/audit';
import * as paymentsRepo from '../db/repositories/payments';
import { isAllocatableInvoice, type BankFileFormat } from '../domain/payments';
import { sanitizeFileName } from '../domain/text';
import { readBankFile, type ReadBankFile } from '../integrations/transforms/bankFile';
import { TransformError } from '../integrations/transforms/errors';
import { decideUpdate } from '../workflows/definitions/humanDecision';
import {
  paymentFileQueue,
  paymentFileWorkflowId,
  paymentFileWorkflowType,
  type FetchedPaymentFile,
  type PaymentFileReceipt,
} from '../workflows/definitions/paymentFile';
import { allocateUpdate, unmatchedPaymentWorkflowId } from '../workflows/definitions/unmatchedPayment';
import type { paymentFile } from '../workflows/paymentFile';
import { START_WAIT_MS, startWithin } from './backgroundStarts';
import type { ServiceContext } from './context';
import { notifyHearingOfPayment } from './hearings';
import { failure, notFound, ServiceError } from './errors';
import { actorOf, hasRole, hasScope, type Principal } from './principal';
import { asConflictOnRefusal } from './temporalErrors';

/** The upload limit lives with the other facts about bank files, in the domain. */
export { MAX_PAYMENT_FILE_BYTES, MAX_PAYMENT_FILE_MIB } from '../domain/billing/paymentFiles';

function requireFileSender(p: Principal) {
  if (p.kind === 'client') {
    if (!hasScope(p, 'payments:write')) throw failure(403, 'payments_scope_missing', 'This client may not send payment files (scope payments:write is missing).');
    return;
  }
  if (!hasRole(p, 'billing', 'admin')) throw failure(403, 'payment_import_role_required', 'Only billing users and administrators may import payment files.');
}

type User = Extract<Principal, { kind: 'user' }>;

function requireBillingUser(p: Principal): User {
  if (p.kind !== 'user' || !hasRole(p, 'billing')) throw failure(403, 'unmatched_payment_role_required', 'Unmatched payments are handled by billing users.');
  return p;
}

export interface PaymentFileView {
  id: string;
  sha256: string;
  format: BankFileFormat;
  filename: string;
  status: string;
  entryCount: number | null;
  totalCents: number | null;
  receivedBy: string;
  workflowId: string;
  createdAt: string;
}

function fileView(row: paymentsRepo.BankFileMeta): PaymentFileView {
  return {
    id: row.id,
    sha256: row.sha256,
    format: row.format,
    filename: row.filename,
    status: row.status,
    entryCount: row.entryCount,
    totalCents: row.totalCents,
    receivedBy: row.receivedBy,
    workflowId: row.workflowId,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface ImportPaymentFileInput {
  bytes: Uint8Array;
  format: BankFileFormat;
  /** The charset the sender declared; KTL defaults to Latin-1 (the banks' code page), camt.054 to UTF-8. */
  charset?: string;
  filename?: string;
}

function decode(input: ImportPaymentFileInput): string {
  const declared = input.charset?.toLowerCase();
  const encoding = declared === 'utf-8' || declared === 'utf8' ? 'utf-8' : declared === 'iso-8859-1' || declared === 'latin1' ? 'latin1' : input.format === 'ktl' ? 'latin1' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(input.bytes);
  } catch {
    throw failure(400, 'payment_file_bad_encoding', `The file is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'Latin-1'} text.`, { params: { encoding: encoding === 'utf-8' ? 'UTF-8' : 'Latin-1' }, title: 'Invalid payment file' });
  }
}

/**
 * Receives a bank file: parses it first (a malformed file is refused naming the line and element,
 * and nothing is stored), stores it once per SHA-256 of its bytes, and starts its booking process
 * `payment-file/<sha256>` (within `ctx.startWaitMs`; after that in the background). The same bytes
 * again answer with the stored file; nothing is booked twice.
 */
export async function importPaymentFile(ctx: ServiceContext, p: Principal, input: ImportPaymentFileInput): Promise<{ created: boolean; file: PaymentFileView }> {
  requireFileSender(p);
  if (input.bytes.byteLength === 0) throw failure(400, 'payment_file_empty', 'The request body is empty; send the file as the body.', { title: 'Invalid payment file' });
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const content = decode(input);
  let read: ReadBankFile;
  try {
    read = readBankFile(input.format, content);
  } catch (error) {
    if (error instanceof TransformError) {
      throw failure(400, 'payment_file_malformed', error.message, { extra: { format: error.format, line: error.line, element: error.element }, title: 'Invalid payment file' });
    }
    throw error;
  }
  const actor = actorOf(p);
  // A name from outside (?filename=, the bank's listing) is stored only as a safe, plain file name.
  const filename = sanitizeFileName(input.filename ?? '') || `${input.format}-${sha256.slice(0, 12)}.${input.format === 'camt054' ? 'xml' : 'txt'}`;
  const { row, created } = await ctx.db.transaction(async (tx) => {
    const result = await paymentsRepo.insertBankFileOnce(tx, {
      format: input.format,
      sha256,
      filename,
      content,
      receivedBy: actor.actor,
      entryCount: read.entries.length,
      totalCents: read.totalCents,
      workflowId: paymentFileWorkflowId(sha256),
    });
    if (result.created) {
      await recordAudit(tx, { ...actor, action: 'payment-file.received', entityType: 'bank-file', entityId: result.row.id, details: { format: input.format, entries: read.entries.length, skipped: read.skipped } });
    }
    return result;
  });
  // A small file is booked here, before its process starts: the payment stops the member's
  // collection when the upload answers, not after two trips through Temporal (decision 043). Only
  // a speed-up: whatever this does not book (a bigger file, a failure), the process books, and
  // what this booked the process finds booked (the archive id is the key).
  if (ctx.bookAtUpload && row.status !== 'processed') {
    try {
      await ctx.bookAtUpload(row.id, read.entries);
    } catch (error) {
      // The id and the error's code only: a database message may quote a payer's data.
      console.warn(`payment file ${row.id}: not booked at upload, its process books it (${(error as { code?: string }).code ?? (error as Error).name})`);
    }
  }
  // Every time, also for a repeat: heals a crash between storing the file and starting its process.
  // The stored file is the acceptance: when Temporal is away or slow the upload still answers at
  // once, and the booking starts in the background or at reconcile (decision 028).
  await startWithin(ctx.temporal, ctx.backgroundStarts, paymentFileWorkflowId(sha256), ctx.startWaitMs ?? START_WAIT_MS, () => ensurePaymentFileStarted(ctx, row.id, sha256), 'payments');
  return { created, file: fileView(row) };
}

export async function ensurePaymentFileStarted(ctx: ServiceContext, fileId: string, sha256: string): Promise<void> {
  try {
    await ctx.temporal.workflow.start<typeof paymentFile>(paymentFileWorkflowType, {
      taskQueue: ctx.taskQueues[paymentFileQueue],
      workflowId: paymentFileWorkflowId(sha256),
      args: [{ fileId }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** A file's processing status and what its entries came to (entries another file had brought are not counted). */
export async function getPaymentFile(ctx: ServiceContext, p: Principal, id: string) {
  requireFileSender(p);
  const row = await paymentsRepo.findBankFileMeta(ctx.db, id);
  if (!row) throw notFound(`Payment file ${id}`, 'payment_file_not_found');
  const byStatus = await paymentsRepo.entryCountsOfFile(ctx.db, id);
  return { ...fileView(row), entries: byStatus };
}

/** One bank entry with its allocations and task, for the billing user placing it. */
export async function getBankEntry(ctx: ServiceContext, p: Principal, entryId: string) {
  if (!hasRole(p, 'billing', 'admin')) throw failure(403, 'bank_entry_role_required', 'Only billing users and administrators may read bank entries.');
  const entry = await paymentsRepo.findBankEntry(ctx.db, entryId);
  if (!entry) throw notFound(`Bank entry ${entryId}`, 'bank_entry_not_found');
  const [allocs, task] = await Promise.all([paymentsRepo.allocationsOfEntry(ctx.db, entryId), paymentsRepo.openTaskOfEntry(ctx.db, entryId)]);
  await recordAudit(ctx.db, { ...actorOf(p), action: 'bank-entry.read', entityType: 'bank-entry', entityId: entryId });
  return {
    id: entry.id,
    archiveId: entry.archiveId,
    fileId: entry.fileId,
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate,
    amountCents: entry.amountCents,
    reversal: entry.reversal,
    reference: entry.reference,
    unstructured: entry.unstructured,
    debtorName: entry.debtorName,
    memberId: entry.memberId,
    status: entry.status as paymentsRepo.EntryStatus,
    unallocatedCents: entry.unallocatedCents,
    allocations: allocs.map((a) => ({ invoiceId: a.invoiceId, amountCents: a.amountCents, kind: a.kind, allocatedBy: a.allocatedBy, createdAt: a.createdAt.toISOString() })),
    task: task ? { id: task.id, status: task.status, claimedBy: task.claimedByName ?? task.claimedBy } : null,
  };
}

/** The entry's open task, checked the way decisions on other tasks are: current, and not someone else's claim. */
async function currentTask(ctx: ServiceContext, user: User, entryId: string, taskId: string | undefined) {
  const entry = await paymentsRepo.findBankEntry(ctx.db, entryId);
  if (!entry) throw notFound(`Bank entry ${entryId}`, 'bank_entry_not_found');
  if (entry.status !== 'unmatched') throw failure(409, 'payment_not_unmatched', `This payment is no longer unmatched (status: ${entry.status}).`, { params: { status: entry.status } });
  const task = await paymentsRepo.openTaskOfEntry(ctx.db, entryId);
  if (!task) throw failure(409, 'payment_task_not_ready', 'This payment has no open task yet; try again in a moment.');
  if (taskId !== undefined && taskId !== task.id) throw failure(409, 'task_not_current', 'This task is no longer current for the payment; reload the work queue.');
  if (task.claimedBy && task.claimedBy !== user.id) throw failure(409, 'task_claimed_by_other', `This task is claimed by ${task.claimedByName ?? 'another user'}; claim it before acting.`, { params: { claimedBy: task.claimedByName ?? '–' } });
  return { entry, task, handle: ctx.temporal.workflow.getHandle(unmatchedPaymentWorkflowId(entry.archiveId)) };
}

export interface AllocationInput {
  taskId?: string;
  memberId: string;
  invoiceIds?: string[];
  note: string;
}

/** A billing user places an unmatched payment: sent to its process as the `allocate` Update (stale or repeated → 409). */
export async function allocatePayment(ctx: ServiceContext, p: Principal, entryId: string, input: AllocationInput) {
  const user = requireBillingUser(p);
  const { entry, task, handle } = await currentTask(ctx, user, entryId, input.taskId);
  if (!(await paymentsRepo.memberExists(ctx.db, input.memberId))) {
    throw failure(422, 'member_not_found', `Member ${input.memberId} was not found.`, { extra: { invalidParams: [{ name: 'memberId', reason: 'no such member' }] } });
  }
  if (input.invoiceIds?.length) {
    if (entry.amountCents < 0) {
      throw failure(422, 'debit_not_to_invoices', 'Money going out cannot be allocated to invoices; allocate it to the member only.', { extra: { invalidParams: [{ name: 'invoiceIds', reason: 'not allowed for a debit' }] } });
    }
    const rows = await paymentsRepo.invoicesByIds(ctx.db, input.invoiceIds);
    const bad = input.invoiceIds.filter((id) => !isAllocatableInvoice(rows.find((r) => r.id === id), input.memberId));
    if (bad.length) {
      throw failure(422, 'invoices_not_open', `These are not open invoices of the member: ${bad.join(', ')}.`, { params: { invoices: bad.join(', ') }, extra: { invalidParams: [{ name: 'invoiceIds', reason: `not open invoices of the member: ${bad.join(', ')}` }] } });
    }
  }
  const result = await asConflictOnRefusal(
    () =>
      handle.executeUpdate(allocateUpdate, {
        args: [{ taskId: input.taskId ?? task.id, memberId: input.memberId, ...(input.invoiceIds?.length ? { invoiceIds: input.invoiceIds } : {}), note: input.note, allocatedBy: { id: user.id, name: user.name } }],
      }),
    'The allocation',
  );
  // A payment placed by hand may settle a member's overdue fees: their hearing re-checks.
  await notifyHearingOfPayment(ctx, input.memberId, `allocation/${entryId}`);
  return { taskId: task.id, ...result };
}

/** Return to payer (the task's "reject"): the entry becomes 'refund-needed'; the bank transfer back is made outside the member ledger. */
export async function returnPaymentToPayer(ctx: ServiceContext, p: Principal, entryId: string, input: { taskId?: string; reason: string }) {
  const user = requireBillingUser(p);
  const { task, handle } = await currentTask(ctx, user, entryId, input.taskId);
  await asConflictOnRefusal(
    () => handle.executeUpdate(decideUpdate, { args: [{ taskId: input.taskId ?? task.id, decision: 'reject', reason: input.reason, decidedBy: { id: user.id, name: user.name } }] }),
    'Returning the payment',
  );
  return { taskId: task.id, entryId, status: 'refund-needed' as const };
}

/** The bank connection as an integration client: audited as such, allowed to send payment files. */
const bankAdapterPrincipal = { kind: 'client', id: 'bank-adapter', channel: 'bank', scopes: ['payments:write'] } satisfies Principal;

/**
 * A file the bank-file fetch brought: imported like an upload, as the bank adapter. A file the
 * register cannot read is refused with an audit record naming where, not thrown, so the fetch
 * confirms it at the bank and does not fetch it forever.
 */
export async function receiveFetchedPaymentFile(ctx: ServiceContext, file: FetchedPaymentFile): Promise<PaymentFileReceipt> {
  try {
    const { created } = await importPaymentFile(ctx, bankAdapterPrincipal, { bytes: file.bytes, format: file.format, filename: file.filename });
    return { outcome: created ? 'imported' : 'repeated' };
  } catch (error) {
    if (!(error instanceof ServiceError) || error.status !== 400) throw error;
    await recordAudit(ctx.db, {
      actor: bankAdapterPrincipal.id,
      actorKind: 'client',
      action: 'bank-file.refused',
      entityType: 'bank-file',
      entityId: file.reference,
      details: { name: file.filename, format: file.format, reason: error.detail.slice(0, 500), ...error.extra },
    });
    return { outcome: 'refused', reason: error.detail };
  }
}
