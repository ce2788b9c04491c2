import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, proxyLocalActivities, startChild, workflowInfo, WorkflowIdReusePolicy } from '@temporalio/workflow';
// Only import the activity types
import type { PopulationRegisterSyncActivities } from '../activities/populationRegisterSync';
import { todayInHelsinki } from '../domain/dates';
import { memberDeathWorkflowId } from './definitions/memberDeath';
import { addressConflictReviewWorkflowId, type AddressConflictReviewInput, type PopulationRegisterSyncResult } from './definitions/populationRegisterSync';
import { awaitTaskDecision } from './humanDecision';
import type { memberDeath } from './memberDeath';
import { markProcess, processStatus } from './processAttributes';

const pull = proxyActivities<PopulationRegisterSyncActivities>({ startToCloseTimeout: '1 hour', heartbeatTimeout: '5 minutes', retry: { maximumInterval: '10 minutes' } });
const local = proxyLocalActivities<PopulationRegisterSyncActivities>({ startToCloseTimeout: '1 minute' });

async function startOnce(start: () => Promise<unknown>) {
  try {
    await start();
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Started by the `population-sync` schedule: pulls population-register changes until up to date
 * (each batch applied with its token in one transaction), then starts a death process per death
 * and a caseworker review per address conflict.
 */
export async function populationRegisterSync(): Promise<PopulationRegisterSyncResult> {
  markProcess('population-sync', { key: todayInHelsinki(new Date()), status: 'pulling' });
  const result = await pull.pullPopulationChanges();
  processStatus('starting-processes');
  for (const death of result.deaths) {
    await startOnce(() =>
      startChild<typeof memberDeath>('memberDeath', {
        workflowId: memberDeathWorkflowId(death.memberId),
        args: [{ memberId: death.memberId, dateOfDeath: death.date, precision: death.precision, by: 'population-register', source: 'population-register', sourceKey: death.sourceKey }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    );
  }
  for (const conflict of result.conflicts) {
    await startOnce(() =>
      startChild(addressConflictReview, {
        workflowId: addressConflictReviewWorkflowId(conflict.sourceKey),
        args: [{ personId: conflict.personId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    );
  }
  processStatus('finished');
  return { applied: result.applied, skipped: result.skipped, rejected: result.rejected, batches: result.batches, token: result.token, deaths: result.deaths.length, conflicts: result.conflicts.length };
}

/** A population-register address that differs from the one the member gave: a caseworker decides. */
export async function addressConflictReview(input: AddressConflictReviewInput): Promise<void> {
  markProcess('address-conflict-review', { key: input.personId, status: 'awaiting-decision' });
  const decision = await awaitTaskDecision({
    openTask: () => local.openAddressConflictTask({ personId: input.personId, workflowId: workflowInfo().workflowId }),
    apply: (d, taskId) => local.resolveAddressConflict({ personId: input.personId, taskId, adopt: d.decision === 'approve', by: d.decidedBy.id }),
    // Validators do not run on replay, so this rule is safe for reviews already waiting.
    rejectionNeedsReason: { code: 'keep_address_reason_required', message: "Keeping the member's own address needs a reason." },
    alreadyDecided: { code: 'address_conflict_already_resolved', message: 'This conflict was already resolved.' },
  });
  processStatus(decision.decision === 'approve' ? 'address-adopted' : 'address-kept');
}
