import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Database } from '../db/client';
import * as applicationsRepo from '../db/repositories/applications';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as messagesRepo from '../db/repositories/messages';
import * as personsRepo from '../db/repositories/persons';
import * as resignationsRepo from '../db/repositories/resignations';
import * as tasksRepo from '../db/repositories/tasks';
import type { MemberDeathInput } from '../workflows/definitions/memberDeath';

export interface MemberDeathDeps {
  db: Database;
  /** For stopping a deceased member's other processes. */
  temporal?: Client;
}

/** Side effects of a member's death. */
export function createMemberDeathActivities(deps: MemberDeathDeps) {
  const { db } = deps;
  return {
    /**
     * Death: date of death recorded, periods end on that day, open tasks closed, unsent messages
     * suppressed; returns the other running processes of the member for the workflow to cancel.
     */
    async recordDeath(input: MemberDeathInput) {
      return db.transaction(async (tx) => {
        const row = await membersRepo.findMemberWithPerson(tx, input.memberId);
        if (!row) throw ApplicationFailure.nonRetryable(`member ${input.memberId} not found`);
        await personsRepo.setDateOfDeath(tx, row.person, input.dateOfDeath, input.precision, {
          by: input.by,
          reason: input.source,
          effectiveFrom: input.dateOfDeath,
          memberId: input.memberId,
          ...(input.sourceKey ? { sourceKey: input.sourceKey } : {}),
        });
        await membersRepo.endOpenPeriods(tx, input.memberId, input.dateOfDeath, 'death', input.by);
        await messagesRepo.suppressPendingMessagesOfMember(tx, input.memberId);
        const openApps = await applicationsRepo.undecidedApplicationsOfIdentityCode(tx, row.person.identityCode);
        const pending = await resignationsRepo.cancelPendingResignations(tx, input.memberId);
        await tasksRepo.closeOpenTasksAbout(tx, [input.memberId, ...openApps.map((a) => a.id)], 'member-deceased');
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

export type MemberDeathActivities = ReturnType<typeof createMemberDeathActivities>;
