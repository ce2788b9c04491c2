import { ApplicationFailure } from '@temporalio/common';
import { recordAudit } from '../db/repositories/audit';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import * as hearingsRepo from '../db/repositories/hearings';
import * as membersRepo from '../db/repositories/members';
import * as tasksRepo from '../db/repositories/tasks';
import { expulsionPeriodEnd, statementTitle } from '../domain/expulsion';
import { parseDuration, type Language } from '../domain/fundProfile';
import { formatDate } from '../domain/localized';
import type { AuditAction } from '../domain/vocabulary';
import { renderLetterPdf } from '../integrations/transforms/letterPdf';
import { issueCaseLetter, type CollectionHearingDeps } from './collectionHearing';

/** An appeal's steps: the reconsideration task, the correction, the forwarding to SAMU and its ruling. */
export function createExpulsionAppealActivities(deps: CollectionHearingDeps) {
  // deps.profile is read per call (the live configuration, decision 021 point 8), not copied here.
  const { db } = deps;

  async function load(appealId: string) {
    const appeal = await hearingsRepo.findAppeal(db, appealId);
    if (!appeal) throw ApplicationFailure.nonRetryable(`appeal ${appealId} not found`);
    const decision = await hearingsRepo.findDecision(db, appeal.decisionId);
    if (!decision) throw ApplicationFailure.nonRetryable(`decision ${appeal.decisionId} not found`);
    return { appeal, decision };
  }

  /** The membership continues unbroken: the periods the expulsion ended open again. */
  async function reinstate(appealId: string, by: string, action: AuditAction) {
    const { appeal, decision } = await load(appealId);
    await db.transaction(async (tx) => {
      await membersRepo.reopenPeriodsEnded(tx, decision.memberId, expulsionPeriodEnd(decision.effectiveDate), ['expulsion']);
      await hearingsRepo.setDecisionReinstated(tx, decision.id, deps.today());
      await recordAudit(tx, { actor: by, actorKind: 'user', action, entityType: 'member', entityId: decision.memberId, details: { appealId, decisionId: decision.id } });
    });
    return { appeal, decision };
  }

  return {
    async openReconsiderationTask({ appealId, workflowId }: { appealId: string; workflowId: string }) {
      const { appeal } = await load(appealId);
      const task = await tasksRepo.upsertTask(db, {
        workflowId,
        taskKey: `reconsideration/${appealId}`,
        ...taskKind('expulsion-reconsideration'),
        queue: 'members',
        subjectType: 'member',
        subjectId: appeal.memberId,
        title: appeal.late ? 'expulsion-appeal-late' : 'expulsion-appeal',
        priority: 2,
        dueAt: new Date(Date.now() + parseDuration(deps.profile.expulsion.decisionDue)),
      }, kindGroupOf(deps.profile, 'expulsion-reconsideration'));
      // `open: false`: reconsidered before (a re-run); the process goes on from the appeal's recorded status.
      return { taskId: task.id, open: task.status === 'open', appealStatus: appeal.status };
    },

    /** The fund corrects its own decision: reinstated from the original date, a new decision letter. */
    async correctExpulsion({ appealId, taskId, decidedBy, reason }: { appealId: string; taskId: string; decidedBy: string; reason: string }) {
      const { decision } = await load(appealId);
      const lang = ((await membersRepo.findMemberWithPerson(db, decision.memberId))?.person.language as Language | undefined) ?? 'fi';
      const letter = await issueCaseLetter(deps, {
        memberId: decision.memberId,
        kind: 'expulsion-corrected',
        documentKind: 'corrected-decision',
        key: `corrected-decision/${appealId}`,
        date: deps.today(),
        values: { effectiveDate: formatDate(decision.effectiveDate, lang), reason },
      });
      await reinstate(appealId, decidedBy, 'appeal.corrected');
      await db.transaction(async (tx) => {
        await hearingsRepo.updateAppeal(tx, appealId, { status: 'corrected', resolution: reason, resolvedBy: decidedBy, resolutionDocumentId: letter.documentId });
        await tasksRepo.closeTask(tx, taskId, 'corrected');
      });
    },

    /** The appeal goes to SAMU with the fund's statement, filed in case management; the member receives the statement. */
    async forwardAppealToSamu({ appealId, taskId, decidedBy, statement }: { appealId: string; taskId: string; decidedBy: string; statement: string }) {
      const { appeal, decision } = await load(appealId);
      const row = await membersRepo.findMemberWithPerson(db, decision.memberId);
      const lang = (row?.person.language as Language | undefined) ?? 'fi';
      const profile = deps.profile;
      // The statement itself, as the appeal board receives it (in the member's language).
      const statementPdf = renderLetterPdf({
        language: lang,
        fund: { name: profile.name[lang], businessId: profile.businessId },
        recipient: { name: lang === 'sv' ? 'Besvärsnämnden för social trygghet (SAMU)' : lang === 'en' ? 'Social Security Appeal Board (SAMU)' : 'Sosiaaliturva-asioiden muutoksenhakulautakunta (SAMU)', address: null },
        date: deps.today(),
        caseReference: String(row?.member.memberNumber ?? ''),
        title: statementTitle[lang],
        body: `${appeal.text}\n\n${statement}`,
      });
      const filed = await deps.caseManagement.archiveDocument({ key: `appeal-statement/${appealId}`, kind: 'appeal-statement', memberId: decision.memberId, title: statementTitle[lang], language: lang, contentType: 'application/pdf', bytes: statementPdf });
      await issueCaseLetter(deps, {
        memberId: decision.memberId,
        kind: 'appeal-forwarded',
        documentKind: 'appeal-statement',
        key: `appeal-forwarded/${appealId}`,
        date: deps.today(),
        values: { receivedOn: formatDate(appeal.receivedOn, lang), statement },
      });
      await db.transaction(async (tx) => {
        await hearingsRepo.updateAppeal(tx, appealId, { status: 'forwarded', resolution: statement, resolvedBy: decidedBy, resolutionDocumentId: filed.documentId });
        await tasksRepo.closeTask(tx, taskId, 'forwarded');
        await recordAudit(tx, { actor: decidedBy, actorKind: 'user', action: 'appeal.forwarded', entityType: 'member', entityId: decision.memberId, details: { appealId, documentId: filed.documentId } });
      });
    },

    /** SAMU's ruling: an overturn reinstates the member from the original date and tells them. */
    async recordSamuRuling({ appealId, outcome, ruledOn, recordedBy }: { appealId: string; outcome: 'upheld' | 'overturned'; ruledOn: string; recordedBy: string }) {
      const { decision } = await load(appealId);
      if (outcome === 'overturned') {
        await reinstate(appealId, recordedBy, 'member.reinstated');
        const lang = ((await membersRepo.findMemberWithPerson(db, decision.memberId))?.person.language as Language | undefined) ?? 'fi';
        await issueCaseLetter(deps, { memberId: decision.memberId, kind: 'samu-overturned', documentKind: 'corrected-decision', key: `samu-overturned/${appealId}`, date: deps.today(), values: { ruledOn: formatDate(ruledOn, lang) } });
      }
      await db.transaction(async (tx) => {
        await hearingsRepo.updateAppeal(tx, appealId, { status: outcome, samuRuledOn: ruledOn });
        await recordAudit(tx, { actor: recordedBy, actorKind: 'user', action: 'appeal.samu-ruling-recorded', entityType: 'member', entityId: decision.memberId, details: { appealId, outcome, ruledOn } });
      });
    },
  };
}

export type ExpulsionAppealActivities = ReturnType<typeof createExpulsionAppealActivities>;
