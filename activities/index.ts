import { createBankFileFetchActivities, type BankFileFetchDeps } from './bankFileFetch';
import { createBillingActivities, type BillingDeps } from './billingRun';
import { createIntakeActivities, type IntakeDeps } from './intake';
import { createMembershipActivities, type MembershipDeps } from './membership';
import { createPaymentFileActivities } from './paymentFile';
import { createPopulationSyncActivities, type PopulationSyncDeps } from './populationSync';
import { createReconcileActivities } from './reconcile';
import type { ServiceCallDeps } from './serviceContext';
import { createSweepActivities } from './sweeps';
import { createUnmatchedPaymentActivities } from './unmatchedPayment';

export type ActivityDeps = IntakeDeps & MembershipDeps & Omit<PopulationSyncDeps, 'today'> & ServiceCallDeps & BankFileFetchDeps & BillingDeps;

/** Every activity the worker runs; one object so workflows of all processes share a worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createIntakeActivities(deps),
    ...createMembershipActivities(deps),
    ...createSweepActivities(deps),
    ...createPopulationSyncActivities(deps),
    ...createBillingActivities(deps),
    ...createPaymentFileActivities(deps),
    ...createUnmatchedPaymentActivities(deps),
    ...createReconcileActivities(deps),
    ...createBankFileFetchActivities(deps),
  };
}
