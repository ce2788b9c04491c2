import { ApplicationFailure } from '@temporalio/common';
import type { Database, DbOrTx } from '../db/client';
import { newMemberPreference, shippedDeliveryRules } from '../domain/messageDelivery';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import * as applicationsRepo from '../db/repositories/applications';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as messagesRepo from '../db/repositories/messages';
import { approveNewMembers, identityCodesOfPersons } from '../db/repositories/newMemberApprovals';
import * as tasksRepo from '../db/repositories/tasks';
import type { AuditAction, MessageRecipient } from '../domain/vocabulary';
import { missingFieldsSummary, reviewTaskPriority, validateApplication, type ApplicationData } from '../domain/application';
import { parseDuration, type FundProfile, type MessageKind } from '../domain/fundProfile';
import { renderMessage } from '../domain/messageTemplates';
import { parseIdentityCode } from '../domain/identityCode';
import { formatDate, formatHelsinkiDate } from '../domain/localized';
import { mergeSupplement, type SupplementData } from '../domain/supplement';
import { applicationWorkflowId } from '../workflows/definitions/applicationIntake';

/** Signs the public link in a completion request (services/supplementLinks.ts). */
export interface SupplementLinkSigner {
  url(applicationId: string, round: number): string;
}

/** Who approves and how (the audit row's actor, the decision's fields). */
export interface ApprovalInput {
  decidedBy: string;
  reason: string | null;
  automatic: boolean;
  /** The process that decided, when it is not the application's own (the batched intake decider). */
  decider?: string;
}

type Validated = Pick<applicationsRepo.ApplicationRow, 'findings' | 'outcome' | 'startDate'>;

export interface ApplicationIntakeDeps {
  db: Database;
  profile: FundProfile;
  supplementLinks: SupplementLinkSigner;
  today: () => string;
}

/**
 * An application's decision writes, shared by its own process and the batched intake decider
 * (activities/intakeDecider.ts, decision 063), so both write the same rows.
 */
export function createApplicationDecisions(deps: Omit<ApplicationIntakeDeps, 'supplementLinks'>) {

  /** The message `kind` about the application, rendered in the applicant's language. */
  function messageOf(app: applicationsRepo.ApplicationRow, kind: MessageKind, key: string, values: Record<string, string>, memberId: string | null): messagesRepo.NewMessage {
    const data = app.data;
    const lang = data.language;
    // Read per message, not once per worker: an administrator's template applies from its date.
    const current = deps.profile;
    const all = { firstName: data.firstNames.split(' ')[0] ?? data.firstNames, fundName: current.name[lang], ...values };
    return {
      messageKey: key,
      kind,
      applicationId: app.id,
      memberId,
      language: lang,
      recipient: recipientOf(data),
      ...renderMessage(current, kind, lang, all),
    };
  }

  async function queueMessage(
    tx: DbOrTx,
    app: applicationsRepo.ApplicationRow,
    kind: MessageKind,
    key: string,
    values: Record<string, string>,
    memberId: string | null,
  ) {
    await messagesRepo.queueMessageOnce(tx, messageOf(app, kind, key, values, memberId));
  }

  /** What approving `app` writes, worked out once for the per-application and the set-based writes. */
  function approvalOf(app: applicationsRepo.ApplicationRow, input: ApprovalInput, validated: Validated | null) {
    const parsed = parseIdentityCode(app.identityCode);
    if (!parsed.ok) throw ApplicationFailure.nonRetryable(`cannot approve: ${parsed.error}`);
    const startDate = (validated ? validated.startDate : app.startDate) ?? app.receivedOn;
    const messageKey = `application/${app.id}/decision`;
    return {
      messageKey,
      startDate,
      birthDate: parsed.value.birthDate,
      deliveryChannel: newMemberPreference(deps.profile.deliveryRules ?? shippedDeliveryRules, app.data.email),
      change: { by: input.decidedBy, reason: 'membership application', reasonCode: 'membership_application' as const, effectiveFrom: startDate, sourceKey: `application/${app.id}` },
      member: { channel: app.receivedBy === 'union' ? 'union' : 'direct', unionCode: app.unionCode ?? app.data.unionCode ?? null, eligibilityBasis: app.data.eligibility?.basis ?? null },
      decision: { outcome: 'approved' as const, decidedBy: input.decidedBy, reason: input.reason, decidedAt: new Date().toISOString(), automatic: input.automatic },
      message: (memberId: string | null) => messageOf(app, 'application-approved', messageKey, { startDate: formatDate(startDate, app.data.language) }, memberId),
      audit: (memberId: string | null) => ({
        actor: input.decidedBy,
        actorKind: input.automatic ? ('system' as const) : ('user' as const),
        action: 'application.approved' as const,
        entityType: 'application',
        entityId: app.id,
        // The process that decided, when it is not the application's own (the batched intake decider).
        details: { ...(memberId ? { memberId } : {}), startDate, automatic: input.automatic, ...(input.decider ? { decider: input.decider } : {}) },
      }),
    };
  }

  /**
   * Approves a locked application: person, member, period, decision, message, audit row. `validated`
   * are the validation's findings, outcome and start date when the same transaction validated it.
   */
  async function approveLocked(tx: DbOrTx, app: applicationsRepo.ApplicationRow, input: ApprovalInput, validated: Validated | null) {
    const messageKey = `application/${app.id}/decision`;
    if (app.status === 'approved' && app.memberId) return { memberId: app.memberId, messageKey };
    const a = approvalOf(app, input, validated);
    const personId = await membersRepo.upsertPersonFromApplication(tx, app.data, a.birthDate, a.deliveryChannel, a.change);
    const memberId = await membersRepo.ensureMember(tx, personId, a.member);
    await membersRepo.openPeriodOnce(tx, memberId, a.startDate, app.id);
    await applicationsRepo.updateApplication(tx, app.id, { ...validated, status: 'approved', memberId, decision: a.decision });
    await messagesRepo.linkApplicationMessagesToMember(tx, app.id, memberId);
    await messagesRepo.queueMessageOnce(tx, a.message(memberId));
    await recordAudit(tx, a.audit(memberId));
    return { memberId, messageKey };
  }

  /**
   * Approves many locked applications (the batched intake decider, decision 066): the applicants
   * new to the register all at once, set-based (`approveNewMembers`: the same rows as
   * approveLocked, a statement per batch instead of ~15 per application); the others (a person
   * already in the register, whose changes approveLocked records; an identity code twice) one by
   * one through approveLocked. Returns each one's decision message key, in `approvals`' order.
   */
  async function approveMany(tx: DbOrTx, approvals: readonly { app: applicationsRepo.ApplicationRow; input: ApprovalInput; validated: Validated }[]): Promise<string[]> {
    const codes = approvals.map((x) => x.app.identityCode);
    const known = await identityCodesOfPersons(tx, [...new Set(codes)]);
    const once = (code: string) => codes.indexOf(code) === codes.lastIndexOf(code);
    const fresh = approvals.filter((x) => !known.has(x.app.identityCode) && once(x.app.identityCode) && x.app.status !== 'approved');
    await approveNewMembers(
      tx,
      fresh.map(({ app, input, validated }) => {
        const a = approvalOf(app, input, validated);
        const data = app.data;
        return {
          applicationId: app.id,
          // What approveLocked's createPerson is given for a new person.
          person: { ...data, birthDate: a.birthDate, address: data.address ?? null, deliveryChannel: a.deliveryChannel },
          recordedBy: a.change.by,
          startDate: a.startDate,
          member: a.member,
          application: { findings: validated.findings, outcome: validated.outcome, decision: a.decision },
          message: a.message(null),
          audit: a.audit(null),
        };
      }),
    );
    const done = new Set(fresh);
    const keys: string[] = [];
    for (const x of approvals) keys.push(done.has(x) ? `application/${x.app.id}/decision` : (await approveLocked(tx, x.app, x.input, x.validated)).messageKey);
    return keys;
  }

  /** The application's validation against the register as it stands (read through `dbOrTx`). */
  async function validated(dbOrTx: DbOrTx, app: applicationsRepo.ApplicationRow) {
    const [memberships, otherOpenApplications] = await Promise.all([
      applicationsRepo.membershipsOfIdentityCode(dbOrTx, app.identityCode),
      applicationsRepo.countOtherUndecidedApplications(dbOrTx, app.identityCode, app.id),
    ]);
    return validateApplication(app.data, {
      profile: deps.profile,
      receivedOn: app.receivedOn,
      today: deps.today(),
      memberships,
      otherOpenApplications,
    });
  }

  return { queueMessage, approveLocked, approveMany, validated };
}

/** Side effects of the intake workflow; every write is idempotent so retries are safe. */
export function createApplicationIntakeActivities(deps: ApplicationIntakeDeps) {
  // deps.profile is read per call (the live configuration, decision 021 point 8), not copied here.
  const { db } = deps;
  const { queueMessage, approveLocked, validated } = createApplicationDecisions(deps);

  return {
    async validateApplication({ applicationId }: { applicationId: string }) {
      const app = await applicationsRepo.findApplication(db, applicationId);
      if (!app) throw ApplicationFailure.nonRetryable(`application ${applicationId} not found`);
      // A re-run of a decided application (lost history, a second process) finds its own decision and
      // returns it; validating again would find its own membership and send it back to review.
      const decided = decidedOf(app);
      if (decided) return { outcome: 'decided' as const, startDate: app.startDate, findingCodes: app.findings.map((f) => f.code), decided };
      const result = await validated(db, app);
      await applicationsRepo.updateApplication(db, app.id, {
        findings: result.findings,
        outcome: result.outcome,
        startDate: result.startDate,
      });
      return { outcome: result.outcome, startDate: result.startDate, findingCodes: result.findings.map((f) => f.code), decided: null };
    },

    /**
     * validateApplication and, when the application is clean, approveApplication (automatic) in one
     * transaction: one local activity and one workflow activation instead of two, and the
     * application read and written once instead of twice (decision 044). `approved` is null unless
     * this call approved it.
     */
    async validateAndApprove({ applicationId }: { applicationId: string }) {
      return db.transaction(async (tx) => {
        const app = await applicationsRepo.findApplication(tx, applicationId, { forUpdate: true });
        if (!app) throw ApplicationFailure.nonRetryable(`application ${applicationId} not found`);
        const decided = decidedOf(app);
        if (decided) return { outcome: 'decided' as const, startDate: app.startDate, findingCodes: app.findings.map((f) => f.code), decided, approved: null };
        const result = await validated(tx, app);
        const findings = { findings: result.findings, outcome: result.outcome, startDate: result.startDate };
        const findingCodes = result.findings.map((f) => f.code);
        if (result.outcome !== 'clean') {
          await applicationsRepo.updateApplication(tx, app.id, findings);
          return { outcome: result.outcome, startDate: result.startDate, findingCodes, decided: null, approved: null };
        }
        const approved = await approveLocked(tx, app, { decidedBy: 'system', reason: null, automatic: true }, findings);
        return { outcome: result.outcome, startDate: result.startDate, findingCodes, decided: null, approved };
      });
    },

    async requestCompletion({ applicationId, round, deadlineMs }: { applicationId: string; round: number; deadlineMs: number }) {
      const messageKey = `application/${applicationId}/completion-request/${round}`;
      await db.transaction(async (tx) => {
        const app = await applicationsRepo.lockApplication(tx, applicationId);
        const deadline = new Date(app.completionDeadline && app.completionRounds === round ? app.completionDeadline : Date.now() + deadlineMs);
        await applicationsRepo.updateApplication(tx, applicationId, {
          status: 'awaiting-supplement',
          completionRounds: round,
          completionDeadline: deadline,
        });
        await queueMessage(
          tx,
          app,
          'completion-request',
          messageKey,
          {
            missing: missingFieldsSummary(app.findings, app.data.language),
            deadline: formatHelsinkiDate(deadline, app.data.language),
            supplementUrl: deps.supplementLinks.url(applicationId, round),
          },
          null,
        );
        await recordAudit(tx, systemAudit('application.completion-requested', applicationId, { round }));
      });
      return { messageKey };
    },

    async applySupplement(input: { applicationId: string; round: number; data: SupplementData; submittedBy: string }) {
      await db.transaction(async (tx) => {
        const app = await applicationsRepo.lockApplication(tx, input.applicationId);
        const stored = await applicationsRepo.insertSupplementOnce(tx, { applicationId: app.id, round: input.round, data: input.data, submittedBy: input.submittedBy });
        if (!stored) return;
        const merged = mergeSupplement(app.data, input.data);
        await applicationsRepo.updateApplication(tx, app.id, { data: merged, status: 'received' });
        await recordAudit(tx, {
          actor: input.submittedBy,
          actorKind: input.submittedBy === 'public' ? 'public' : 'client',
          action: 'application.supplemented',
          entityType: 'application',
          entityId: app.id,
          details: { round: input.round, fields: Object.keys(input.data) },
        });
      });
    },

    async openReviewTask({ applicationId, reason }: { applicationId: string; reason: 'findings' | 'completion-expired' | 'completion-undeliverable' }) {
      return db.transaction(async (tx) => {
        const app = await applicationsRepo.lockApplication(tx, applicationId);
        const { intake } = deps.profile;
        const due = new Date(Date.now() + parseDuration(intake.reviewDue));
        const task = await tasksRepo.upsertTask(tx, {
          workflowId: applicationWorkflowId(applicationId),
          taskKey: 'review',
          ...taskKind('application-review'),
          queue: 'applications',
          subjectType: 'application',
          subjectId: applicationId,
          title: reason === 'findings' ? app.findings.map((f) => f.code).join(',') : reason,
          priority: reviewTaskPriority(app.findings, intake.reviewPriority),
          dueAt: due,
        }, kindGroupOf(deps.profile, 'application-review'));
        await applicationsRepo.updateApplication(tx, applicationId, { status: 'in-review' });
        await recordAudit(tx, systemAudit('task.opened', task.id, { applicationId, reason }));
        return { taskId: task.id };
      });
    },

    async approveApplication(input: { applicationId: string; decidedBy: string; reason: string | null; automatic: boolean }) {
      return db.transaction(async (tx) => approveLocked(tx, await applicationsRepo.lockApplication(tx, input.applicationId), input, null));
    },

    async rejectApplication(input: { applicationId: string; decidedBy: string; reason: string }) {
      const messageKey = `application/${input.applicationId}/decision`;
      await db.transaction(async (tx) => {
        const app = await applicationsRepo.lockApplication(tx, input.applicationId);
        if (app.status === 'rejected') return;
        await applicationsRepo.updateApplication(tx, app.id, {
          status: 'rejected',
          decision: { outcome: 'rejected', decidedBy: input.decidedBy, reason: input.reason, decidedAt: new Date().toISOString(), automatic: false },
        });
        await queueMessage(
          tx,
          app,
          'application-rejected',
          messageKey,
          { reason: input.reason, appealInstructions: deps.profile.appealInstructions[app.data.language] },
          null,
        );
        await recordAudit(tx, {
          actor: input.decidedBy,
          actorKind: 'user',
          action: 'application.rejected',
          entityType: 'application',
          entityId: app.id,
        });
      });
      return { messageKey };
    },

    async closeTask({ taskId, outcome }: { taskId: string; outcome: string }) {
      await tasksRepo.closeTask(db, taskId, outcome);
    },
  };
}

export type ApplicationIntakeActivities = ReturnType<typeof createApplicationIntakeActivities>;

function systemAudit(action: AuditAction, entityId: string, details: Record<string, unknown>) {
  return { actor: 'system', actorKind: 'system' as const, action, entityType: action.split('.')[0]!, entityId, details };
}

/** The decision the register already holds for this application (its own earlier effect), or null. */
function decidedOf(app: applicationsRepo.ApplicationRow): { outcome: 'approved' | 'rejected'; decidedBy: string; memberId: string | null } | null {
  if (app.status === 'approved' && app.memberId) return { outcome: 'approved', decidedBy: app.decision?.decidedBy ?? 'system', memberId: app.memberId };
  if (app.status === 'rejected') return { outcome: 'rejected', decidedBy: app.decision?.decidedBy ?? 'system', memberId: null };
  return null;
}

function recipientOf(data: ApplicationData): MessageRecipient {
  return {
    name: `${data.firstNames} ${data.lastName}`,
    ...(data.email ? { email: data.email } : {}),
    ...(data.phone ? { phone: data.phone } : {}),
    ...(data.address ? { address: data.address } : {}),
  };
}
