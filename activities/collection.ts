import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Database, DbOrTx } from '../db/client';
import { recordAudit, recordAudits } from '../db/repositories/audit';
import { recordMessages, type DeliveredMessage, type NewMessage } from '../db/repositories/billing';
import * as repo from '../db/repositories/collection';
import { recordEvents } from '../db/repositories/outbox';
import { insertLedgerRows } from '../db/repositories/ledger';
import { formatIban } from '../domain/billing/iban';
import { invoiceDelivery } from '../domain/billing/invoiceDelivery';
import { formatReferenceNumber } from '../domain/billing/referenceNumber';
import { virtualBarcodeV4 } from '../domain/billing/virtualBarcode';
import { collectionStep, reminderChannel, type ReminderTemplate, type SentReminder } from '../domain/collection/rules';
import type { FundProfile, Language } from '../domain/fundProfile';
import { renderMessage } from '../domain/messageTemplates';
import { formatDate } from '../domain/localized';
import { formatMoney } from '../domain/money';
import { levelTakingStatuses, type CollectionItemOutcome, type IssuedLetter, type MessageRecipient, type ReminderChannel } from '../domain/vocabulary';
import { templateOf } from '../domain/messageTemplates';
import { BankRejectedError, type BankAdapter } from '../integrations/adapters/bank';
import { MessageRejectedError, type MessageAttachment, type MessagingAdapter } from '../integrations/adapters/messaging';
import { TransformError } from '../integrations/transforms/errors';
import { buildFinvoiceBatch } from '../integrations/transforms/finvoice';
import { buildReminderDocument, invoiceLanguage, reminderPdfFilename } from '../integrations/transforms/invoiceDocument';
import { renderInvoicePdf } from '../integrations/transforms/invoicePdf';
import { collectionHearingWorkflowId, type CollectionHearingInput } from '../workflows/definitions/collectionHearing';
import { collectionDeliveryWorkflowId, collectionHearingStartsWorkflowId, type CollectionDeliveryInput, type CollectionHearingStartsInput } from '../workflows/definitions/collectionRun';
import type { TaskQueueNames } from '../workflows/definitions/taskQueues';
import { eInvoiceOf } from './billingRun';
import { outgoingOf, sentVia } from './messages';
import { inLanes } from './lanes';
import { heartbeat } from './alive';

export interface CollectionDeps {
  db: Database;
  profile: FundProfile;
  messaging: MessagingAdapter;
  bank: BankAdapter;
  /** Starts a member's hearing (its own process, `collectionHearing`). */
  temporal?: Client;
  taskQueues: TaskQueueNames;
}

/**
 * Issued reminders sent per delivery transaction (decision 052). A payment landing on one of a
 * batch's invoices waits for the batch's commit: at 500 that was ≈ 1 s under load and pushed
 * payment → stopped past its p95 goal; 100 keeps the wait to a fifth of that.
 */
const DELIVERY_BATCH = 100;
/**
 * Delivery transactions at once (decision 056). One: the next batch is read and rendered while
 * the current one is in its transaction. Two lanes were faster under heavy load, but in the full
 * bench at load 8–11 a payment then waited longer for a batch's commit (p95 1.3 s, goal 1 s).
 */
const DELIVERY_LANES = 1;
/** Letters rendered ahead between yields to the event loop: a delivery transaction waiting on the database resumes within ~this many renders. */
const RENDER_SLICE = 8;
/** Messages in flight to the messaging service at once within a chunk. */
const SEND_CONCURRENCY = 16;
/** Hearing processes started at once by the day's hearing starts, apart from the chunks (decision 043). */
const HEARING_START_CONCURRENCY = 32;
/** Hearings marked started (and audited) per transaction. */
const HEARING_MARK_BATCH = 200;

/** Where a chunk's time went, in milliseconds (returned with its result; the bench sums them). */
export interface ChunkTimings {
  /** Reading the chunk before any lock, and deciding it. */
  read: number;
  /** Rendering ahead what it would send, before any lock. */
  renderAhead: number;
  /** Locking the chunk's invoices and reading what decides each again. */
  lock: number;
  /** Claiming the levels. */
  claim: number;
  /** Under the lock: rendering again what changed since it was rendered ahead. */
  render: number;
  /** Handing them to the messaging service and the bank. */
  send: number;
  /** Recording messages, outcomes, events, fees and hearing rows. */
  record: number;
  /** The commit (the invoice locks are held until it ends). */
  commit: number;
  /** Starting the chunk's hearings, after the commit. */
  hearings: number;
  /** Reminders rendered again under the lock (a count, not milliseconds). */
  rerendered: number;
}

/** Where a delivery's time went, summed over its batches, in milliseconds (the bench reads them). */
export interface DeliveryTimings {
  read: number;
  renderAhead: number;
  lock: number;
  render: number;
  send: number;
  record: number;
  commit: number;
  /** Reminders rendered again under the lock: the invoice was partly paid since the issue (a count). */
  rerendered: number;
}

const noDeliveryTime = (): DeliveryTimings => ({ read: 0, renderAhead: 0, lock: 0, render: 0, send: 0, record: 0, commit: 0, rerendered: 0 });

function addTimings(into: DeliveryTimings, from: DeliveryTimings): void {
  for (const k of Object.keys(into) as (keyof DeliveryTimings)[]) into[k] += from[k];
}

function stopwatch() {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    return ms;
  };
}

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
  /** An issued reminder's template and the day it was issued on (decision 052); else the level's template and the run's day. */
  template?: ReminderTemplate;
  sentOn?: string;
  /** What an issued reminder's letter is made of, as the delivery recorded it when it went (decision 061). */
  letter?: IssuedLetter;
}

/**
 * A reminder ready to send: its message, and a letter's PDF, or why the letter cannot be printed;
 * or why no message could be made of it at all (a barcode the amount or reference does not fit).
 */
type Rendered = { message: NewMessage; attachments?: MessageAttachment[] } | { message: NewMessage; unprintable: string } | { unrenderable: string };
type SendResult = { ok: true; externalId: string; channel: string } | { ok: false; code: string; message: string };

/** Everything a reminder's message and letter are made of: the same fingerprint renders the same bytes. */
function fingerprint(p: Planned): string {
  return JSON.stringify([p.item, p.level, p.newDueDate, p.feeCents, p.channel, p.key]);
}

/** What decides a chunk's invoices: the invoices (locked or not) and their reminders, hearings and holds. */
interface ChunkState {
  items: repo.ChunkInvoice[];
  sentBy: Map<string, SentReminder[]>;
  hearingStarted: Set<string>;
  onHold: Set<string>;
  failedBefore: Set<string>;
}

type ItemOutcome = { invoiceId: string; outcome: CollectionItemOutcome; reason: string | null };

/** Reads what decides the chunk's invoices; with `lock`, in the caller's transaction with the invoices locked FOR UPDATE. */
async function readChunk(db: DbOrTx, runDate: string, chunk: number, lock: boolean): Promise<ChunkState> {
  const items = await repo.chunkInvoices(db, runDate, chunk, { lock });
  const ids = items.map((i) => i.invoiceId);
  const [sent, hearingStarted, onHold, failedBefore] = await Promise.all([
    repo.remindersOf(db, ids),
    repo.hearingStartedFor(db, ids),
    repo.membersOnHold(db, [...new Set(items.map((i) => i.memberId))], runDate),
    repo.failedLevels(db, ids),
  ]);
  const sentBy = new Map<string, SentReminder[]>();
  for (const r of sent) {
    if (!levelTakingStatuses.includes(r.status)) continue;
    const list = sentBy.get(r.invoiceId) ?? [];
    list.push({ level: r.level, sentOn: r.sentOn, newDueDate: r.newDueDate });
    sentBy.set(r.invoiceId, list);
  }
  return { items, sentBy, hearingStarted, onHold, failedBefore };
}

/** Decides each of the chunk's invoices (collectionStep): the outcomes known now, the reminders to send, the hearings to start. */
function planChunk(state: ChunkState, runDate: string, profile: FundProfile) {
  const rules = profile.collection;
  const outcomes: ItemOutcome[] = [];
  const planned: Planned[] = [];
  const hearings = new Map<string, repo.ChunkInvoice[]>();
  for (const item of state.items) {
    const step = collectionStep(
      rules,
      {
        dueDate: item.dueDate,
        openCents: item.status === 'open' || item.status === 'partially-paid' ? item.openCents : 0,
        reminders: state.sentBy.get(item.invoiceId) ?? [],
        onHold: state.onHold.has(item.memberId),
        hearingStarted: state.hearingStarted.has(item.invoiceId),
      },
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
      const retry = state.failedBefore.has(`${item.invoiceId}/${step.level}`);
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
  return { outcomes, planned, hearings };
}

/** Starts the member's hearing; one per member, "already started" is success. */
async function startHearing(deps: Pick<CollectionDeps, 'temporal' | 'taskQueues'>, input: CollectionHearingInput): Promise<string> {
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
 * Starts the hearings recorded but not started yet (of these members, or all), one per member,
 * and marks them started (with their audit rows) a batch at a time, in one transaction per batch:
 * a crash between a start and its mark leaves the row for the next start, which finds the
 * process already started. A hearing a migration loaded from the old register starts `migrated`
 * (its letter went from there; decision 047), whoever starts it. Also the migration's own start
 * of the hearings it loaded (activities/migration.ts).
 */
export async function startRecordedHearings(deps: Pick<CollectionDeps, 'db' | 'temporal' | 'taskQueues'>, memberIds: string[] | null, concurrency = SEND_CONCURRENCY): Promise<number> {
  const { db } = deps;
  const pending = await repo.pendingHearings(db, memberIds);
  let started: typeof pending = [];
  let marked = 0;
  const mark = async () => {
    const batch = started;
    started = [];
    if (batch.length === 0) return;
    await db.transaction(async (tx) => {
      await repo.markHearingStarted(tx, batch.flatMap((h) => h.invoiceIds));
      await recordAudits(
        tx,
        batch.map((h) => ({ actor: 'system', actorKind: 'system', action: 'collection.hearing-started', entityType: 'member', entityId: h.memberId, details: { workflowId: h.workflowId, invoices: h.invoiceIds.length, ...(h.migrated ? { migrated: true } : {}) } })),
      );
    });
    marked += batch.length;
    heartbeat({ step: 'hearings', started: marked, of: pending.length });
  };
  await inLanes(pending, concurrency, async (h) => {
    await startHearing(deps, { memberId: h.memberId, invoiceIds: h.invoiceIds, overdueCents: h.overdueCents, startedOn: h.startedOn, ...(h.migrated ? { migrated: true } : {}) });
    started.push(h);
    if (started.length >= HEARING_MARK_BATCH) await mark();
  });
  await mark();
  return marked;
}

/** What the issue statement needs of the profile (exported for the bench's explain): per level its days, fee and channel per preference. */
export function issuePlan(profile: FundProfile): repo.IssuePlan {
  const preferred: ReminderChannel[] = ['e-invoice', 'email', 'letter'];
  const levels = profile.collection.levels.map((l, i) => ({
    level: i + 1,
    newDueDays: l.newDueDays,
    feeCents: l.feeCents,
    byPreferred: Object.fromEntries(preferred.map((c) => [c, reminderChannel(l, c)])) as Record<ReminderChannel, ReminderChannel>,
  }));
  return { levels, hearingWorkflowPrefix: collectionHearingWorkflowId('') };
}

/** What a reminder's letter is made of: the recipient, the template and its version in force (as the delivery records it, decision 061). */
function letterFor(recipient: repo.ReminderRecipient, template: ReminderTemplate, profile: FundProfile): IssuedLetter {
  const language = invoiceLanguage(recipient);
  return { ...recipient, language, template, templateVersion: templateOf(profile, template, language).version };
}

/** Overdue collection's daily step: stage what is due, then work it in chunks, each in one transaction. */
export function createCollectionActivities(deps: CollectionDeps) {
  const { db } = deps;

  function reminderMessage(p: Planned, current: FundProfile): NewMessage {
    const { item } = p;
    const lang: Language = invoiceLanguage(item.person);
    const kind = p.template ?? current.collection.levels[p.level - 1]!.template;
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
      { level: p.level, sentOn: p.sentOn ?? today, newDueDate: p.newDueDate, openCents: p.item.openCents, feeCents: p.feeCents, virtualBarcode: barcodeOf(p) },
      p.item.person,
      profile,
    );
    return { filename: reminderPdfFilename(p.item, p.level, invoiceLanguage(p.item.person)), contentType: 'application/pdf', bytes: renderInvoicePdf(document) };
  }

  /** A reminder's message and, for a letter, its PDF (or why the letter cannot be printed): ready to send. */
  function renderReminder(p: Planned, today: string, profile: FundProfile): Rendered {
    let message: NewMessage;
    try {
      message = reminderMessage(p, profile);
    } catch (error) {
      // Deterministic too: this one reminder fails with its reason, the rest of the batch goes on
      // (a throw here failed the whole delivery on every retry, and every reminder after it waited).
      return { unrenderable: (error as Error).message };
    }
    if (p.channel !== 'letter') return { message };
    try {
      return { message, attachments: [letterOf(p, today, profile)] };
    } catch (error) {
      // Building the letter is deterministic: a retry would fail the same way, so it is recorded.
      return { message, unprintable: (error as Error).message };
    }
  }

  /**
   * Renders the reminders the chunk is expected to send, before its invoices are locked (the
   * CPU-heavy part: ~0.5 ms a PDF letter), by fingerprint. Yields to the event loop now and then,
   * so the worker's other activities (a payment file's booking among them) are not held up.
   */
  async function renderAhead(planned: Planned[], today: string, profile: FundProfile): Promise<Map<string, Rendered>> {
    const ready = new Map<string, Rendered>();
    for (const [i, p] of planned.entries()) {
      if (p.channel === 'e-invoice') continue;
      ready.set(fingerprint(p), renderReminder(p, today, profile));
      if (i % RENDER_SLICE === RENDER_SLICE - 1) await new Promise((r) => setImmediate(r));
    }
    return ready;
  }

  /**
   * The delivery's e-invoice reminders, each a Finvoice file of its own keyed by the reminder's
   * message key: a retry sends the same file whatever else the batch holds then (a payment may
   * withdraw another of its reminders, or the next day's delivery may drain it), so the bank
   * takes each reminder once.
   */
  async function sendEachEInvoice(planned: Planned[], today: string, profile: FundProfile) {
    const results = new Map<Planned, { ok: true } | { ok: false; code: string; message: string }>();
    await inLanes(planned, SEND_CONCURRENCY, async (p) => {
      results.set(p, await sendEInvoices([p], today, today, `collection-delivery/${p.key}/finvoice`, profile));
    });
    return results;
  }

  /** Sends the rendered reminders that go through the messaging service; returns each one's outcome. */
  async function sendMessages(planned: { p: Planned; r: Rendered }[]): Promise<Map<Planned, SendResult>> {
    const results = new Map<Planned, SendResult>();
    await inLanes(planned, SEND_CONCURRENCY, async ({ p, r }) => {
      if ('unrenderable' in r) {
        results.set(p, { ok: false, code: 'message-unrenderable', message: r.unrenderable });
        return;
      }
      if ('unprintable' in r) {
        results.set(p, { ok: false, code: 'letter-unprintable', message: r.unprintable });
        return;
      }
      try {
        const receipt = await deps.messaging.send(outgoingOf(r.message, r.attachments));
        results.set(p, { ok: true, externalId: receipt.externalId, channel: receipt.channel });
      } catch (error) {
        if (!(error instanceof MessageRejectedError)) throw error;
        results.set(p, { ok: false, code: 'messaging-refused', message: error.message });
      }
    });
    return results;
  }

  /** The chunk's e-invoice reminders as one Finvoice file to the bank, keyed by run and chunk. */
  async function sendEInvoices(planned: Planned[], today: string, runDate: string, batchKey: string, profile: FundProfile): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    if (planned.length === 0) return { ok: true };
    const createdAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    let xml: string;
    try {
      xml = buildFinvoiceBatch(
        planned.map((p) => {
          const lang = invoiceLanguage(p.item.person);
          const base = eInvoiceOf(
            profile,
            { id: p.item.invoiceId, invoiceNumber: p.item.invoiceNumber, issuedOn: p.sentOn ?? today, dueDate: p.newDueDate, reference: p.item.reference, lines: [] },
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
        batchKey,
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

  /**
   * One chunk in one transaction: lock its invoices, decide each again from what is stored now
   * (a payment booked since the selection, or since the letters were rendered ahead, means no
   * reminder; one being booked waits for the lock), claim the reminder levels (unique per invoice
   * and level), send them with the claim's key, and record each outcome. A reminder is sent as
   * rendered ahead only if everything it is made of is unchanged under the lock (its fingerprint);
   * otherwise it is rendered again here. A crash anywhere rolls the claims back and the retry sends
   * under the same keys, which the messaging service and the bank deliver once.
   */
  async function workChunk(tx: DbOrTx, runDate: string, chunk: number, profile: FundProfile, ready: Map<string, Rendered>, ms: ChunkTimings) {
    const lap = stopwatch();
    const state = await readChunk(tx, runDate, chunk, true);
    const { outcomes, planned, hearings } = planChunk(state, runDate, profile);
    ms.lock += lap();

    // Claim: what another run sent already is not ours to send.
    const claimed = await repo.claimReminders(
      tx,
      planned.map((p) => ({ invoiceId: p.item.invoiceId, memberId: p.item.memberId, level: p.level, runDate, sentOn: runDate, newDueDate: p.newDueDate, openCents: p.item.openCents, feeCents: p.feeCents, channel: p.channel, messageKey: p.key })),
    );
    const mine = planned.filter((p) => claimed.has(`${p.item.invoiceId}/${p.level}`));
    for (const p of planned) if (!claimed.has(`${p.item.invoiceId}/${p.level}`)) outcomes.push({ invoiceId: p.item.invoiceId, outcome: 'already-sent', reason: null });
    heartbeat({ chunk, step: 'send', reminders: mine.length });
    ms.claim += lap();

    // What changed since it was rendered ahead (a partial payment, an address) is rendered again.
    const byMessage = mine
      .filter((p) => p.channel !== 'e-invoice')
      .map((p) => {
        const r = ready.get(fingerprint(p));
        if (!r) ms.rerendered += 1;
        return { p, r: r ?? renderReminder(p, runDate, profile) };
      });
    const byBank = mine.filter((p) => p.channel === 'e-invoice');
    ms.render += lap();
    const [messageResults, bankResult] = await Promise.all([sendMessages(byMessage), sendEInvoices(byBank, runDate, runDate, `collection-run/${runDate}/chunk-${chunk}/finvoice`, profile)]);
    ms.send += lap();
    const failedClaims: { invoiceId: string; level: number; status: 'failed'; reason: string }[] = [];
    const recorded: DeliveredMessage[] = [];
    for (const { p, r: rendered } of byMessage) {
      const r = messageResults.get(p)!;
      const message = 'message' in rendered ? rendered.message : null;
      if (r.ok && message) {
        recorded.push({ ...sentVia(message, r.channel), status: 'sent', externalId: r.externalId, channel: r.channel });
        outcomes.push({ invoiceId: p.item.invoiceId, outcome: 'sent', reason: null });
      } else if (!r.ok) {
        if (message) recorded.push({ ...message, status: 'failed', externalId: null, channel: null, failureReason: r.message });
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
    const failedKeys = new Set(failedClaims.map((f) => `${f.invoiceId}/${f.level}`));
    const sentNow = mine.filter((p) => !failedKeys.has(`${p.item.invoiceId}/${p.level}`));
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
    ms.record += lap();
    return { items: state.items.length, sent: sentNow.length, failed: failedClaims.length, hearingMembers: [...hearings.keys()] };
  }

  /**
   * An issued reminder as the renderer and the senders take it: the invoice's fixed fields and its
   * letter — as issued by decision 052's step, or (decision 061) the recipient as the person's row
   * says at this read and the level's template in force, which is what the delivery records with it.
   */
  function plannedOf(r: repo.IssuedReminder, profile: FundProfile): Planned {
    // A level the fund's configuration no longer has (levels removed since the issue) takes the last level's template.
    const levels = profile.collection.levels;
    const l: IssuedLetter = r.letter ?? letterFor(r.recipient, (levels[r.level - 1] ?? levels.at(-1)!).template, profile);
    return {
      item: {
        invoiceId: r.invoiceId,
        memberId: r.memberId,
        memberNumber: r.memberNumber,
        stagedLevel: r.level,
        invoiceNumber: r.invoiceNumber,
        status: 'open',
        dueDate: r.dueDate,
        openCents: r.openCents,
        amountCents: r.amountCents,
        periodStart: r.periodStart,
        periodEnd: r.periodEnd,
        issuedOn: r.issuedOn,
        lines: r.lines,
        reference: r.reference,
        rfReference: r.rfReference,
        iban: r.iban,
        person: {
          firstNames: l.firstNames,
          lastName: l.lastName,
          language: l.language,
          email: l.email,
          streetAddress: l.streetAddress,
          postalCode: l.postalCode,
          city: l.city,
          country: l.country,
          dateOfDeath: null,
          deliveryChannel: r.channel,
          eInvoiceAddress: l.eInvoiceAddress,
          eInvoiceOperator: l.eInvoiceOperator,
          eInvoiceConsent: r.channel === 'e-invoice',
        },
      },
      level: r.level,
      newDueDate: r.newDueDate,
      feeCents: r.feeCents,
      channel: r.channel,
      key: r.messageKey,
      template: l.template as ReminderTemplate,
      sentOn: r.sentOn,
      letter: l,
    };
  }

  /**
   * Sends a batch of issued reminders in one transaction (decision 052): locks their invoices in id
   * order and reads each again. A reminder another delivery settled meanwhile is left alone; one
   * whose invoice is paid (below the fund's minimum) or whose member is on hold now is withdrawn
   * and nothing goes out; one partly paid since it was issued is rendered again for what is open
   * now; the rest go as rendered ahead, under their keys. Messages, the reminders' and the run
   * items' outcomes, the events and the fees are recorded before the commit; a payment being
   * booked waits for it, so nothing is sent after a payment was booked. A crash rolls it all back,
   * and the retry sends under the same keys, which the messaging service delivers once.
   */
  async function deliverBatch(tx: DbOrTx, batch: Planned[], issued: repo.IssuedReminder[], today: string, profile: FundProfile, ready: Map<string, Rendered>, ms: DeliveryTimings) {
    const lap = stopwatch();
    const now = await repo.lockForDelivery(tx, batch.map((p) => ({ invoiceId: p.item.invoiceId, level: p.level })), today);
    ms.lock += lap();
    const minimum = Math.max(1, profile.collection.minimumOpenCents);
    const settled: Parameters<typeof repo.settleReminders>[1] = [];
    const items: Parameters<typeof repo.settleItems>[1] = [];
    const go: Planned[] = [];
    batch.forEach((p, i) => {
      const s = now.get(`${p.item.invoiceId}/${p.level}`);
      if (!s || s.status !== 'issued') return;
      const runDate = issued[i]!.runDate;
      const open = s.invoiceStatus === 'open' || s.invoiceStatus === 'partially-paid' ? s.openCents : 0;
      const withdrawn = open < minimum ? 'paid' : s.onHold ? 'on-hold' : null;
      if (withdrawn) {
        settled.push({ invoiceId: p.item.invoiceId, level: p.level, status: 'withdrawn', reason: withdrawn, openCents: p.item.openCents, letter: null });
        items.push({ runDate, invoiceId: p.item.invoiceId, memberId: p.item.memberId, level: p.level, outcome: 'withdrawn', reason: withdrawn });
        return;
      }
      go.push(open === p.item.openCents ? p : { ...p, item: { ...p.item, openCents: open } });
    });
    const runOf = new Map(issued.map((r) => [`${r.invoiceId}/${r.level}`, r.runDate]));
    const byMessage = go
      .filter((p) => p.channel !== 'e-invoice')
      .map((p) => {
        const r = ready.get(fingerprint(p));
        if (!r) ms.rerendered += 1;
        return { p, r: r ?? renderReminder(p, p.sentOn ?? today, profile) };
      });
    const byBank = go.filter((p) => p.channel === 'e-invoice');
    ms.render += lap();
    const [messageResults, bankResults] = await Promise.all([sendMessages(byMessage), sendEachEInvoice(byBank, today, profile)]);
    ms.send += lap();
    const recorded: DeliveredMessage[] = [];
    const sentNow: Planned[] = [];
    const outcome = (p: Planned, r: { ok: true } | { ok: false; code: string; message: string }) => {
      const runDate = runOf.get(`${p.item.invoiceId}/${p.level}`)!;
      if (r.ok) {
        sentNow.push(p);
        settled.push({ invoiceId: p.item.invoiceId, level: p.level, status: 'sent', reason: null, openCents: p.item.openCents, letter: p.letter ?? null });
        items.push({ runDate, invoiceId: p.item.invoiceId, memberId: p.item.memberId, level: p.level, outcome: 'sent', reason: null });
      } else {
        settled.push({ invoiceId: p.item.invoiceId, level: p.level, status: 'failed', reason: r.message, openCents: p.item.openCents, letter: p.letter ?? null });
        items.push({ runDate, invoiceId: p.item.invoiceId, memberId: p.item.memberId, level: p.level, outcome: 'failed', reason: r.code });
      }
    };
    for (const { p, r: rendered } of byMessage) {
      const r = messageResults.get(p)!;
      if ('message' in rendered) {
        if (r.ok) recorded.push({ ...sentVia(rendered.message, r.channel), status: 'sent', externalId: r.externalId, channel: r.channel });
        else recorded.push({ ...rendered.message, status: 'failed', externalId: null, channel: null, failureReason: r.message });
      }
      outcome(p, r);
    }
    for (const p of byBank) outcome(p, bankResults.get(p)!);
    // Each a statement for the whole batch, sent at once on the transaction's connection
    // (pipelined): independent rows, so their order does not matter (decision 056).
    await Promise.all([
      recordMessages(tx, recorded),
      repo.settleReminders(tx, settled),
      repo.settleItems(tx, items),
      recordEvents(
        tx,
        sentNow.map((p) => ({ type: 'collection.reminder_sent' as const, memberId: p.item.memberId, payload: { invoiceId: p.item.invoiceId, level: p.level, sentOn: p.sentOn ?? today, newDueDate: p.newDueDate } })),
      ),
      // The fee, only when the fund charges one, and only for a reminder that went out.
      insertLedgerRows(
        tx,
        sentNow
          .filter((p) => p.feeCents > 0)
          .map((p) => ({ memberId: p.item.memberId, occurredOn: p.sentOn ?? today, kind: 'reminder-fee', amountCents: p.feeCents, invoiceId: p.item.invoiceId, description: `reminder ${p.level}`, sourceKey: `reminder-fee/${p.item.invoiceId}/${p.level}`, createdBy: 'collection' })),
      ),
    ]);
    ms.record += lap();
    const count = (status: string) => settled.filter((x) => x.status === status).length;
    return { sent: count('sent'), withdrawn: count('withdrawn'), failed: count('failed'), runDates: new Set(items.map((i) => i.runDate)) };
  }

  const startPendingHearings = (memberIds: string[] | null, concurrency = SEND_CONCURRENCY) => startRecordedHearings(deps, memberIds, concurrency);

  /** Stores the day's outcome (the desk's run table) and audits it. */
  async function finishRun(runDate: string) {
    const outcome = await repo.runOutcome(db, runDate);
    await repo.finishRun(db, runDate, 'done', outcome);
    await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'collection.run-finished', entityType: 'collection-run', entityId: runDate, details: { ...outcome } });
    return outcome;
  }

  /** Starts a process the day's run hands work to; one already running under its id is left to it. */
  async function startProcess(type: 'collectionHearingStarts' | 'collectionDelivery', workflowId: string, taskQueue: string, input: CollectionHearingStartsInput | CollectionDeliveryInput, reuse: 'ALLOW_DUPLICATE' | 'REJECT_DUPLICATE') {
    if (!deps.temporal) throw new Error('collection needs a Temporal client to start its processes');
    try {
      await deps.temporal.workflow.start(type, { workflowId, taskQueue, args: [input], workflowIdReusePolicy: reuse });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
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

    /**
     * `startHearings: false` (the run since decision 043): the chunk records its hearings and
     * leaves starting them to `collection-hearing-starts/<date>` after the chunks.
     */
    async collectionChunk({ runDate, chunk, startHearings = true }: { runDate: string; chunk: number; startHearings?: boolean }) {
      // The profile is read per activity call (deps.profile is the live configuration, decision 021
      // point 8), once per chunk, and handed down to both passes: a saved setting applies from the next chunk on.
      const profile = deps.profile;
      const ms: ChunkTimings = { read: 0, renderAhead: 0, lock: 0, claim: 0, render: 0, send: 0, record: 0, commit: 0, hearings: 0, rerendered: 0 };
      // Before any lock: what the chunk would send as things stand, rendered (decision 035).
      heartbeat({ chunk, step: 'render' });
      let lap = stopwatch();
      const ahead = planChunk(await readChunk(db, runDate, chunk, false), runDate, profile);
      ms.read = lap();
      const ready = await renderAhead(ahead.planned, runDate, profile);
      ms.renderAhead = lap();
      heartbeat({ chunk, step: 'lock' });
      const result = await db.transaction((tx) => workChunk(tx, runDate, chunk, profile, ready, ms));
      ms.commit = lap() - (ms.lock + ms.claim + ms.render + ms.send + ms.record);
      let hearings = result.hearingMembers.length;
      if (startHearings) {
        heartbeat({ chunk, step: 'hearings', hearings });
        lap = stopwatch();
        hearings = await startPendingHearings(result.hearingMembers);
        ms.hearings = lap();
      }
      // Outside the chunk's transaction, so chunks do not wait for each other on the run's row.
      await repo.refreshProgress(db, runDate);
      return { items: result.items, sent: result.sent, failed: result.failed, hearings, ms };
    },

    /**
     * Starts every hearing recorded and not yet started (of any day), many at a time, until none
     * is left: what a chunk committed while this ran is started too. The work of
     * `collection-hearing-starts/<date>`; a retry starts what is left.
     */
    async startRecordedHearings(_: Record<string, never>) {
      let started = 0;
      for (;;) {
        const now = await startPendingHearings(null, HEARING_START_CONCURRENCY);
        if (now === 0) return { started };
        started += now;
      }
    },

    /**
     * The issue of decision 052's run (runs started before decision 061 take it in an activity of
     * its own): select, decide, issue the reminders, record the hearings and stage what got no
     * reminder, in one transaction (repo.issueDue: the decisions in a temporary table, then the writes; decision 068). Hearings an earlier run recorded and could not
     * start are started first, as the staging did. `chunkSize` is no longer used.
     */
    async issueCollection({ runDate }: { runDate: string; chunkSize?: number }) {
      await startPendingHearings(null);
      const started = performance.now();
      const counts = await repo.issueDue(db, deps.profile.collection, issuePlan(deps.profile), runDate);
      return { counts, total: Object.values(counts).reduce((a, n) => a + n, 0), ms: { issue: Math.round(performance.now() - started) } };
    },

    /**
     * The daily step since decision 061, in one activity (three before, and two child starts): open
     * the day's run, issue in one transaction (repo.issueDue), store the outcome, then start the
     * processes that start the day's hearings (`collection-hearing-starts/<date>`, which also starts
     * what an earlier run recorded and could not start) and send what was issued
     * (`collection-delivery/<date>/<runId>`), on the run's task queue. A retry does it all again:
     * the run reopens, the issue finds nothing new, the outcome is the day's, and a process already
     * started is left to run (the delivery, one per run, is never started twice under its id).
     */
    async runCollectionStep({ runDate, workflowId, runId, taskQueue }: { runDate: string; workflowId: string; runId: string; taskQueue: string }) {
      const lap = stopwatch();
      await repo.openRun(db, runDate, workflowId);
      const open = lap();
      await repo.issueDue(db, deps.profile.collection, issuePlan(deps.profile), runDate);
      const issue = lap();
      const outcome = await finishRun(runDate);
      const finish = lap();
      const deliveryWorkflowId = collectionDeliveryWorkflowId(runDate, runId);
      // The delivery last: a retry of this activity issues again (failed and withdrawn levels under
      // a retry key), so no delivery may be settling the day's reminders while one can still follow.
      await startProcess('collectionHearingStarts', collectionHearingStartsWorkflowId(runDate), taskQueue, { runDate } satisfies CollectionHearingStartsInput, 'ALLOW_DUPLICATE');
      await startProcess('collectionDelivery', deliveryWorkflowId, taskQueue, { runDate } satisfies CollectionDeliveryInput, 'REJECT_DUPLICATE');
      const start = lap();
      return { outcome, deliveryWorkflowId, ms: { open, issue, finish, start } };
    },

    /**
     * The delivery (`collection-delivery/<date>/…`, decision 052): every issued reminder, of this
     * day or left by an earlier one, rendered before the lock and sent or withdrawn under it, a
     * batch per transaction, until none is left. The runs whose items it settled get their outcome
     * stored again. A retry starts from the first reminder still issued. Since decision 056 the
     * batches go `lanes` transactions at a time, each lane's next batch read and rendered while
     * its current one is in its transaction; the first failure stops every lane after the batch it
     * holds, and the activity fails once all have stopped.
     */
    async deliverIssuedReminders({ runDate, batchSize = DELIVERY_BATCH, lanes = DELIVERY_LANES }: { runDate: string; batchSize?: number; lanes?: number }) {
      const ms = noDeliveryTime();
      const totals = { sent: 0, withdrawn: 0, failed: 0 };
      // The day's own run is refreshed even when a retry finds nothing left (the attempt before
      // committed the last batch and died before the refresh).
      const runDates = new Set<string>([runDate]);
      // The keys left, read a list at a time (a re-read after the last one drains what was issued
      // meanwhile) and handed out a batch at a time, in key order.
      let keys: repo.ReminderKey[] = [];
      let after: repo.ReminderKey | null = null;
      const takeKeys = async () => {
        if (keys.length === 0) keys = await repo.issuedKeys(db, after);
        const taken = keys.splice(0, batchSize);
        after = taken.at(-1) ?? after;
        return taken;
      };
      // Reading and rendering, one batch after the other (the rendering is the worker's CPU);
      // a lane asks for its next batch as it starts a transaction, so it is ready when that commits.
      let preparing: Promise<unknown> = Promise.resolve();
      const prepare = () => {
        const next = preparing.then(async () => {
          const lap = stopwatch();
          for (;;) {
            const taken = await takeKeys();
            if (taken.length === 0) {
              ms.read += lap();
              return null;
            }
            // The ones another delivery settled meanwhile are not read.
            const issued = await repo.issuedBatch(db, taken);
            if (issued.length === 0) continue;
            ms.read += lap();
            const profile = deps.profile;
            const batch = issued.map((r) => plannedOf(r, profile));
            const ready = await renderAhead(batch, runDate, profile);
            ms.renderAhead += lap();
            return { issued, batch, profile, ready };
          }
        });
        preparing = next.catch(() => undefined);
        return next;
      };
      let stopped = false;
      const lane = async () => {
        let next = prepare();
        try {
          for (;;) {
            const b = await next;
            if (!b || stopped) return;
            next = prepare();
            const started = performance.now();
            const t = noDeliveryTime();
            const done = await db.transaction((tx) => deliverBatch(tx, b.batch, b.issued, runDate, b.profile, b.ready, t));
            t.commit = performance.now() - started - (t.lock + t.render + t.send + t.record);
            addTimings(ms, t);
            totals.sent += done.sent;
            totals.withdrawn += done.withdrawn;
            totals.failed += done.failed;
            for (const d of done.runDates) runDates.add(d);
            heartbeat({ step: 'deliver', ...totals, after });
          }
        } catch (error) {
          // The other lanes finish the batch they hold and stop; the retry sends what is left.
          stopped = true;
          throw error;
        } finally {
          await next.catch(() => undefined);
        }
      };
      const ended = await Promise.allSettled(Array.from({ length: Math.max(1, lanes) }, lane));
      const failure = ended.find((e) => e.status === 'rejected');
      if (failure) throw failure.reason;
      await repo.refreshRunOutcomes(db, [...runDates]);
      return { ...totals, ms };
    },

    async finishCollectionRun({ runDate }: { runDate: string }) {
      return finishRun(runDate);
    },

    async failCollectionRun({ runDate, message }: { runDate: string; message: string }) {
      await repo.finishRun(db, runDate, 'failed', await repo.runOutcome(db, runDate));
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'collection.run-failed', entityType: 'collection-run', entityId: runDate, details: { message: message.slice(0, 500) } });
    },
  };
}

export type CollectionActivities = ReturnType<typeof createCollectionActivities>;
