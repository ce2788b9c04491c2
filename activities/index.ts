import { createBankFileActivities } from './bankFiles';
import { createBillingActivities, type BillingDeps } from './billingRun';
import { createIntakeActivities, type IntakeDeps } from './intake';
import { createMembershipActivities, type MembershipDeps } from './membership';
import { createPaymentActivities } from './payments';
import { createPopulationSyncActivities, type PopulationSyncDeps } from './populationSync';
import { createReconcileActivities } from './reconcile';
import type { ServiceCallDeps } from './serviceContext';
import { createSweepActivities } from './sweeps';

export type ActivityDeps = IntakeDeps & MembershipDeps & Omit<PopulationSyncDeps, 'today'> & ServiceCallDeps & BillingDeps;

/** Every activity the worker runs; one object so workflows of all processes share a worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createIntakeActivities(deps),
    ...createMembershipActivities(deps),
    ...createSweepActivities(deps),
    ...createPopulationSyncActivities(deps),
    ...createBillingActivities(deps),
    ...createPaymentActivities(deps),
    ...createReconcileActivities(deps),
    ...createBankFileActivities(deps),
  };
}
