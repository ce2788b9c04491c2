import type { Database } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import type { FundProfile } from '../domain/fundProfile';
import * as tasksRepo from '../db/repositories/tasks';
import * as unionsRepo from '../db/repositories/unions';
import { todayInHelsinki } from '../domain/dates';
import { unionMemberList } from '../domain/unions/exchange';
import type { UnionExchangeAdapter } from '../integrations/adapters/unionExchange';
import { unionMemberListFile } from '../integrations/transforms/unionBatch';
import { keptAlive } from './alive';

export interface UnionRemittanceDeps {
  db: Database;
  /** The live fund profile (read per call): its task-group mapping names the group of a new task. */
  readonly profile: Pick<FundProfile, 'taskGroups'>;
}

/** How long a billing user has for a mismatched union remittance. */
const MISMATCH_TASK_DUE_MS = 5 * 24 * 3600_000;

/** The task of a union remittance that did not match, and what its decision does. */
export function createUnionRemittanceActivities(deps: UnionRemittanceDeps) {
  const { db } = deps;
  const mismatchOf = async (id: string) => {
    const m = await unionsRepo.findMismatch(db, id);
    if (!m) throw new Error(`union remittance mismatch ${id} not found`);
    return m;
  };
  return {
    async unionMismatchFacts({ mismatchId }: { mismatchId: string }) {
      return { memberKnown: (await mismatchOf(mismatchId)).memberId !== null };
    },

    async openUnionMismatchTask({ mismatchId, workflowId }: { mismatchId: string; workflowId: string }) {
      const m = await mismatchOf(mismatchId);
      return db.transaction(async (tx) => {
        const task = await tasksRepo.upsertTask(tx, {
          workflowId,
          taskKey: 'decide',
          ...taskKind('union-remittance-mismatch'),
          queue: 'payments',
          subjectType: m.memberId ? 'member' : 'union-remittance',
          subjectId: m.memberId ?? m.id,
          title: m.reason,
          priority: 3,
          dueAt: new Date(Date.now() + MISMATCH_TASK_DUE_MS),
        }, kindGroupOf(deps.profile, 'union-remittance-mismatch'));
        await recordAudit(tx, { actor: 'system', actorKind: 'system', action: 'task.opened', entityType: 'task', entityId: task.id, details: { unionRemittanceMismatchId: m.id, reason: m.reason } });
        return { taskId: task.id };
      });
    },

    /** Books the remittance as the union sent it; a month already booked is left as it is. */
    async bookUnionMismatch({ mismatchId, taskId, by }: { mismatchId: string; taskId: string; by: string }) {
      const m = await mismatchOf(mismatchId);
      if (m.memberId) {
        await unionsRepo.bookRemittance(db, { unionCode: m.unionCode, memberId: m.memberId, period: m.period, amountCents: m.amountCents, batchId: m.batchId, lineNo: m.lineNo, bookedBy: by, bookedByKind: 'user', on: todayInHelsinki() });
      }
      await db.transaction(async (tx) => {
        await unionsRepo.setMismatchStatus(tx, m.id, 'booked');
        await tasksRepo.closeTask(tx, taskId, 'booked');
      });
    },

    async returnUnionMismatch({ mismatchId, taskId, by, reason }: { mismatchId: string; taskId: string; by: string; reason: string }) {
      const m = await mismatchOf(mismatchId);
      await db.transaction(async (tx) => {
        await unionsRepo.setMismatchStatus(tx, m.id, 'returned');
        await tasksRepo.closeTask(tx, taskId, 'returned-to-union');
        await recordAudit(tx, { actor: by, actorKind: 'user', action: 'union.remittance-returned', entityType: 'union-remittance', entityId: m.id, details: { unionCode: m.unionCode, reason, ...(m.memberId ? { memberId: m.memberId } : {}) } });
      });
    },
  };
}

export type UnionRemittanceActivities = ReturnType<typeof createUnionRemittanceActivities>;

export interface UnionMemberListDeps {
  db: Database;
  unionExchange: UnionExchangeAdapter;
}

/** The scheduled member lists: one file per union through the union-exchange adapter. */
export function createUnionMemberListActivities(deps: UnionMemberListDeps) {
  const { db, unionExchange } = deps;
  const activities = {
    async unionCodesToList(): Promise<string[]> {
      return unionsRepo.unionCodesInUse(db);
    },

    /** Sends one union's list as of `asOf`; the file key makes a retried send one delivery. */
    async sendUnionMemberList({ unionCode, asOf }: { unionCode: string; asOf: string }): Promise<{ deliveryId: string; members: number; differences: number }> {
      const list = unionMemberList(unionCode, asOf, await unionsRepo.membersOfUnion(db, unionCode));
      const { deliveryId } = await unionExchange.sendMemberList(unionMemberListFile(unionCode, asOf, list.members), { fileKey: `members-${unionCode}-${asOf}`, unionCode, asOf, members: list.members.length });
      await unionsRepo.auditMemberList(db, { actor: 'system', actorKind: 'system' }, list, 'file');
      return { deliveryId, members: list.members.length, differences: list.differences };
    },
  };
  // A union's list heartbeats while it is built and sent (the workflow gives it a 30-s heartbeat timeout).
  return keptAlive(activities, ['sendUnionMemberList']);
}

export type UnionMemberListActivities = ReturnType<typeof createUnionMemberListActivities>;
