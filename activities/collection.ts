import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Database, DbOrTx } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import { recordMessages, type DeliveredMessage, type NewMessage } from '../db/repositories/billing';
import * as repo from '../db/repositories/collection';
import { recordEvents } from '../db/repositories/outbox';
import { insertLedgerRows } from '../db/repositories/ledger';
import { formatIban } from '../domain/billing/iban';
import { invoiceDelivery } from '../domain/billing/invoiceDelivery';
import { formatReferenceNumber } from '../domain/billing/referenceNumber';
import { virtualBarcodeV4 } from '../domain/billing/virtualBarcode';
import { collectionStep, reminderChannel, type SentReminder } from '../domain/collection/rules';
import type { FundProfile, Language } from '../domain/fundProfile';
import { renderMessage } from '../domain/messageTemplates';
import { formatDate } from '../domain/localized';
import { formatMoney } from '../domain/money';
import type { CollectionItemOutcome, MessageRecipient, ReminderChannel } from '../domain/vocabulary';
import { BankRejectedError, type BankAdapter } from '../integrations/adapters/bank';
import { MessageRejectedError, type MessageAttachment, type MessagingAdapter } from '../integrations/adapters/messaging';
import { TransformError } from '../integrations/transforms/errors';
import { buildFinvoiceBatch } from '../integrations/transforms/finvoice';
import { buildReminderDocument, invoiceLanguage, reminderPdfFilename } from '../integrations/transforms/invoiceDocument';
import { renderInvoicePdf } from '../integrations/transforms/invoicePdf';
import { collectionHearingWorkflowId, type CollectionHearingInput } from '../workflows/definitions/collectionHearing';
import type { TaskQueueNames } from '../workflows/definitions/taskQueues';
import { eInvoiceOf } from './billingRun';
import { outgoingOf, sentVia } from './messages';

export interface CollectionDeps {
  db: Database;
  profile: FundProfile;
  messaging: MessagingAdapter;
  bank: BankAdapter;
  /** Starts a member's hearing (its own process, `collectionHearing`). */
  temporal?: Client;
  taskQueues: TaskQueueNames;
}

/** Messages in flight to the messaging service at once within a chunk. */
const SEND_CONCURRENCY = 16;

const heartbeat = (details: unknown) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Called outside an activity (tests of the function itself): nothing to report to.
  }
};

/** The messaging service's and the bank's idempotency key of a reminder; a retry of a failed level gets its own. */
export function reminderKey(invoiceId: string, level: number, retryOn: string | null): string {
  return retryOn ? `reminder/${invoiceId}/${level}/retry-${retryOn}` : `reminder/${invoiceId}/${level}`;
}

interface Planned {
  item: repo.ChunkInvoice;
  level: number;
  newDueDate: string;
  feeCents: number;
  channel: ReminderChannel;
  key: string;
}

/** Overdue collection's daily step: stage what is due, then work it in chunks, each in one transaction. */
export function createCollectionActivities(deps: CollectionDeps) {
  const { db } = deps;

  // The profile is read per activity call (deps.profile is the live configuration, decision 021
  // point 8), once per chunk, and handed down: a saved setting applies from the next chunk on.
  function reminderMessage(p: Planned, current: FundProfile): NewMessage {
    const { item } = p;
    const lang: Language = invoiceLanguage(item.person);
    const kind = current.collection.levels[p.level - 1]!.template;
    const total = item.openCents + p.feeCents;
    const values = {
      firstName: item.person.firstNames.split(' ')[0] ?? item.person.firstNames,
      fundName: current.name[lang],
      invoiceNumber: String(item.invoiceNumber),
      period: `${formatDate(item.periodStart, lang)} – ${formatDate(item.periodEnd, lang)}`,
      originalDueDate: formatDate(item.dueDate, lang),
      openAmount: formatMoney(item.openCents, lang),
      fee: formatMoney(p.feeCents, lang),
      amount: formatMoney(total, lang),
      dueDate: formatDate(p.newDueDate, lang),
      reference: formatReferenceNumber(item.reference),
      iban: formatIban(item.iban),
      barcode: barcodeOf(p),
    };
    const name = `${item.person.firstNames} ${item.person.lastName}`;
    const person = item.person;
    const recipient: MessageRecipient =
      p.channel === 'email'
        ? { name, email: person.email! }
        : { name, ...(person.streetAddress ? { address: { street: person.streetAddress, postalCode: person.postalCode ?? '', city: person.city ?? '', ...(person.country ? { country: person.country } : {}) } } : {}) };
    return {
      messageKey: p.key,
      kind,
      memberId: item.memberId,
      language: lang,
      recipient,
      ...renderMessage(current, kind, lang, values),
    };
  }

  function barcodeOf(p: Planned): string {
    return virtualBarcodeV4({ iban: p.item.iban, amountCents: p.item.openCents + p.feeCents, reference: p.item.reference, dueDate: p.newDueDate });
  }

  /** The reminder as a printed letter: the invoice's PDF under a reminder heading, with the new total's barcode. */
  function letterOf(p: Planned, today: string, profile: FundProfile): MessageAttachment {
    const document = buildReminderDocument(
      { ...p.item, virtualBarcode: barcodeOf(p) },
      { level: p.level, sentOn: today, newDueDate: p.newDueDate, openCents: p.item.openCents, feeCents: p.feeCents, virtualBarcode: barcodeOf(p) },
      p.item.person,
      profile,
    );
    return { filename: reminderPdfFilename(p.item, p.level, invoiceLanguage(p.item.person)), contentType: 'application/pdf', bytes: renderInvoicePdf(document) };
  }

  /** Sends the planned reminders that go through the messaging service; returns each one's outcome. */
  async function sendMessages(planned: Planned[], today: string, profile: FundProfile): Promise<Map<Planned, { ok: true; externalId: string; channel: string } | { ok: false; code: string; message: string }>> {
    const results = new Map<Planned, { ok: true; externalId: string; channel: string } | { ok: false; code: string; message: string }>();
    let next = 0;
    let failure: unknown = null;
    const lane = async () => {
      while (failure === null && next < planned.length) {
        const p = planned[next++]!;
        let attachments: MessageAttachment[] | undefined;
        try {
          attachments = p.channel === 'letter' ? [letterOf(p, today, profile)] : undefined;
        } catch (error) {
          // Building the letter is deterministic: a retry would fail the same way, so it is recorded.
          results.set(p, { ok: false, code: 'letter-unprintable', message: (error as Error).message });
          continue;
        }
        try {
          const receipt = await deps.messaging.send(outgoingOf(reminderMessage(p, profile), attachments));
          results.set(p, { ok: true, externalId: receipt.externalId, channel: receipt.channel });
        } catch (error) {
          if (error instanceof MessageRejectedError) results.set(p, { ok: false, code: 'messaging-refused', message: error.message });
          else failure = error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, planned.length) }, lane));
    if (failure !== null) throw failure;
    return results;
  }

  /** The chunk's e-invoice reminders as one Finvoice file to the bank, keyed by run and chunk. */
  async function sendEInvoices(planned: Planned[], today: string, runDate: string, chunk: number, profile: FundProfile): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    if (planned.length === 0) return { ok: true };
    const createdAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    let xml: string;
    try {
      xml = buildFinvoiceBatch(
        planned.map((p) => {
          const lang = invoiceLanguage(p.item.person);
          const base = eInvoiceOf(
            profile,
            { id: p.item.invoiceId, invoiceNumber: p.item.invoiceNumber, issuedOn: today, dueDate: p.newDueDate, reference: p.item.reference, lines: [] },
            { ...p.item.person, memberId: p.item.memberId, memberNumber: p.item.memberNumber },
            createdAt,
          );
          const rows = [{ description: `${lang === 'fi' ? 'Maksumuistutus' : lang === 'sv' ? 'Betalningspåminnelse' : 'Payment reminder'} ${p.item.invoiceNumber}`, amountCents: p.item.openCents }];
          if (p.feeCents > 0) rows.push({ description: lang === 'fi' ? 'Muistutusmaksu' : lang === 'sv' ? 'Påminnelseavgift' : 'Reminder fee', amountCents: p.feeCents });
          return { ...base, messageId: `rem-${p.item.invoiceId}-${p.level}`, invoiceNumber: `${p.item.invoiceNumber}-M${p.level}`, rows };
        }),
      );
    } catch (error) {
      if (error instanceof TransformError) return { ok: false, code: 'e-invoice-unbuildable', message: error.message };
      throw error;
    }
    try {
      await deps.bank.sendEInvoiceBatch(xml, {
        batchKey: `collection-run/${runDate}/chunk-${chunk}/finvoice`,
        runId: `collection-run/${runDate}`,
        invoiceCount: planned.length,
        totalCents: planned.reduce((s, p) => s + p.item.openCents + p.feeCents, 0),
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof BankRejectedError) return { ok: false, code: 'bank-refused', message: error.message };
      throw error;
    }
  }

  /** Starts the member's hearing; one per member, "already started" is success. */
  async function startHearing(input: CollectionHearingInput): Promise<string> {
    const workflowId = collectionHearingWorkflowId(input.memberId);
    if (!deps.temporal) throw new Error('collection needs a Temporal client to start hearings');
    try {
      await deps.temporal.workflow.start('collectionHearing', { workflowId, taskQueue: deps.taskQueues.register, args: [input] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return workflowId;
  }

  /**
   * One chunk in one transaction: lock its invoices, decide each again from what is stored now
   * (a payment booked since the selection means no reminder; one being booked waits for the
   * lock), claim the reminder levels (unique per invoice and level), send them with the claim's
   * key, and record each outcome. A crash anywhere rolls the claims back and the retry sends
   * under the same keys, which the messaging service and the bank deliver once.
   */
  async function workChunk(tx: DbOrTx, runDate: string, chunk: number) {
    const profile = deps.profile;
    const rules = profile.collection;
    const items = await repo.lockChunk(tx, runDate, chunk);
    const ids = items.map((i) => i.invoiceId);
    const [sent, hearingStarted, onHold, failedBefore] = await Promise.all([
      repo.remindersOf(tx, ids),
      repo.hearingStartedFor(tx, ids),
      repo.membersOnHold(tx, [...new Set(items.map((i) => i.memberId))], runDate),
      repo.failedLevels(tx, ids),
    ]);
    const sentBy = new Map<string, SentReminder[]>();
    for (const r of sent) {
      if (r.status !== 'sent') continue;
      const list = sentBy.get(r.invoiceId) ?? [];
      list.push({ level: r.level, sentOn: r.sentOn, newDueDate: r.newDueDate });
      sentBy.set(r.invoiceId, list);
    }
    const outcomes: { invoiceId: string; outcome: CollectionItemOutcome; reason: string | null }[] = [];
    const planned: Planned[] = [];
    const hearings = new Map<string, repo.ChunkInvoice[]>();
    for (const item of items) {
      const step = collectionStep(
        rules,
        { dueDate: item.dueDate, openCents: item.status === 'open' || item.status === 'partially-paid' ? item.openCents : 0, reminders: sentBy.get(item.invoiceId) ?? [], onHold: onHold.has(item.memberId), hearingStarted: hearingStarted.has(item.invoiceId) },
        runDate,
      );
      if (step.kind === 'none') {
        const outcome: CollectionItemOutcome = step.reason === 'paid' ? 'paid' : step.reason === 'on-hold' ? 'on-hold' : step.reason === 'hearing-started' ? 'hearing' : 'not-due';
        outcomes.push({ invoiceId: item.invoiceId, outcome, reason: null });
      } else if (step.kind === 'hearing') {
        const list = hearings.get(item.memberId) ?? [];
        list.push(item);
        hearings.set(item.memberId, list);
      } else {
        const config = rules.levels[step.level - 1]!;
        const delivery = invoiceDelivery(item.person);
        if ('exception' in delivery) {
          outcomes.push({ invoiceId: item.invoiceId, outcome: 'failed', reason: 'no-delivery-channel' });
          continue;
        }
        const retry = failedBefore.has(`${item.invoiceId}/${step.level}`);
        planned.push({
          item,
          level: step.level,
          newDueDate: step.newDueDate,
          feeCents: config.feeCents,
          channel: reminderChannel(config, delivery.channel),
          key: reminderKey(item.invoiceId, step.level, retry ? runDate : null),
        });
      }
    }

    // Claim: what another run sent already is not ours to send.
    const claimed = await repo.claimReminders(
      tx,
      planned.map((p) => ({ invoiceId: p.item.invoiceId, memberId: p.item.memberId, level: p.level, runDate, sentOn: runDate, newDueDate: p.newDueDate, openCents: p.item.openCents, feeCents: p.feeCents, channel: p.channel, messageKey: p.key })),
    );
    const mine = planned.filter((p) => claimed.has(`${p.item.invoiceId}/${p.level}`));
    for (const p of planned) if (!mine.includes(p)) outcomes.push({ invoiceId: p.item.invoiceId, outcome: 'already-sent', reason: null });
    heartbeat({ chunk, step: 'send', reminders: mine.length });

    const byMessage = mine.filter((p) => p.channel !== 'e-invoice');
    const byBank = mine.filter((p) => p.channel === 'e-invoice');
    const [messageResults, bankResult] = await Promise.all([sendMessages(byMessage, runDate, profile), sendEInvoices(byBank, runDate, runDate, chunk, profile)]);
    const failedClaims: { invoiceId: string; level: number; status: 'failed'; reason: string }[] = [];
    const recorded: DeliveredMessage[] = [];
    for (const p of byMessage) {
      const r = messageResults.get(p)!;
      const message = reminderMessage(p, profile);
      if (r.ok) {
        recorded.push({ ...sentVia(message, r.channel), status: 'sent', externalId: r.externalId, channel: r.channel });
        outcomes.push({ invoiceId: p.item.invoiceId, outcome: 'sent', reason: null });
      } else {
        recorded.push({ ...message, status: 'failed', externalId: null, channel: null, failureReason: r.message });
        failedClaims.push({ invoiceId: p.item.invoiceId, level: p.level, status: 'failed', reason: r.message });
        outcomes.push({ invoiceId: p.item.invoiceId, outcome: 'failed', reason: r.code });
      }
    }
    for (const p of byBank) {
      if (bankResult.ok) outcomes.push({ invoiceId: p.item.invoiceId, outcome: 'sent', reason: null });
      else {
        failedClaims.push({ invoiceId: p.item.invoiceId, level: p.level, status: 'failed', reason: bankResult.message });
        outcomes.push({ invoiceId: p.item.invoiceId, outcome: 'failed', reason: bankResult.code });
      }
    }
    await recordMessages(tx, recorded);
    await repo.markReminders(tx, failedClaims);
    // The fee, only when the fund charges one, and only for a reminder that went out.
    const sentNow = mine.filter((p) => !failedClaims.some((f) => f.invoiceId === p.item.invoiceId && f.level === p.level));
    // Events out, in the chunk's transaction: the reminder levels that went (docs/decisions/018-outbox.md).
    await recordEvents(
      tx,
      sentNow.map((p) => ({ type: 'collection.reminder_sent' as const, memberId: p.item.memberId, payload: { invoiceId: p.item.invoiceId, level: p.level, sentOn: runDate, newDueDate: p.newDueDate } })),
    );
    const fees = sentNow.filter((p) => p.feeCents > 0);
    await insertLedgerRows(
      tx,
      fees.map((p) => ({ memberId: p.item.memberId, occurredOn: runDate, kind: 'reminder-fee', amountCents: p.feeCents, invoiceId: p.item.invoiceId, description: `reminder ${p.level}`, sourceKey: `reminder-fee/${p.item.invoiceId}/${p.level}`, createdBy: 'collection' })),
    );

    // Hearings: recorded here, started after the commit (startPendingHearings), so no invoice lock
    // waits for Temporal; a crash in between leaves the rows for the next start.
    const hearingRows = [...hearings].flatMap(([memberId, list]) =>
      list.map((i) => ({ invoiceId: i.invoiceId, memberId, workflowId: collectionHearingWorkflowId(memberId), startedOn: runDate, overdueCents: i.openCents })),
    );
    await repo.recordHearingStarts(tx, hearingRows);
    for (const row of hearingRows) outcomes.push({ invoiceId: row.invoiceId, outcome: 'hearing', reason: null });
    await repo.setItemOutcomes(tx, runDate, outcomes);
    return { items: items.length, sent: sentNow.length, failed: failedClaims.length, hearingMembers: [...hearings.keys()] };
  }

  /** Starts the hearings recorded but not started yet (of these members, or all), one per member. */
  async function startPendingHearings(memberIds: string[] | null): Promise<number> {
    const pending = await repo.pendingHearings(db, memberIds);
    let next = 0;
    let started = 0;
    const lane = async () => {
      while (next < pending.length) {
        const h = pending[next++]!;
        await startHearing({ memberId: h.memberId, invoiceIds: h.invoiceIds, overdueCents: h.overdueCents, startedOn: h.startedOn });
        await db.transaction(async (tx) => {
          await repo.markHearingStarted(tx, h.invoiceIds);
          await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'collection.hearing-started', entityType: 'member', entityId: h.memberId, details: { workflowId: h.workflowId, invoices: h.invoiceIds.length } });
        });
        started += 1;
        if (started % 50 === 0) heartbeat({ step: 'hearings', started, of: pending.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, pending.length) }, lane));
    return started;
  }

  return {
    async openCollectionRun({ runDate, workflowId }: { runDate: string; workflowId: string }) {
      await repo.openRun(db, runDate, workflowId);
    },

    /** Selects what is due in SQL and stages it in chunks; returns the chunks with work left. */
    async stageCollection({ runDate, chunkSize }: { runDate: string; chunkSize: number }) {
      // Hearings an earlier run recorded but could not start (a crash after its commit).
      await startPendingHearings(null);
      const staged = await repo.stageDue(db, deps.profile.collection, runDate, chunkSize);
      await repo.refreshProgress(db, runDate);
      return { chunks: staged.chunks, staged: staged.staged, total: staged.total };
    },

    async collectionChunk({ runDate, chunk }: { runDate: string; chunk: number }) {
      heartbeat({ chunk, step: 'lock' });
      const result = await db.transaction((tx) => workChunk(tx, runDate, chunk));
      heartbeat({ chunk, step: 'hearings', hearings: result.hearingMembers.length });
      const hearings = await startPendingHearings(result.hearingMembers);
      // Outside the chunk's transaction, so chunks do not wait for each other on the run's row.
      await repo.refreshProgress(db, runDate);
      return { items: result.items, sent: result.sent, failed: result.failed, hearings };
    },

    async finishCollectionRun({ runDate }: { runDate: string }) {
      const outcome = await repo.runOutcome(db, runDate);
      await repo.finishRun(db, runDate, 'done', outcome);
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'collection.run-finished', entityType: 'collection-run', entityId: runDate, details: { ...outcome } });
      return outcome;
    },

    async failCollectionRun({ runDate, message }: { runDate: string; message: string }) {
      await repo.finishRun(db, runDate, 'failed', await repo.runOutcome(db, runDate));
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'collection.run-failed', entityType: 'collection-run', entityId: runDate, details: { message: message.slice(0, 500) } });
    },
  };
}

export type CollectionActivities = ReturnType<typeof createCollectionActivities>;
