import { ApplicationFailure } from '@temporalio/common';
import type { Database, DbOrTx } from '../db/client';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import { recordAudit } from '../db/repositories/audit';
import * as collectionRepo from '../db/repositories/collection';
import * as hearingsRepo from '../db/repositories/hearings';
import { holdActive } from '../domain/collection/rules';
import { addDays, helsinkiDayStart } from '../domain/dates';
import * as membersRepo from '../db/repositories/members';
import * as messagesRepo from '../db/repositories/messages';
import * as tasksRepo from '../db/repositories/tasks';
import { appealDeadline, expulsionEffectiveDate, expulsionLaw, expulsionPeriodEnd, hearingDeadlineDate, noExplanation, notificationDate } from '../domain/expulsion';
import { parseDuration, type FundProfile, type Language, type MessageKind } from '../domain/fundProfile';
import { renderMessage } from '../domain/messageTemplates';
import { formatDate } from '../domain/localized';
import { formatMoney } from '../domain/money';
import type { CaseDocumentKind, CaseManagementAdapter } from '../integrations/adapters/caseManagement';
import { MessageRejectedError, type MessagingAdapter } from '../integrations/adapters/messaging';
import { renderLetterPdf } from '../integrations/transforms/letterPdf';
import { outgoingOf, queueMemberMessage, sentVia } from './messages';

export interface CollectionHearingDeps {
  db: Database;
  profile: FundProfile;
  messaging: MessagingAdapter;
  caseManagement: CaseManagementAdapter;
  today: () => string;
}

/** A letter of a case: its template rendered for the member, as a PDF filed in case management and a message with it attached. */
export async function issueCaseLetter(
  deps: CollectionHearingDeps,
  letter: { memberId: string; kind: MessageKind; documentKind: CaseDocumentKind; key: string; values: Record<string, string>; date: string },
): Promise<{ documentId: string; messageKey: string }> {
  const { db, profile } = deps;
  const row = await membersRepo.findMemberWithPerson(db, letter.memberId);
  if (!row) throw ApplicationFailure.nonRetryable(`member ${letter.memberId} not found`);
  const { person, member } = row;
  const lang = (person.language as Language) ?? 'fi';
  const values = { firstName: person.firstNames.split(' ')[0] ?? person.firstNames, fundName: profile.name[lang], ...letter.values };
  const { subject: title, body } = renderMessage(profile, letter.kind, lang, values);
  const pdf = renderLetterPdf({
    language: lang,
    fund: { name: profile.name[lang], businessId: profile.businessId },
    recipient: {
      name: `${person.firstNames} ${person.lastName}`,
      address: person.streetAddress ? { street: person.streetAddress, postalCode: person.postalCode ?? '', city: person.city ?? '', ...(person.country && person.country !== 'FI' ? { country: person.country } : {}) } : null,
    },
    date: letter.date,
    caseReference: String(member.memberNumber),
    title,
    body,
  });
  const { documentId } = await deps.caseManagement.archiveDocument({ key: letter.key, kind: letter.documentKind, memberId: letter.memberId, title, language: lang, contentType: 'application/pdf', bytes: pdf });
  await queueMemberMessage(db, profile, letter.memberId, letter.kind, letter.key, letter.values);
  const message = await messagesRepo.findMessageByKey(db, letter.key);
  if (message && message.status !== 'sent' && message.status !== 'suppressed') {
    if (person.dateOfDeath) {
      await messagesRepo.markMessageSuppressed(db, letter.key);
    } else {
      try {
        const receipt = await deps.messaging.send(outgoingOf(message, [{ filename: `${letter.documentKind}-${member.memberNumber}.pdf`, contentType: 'application/pdf', bytes: pdf }]));
        await messagesRepo.markMessageSent(db, letter.key, receipt.externalId, receipt.channel, sentVia(message, receipt.channel));
      } catch (error) {
        // No usable contact details: the letter stays 'failed' in the member's message history
        // for a caseworker to see; the decision itself stands, filed in case management.
        if (!(error instanceof MessageRejectedError)) throw error;
        await messagesRepo.markMessageFailed(db, letter.key, error.message);
      }
    }
  }
  return { documentId, messageKey: letter.key };
}

async function requireHearing(db: DbOrTx, hearingId: string) {
  const hearing = await hearingsRepo.findHearing(db, hearingId);
  if (!hearing) throw ApplicationFailure.nonRetryable(`hearing ${hearingId} not found`);
  return hearing;
}

async function languageOf(db: DbOrTx, memberId: string): Promise<Language> {
  const row = await membersRepo.findMemberWithPerson(db, memberId);
  return (row?.person.language as Language | undefined) ?? 'fi';
}

async function closeOpenTasksOf(db: DbOrTx, workflowId: string, outcome: string): Promise<void> {
  for (const task of await tasksRepo.openTasksOfWorkflow(db, workflowId)) await tasksRepo.closeTask(db, task.id, outcome);
}

/** The hearing's steps: its row, the letter, the open amount, the caseworker's task and the decision. */
export function createCollectionHearingActivities(deps: CollectionHearingDeps) {
  // The expulsion rules are read per activity call from deps.profile (the live configuration,
  // decision 021 point 8), never copied when the worker starts.
  const { db } = deps;
  return {
    async openHearing(input: { memberId: string; invoiceIds: string[]; overdueCents: number; startedOn: string; workflowId: string; migrated?: boolean }) {
      const rules = deps.profile.expulsion;
      let deadlineMs = parseDuration(rules.hearingDeadline);
      const hearing = await db.transaction(async (tx) => {
        const row = await hearingsRepo.insertHearingOnce(tx, {
          memberId: input.memberId,
          workflowId: input.workflowId,
          invoiceIds: input.invoiceIds,
          overdueCents: input.overdueCents,
          startedOn: input.startedOn,
          deadline: hearingDeadlineDate(input.startedOn, deadlineMs),
        });
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'hearing.opened', entityType: 'member', entityId: input.memberId, details: { hearingId: row.id, invoices: input.invoiceIds.length, overdueCents: input.overdueCents } });
        return row;
      });
      // A migrated hearing (decision 047) keeps the old register's deadline: to the end of that day, Helsinki time; none left when it has passed.
      if (input.migrated) deadlineMs = Math.max(0, helsinkiDayStart(addDays(hearing.deadline, 1)).getTime() - Date.now());
      // A re-run (history lost, or a second start of a decided hearing) learns where the hearing stands:
      // its status, and a four-eyes proposal already made, so it repeats nothing (decision 069).
      return {
        hearingId: hearing.id,
        deadlineMs,
        fourEyes: rules.fourEyes,
        status: hearing.status,
        proposed: hearing.proposedBy ? { by: hearing.proposedBy, reason: hearing.proposedReason ?? '' } : null,
      };
    },

    /** How long the member's collection stays on hold from now (to the end of its last day, Helsinki), or null when no hold is in force. */
    async collectionHeldForMs(input: { memberId: string }): Promise<number | null> {
      const hold = await collectionRepo.openHold(db, input.memberId);
      const today = deps.today();
      if (!hold || !holdActive(hold, today)) return null;
      return Math.max(1000, helsinkiDayStart(addDays(hold.until, 1)).getTime() - Date.now());
    },

    /** What is still open of the hearing's invoices: 0 means the member paid the overdue amount. */
    async hearingOpenCents({ hearingId }: { hearingId: string }) {
      const hearing = await requireHearing(db, hearingId);
      return hearingsRepo.openCentsOfInvoices(db, hearing.invoiceIds);
    },

    async sendHearingLetter({ hearingId }: { hearingId: string }) {
      const hearing = await requireHearing(db, hearingId);
      const lang = await languageOf(db, hearing.memberId);
      const invoices = await hearingsRepo.invoicesOf(db, hearing.invoiceIds);
      const open = invoices.reduce((sum, i) => sum + i.openCents, 0);
      const list = invoices.map((i) => `${i.invoiceNumber} (${formatDate(i.dueDate, lang)})`).join(', ');
      const { iban } = deps.profile;
      const letter = await issueCaseLetter(deps, {
        memberId: hearing.memberId,
        kind: 'hearing-letter',
        documentKind: 'hearing-letter',
        key: `hearing-letter/${hearing.id}`,
        date: hearing.startedOn,
        values: { amount: formatMoney(open, lang), invoices: list, deadline: formatDate(hearing.deadline, lang), iban },
      });
      await hearingsRepo.updateHearing(db, hearing.id, { letterDocumentId: letter.documentId, letterMessageKey: letter.messageKey });
      return letter;
    },

    /** Only an open hearing moves on to the decision: a decided one keeps its outcome (a re-run rewinds nothing). */
    async markAwaitingDecision({ hearingId }: { hearingId: string }) {
      await hearingsRepo.updateHearing(db, hearingId, { status: 'awaiting-decision' }, 'open');
    },

    async openExpulsionTask({ hearingId, workflowId, kind }: { hearingId: string; workflowId: string; kind: 'expulsion-decision' | 'expulsion-confirmation' }) {
      const hearing = await requireHearing(db, hearingId);
      const task = await tasksRepo.upsertTask(db, {
        workflowId,
        taskKey: `${kind}/${hearingId}`,
        ...taskKind(kind),
        queue: 'members',
        subjectType: 'member',
        subjectId: hearing.memberId,
        title: kind === 'expulsion-decision' ? 'unpaid-fees-hearing-ended' : 'expulsion-needs-confirmation',
        priority: 2,
        dueAt: new Date(Date.now() + parseDuration(deps.profile.expulsion.decisionDue)),
      }, kindGroupOf(deps.profile, kind));
      // `open: false`: the task was closed before (a re-run); the process must not wait on it.
      return { taskId: task.id, open: task.status === 'open', hearingStatus: hearing.status };
    },

    async closeHearingAsPaid({ hearingId, taskOutcome }: { hearingId: string; taskOutcome: string }) {
      const hearing = await requireHearing(db, hearingId);
      await db.transaction(async (tx) => {
        await hearingsRepo.updateHearing(tx, hearingId, { status: 'paid', outcomeReason: 'paid', closedAt: new Date() });
        await closeOpenTasksOf(tx, hearing.workflowId, taskOutcome);
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'hearing.paid', entityType: 'member', entityId: hearing.memberId, details: { hearingId } });
      });
    },

    async decideNotToExpel({ hearingId, taskId, decidedBy, reason }: { hearingId: string; taskId: string; decidedBy: string; reason: string }) {
      const hearing = await requireHearing(db, hearingId);
      await db.transaction(async (tx) => {
        await hearingsRepo.updateHearing(tx, hearingId, { status: 'not-expelled', outcomeReason: reason, closedAt: new Date() });
        await closeOpenTasksOf(tx, hearing.workflowId, 'not-expelled');
        await tasksRepo.closeTask(tx, taskId, 'not-expelled');
        await recordAudit(tx, { actor: decidedBy, actorKind: 'user', action: 'hearing.not-expelled', entityType: 'member', entityId: hearing.memberId, details: { hearingId } });
      });
      await issueCaseLetter(deps, { memberId: hearing.memberId, kind: 'expulsion-not-decided', documentKind: 'expulsion-not-decided', key: `expulsion-not-decided/${hearingId}`, date: deps.today(), values: { reason } });
    },

    /** Four eyes: the first caseworker's expulsion waits for a second desk user. */
    async proposeExpulsion({ hearingId, taskId, proposedBy, reason }: { hearingId: string; taskId: string; proposedBy: string; reason: string }) {
      const hearing = await requireHearing(db, hearingId);
      await db.transaction(async (tx) => {
        await hearingsRepo.updateHearing(tx, hearingId, { proposedBy, proposedReason: reason });
        await tasksRepo.closeTask(tx, taskId, 'expulsion-proposed');
        await recordAudit(tx, { actor: proposedBy, actorKind: 'user', action: 'expulsion.proposed', entityType: 'member', entityId: hearing.memberId, details: { hearingId } });
      });
    },

    /**
     * The expulsion: effective date by the fund's rule, the decision letter (reasons, law, appeal
     * instructions) filed in case management and mailed, and the period ended with reason
     * 'expulsion' through the same repository step as every membership end. Once per hearing; a
     * payment of the whole overdue amount that landed meanwhile closes the hearing as paid instead.
     */
    async issueExpulsionDecision(input: { hearingId: string; taskId: string; decidedBy: string; reason: string; confirmedBy: string | null }): Promise<{ outcome: 'expelled' | 'paid' }> {
      const hearing = await requireHearing(db, input.hearingId);
      if (await hearingsRepo.decisionOfHearing(db, hearing.id)) return { outcome: 'expelled' };
      const open = await hearingsRepo.openCentsOfInvoices(db, hearing.invoiceIds);
      const from = await hearingsRepo.unpaidFrom(db, hearing.invoiceIds);
      if (open === 0 || from === null) {
        await db.transaction(async (tx) => {
          await hearingsRepo.updateHearing(tx, hearing.id, { status: 'paid', outcomeReason: 'paid', closedAt: new Date() });
          await closeOpenTasksOf(tx, hearing.workflowId, 'paid-before-decision');
        });
        return { outcome: 'paid' };
      }
      const lang = await languageOf(db, hearing.memberId);
      const profile = deps.profile;
      const rules = profile.expulsion;
      const effectiveDate = expulsionEffectiveDate(rules.effectiveDate, from);
      const mailedOn = deps.today();
      const deadline = appealDeadline(mailedOn, rules);
      const explanations = await hearingsRepo.explanationsOf(db, [hearing.id]);
      const letter = await issueCaseLetter(deps, {
        memberId: hearing.memberId,
        kind: 'expulsion-decision',
        documentKind: 'expulsion-decision',
        key: `expulsion-decision/${hearing.id}`,
        date: mailedOn,
        values: {
          amount: formatMoney(open, lang),
          effectiveDate: formatDate(effectiveDate, lang),
          reason: input.reason,
          explanation: explanations.length > 0 ? explanations.map((e) => `${formatDate(e.receivedOn, lang)}: ${e.text}`).join(' ') : noExplanation[lang],
          law: expulsionLaw[lang],
          appealInstructions: profile.appealInstructions[lang],
          appealDeadline: formatDate(deadline, lang),
        },
      });
      await db.transaction(async (tx) => {
        const decision = await hearingsRepo.insertDecisionOnce(tx, {
          hearingId: hearing.id,
          memberId: hearing.memberId,
          reason: input.reason,
          effectiveDate,
          decidedBy: input.decidedBy,
          confirmedBy: input.confirmedBy,
          mailedOn,
          notifiedOn: notificationDate(mailedOn, rules.notificationDelayDays),
          appealDeadline: deadline,
          documentId: letter.documentId,
          messageKey: letter.messageKey,
        });
        await membersRepo.endOpenPeriods(tx, hearing.memberId, expulsionPeriodEnd(effectiveDate), 'expulsion', input.confirmedBy ?? input.decidedBy);
        await hearingsRepo.updateHearing(tx, hearing.id, { status: 'expelled', closedAt: new Date() });
        await tasksRepo.closeTask(tx, input.taskId, 'expelled');
        await recordAudit(tx, {
          actor: input.confirmedBy ?? input.decidedBy,
          actorKind: 'user',
          action: 'member.expelled',
          entityType: 'member',
          entityId: hearing.memberId,
          details: { hearingId: hearing.id, decisionId: decision.id, effectiveDate, decidedBy: input.decidedBy, ...(input.confirmedBy ? { confirmedBy: input.confirmedBy } : {}), documentId: letter.documentId },
        });
      });
      return { outcome: 'expelled' };
    },
  };
}

export type CollectionHearingActivities = ReturnType<typeof createCollectionHearingActivities>;
