import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client';
import * as applicationsRepo from '../db/repositories/applications';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import type { FundProfile, Language } from '../domain/fundProfile';
import { formatDate } from '../domain/localized';
import { ageLimitSweepBornBy, ageLimitSweepStep } from '../domain/membership/ageLimit';
import { isEntrepreneurOverLimit } from '../domain/membership/entrepreneur';
import type { MessagingAdapter } from '../integrations/adapters/messaging';
import { createMessageActivities, queueMemberMessage } from './messages';
import { heartbeat } from './alive';

export interface MembershipDailySweepDeps {
  db: Database;
  profile: FundProfile;
  messaging: MessagingAdapter;
}

/** The daily sweeps: the age limit (68) and entrepreneurs beyond the fund's 18 months. */
export function createMembershipDailySweepActivities(deps: MembershipDailySweepDeps) {
  const { db } = deps;
  const { deliverMessage } = createMessageActivities(deps);
  // The rules are read per activity call from deps.profile (the live configuration, decision 021
  // point 8), never copied when the worker starts.

  return {
    /**
     * Ends memberships at the end of the month the member turns the age limit and tells them
     * beforehand. Candidates are narrowed in SQL; the exact dates come from the domain rule.
     */
    async sweepAgeLimit({ today }: { today: string }) {
      const profile = deps.profile;
      const rules = profile.membership;
      const bornBy = ageLimitSweepBornBy(today, rules.ageLimit, rules.ageLimitNoticeBefore);
      const candidates = await membersRepo.ageLimitCandidates(db, bornBy, today);
      let ended = 0;
      let noticed = 0;
      const keys: string[] = [];
      for (const [i, c] of candidates.entries()) {
        const step = ageLimitSweepStep(c, today, rules.ageLimit, rules.ageLimitNoticeBefore);
        if (!step) continue;
        const { endDate, message: kind } = step;
        const lang = (c.language as Language) ?? 'fi';
        await db.transaction(async (tx) => {
          if (await membersRepo.endPeriod(tx, c.periodId, endDate, 'age-limit', 'system')) {
            ended += 1;
            await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'member.age-limit', entityType: 'member', entityId: c.memberId, details: { endDate } });
          }
          const key = `age-limit/${c.memberId}/${kind}`;
          await queueMemberMessage(tx, profile, c.memberId, kind, key, { endDate: formatDate(endDate, lang) });
          keys.push(key);
          noticed += 1;
        });
        if (i % 100 === 0) heartbeat({ done: i, of: candidates.length });
      }
      // A notice the messaging service refuses (no address of any kind, as in some migrated
      // records) is marked failed on the member's record; the period still ends and the sweep goes on.
      let undeliverable = 0;
      for (const key of keys) {
        try {
          await deliverMessage({ messageKey: key });
        } catch (error) {
          if (!(error instanceof ApplicationFailure && error.nonRetryable)) throw error;
          undeliverable += 1;
        }
      }
      return { candidates: candidates.length, ended, messages: noticed, undeliverable };
    },

    /** The members whose entrepreneurship has lasted past the limit (each gets an eligibility review). */
    async findEntrepreneursOverLimit({ today }: { today: string }) {
      const rows = await applicationsRepo.entrepreneursWithOpenPeriods(db, today);
      const { entrepreneurMaxMonths } = deps.profile.membership;
      const due = rows.filter((r) => r.memberId && r.since && isEntrepreneurOverLimit(r.since, today, entrepreneurMaxMonths));
      return { memberIds: [...new Set(due.map((r) => r.memberId!))] };
    },
  };
}

export type MembershipDailySweepActivities = ReturnType<typeof createMembershipDailySweepActivities>;
