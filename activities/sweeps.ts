import { Context } from '@temporalio/activity';
import { and, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as tasksRepo from '../db/repositories/tasks';
import { applications, members, membershipPeriods, persons } from '../db/schema';
import { addDays, compareDates } from '../domain/dates';
import { parseDuration, type FundProfile, type Language } from '../domain/fundProfile';
import { formatDate } from '../domain/localized';
import { ageLimitEndDate, ageLimitNoticeDate } from '../domain/membership/ageLimit';
import { isEntrepreneurOverLimit } from '../domain/membership/entrepreneur';
import type { MessagingAdapter } from '../integrations/adapters/messaging';
import { createMessageActivities, queueMemberMessage } from './messages';

export interface SweepDeps {
  db: Database;
  profile: FundProfile;
  messaging: MessagingAdapter;
}

const heartbeat = (details: unknown) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Called outside an activity (tests of the function itself): nothing to report to.
  }
};

/** The daily sweeps: the age limit (68) and entrepreneurs beyond the fund's 18 months. */
export function createSweepActivities(deps: SweepDeps) {
  const { db, profile } = deps;
  const { deliverMessage } = createMessageActivities(deps);
  const rules = profile.membership;

  return {
    /**
     * Ends memberships at the end of the month the member turns the age limit and tells them
     * beforehand. Candidates are narrowed in SQL; the exact dates come from the domain rule.
     */
    async sweepAgeLimit({ today }: { today: string }) {
      const noticeDays = Math.ceil(parseDuration(rules.ageLimitNoticeBefore) / 86_400_000);
      const bornBy = `${Number(addDays(today, noticeDays + 31).slice(0, 4)) - rules.ageLimit}${addDays(today, noticeDays + 31).slice(4)}`;
      const candidates = await db
        .select({ memberId: members.id, birthDate: persons.birthDate, language: persons.language, periodId: membershipPeriods.id, endDate: membershipPeriods.endDate })
        .from(membershipPeriods)
        .innerJoin(members, eq(members.id, membershipPeriods.memberId))
        .innerJoin(persons, eq(persons.id, members.personId))
        .where(and(lte(persons.birthDate, bornBy), isNull(persons.dateOfDeath), or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, sql`${today}::date - 62`))));
      let ended = 0;
      let noticed = 0;
      const keys: string[] = [];
      for (const [i, c] of candidates.entries()) {
        const endDate = ageLimitEndDate(c.birthDate, rules.ageLimit);
        if (compareDates(today, ageLimitNoticeDate(endDate, rules.ageLimitNoticeBefore)) < 0) continue;
        if (c.endDate !== null && compareDates(c.endDate, endDate) <= 0 && compareDates(today, endDate) <= 0) continue;
        const lang = (c.language as Language) ?? 'fi';
        await db.transaction(async (tx) => {
          const changed = await tx
            .update(membershipPeriods)
            .set({ endDate, endReason: 'age-limit', endedBy: 'system' })
            .where(and(eq(membershipPeriods.id, c.periodId), or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, endDate))))
            .returning({ id: membershipPeriods.id });
          if (changed.length) {
            ended += 1;
            await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'member.age-limit', entityType: 'member', entityId: c.memberId, details: { endDate } });
          }
          const kind = compareDates(today, endDate) > 0 ? 'membership-ended-age' : 'age-limit-notice';
          const key = `age-limit/${c.memberId}/${kind}`;
          await queueMemberMessage(tx, profile, c.memberId, kind, key, { endDate: formatDate(endDate, lang) });
          keys.push(key);
          noticed += 1;
        });
        if (i % 100 === 0) heartbeat({ done: i, of: candidates.length });
      }
      for (const key of keys) await deliverMessage({ messageKey: key });
      return { candidates: candidates.length, ended, messages: noticed };
    },

    /** Opens an eligibility review for members whose entrepreneurship has lasted past the limit. */
    async findEntrepreneursOverLimit({ today }: { today: string }) {
      const rows = await db
        .select({ memberId: applications.memberId, since: sql<string | null>`${applications.data}->'employment'->>'entrepreneurSince'` })
        .from(applications)
        .innerJoin(membershipPeriods, eq(membershipPeriods.memberId, applications.memberId))
        .where(and(eq(applications.status, 'approved'), sql`${applications.data}->'employment'->>'status' = 'entrepreneur'`, or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, today))));
      const due = rows.filter((r) => r.memberId && r.since && isEntrepreneurOverLimit(r.since, today, rules.entrepreneurMaxMonths));
      return { memberIds: [...new Set(due.map((r) => r.memberId!))] };
    },

    async openEligibilityTask({ memberId, workflowId, reason }: { memberId: string; workflowId: string; reason: string }) {
      const task = await tasksRepo.upsertTask(db, {
        workflowId,
        taskKey: 'review',
        kind: 'eligibility-review',
        queue: 'members',
        requiredRole: 'caseworker',
        subjectType: 'member',
        subjectId: memberId,
        title: reason,
        priority: profile.intake.reviewPriority,
        dueAt: new Date(Date.now() + parseDuration(profile.intake.reviewDue)),
      });
      return { taskId: task.id };
    },

    async closeReviewTask({ taskId }: { taskId: string }) {
      await tasksRepo.closeTask(db, taskId, 'membership-continues');
    },

    async endForEligibility({ memberId, taskId, decidedBy, today }: { memberId: string; taskId: string; decidedBy: string; today: string }) {
      await db.transaction(async (tx) => {
        await tx
          .update(membershipPeriods)
          .set({ endDate: today, endReason: 'eligibility', endedBy: decidedBy })
          .where(and(eq(membershipPeriods.memberId, memberId), or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, today))));
        await tasksRepo.closeTask(tx, taskId, 'membership-ended');
        await recordAudit(tx, { actor: decidedBy, actorKind: 'user', action: 'member.eligibility-ended', entityType: 'member', entityId: memberId });
      });
    },
  };
}

export type SweepActivities = ReturnType<typeof createSweepActivities>;
