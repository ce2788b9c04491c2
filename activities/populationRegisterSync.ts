import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { kindGroupOf, taskKind } from '../domain/taskGroups';
import type { FundProfile } from '../domain/fundProfile';
import type { Database, DbOrTx } from '../db/client';
import { recordAudit } from '../db/repositories/audit';
import * as membersRepo from '../db/repositories/members';
import * as personsRepo from '../db/repositories/persons';
import * as syncRepo from '../db/repositories/populationSync';
import * as tasksRepo from '../db/repositories/tasks';
import type { PopulationChange, PopulationChangesBatch, PopulationRegisterChanges } from '../integrations/adapters/dvv';
import { DvvAuthError, pullUntilUpToDate } from '../integrations/adapters/dvv';

export interface PopulationRegisterSyncDeps {
  db: Database;
  /** The live fund profile (read per call): its task-group mapping names the group of a new task. */
  readonly profile: Pick<FundProfile, 'taskGroups'>;
  populationRegister?: PopulationRegisterChanges | null;
  today: () => string;
}

export interface AppliedBatchSummary {
  applied: number;
  skipped: number;
  rejected: number;
  deaths: { memberId: string; date: string; precision: 'day' | 'month' | 'year'; sourceKey: string }[];
  conflicts: { personId: string; sourceKey: string }[];
}

/**
 * Applies one batch of population-register changes and persists the token in the same
 * transaction, so a re-sent batch or a crash between the two can never apply a change twice.
 */
export async function applyPopulationBatch(db: Database, requestToken: number, batch: PopulationChangesBatch): Promise<AppliedBatchSummary> {
  return db.transaction(async (tx) => {
    const summary: AppliedBatchSummary = { applied: 0, skipped: 0, rejected: batch.rejected.length, deaths: [], conflicts: [] };
    for (const change of batch.changes) {
      const sourceKey = `dvv/${requestToken}/${change.position.record}/${change.position.group}`;
      const outcome = await applyChange(tx, change, sourceKey);
      if (outcome === 'skipped') summary.skipped += 1;
      else summary.applied += 1;
      if (typeof outcome === 'object' && outcome.death) summary.deaths.push(outcome.death);
      if (typeof outcome === 'object' && outcome.conflict) summary.conflicts.push(outcome.conflict);
    }
    await syncRepo.saveSyncToken(tx, batch.nextToken, batch.upToDate);
    if (batch.rejected.length) {
      await recordAudit(tx, { actor: 'population-register', actorKind: 'system', action: 'population.rejected', entityType: 'population-batch', entityId: String(requestToken), details: { rejected: batch.rejected.map((r) => ({ field: r.field, error: r.error, group: r.group })) } });
    }
    return summary;
  });
}

type ChangeOutcome =
  | 'skipped'
  | 'applied'
  | { death?: AppliedBatchSummary['deaths'][number]; conflict?: AppliedBatchSummary['conflicts'][number] };

async function applyChange(tx: DbOrTx, change: PopulationChange, sourceKey: string): Promise<ChangeOutcome> {
  const person = await personsRepo.findPersonByAnyIdentityCode(tx, change.identityCode);
  if (!person) return 'skipped';
  const memberId = await membersRepo.findMemberIdOfPerson(tx, person.id);
  const ctx = { by: 'population-register', reason: `population register (${change.group})`, reasonCode: 'population_register' as const, reasonParams: { group: change.group }, effectiveFrom: change.changedOn, sourceKey, memberId: memberId ?? null };
  switch (change.kind) {
    case 'name':
      return (await personsRepo.changeName(tx, person, { firstNames: change.firstNames, lastName: change.lastName }, { ...ctx, effectiveFrom: change.validFrom ?? change.changedOn, source: 'population-register' })) ? 'applied' : 'skipped';
    case 'address': {
      if (!change.address || change.validTo) return 'skipped';
      if (change.addressKind !== 'permanent' && change.addressKind !== 'permanent-foreign') return 'skipped';
      const address = { kind: change.addressKind, ...change.address };
      if (person.addressSource === 'member') {
        // The member told us their address themselves: keep it, record DVV's in the history, ask a caseworker.
        const recorded = await personsRepo.recordChange(tx, person.id, 'address-conflict', { source: 'member' }, { ...address, source: 'population-register' }, ctx);
        if (!recorded) return 'skipped';
        await personsRepo.recordRegisterAddress(tx, person.id, address, change.validFrom ?? change.changedOn, ctx.by);
        return { conflict: { personId: person.id, sourceKey } };
      }
      return (await personsRepo.changeAddress(tx, person, address, { ...ctx, effectiveFrom: change.validFrom ?? change.changedOn, source: 'population-register' })) ? 'applied' : 'skipped';
    }
    case 'death':
      if (!change.dead || !change.date || !memberId) return 'skipped';
      return { death: { memberId, date: change.date, precision: change.precision ?? 'day', sourceKey } };
    case 'non-disclosure':
      return (await personsRepo.setNonDisclosure(tx, person, change.active, change.until, ctx)) ? 'applied' : 'skipped';
    case 'identity-code-correction':
      return (await personsRepo.correctIdentityCode(tx, person, change.activeCode, ctx)) ? 'applied' : 'skipped';
    case 'municipality': {
      if (person.municipality === change.municipalityCode) return 'skipped';
      if (!(await personsRepo.recordChange(tx, person.id, 'municipality', person.municipality, change.municipalityCode, ctx))) return 'skipped';
      await personsRepo.setMunicipality(tx, person.id, change.municipalityCode);
      return 'applied';
    }
    default:
      return 'skipped';
  }
}

/** Activities of the population-register sync process. */
export function createPopulationRegisterSyncActivities(deps: PopulationRegisterSyncDeps) {
  return {
    async openAddressConflictTask({ personId, workflowId }: { personId: string; workflowId: string }) {
      const memberId = await membersRepo.findMemberIdOfPerson(deps.db, personId);
      if (!memberId) throw ApplicationFailure.nonRetryable(`person ${personId} is not a member`);
      const task = await tasksRepo.upsertTask(deps.db, {
        workflowId,
        taskKey: 'review',
        ...taskKind('address-conflict'),
        queue: 'members',
        subjectType: 'member',
        subjectId: memberId,
        title: 'population-address-conflict',
        priority: 3,
        dueAt: new Date(Date.now() + 7 * 86_400_000),
      }, kindGroupOf(deps.profile, 'address-conflict'));
      return { taskId: task.id };
    },

    /** "Approve" adopts the population register's address; "reject" keeps the member's own. */
    async resolveAddressConflict({ personId, taskId, adopt, by }: { personId: string; taskId: string; adopt: boolean; by: string }) {
      await deps.db.transaction(async (tx) => {
        if (adopt) {
          const person = await personsRepo.findPerson(tx, personId);
          const latest = await personsRepo.latestRegisterAddress(tx, personId);
          if (person && latest) {
            await personsRepo.changeAddress(tx, person, { kind: latest.kind, street: latest.street, postalCode: latest.postalCode, city: latest.city, country: latest.country }, { by, reason: 'address conflict resolved: population register', reasonCode: 'address_conflict_register', effectiveFrom: latest.validFrom, source: 'population-register' });
          }
        }
        await tasksRepo.closeTask(tx, taskId, adopt ? 'population-address-adopted' : 'member-address-kept');
      });
    },

    /** Pulls until DVV is up to date, applying and persisting each batch; returns what needs a process. */
    async pullPopulationChanges() {
      const source = deps.populationRegister;
      if (!source) throw ApplicationFailure.nonRetryable('No population-register change source is configured (DVV_CHANGES_URL).');
      const startToken = (await syncRepo.readSyncToken(deps.db)) ?? (await source.firstToken(deps.today()));
      const identityCodes = await membersRepo.identityCodesOfLivingMembers(deps.db);
      const totals = { applied: 0, skipped: 0, rejected: 0 };
      const deaths: AppliedBatchSummary['deaths'] = [];
      const conflicts: AppliedBatchSummary['conflicts'] = [];
      let requestToken = startToken;
      try {
        const result = await pullUntilUpToDate(source, {
          token: startToken,
          identityCodes,
          onBatch: async (batch) => {
            const summary = await applyPopulationBatch(deps.db, requestToken, batch);
            requestToken = batch.nextToken;
            totals.applied += summary.applied;
            totals.skipped += summary.skipped;
            totals.rejected += summary.rejected;
            deaths.push(...summary.deaths);
            conflicts.push(...summary.conflicts);
            try {
              Context.current().heartbeat({ token: batch.nextToken });
            } catch {
              // Outside an activity.
            }
          },
        });
        return { ...totals, token: result.token, batches: result.batches, upToDate: result.upToDate, deaths, conflicts };
      } catch (error) {
        if (error instanceof DvvAuthError) throw ApplicationFailure.nonRetryable(`population register refused our credentials: ${error.message}`);
        throw error;
      }
    },
  };
}

export type PopulationRegisterSyncActivities = ReturnType<typeof createPopulationRegisterSyncActivities>;
