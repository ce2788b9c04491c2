import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import * as membersRepo from '../db/repositories/members';
import * as tasksRepo from '../db/repositories/tasks';
import { parseDuration, type FundProfile } from '../domain/fundProfile';

export interface EligibilityReviewDeps {
  db: Database;
  profile: FundProfile;
}

/** The caseworker's review of a member's eligibility: its task, and ending the membership. */
export function createEligibilityReviewActivities(deps: EligibilityReviewDeps) {
  const { db } = deps;
  return {
    async openEligibilityTask({ memberId, workflowId, reason }: { memberId: string; workflowId: string; reason: string }) {
      // Read per call (the live configuration, decision 021 point 8), not once per worker.
      const { intake } = deps.profile;
      const task = await tasksRepo.upsertTask(db, {
        workflowId,
        taskKey: 'review',
        ...taskKind('eligibility-review'),
        queue: 'members',
        subjectType: 'member',
        subjectId: memberId,
        title: reason,
        priority: intake.reviewPriority,
        dueAt: new Date(Date.now() + parseDuration(intake.reviewDue)),
      }, kindGroupOf(deps.profile, 'eligibility-review'));
      return { taskId: task.id };
    },

    async closeReviewTask({ taskId }: { taskId: string }) {
      await tasksRepo.closeTask(db, taskId, 'membership-continues');
    },

    async endForEligibility({ memberId, taskId, decidedBy, today }: { memberId: string; taskId: string; decidedBy: string; today: string }) {
      await db.transaction(async (tx) => {
        await membersRepo.endOpenPeriods(tx, memberId, today, 'eligibility', decidedBy);
        await tasksRepo.closeTask(tx, taskId, 'membership-ended');
        await recordAudit(tx, { actor: decidedBy, actorKind: 'user', action: 'member.eligibility-ended', entityType: 'member', entityId: memberId });
      });
    },
  };
}

export type EligibilityReviewActivities = ReturnType<typeof createEligibilityReviewActivities>;
