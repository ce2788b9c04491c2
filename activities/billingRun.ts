import { heartbeat, keptAlive } from './alive';
import { ApplicationFailure } from '@temporalio/common';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as repo from '../db/repositories/billing';
import { lockFeeYear, registerFeeYears } from '../db/repositories/feeYears';
import * as tasksRepo from '../db/repositories/tasks';
import type { MessageRecipient } from '../domain/vocabulary';
import { billablePeriods, invoicedMonths, linesNotYetInvoiced } from '../domain/billing/billableMonths';
import { billedMonthsText } from '../domain/billing/billedMonths';
import { exemptForPeriod, periodsLessExemptions, type FeeExemption } from '../domain/billing/exemptions';
import { formatIban } from '../domain/billing/iban';
import { hasPostalAddress, invoiceDelivery } from '../domain/billing/invoiceDelivery';
import { formatReferenceNumber, invoiceReference } from '../domain/billing/referenceNumber';
import { toRfReference } from '../domain/billing/rfReference';
import { billingTotals } from '../domain/billing/runTotals';
import { virtualBarcodeV4, virtualBarcodeV5 } from '../domain/billing/virtualBarcode';
import { feeForPeriod, withFeeYears, type FeeProfile, type MembershipPeriod } from '../domain/billing/fees';
import type { BillingTotals, DeliveryPreference, InvoiceLine, RunExceptionCode } from '../domain/vocabulary';
import type { FundProfile, Language } from '../domain/fundProfile';
import { renderMessage } from '../domain/messageTemplates';
import { formatDate } from '../domain/localized';
import { formatMoney } from '../domain/money';
import { postalAddressOf } from '../domain/messageDelivery';
import { BankRejectedError, type BankAdapter } from '../integrations/adapters/bank';
import { MessageRejectedError, type MessageAttachment, type MessagingAdapter } from '../integrations/adapters/messaging';
import { outgoingOf, sentVia } from './messages';
import { TransformError } from '../integrations/transforms/errors';
import { buildInvoiceDocument, invoiceLanguage, invoicePdfFilename, invoiceRowText } from '../integrations/transforms/invoiceDocument';
import { renderInvoicePdf } from '../integrations/transforms/invoicePdf';
import { buildFinvoice30, buildFinvoiceBatch, type FinvoiceInvoice } from '../integrations/transforms/finvoice';

export interface BillingDeps {
  db: Database;
  profile: FundProfile;
  messaging: MessagingAdapter;
  /** The bank's e-invoice channel, as the deployment's wiring chose it. */
  bank: BankAdapter;
}

/** The range of members a chunk covers plus the run facts every chunk needs. */
export interface BillingChunkInput {
  runId: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  feeYear: number;
  range: repo.MemberRange;
}

/** Invoices per Finvoice transmission file: one file per run, split so no file grows without bound. */
const EINVOICES_PER_FILE = 2_000;
/** Messages in flight to the messaging service at once within a chunk. */
const DELIVERY_CONCURRENCY = 16;

/** What an invoice message says. */
type MessageFacts = Pick<repo.IssuedInvoice, 'memberId' | 'periodStart' | 'periodEnd' | 'amountCents' | 'reference' | 'virtualBarcode' | 'delivery' | 'lines'>;

interface InvoiceFacts {
  id: string;
  invoiceNumber: number;
  issuedOn: string;
  dueDate: string;
  reference: string;
  lines: InvoiceLine[];
}

export function eInvoiceOf(profile: FundProfile, facts: InvoiceFacts, person: repo.BillingPerson, createdAt: string): FinvoiceInvoice {
  const lang = invoiceLanguage(person);
  return {
    messageId: `inv-${facts.id}`,
    createdAt,
    seller: {
      name: profile.name.fi,
      businessId: profile.businessId,
      address: profile.postalAddress,
      iban: profile.iban,
      bic: profile.bic,
      // The fund's IBAN and BIC are what banks use as a biller's e-invoice address and intermediator.
      einvoiceAddress: profile.iban,
      intermediator: profile.bic,
    },
    buyer: {
      name: `${person.firstNames} ${person.lastName}`,
      ...(hasPostalAddress(person)
        ? { address: { street: person.streetAddress!, postCode: person.postalCode!, town: person.city!, countryCode: person.country ?? 'FI' } }
        : {}),
      einvoiceAddress: person.eInvoiceAddress ?? '',
      intermediator: person.eInvoiceOperator ?? '',
    },
    invoiceNumber: String(facts.invoiceNumber),
    invoiceDate: facts.issuedOn,
    dueDate: facts.dueDate,
    reference: facts.reference,
    rows: facts.lines.map((l) => ({ description: invoiceRowText(l.month, lang), amountCents: l.cents })),
  };
}

/**
 * A member the fee rules refuse, as a staging exception: the rule's English words, and a code for
 * the desk (a year without a fee, or membership data the rules cannot bill).
 */
function feeException(error: unknown): { exception: string; exceptionCode: RunExceptionCode; exceptionParams: Record<string, string | number> } {
  const message = (error as Error).message;
  const year = /^no membership fee for (\d{4})/.exec(message)?.[1];
  return year ? { exception: message, exceptionCode: 'no_fee_for_year', exceptionParams: { year } } : { exception: message, exceptionCode: 'membership_data_invalid', exceptionParams: {} };
}

function periodLabel(start: string, end: string, lang: Language): string {
  return `${formatDate(start, lang)} – ${formatDate(end, lang)}`;
}

/** Billing-run activities: preview chunks, totals, the approval task, commit chunks, e-invoice batches. */
export function createBillingActivities(deps: BillingDeps) {
  // No profile copied here: each activity call reads deps.profile (the live configuration,
  // decision 021 point 8) once and hands it down, so a saved setting applies without a restart.
  const { db, bank } = deps;

  const feeCache = new Map<string, ReturnType<typeof feeForPeriod>>();
  /**
   * The domain's fee for a direct member. Only the part of each period inside the invoice period
   * matters, and most members share that shape (the whole period), so results are kept per shape:
   * the domain rule still decides every fee, at a fraction of the cost for 270,000 members. The
   * year's fee rule is part of the key, so a fee set in the register since is never served stale.
   */
  function directFee(fees: FeeProfile, periods: MembershipPeriod[], periodStart: string, periodEnd: string) {
    // A malformed period anywhere makes the domain refuse the member; let it say so, uncached.
    if (periods.some((p) => p.endDate !== null && p.endDate < p.startDate)) return feeForPeriod(fees, periods, periodStart, periodEnd, 'direct');
    const clamped = periods
      .filter((p) => p.startDate <= periodEnd && (p.endDate === null || p.endDate >= periodStart))
      .map((p) => `${p.startDate < periodStart ? periodStart : p.startDate}/${p.endDate === null || p.endDate > periodEnd ? periodEnd : p.endDate}`)
      .sort()
      .join(',');
    const key = `${JSON.stringify(fees.fees.years[periodStart.slice(0, 4)] ?? null)}:${periodStart}/${periodEnd}:${clamped}`;
    let fee = feeCache.get(key);
    if (!fee) {
      fee = feeForPeriod(fees, periods, periodStart, periodEnd, 'direct');
      if (feeCache.size > 10_000) feeCache.clear();
      feeCache.set(key, fee);
    }
    return fee;
  }

  /** A member's staging row: the domain's fee for the period minus months already invoiced, or why not. */
  function assess(c: repo.PreviewCandidate, input: BillingChunkInput, fees: FundProfile): repo.StagingItem & { reference?: string } {
    const base = { runId: input.runId, memberId: c.memberId, amountCents: 0, lines: [] as InvoiceLine[], delivery: null, exception: null, exceptionCode: null, exceptionParams: {} };
    const year = Number(input.periodStart.slice(0, 4));
    let periods: MembershipPeriod[];
    let exemptions: FeeExemption[];
    try {
      periods = billablePeriods(c.periods, c.dateOfDeath);
      exemptions = c.exemptions.map(([startDate, endDate]) => ({ startDate, endDate }));
      // A period wholly under a union-reported exemption is billed to nobody: neither the fund
      // invoices it nor the union owes its share (decision 031).
      if (exemptForPeriod(periods, exemptions, input.periodStart, input.periodEnd)) return { ...base, category: 'exempt' };
      if (c.channel === 'union') {
        // The union remits the fee (0 from the fund); the domain rule still checks the periods.
        feeForPeriod(fees, periods, input.periodStart, input.periodEnd, 'union');
        return { ...base, category: 'union' };
      }
      if (c.channel !== 'direct') {
        return { ...base, category: 'exception', exception: `Unknown membership channel "${c.channel}": expected direct or union.`, exceptionCode: 'unknown_channel', exceptionParams: { channel: c.channel } };
      }
    } catch (error) {
      return { ...base, category: 'exception', ...feeException(error) };
    }
    if (c.invoiced.some((i) => i.periodStart === input.periodStart && i.periodEnd === input.periodEnd)) {
      return { ...base, category: 'already-invoiced' };
    }
    let fee: ReturnType<typeof feeForPeriod>;
    try {
      // Exempt days are not billed: a month is billed when one day of membership in it is not exempt.
      fee = directFee(fees, exemptions.length > 0 ? periodsLessExemptions(periods, exemptions) : periods, input.periodStart, input.periodEnd);
    } catch (error) {
      return { ...base, category: 'exception', ...feeException(error) };
    }
    // Months invoiced before by another period's invoice (a yearly invoice, then a monthly run):
    // the member pays for each month once, so only the rest is billed.
    const lines = linesNotYetInvoiced(year, fee.lines, invoicedMonths(c.invoiced));
    if (fee.months.length > 0 && lines.length === 0) return { ...base, category: 'already-invoiced' };
    const amountCents = lines.reduce((sum, l) => sum + l.cents, 0);
    if (amountCents === 0) return { ...base, category: 'zero', lines };
    let reference: string;
    try {
      reference = invoiceReference(c.memberNumber, input.feeYear, input.period);
    } catch (error) {
      return { ...base, category: 'exception', amountCents, lines, exception: `No reference number: ${(error as Error).message}`, exceptionCode: 'no_reference_number' };
    }
    let delivery = invoiceDelivery(c);
    if ('channel' in delivery && delivery.channel === 'e-invoice') {
      // Build the member's e-invoice now, so the batch at commit cannot fail on their data (a
      // name or address too long for Finvoice); such a member gets the invoice by e-mail or letter.
      try {
        buildFinvoice30(eInvoiceOf(fees, { id: c.memberId, invoiceNumber: 1, issuedOn: input.periodStart, dueDate: input.periodEnd, reference, lines }, c, '2000-01-01T00:00:00Z'));
      } catch (error) {
        if (!(error instanceof TransformError)) throw error;
        delivery = invoiceDelivery(c, false);
      }
    }
    if ('exception' in delivery) return { ...base, category: 'exception', amountCents, lines, exception: delivery.exception, exceptionCode: delivery.exceptionCode, exceptionParams: delivery.exceptionParams };
    return { ...base, category: 'invoice', amountCents, lines, delivery: delivery.channel, reference };
  }

  /** Texts that are the same on every invoice of a run, per language: formatted once per chunk. */
  function runTexts(periodStart: string, periodEnd: string, dueDate: string, iban: string) {
    const texts = new Map<Language, { period: string; dueDate: string; iban: string }>();
    return (lang: Language) => {
      let t = texts.get(lang);
      if (!t) {
        t = { period: periodLabel(periodStart, periodEnd, lang), dueDate: formatDate(dueDate, lang), iban: formatIban(iban) };
        texts.set(lang, t);
      }
      return t;
    };
  }

  function invoiceMessage(invoice: MessageFacts, person: repo.BillingPerson, texts: ReturnType<typeof runTexts>): repo.NewMessage {
    const lang = invoiceLanguage(person);
    // Read per message, not once per worker: an administrator's template applies from its date.
    const current = deps.profile;
    const values = {
      ...texts(lang),
      // The months this invoice bills ('12/2026'), not the run's whole period: a member who joined
      // in December pays for one month and is told so.
      ...(invoice.lines.length > 0 ? { period: billedMonthsText(invoice.lines.map((l) => l.month)) } : {}),
      firstName: person.firstNames.split(' ')[0] ?? person.firstNames,
      fundName: current.name[lang],
      amount: formatMoney(invoice.amountCents, lang),
      reference: formatReferenceNumber(invoice.reference),
      barcode: invoice.virtualBarcode,
    };
    const name = `${person.firstNames} ${person.lastName}`;
    // Only the channel chosen for the invoice, so the messaging service cannot pick another one.
    const recipient: MessageRecipient =
      invoice.delivery === 'email'
        ? { name, email: person.email! }
        : { name, address: postalAddressOf(person) };
    return {
      messageKey: repo.invoiceKey(invoice.memberId, invoice.periodStart, invoice.periodEnd),
      kind: 'invoice',
      memberId: invoice.memberId,
      language: lang,
      recipient,
      ...renderMessage(current, 'invoice', lang, values),
    };
  }

  /** The printed invoice for a letter: the PDF the messaging service prints and posts. */
  function letterPdf(invoice: repo.IssuedInvoice, person: repo.BillingPerson, profile: FundProfile): MessageAttachment {
    const bytes = renderInvoicePdf(buildInvoiceDocument(invoice, person, profile));
    return { filename: invoicePdfFilename(invoice, invoiceLanguage(person)), contentType: 'application/pdf', bytes };
  }

  /**
   * Sends a chunk's e-mail and letter invoices and records each message with its outcome in one
   * statement. Sent first, recorded after: the messaging service delivers a key once, so a message
   * sent just before a crash is answered with its first receipt on the retry, and a chunk costs
   * one write per message instead of an outbox insert plus a status update (a third of the commit
   * time at 270,000 invoices). A key already recorded is skipped, and its PDF is never rendered.
   */
  async function deliverInvoiceMessages(
    outgoing: { message: repo.NewMessage; letter?: () => MessageAttachment }[],
    deceased: Set<string>,
  ): Promise<{ sent: number; failed: number; suppressed: number }> {
    const recorded = await repo.recordedMessageKeys(db, outgoing.map((o) => o.message.messageKey));
    const todo = outgoing.filter((o) => !recorded.has(o.message.messageKey));
    const done: repo.DeliveredMessage[] = [];
    let failure: unknown = null;
    let next = 0;
    const lane = async () => {
      while (failure === null && next < todo.length) {
        const { message, letter } = todo[next++]!;
        // Nothing goes to a person who has died; the invoice stays with the estate's matters.
        if (message.memberId && deceased.has(message.memberId)) {
          done.push({ ...message, status: 'suppressed', externalId: null, channel: null });
          continue;
        }
        try {
          const receipt = await deps.messaging.send(outgoingOf(message, letter ? [letter()] : undefined));
          done.push({ ...sentVia(message, receipt.channel), status: 'sent', externalId: receipt.externalId, channel: receipt.channel });
          // A slow messaging service keeps the chunk alive (the SDK throttles the heartbeats).
          heartbeat({ step: 'send', delivered: done.length, of: todo.length });
        } catch (error) {
          // Refused by the service, or a letter that cannot be printed (a name outside the
          // printable characters): retrying changes nothing, so it is recorded as failed.
          if (error instanceof MessageRejectedError || error instanceof TransformError) {
            done.push({ ...message, status: 'failed', externalId: null, channel: null, failureReason: error.message, failureCode: error instanceof MessageRejectedError ? 'messaging-refused' : 'letter-unprintable' });
          }
          else failure = error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELIVERY_CONCURRENCY, todo.length) }, lane));
    // Record what went out before giving up, so the retry sends only the rest.
    await repo.recordMessages(db, done);
    if (failure !== null) throw failure;
    const countOf = (status: string) => done.filter((m) => m.status === status).length;
    return { sent: countOf('sent'), failed: countOf('failed'), suppressed: countOf('suppressed') };
  }

  async function requireRun(runId: string) {
    const run = await repo.findRun(db, runId);
    if (!run) throw ApplicationFailure.nonRetryable(`billing run ${runId} not found`);
    return run;
  }

  const activities = {
    /** Records the run (a schedule starts the workflow without the API, so the workflow creates the row too). */
    async openBillingRun(input: { runId: string; period: string; periodStart: string; periodEnd: string; feeYear: number; dueDate: string; startedBy: string }) {
      const { row, created } = await db.transaction(async (tx) => {
        // Like the API's start: never begin on a fee that is being changed at this moment.
        await lockFeeYear(tx, deps.profile.id, input.feeYear);
        const { runId, ...facts } = input;
        return repo.insertRunOnce(tx, { id: runId, ...facts, status: 'previewing', workflowId: runId });
      });
      if (created) {
        await recordAudit(db, { actor: input.startedBy, actorKind: input.startedBy === 'schedule' ? 'system' : 'user', action: 'billing-run.started', entityType: 'billing-run', entityId: input.runId, details: { period: input.period } });
      }
      return { status: row.status };
    },

    /** Cuts the work of a phase into member-id ranges and resets the progress bar for it. */
    async planBillingChunks(input: { runId: string; phase: 'preview' | 'commit'; periodStart: string; periodEnd: string; chunkSize: number }) {
      const plan =
        input.phase === 'preview'
          ? await repo.previewChunks(db, input.periodStart, input.periodEnd, input.chunkSize)
          : await repo.commitChunks(db, input.runId, input.chunkSize);
      // What earlier attempts already wrote counts as done, so a resumed run's bar does not restart at 0.
      const done = input.phase === 'preview' ? await repo.countStagedItems(db, input.runId) : await repo.countRunInvoices(db, input.runId);
      await repo.updateRun(db, input.runId, { progress: { phase: input.phase, done: Math.min(done, plan.total), total: plan.total } });
      return plan;
    },

    /** Stages one chunk of members: fee, category, delivery; idempotent (upsert per run and member). */
    async previewBillingChunk(input: BillingChunkInput) {
      heartbeat({ phase: 'preview', range: input.range, step: 'load' });
      const candidates = await repo.previewCandidates(db, input.range, input.periodStart, input.periodEnd);
      heartbeat({ phase: 'preview', range: input.range, step: 'assess', members: candidates.length });
      // The fee years as the fund has set them (none can change while this run exists).
      const profile = deps.profile;
      const fees = withFeeYears(profile, await registerFeeYears(db, profile.id));
      const assessed = candidates.map((c) => assess(c, input, fees));
      const inUse = await repo.referencesInUse(db, assessed.flatMap((a) => (a.reference ? [a.reference] : [])));
      const items: repo.StagingItem[] = assessed.map(({ reference, ...item }) => {
        const holder = reference ? inUse.get(reference) : undefined;
        if (!holder) return item;
        return {
          ...item,
          category: 'exception',
          delivery: null,
          exception: `Reference ${reference} is already used by the invoice of member ${holder.memberId} for ${holder.periodStart}–${holder.periodEnd}.`,
          exceptionCode: 'reference_in_use',
          exceptionParams: { reference: reference! },
        };
      });
      const added = await repo.upsertStagingItems(db, input.runId, input.range, items);
      // After the write, not in its transaction: every chunk updates the run's row, and holding that
      // lock until commit would make the chunks wait for each other.
      await repo.advanceProgress(db, input.runId, 'preview', added);
      heartbeat({ phase: 'preview', range: input.range, step: 'done', members: items.length });
      return { members: items.length, added };
    },

    /**
     * Preview totals from the staging area and the billing user's approval task, in one
     * transaction: whoever sees the run waiting for approval also finds its task. Idempotent per workflow.
     */
    async finishBillingPreview({ runId, workflowId }: { runId: string; workflowId: string }): Promise<{ totals: BillingTotals; taskId: string }> {
      return db.transaction(async (tx) => {
        const totals = billingTotals(await repo.stagedSums(tx, runId));
        const task = await tasksRepo.upsertTask(tx, {
          workflowId,
          taskKey: 'approval',
          ...taskKind('billing-approval'),
          queue: 'billing',
          subjectType: 'billing-run',
          subjectId: repo.billingRunSubjectId(runId),
          // The run id, so the desk can open the run straight from the queue.
          title: runId,
          priority: 2,
          dueAt: new Date(Date.now() + 2 * 86_400_000),
        }, kindGroupOf(deps.profile, 'billing-approval'));
        await repo.updateRun(tx, runId, { status: 'awaiting-approval', previewTotals: totals, progress: { phase: 'preview', done: totals.members, total: totals.members } });
        return { totals, taskId: task.id };
      });
    },

    /** Records the decision and closes the task; only the first decision moves the run on. */
    async recordBillingDecision(input: { runId: string; taskId: string; decision: 'approve' | 'reject'; decidedBy: string; reason: string | null }) {
      await db.transaction(async (tx) => {
        const run = await repo.findRun(tx, input.runId);
        if (!run) throw ApplicationFailure.nonRetryable(`billing run ${input.runId} not found`);
        if (run.status === 'awaiting-approval') {
          const approved = input.decision === 'approve';
          await repo.updateRun(tx, input.runId, {
            status: approved ? 'committing' : 'rejected',
            decidedBy: input.decidedBy,
            decidedAt: new Date(),
            ...(approved ? { progress: { phase: 'commit', done: 0, total: run.previewTotals?.invoices ?? 0 } } : {}),
          });
          await recordAudit(tx, {
            actor: input.decidedBy,
            actorKind: 'user',
            action: approved ? 'billing-run.approved' : 'billing-run.rejected',
            entityType: 'billing-run',
            entityId: input.runId,
            details: approved ? {} : { reason: input.reason ?? '' },
          });
        }
        await tasksRepo.closeTask(tx, input.taskId, input.decision === 'approve' ? 'approved' : 'rejected');
      });
    },

    /**
     * Issues one chunk of an approved run: invoices in one INSERT (unique member + period, so a
     * retry issues nothing twice) and a ledger entry per invoice in the same transaction. With
     * `deliver` (runs started before delivery became its own phase) it also sends the chunk's
     * e-mail and letter invoices; otherwise deliverBillingChunk does that once the run is committed.
     */
    async commitBillingChunk(input: BillingChunkInput & { dueDate: string; issuedOn: string; deliver?: boolean }) {
      const profile = deps.profile;
      const run = await requireRun(input.runId);
      if (run.status !== 'committing' && run.status !== 'committed') {
        throw ApplicationFailure.nonRetryable(`billing run ${input.runId} is ${run.status}: only an approved run issues invoices`);
      }
      heartbeat({ phase: 'commit', range: input.range, step: 'load' });
      const candidates = await repo.commitCandidates(db, input.runId, input.range, input.periodStart, input.periodEnd);
      const rows: repo.NewInvoice[] = [];
      const heldBack: string[] = [];
      for (const c of candidates) {
        // Something invoiced these months since the preview (another run): never bill a month twice.
        const covered = invoicedMonths(c.coveredElsewhere.map((lines) => ({ lines })));
        if (c.lines.some((l) => covered.has(l.month))) {
          heldBack.push(c.memberId);
          continue;
        }
        const reference = invoiceReference(c.memberNumber, input.feeYear, input.period);
        const rfReference = toRfReference(reference);
        rows.push({
          memberId: c.memberId,
          runId: input.runId,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          feeYear: input.feeYear,
          amountCents: c.amountCents,
          lines: c.lines,
          reference,
          rfReference,
          iban: profile.iban,
          issuedOn: input.issuedOn,
          dueDate: input.dueDate,
          delivery: c.delivery as DeliveryPreference,
          virtualBarcode: virtualBarcodeV4({ iban: profile.iban, amountCents: c.amountCents, reference, dueDate: input.dueDate }),
          virtualBarcodeV5: virtualBarcodeV5({ iban: profile.iban, amountCents: c.amountCents, rfReference, dueDate: input.dueDate }),
          openCents: c.amountCents,
        });
      }
      const memberIds = candidates.map((c) => c.memberId);
      heartbeat({ phase: 'commit', range: input.range, step: 'write', invoices: rows.length });
      const written = await db.transaction(async (tx) => {
        // English for integrators; the desk shows the line by its code, with the months the invoice bills.
        const description = { text: `membership fee ${input.period}`, params: { period: input.period } };
        const written = await repo.insertInvoicesWithLedger(tx, rows, description, input.runId);
        let ledger = written.ledger;
        // Some invoices existed already (a retry): make sure each of the run's invoices has its entry.
        if (written.invoices < rows.length) ledger += await repo.insertInvoiceLedgerEntries(tx, input.runId, memberIds, description);
        return { issued: written.invoices, ledger };
      });
      // Outside the transaction: every chunk updates the run's row, and holding that lock until
      // commit would make the chunks wait for each other.
      await repo.advanceProgress(db, input.runId, 'commit', written.issued);
      if (heldBack.length) {
        await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'billing-run.held-back', entityType: 'billing-run', entityId: input.runId, details: { memberIds: heldBack, reason: 'months invoiced by another run since the preview' } });
      }
      const result = { invoices: written.issued, ledgerEntries: written.ledger, heldBack: heldBack.length };
      if (input.deliver === false) return result;
      // What is sent is what is stored for this run: the rows just computed when all of them went
      // in, otherwise (a retry, a member held back by a constraint) the stored invoices.
      const people = new Map(candidates.map((c) => [c.memberId, c]));
      const ofRun: MessageFacts[] =
        written.issued === rows.length && rows.length === candidates.length ? rows : await repo.issuedInvoices(db, input.runId, memberIds);
      const texts = runTexts(input.periodStart, input.periodEnd, input.dueDate, profile.iban);
      const outgoing = ofRun.filter((i) => i.delivery === 'email' || i.delivery === 'letter').map((i) => ({ message: invoiceMessage(i, people.get(i.memberId)!, texts) }));
      heartbeat({ phase: 'commit', range: input.range, step: 'deliver', messages: outgoing.length });
      const deceased = new Set(candidates.filter((c) => c.dateOfDeath !== null).map((c) => c.memberId));
      return { ...result, ...(await deliverInvoiceMessages(outgoing, deceased)) };
    },

    /**
     * Sends one chunk of a committed run's e-mail and letter invoices, as stored: a letter carries
     * the invoice as a PDF (rendered again on a retry; the same bytes), an e-mail the text with the
     * reference and virtual barcode. A message recorded before is not sent again.
     */
    async deliverBillingChunk(input: BillingChunkInput & { dueDate: string }) {
      heartbeat({ phase: 'delivery', range: input.range, step: 'load' });
      const profile = deps.profile;
      const issued = await repo.invoicesToDeliver(db, input.runId, input.range);
      const texts = runTexts(input.periodStart, input.periodEnd, input.dueDate, profile.iban);
      const outgoing = issued.map((i) => ({
        message: invoiceMessage(i, i.person, texts),
        ...(i.delivery === 'letter' ? { letter: () => letterPdf(i, i.person, profile) } : {}),
      }));
      heartbeat({ phase: 'delivery', range: input.range, step: 'send', messages: outgoing.length });
      const deceased = new Set(issued.filter((i) => i.person.dateOfDeath !== null).map((i) => i.memberId));
      const delivery = await deliverInvoiceMessages(outgoing, deceased);
      await repo.advanceProgress(db, input.runId, 'delivery', delivery.sent + delivery.failed + delivery.suppressed);
      return delivery;
    },

    /**
     * Hands the run's e-invoices to the bank as Finvoice transmission files. Parts are cut in
     * invoice-number order and keyed by run and part, so a retry re-sends the same files under the
     * same keys and the bank channel sends each once.
     */
    async sendBillingEInvoices({ runId }: { runId: string }) {
      const profile = deps.profile;
      const all = await repo.eInvoicesOfRun(db, runId);
      const createdAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const batches: { batchKey: string; batchId: string; invoices: number }[] = [];
      for (let start = 0, part = 1; start < all.length; start += EINVOICES_PER_FILE, part++) {
        const slice = all.slice(start, start + EINVOICES_PER_FILE);
        let xml: string;
        try {
          xml = buildFinvoiceBatch(
            slice.map((i) => eInvoiceOf(profile, { id: i.id, invoiceNumber: i.invoiceNumber, issuedOn: i.issuedOn, dueDate: i.dueDate, reference: i.reference, lines: i.lines }, i.person, createdAt)),
          );
        } catch (error) {
          // The preview built every member's e-invoice already, so this is data changed since or a bug: retrying will not help.
          if (error instanceof TransformError) throw ApplicationFailure.nonRetryable(`e-invoice file ${part} of ${runId} cannot be built: ${error.message}`);
          throw error;
        }
        const batchKey = `${runId}/finvoice/${part}`;
        let batchId: string;
        try {
          ({ batchId } = await bank.sendEInvoiceBatch(xml, { batchKey, runId, invoiceCount: slice.length, totalCents: slice.reduce((s, i) => s + i.amountCents, 0) }));
        } catch (error) {
          // The bank refusing the file will refuse it again: stop and show the run as failed.
          if (error instanceof BankRejectedError) throw ApplicationFailure.nonRetryable(`the bank refused e-invoice file ${batchKey}: ${error.message}`);
          throw error;
        }
        batches.push({ batchKey, batchId, invoices: slice.length });
        heartbeat({ phase: 'e-invoice', sent: start + slice.length, of: all.length });
      }
      if (batches.length) {
        await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'billing-run.e-invoices-sent', entityType: 'billing-run', entityId: runId, details: { batches } });
      }
      return { batches };
    },

    /** Commit totals from the issued invoices; the run is done. */
    async finishBillingCommit({ runId, deliveryFollows }: { runId: string; deliveryFollows?: boolean }): Promise<BillingTotals> {
      const totals = billingTotals(await repo.issuedSums(db, runId));
      // With a delivery phase to come, the bar moves on to the messages it will send.
      const toDeliver = (totals.byDelivery.email ?? 0) + (totals.byDelivery.letter ?? 0);
      const progress = deliveryFollows ? { phase: 'delivery', done: 0, total: toDeliver } : { phase: 'done', done: totals.invoices, total: totals.invoices };
      await repo.updateRun(db, runId, { status: 'committed', commitTotals: totals, progress });
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'billing-run.committed', entityType: 'billing-run', entityId: runId, details: { invoices: totals.invoices, amountCents: totals.amountCents } });
      return totals;
    },

    /** Every invoice of the run has gone out (or failed and is recorded so): the run is done. */
    async finishBillingDelivery({ runId, eInvoiceFiles = 0 }: { runId: string; eInvoiceFiles?: number }) {
      const outcome = await repo.deliveryOutcome(db, runId);
      const eInvoices = outcome.invoices - outcome.sent - outcome.failed - outcome.suppressed;
      await repo.updateRun(db, runId, {
        progress: { phase: 'done', done: outcome.invoices, total: outcome.invoices },
        deliveryTotals: { sent: outcome.sent, failed: outcome.failed, suppressed: outcome.suppressed, eInvoices, eInvoiceFiles },
      });
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'billing-run.delivered', entityType: 'billing-run', entityId: runId, details: outcome });
      return outcome;
    },

    /** A run that cannot go on is marked failed, so the desk shows it and a new attempt can start. */
    async failBillingRun({ runId, message }: { runId: string; message: string }) {
      await repo.updateRun(db, runId, { status: 'failed' });
      await recordAudit(db, { actor: 'system', actorKind: 'system', action: 'billing-run.failed', entityType: 'billing-run', entityId: runId, details: { message: message.slice(0, 500) } });
    },

    /** The fund id for the scheduled run's workflow id (the workflow does not see the profile). */
    async billingFundId() {
      return { fundId: deps.profile.id };
    },
  };
  // The short steps (the workflow gives them a 20-s heartbeat timeout) heartbeat while they run.
  return keptAlive(activities, SHORT_STEPS);
}

/** Billing steps of one query or transaction: kept alive by heartbeats (workflows/billingRun.ts `acts`). */
export const SHORT_STEPS = ['openBillingRun', 'planBillingChunks', 'finishBillingPreview', 'recordBillingDecision', 'finishBillingCommit', 'finishBillingDelivery', 'failBillingRun'] as const;

export type BillingActivities = ReturnType<typeof createBillingActivities>;
