import { createBankFileActivities } from './bankFiles';
import { createBillingActivities } from './billing';
import { createApplicationIntakeActivities, type ApplicationIntakeDeps } from './applicationIntake';
import { createEligibilityReviewActivities } from './eligibilityReview';
import { createMemberDeathActivities, type MemberDeathDeps } from './memberDeath';
import { createMembershipEndActivities } from './membershipEnd';
import { createMessageActivities } from './messages';
import { createPaymentActivities } from './payments';
import { createPopulationRegisterSyncActivities, type PopulationRegisterSyncDeps } from './populationRegisterSync';
import { createReconcileActivities, type ReconcileDeps } from './reconcile';
import type { ServiceCallDeps } from './serviceContext';
import { createMembershipDailySweepActivities, type MembershipDailySweepDeps } from './membershipDailySweep';

export type ActivityDeps = ApplicationIntakeDeps & MembershipDailySweepDeps & MemberDeathDeps & Omit<PopulationRegisterSyncDeps, 'today'> & ReconcileDeps & ServiceCallDeps;

/** Every activity the worker runs; one object so workflows of all processes share a worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createMessageActivities(deps),
    ...createApplicationIntakeActivities(deps),
    ...createMembershipEndActivities(deps),
    ...createMemberDeathActivities(deps),
    ...createMembershipDailySweepActivities(deps),
    ...createEligibilityReviewActivities(deps),
    ...createPopulationRegisterSyncActivities(deps),
    ...createBillingActivities(deps),
    ...createPaymentActivities(deps),
    ...createReconcileActivities(deps),
    ...createBankFileActivities(deps),
  };
}
