import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as personsRepo from '../db/repositories/persons';
import * as resignationsRepo from '../db/repositories/resignations';
import type { FundProfile, Language } from '../domain/fundProfile';
import { formatDate, formatHelsinkiDate } from '../domain/localized';
import { queueMemberMessage } from './messages';

/** Signs the confirmation link of a public resignation request (services/resignationLinks.ts). */
export interface ResignationLinkSigner {
  url(resignationId: string): string;
}

export interface MembershipEndDeps {
  db: Database;
  profile: FundProfile;
  resignationLinks: ResignationLinkSigner;
}

/** Side effects of resignations and fund switches. */
export function createMembershipEndActivities(deps: MembershipEndDeps) {
  const { db } = deps;
  return {
    /**
     * A public request: the confirmation link goes to the contact details already on record (the
     * messaging service picks e-mail, SMS or letter); nothing of the membership changes yet.
     */
    async requestResignationConfirmation({ resignationId }: { resignationId: string }) {
      return db.transaction(async (tx) => {
        const r = await resignationsRepo.lockResignation(tx, resignationId);
        if (!r) throw ApplicationFailure.nonRetryable(`resignation ${resignationId} not found`);
        if (r.status !== 'requested' || !r.confirmationExpiresAt) return { messageKey: null };
        const person = (await membersRepo.findMemberWithPerson(tx, r.memberId))?.person;
        const lang = (person?.language as Language) ?? 'fi';
        const messageKey = `resignation/${r.id}/confirmation-request`;
        await queueMemberMessage(tx, deps.profile, r.memberId, 'resignation-confirmation-request', messageKey, {
          receivedOn: formatDate(r.receivedOn, lang),
          endDate: formatDate(r.endDate, lang),
          expiresOn: formatHelsinkiDate(r.confirmationExpiresAt, lang),
          confirmUrl: deps.resignationLinks.url(r.id),
        });
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'member.resignation-confirmation-sent', entityType: 'member', entityId: r.memberId, details: { resignationId: r.id } });
        return { messageKey };
      });
    },

    /** The member's link or a caseworker confirmed the request: it becomes a pending resignation. */
    async confirmResignationRequest({ resignationId, by }: { resignationId: string; by: string }) {
      await db.transaction(async (tx) => {
        const r = await resignationsRepo.decideResignationRequest(tx, resignationId, { status: 'pending', by, reason: null });
        if (!r) return;
        await recordAudit(tx, { actor: by, actorKind: by === 'public' ? 'public' : 'user', action: 'member.resignation-request-confirmed', entityType: 'member', entityId: r.memberId, details: { resignationId, via: by === 'public' ? 'member-link' : 'caseworker' } });
      });
    },

    /** A caseworker refused the request (with a reason): the membership continues. */
    async rejectResignationRequest({ resignationId, by, reason }: { resignationId: string; by: string; reason: string }) {
      await db.transaction(async (tx) => {
        const r = await resignationsRepo.decideResignationRequest(tx, resignationId, { status: 'rejected', by, reason });
        if (!r) return;
        await recordAudit(tx, { actor: by, actorKind: 'user', action: 'member.resignation-request-rejected', entityType: 'member', entityId: r.memberId, details: { resignationId, reason } });
      });
    },

    /** Unconfirmed when the link stopped working: the request lapses and the membership continues. */
    async expireResignationRequest({ resignationId }: { resignationId: string }) {
      await db.transaction(async (tx) => {
        const r = await resignationsRepo.decideResignationRequest(tx, resignationId, { status: 'expired', by: 'system', reason: null });
        if (!r) return;
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'member.resignation-request-expired', entityType: 'member', entityId: r.memberId, details: { resignationId } });
      });
    },

    /** Applies a registered resignation: ends the period and queues the confirmation. */
    async applyResignation({ resignationId }: { resignationId: string }) {
      return db.transaction(async (tx) => {
        const r = await resignationsRepo.lockResignation(tx, resignationId);
        if (!r) throw ApplicationFailure.nonRetryable(`resignation ${resignationId} not found`);
        const messageKey = `resignation/${r.id}/confirmation`;
        if (r.status !== 'pending') return { messageKey: null, endDate: r.endDate };
        await membersRepo.endOpenPeriods(tx, r.memberId, r.endDate, r.kind === 'fund-switch' ? 'fund-switch' : 'resignation', r.submittedBy);
        const person = (await membersRepo.findMemberWithPerson(tx, r.memberId))?.person;
        if (person) {
          await personsRepo.recordChange(tx, person.id, 'membership', { endDate: null }, { endDate: r.endDate, kind: r.kind }, {
            by: r.submittedBy,
            reason: r.kind === 'fund-switch' ? `fund switch to ${r.newFund ?? 'another fund'}` : 'resignation notice',
            reasonCode: r.kind === 'fund-switch' ? 'fund_switch' : 'resignation_notice',
            reasonParams: r.kind === 'fund-switch' ? { newFund: r.newFund ?? '–' } : {},
            effectiveFrom: r.endDate,
            memberId: r.memberId,
            sourceKey: `resignation/${r.id}`,
          });
        }
        const lang = (person?.language as Language) ?? 'fi';
        await queueMemberMessage(tx, deps.profile, r.memberId, r.kind === 'fund-switch' ? 'membership-ended-switch' : 'resignation-confirmed', messageKey, {
          endDate: formatDate(r.endDate, lang),
          feeOwedUntil: formatDate(r.feeOwedUntil, lang),
        });
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: r.kind === 'fund-switch' ? 'member.fund-switch' : 'member.resignation', entityType: 'member', entityId: r.memberId, details: { resignationId: r.id, endDate: r.endDate } });
        return { messageKey, endDate: r.endDate };
      });
    },

    /** A withdrawal inside the window: the membership continues as if no notice had come. */
    async withdrawResignation({ resignationId, by, reason, actorKind }: { resignationId: string; by: string; reason?: string; actorKind?: 'user' | 'client' | 'public' }): Promise<{ messageKey: string | null }> {
      return db.transaction(async (tx) => {
        const r = await resignationsRepo.lockResignation(tx, resignationId);
        if (!r || r.status !== 'pending') return { messageKey: null };
        await membersRepo.reopenPeriodsEnded(tx, r.memberId, r.endDate, ['resignation', 'fund-switch']);
        await resignationsRepo.markResignationWithdrawn(tx, resignationId, by, reason ?? null);
        const person = (await membersRepo.findMemberWithPerson(tx, r.memberId))?.person;
        if (person) {
          await personsRepo.recordChange(tx, person.id, 'membership', { endDate: r.endDate }, { endDate: null }, {
            by,
            reason: reason ? `resignation withdrawn: ${reason}` : 'resignation withdrawn',
            reasonCode: reason ? 'resignation_withdrawn_because' : 'resignation_withdrawn',
            reasonParams: reason ? { reason } : {},
            effectiveFrom: r.endDate,
            memberId: r.memberId,
            sourceKey: `resignation/${r.id}/withdrawn`,
          });
        }
        await recordAudit(tx, { actor: by, actorKind: actorKind ?? (by === 'public' ? 'public' : 'user'), action: 'member.resignation-withdrawn', entityType: 'member', entityId: r.memberId, details: { resignationId, ...(reason ? { reason } : {}) } });
        // The member is told the notice no longer stands.
        const messageKey = `resignation/${r.id}/withdrawn`;
        const lang = (person?.language as Language) ?? 'fi';
        await queueMemberMessage(tx, deps.profile, r.memberId, 'resignation-withdrawn', messageKey, { receivedOn: formatDate(r.receivedOn, lang) });
        return { messageKey };
      });
    },

    async markResignationEffective({ resignationId }: { resignationId: string }) {
      await resignationsRepo.markResignationEffective(db, resignationId);
    },
  };
}

export type MembershipEndActivities = ReturnType<typeof createMembershipEndActivities>;
