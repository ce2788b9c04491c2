import { ApplicationFailure } from '@temporalio/common';
import { and, eq, isNull, or, gt, sql, inArray } from 'drizzle-orm';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as personsRepo from '../db/repositories/persons';
import { applications, members, membershipPeriods, messages, persons, resignations, tasks, type PeriodEndReason } from '../db/schema';
import type { FundProfile, Language } from '../domain/fundProfile';
import { formatDate } from '../domain/localized';
import { queueMemberMessage } from './messages';

export interface MembershipDeps {
  db: Database;
  profile: FundProfile;
  /** For stopping a deceased member's other processes. */
  temporal?: Client;
}

/** Ends the member's open (or later-ending) periods on `endDate`; idempotent. */
async function endOpenPeriods(db: Database | Parameters<Parameters<Database['transaction']>[0]>[0], memberId: string, endDate: string, reason: PeriodEndReason, by: string) {
  return db
    .update(membershipPeriods)
    .set({ endDate, endReason: reason, endedBy: by })
    .where(and(eq(membershipPeriods.memberId, memberId), or(isNull(membershipPeriods.endDate), gt(membershipPeriods.endDate, endDate))))
    .returning({ id: membershipPeriods.id });
}

/** Side effects of resignations, fund switches and deaths. */
export function createMembershipActivities(deps: MembershipDeps) {
  const { db, profile } = deps;
  return {
    /** Applies a registered resignation: ends the period and queues the confirmation. */
    async applyResignation({ resignationId }: { resignationId: string }) {
      return db.transaction(async (tx) => {
        const [r] = await tx.select().from(resignations).where(eq(resignations.id, resignationId)).for('update');
        if (!r) throw ApplicationFailure.nonRetryable(`resignation ${resignationId} not found`);
        const messageKey = `resignation/${r.id}/confirmation`;
        if (r.status !== 'pending') return { messageKey: null, endDate: r.endDate };
        await endOpenPeriods(tx, r.memberId, r.endDate, r.kind === 'fund-switch' ? 'fund-switch' : 'resignation', r.submittedBy);
        const [person] = await tx.select({ id: persons.id, language: persons.language }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.id, r.memberId));
        if (person) {
          await personsRepo.recordChange(tx, person.id, 'membership', { endDate: null }, { endDate: r.endDate, kind: r.kind }, {
            by: r.submittedBy,
            reason: r.kind === 'fund-switch' ? `fund switch to ${r.newFund ?? 'another fund'}` : 'resignation notice',
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
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: `member.${r.kind}`, entityType: 'member', entityId: r.memberId, details: { resignationId: r.id, endDate: r.endDate } });
        return { messageKey, endDate: r.endDate };
      });
    },

    /** A withdrawal inside the window: the membership continues as if no notice had come. */
    async withdrawResignation({ resignationId, by }: { resignationId: string; by: string }) {
      await db.transaction(async (tx) => {
        const [r] = await tx.select().from(resignations).where(eq(resignations.id, resignationId)).for('update');
        if (!r || r.status !== 'pending') return;
        await tx
          .update(membershipPeriods)
          .set({ endDate: null, endReason: null, endedBy: null })
          .where(and(eq(membershipPeriods.memberId, r.memberId), eq(membershipPeriods.endDate, r.endDate), inArray(membershipPeriods.endReason, ['resignation', 'fund-switch'])));
        await tx.update(resignations).set({ status: 'withdrawn', withdrawnAt: sql`now()` }).where(eq(resignations.id, resignationId));
        const [person] = await tx.select({ id: persons.id }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.id, r.memberId));
        if (person) {
          await personsRepo.recordChange(tx, person.id, 'membership', { endDate: r.endDate }, { endDate: null }, {
            by,
            reason: 'resignation withdrawn',
            effectiveFrom: r.endDate,
            memberId: r.memberId,
            sourceKey: `resignation/${r.id}/withdrawn`,
          });
        }
        await recordAudit(tx, { actor: by, actorKind: by === 'public' ? 'public' : 'user', action: 'member.resignation-withdrawn', entityType: 'member', entityId: r.memberId, details: { resignationId } });
      });
    },

    async markResignationEffective({ resignationId }: { resignationId: string }) {
      await db.update(resignations).set({ status: 'effective' }).where(and(eq(resignations.id, resignationId), eq(resignations.status, 'pending')));
    },

    /**
     * Death: date of death recorded, periods end on that day, open tasks closed, unsent messages
     * suppressed; returns the other running processes of the member for the workflow to cancel.
     */
    async recordDeath(input: { memberId: string; dateOfDeath: string; precision: 'day' | 'month' | 'year'; by: string; source: string; sourceKey?: string }) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select({ person: persons }).from(members).innerJoin(persons, eq(persons.id, members.personId)).where(eq(members.id, input.memberId));
        if (!row) throw ApplicationFailure.nonRetryable(`member ${input.memberId} not found`);
        await personsRepo.setDateOfDeath(tx, row.person, input.dateOfDeath, input.precision, {
          by: input.by,
          reason: input.source,
          effectiveFrom: input.dateOfDeath,
          memberId: input.memberId,
          ...(input.sourceKey ? { sourceKey: input.sourceKey } : {}),
        });
        await endOpenPeriods(tx, input.memberId, input.dateOfDeath, 'death', input.by);
        await tx.update(messages).set({ status: 'suppressed' }).where(and(eq(messages.memberId, input.memberId), eq(messages.status, 'pending')));
        const openApps = await tx.select({ id: applications.id, workflowId: applications.workflowId }).from(applications).where(and(eq(applications.identityCode, row.person.identityCode), inArray(applications.status, ['received', 'awaiting-supplement', 'in-review'])));
        const pending = await tx.select({ id: resignations.id, workflowId: resignations.workflowId }).from(resignations).where(and(eq(resignations.memberId, input.memberId), eq(resignations.status, 'pending')));
        await tx.update(resignations).set({ status: 'cancelled' }).where(and(eq(resignations.memberId, input.memberId), eq(resignations.status, 'pending')));
        await tx
          .update(tasks)
          .set({ status: 'closed', outcome: 'member-deceased', closedAt: sql`now()` })
          .where(and(eq(tasks.status, 'open'), or(eq(tasks.subjectId, input.memberId), inArray(tasks.subjectId, openApps.length ? openApps.map((a) => a.id) : ['00000000-0000-0000-0000-000000000000']))));
        await recordAudit(tx, { actor: input.by, actorKind: input.by === 'system' ? 'system' : 'user', action: 'member.death-recorded', entityType: 'member', entityId: input.memberId, details: { source: input.source } });
        return { workflowIds: [...openApps.map((a) => a.workflowId), ...pending.map((r) => r.workflowId)] };
      });
    },

    /** Cancels the member's other running processes (an ended workflow is simply skipped). */
    async cancelProcesses({ workflowIds, reason }: { workflowIds: string[]; reason: string }) {
      if (!deps.temporal) throw ApplicationFailure.nonRetryable('no Temporal client wired for cancelling processes');
      for (const id of workflowIds) {
        try {
          await deps.temporal.workflow.getHandle(id).terminate(reason);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
    },
  };
}

export type MembershipActivities = ReturnType<typeof createMembershipActivities>;
