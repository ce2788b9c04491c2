import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as personsRepo from '../db/repositories/persons';
import * as resignationsRepo from '../db/repositories/resignations';
import type { FundProfile, Language } from '../domain/fundProfile';
import { formatDate } from '../domain/localized';
import { queueMemberMessage } from './messages';

export interface MembershipEndDeps {
  db: Database;
  profile: FundProfile;
}

/** Side effects of resignations and fund switches. */
export function createMembershipEndActivities(deps: MembershipEndDeps) {
  const { db, profile } = deps;
  return {
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
        await queueMemberMessage(tx, profile, r.memberId, r.kind === 'fund-switch' ? 'membership-ended-switch' : 'resignation-confirmed', messageKey, {
          endDate: formatDate(r.endDate, lang),
          feeOwedUntil: formatDate(r.feeOwedUntil, lang),
        });
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: r.kind === 'fund-switch' ? 'member.fund-switch' : 'member.resignation', entityType: 'member', entityId: r.memberId, details: { resignationId: r.id, endDate: r.endDate } });
        return { messageKey, endDate: r.endDate };
      });
    },

    /** A withdrawal inside the window: the membership continues as if no notice had come. */
    async withdrawResignation({ resignationId, by }: { resignationId: string; by: string }) {
      await db.transaction(async (tx) => {
        const r = await resignationsRepo.lockResignation(tx, resignationId);
        if (!r || r.status !== 'pending') return;
        await membersRepo.reopenPeriodsEnded(tx, r.memberId, r.endDate, ['resignation', 'fund-switch']);
        await resignationsRepo.markResignationWithdrawn(tx, resignationId);
        const person = (await membersRepo.findMemberWithPerson(tx, r.memberId))?.person;
        if (person) {
          await personsRepo.recordChange(tx, person.id, 'membership', { endDate: r.endDate }, { endDate: null }, {
            by,
            reason: 'resignation withdrawn',
            reasonCode: 'resignation_withdrawn',
            effectiveFrom: r.endDate,
            memberId: r.memberId,
            sourceKey: `resignation/${r.id}/withdrawn`,
          });
        }
        await recordAudit(tx, { actor: by, actorKind: by === 'public' ? 'public' : 'user', action: 'member.resignation-withdrawn', entityType: 'member', entityId: r.memberId, details: { resignationId } });
      });
    },

    async markResignationEffective({ resignationId }: { resignationId: string }) {
      await resignationsRepo.markResignationEffective(db, resignationId);
    },
  };
}

export type MembershipEndActivities = ReturnType<typeof createMembershipEndActivities>;
