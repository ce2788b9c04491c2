import { createApplicationIntakeActivities, type ApplicationIntakeDeps } from './applicationIntake';
import { createBiExtractActivities, type BiExtractDeps } from './biExtract';
import { createFinanceActivities, type FinanceDeps } from './finance';
import { createBankFileFetchActivities, type BankFileFetchDeps } from './bankFileFetch';
import { createBillingActivities, type BillingDeps } from './billingRun';
import { createCollectionHearingActivities, type CollectionHearingDeps } from './collectionHearing';
import { createExpulsionAppealActivities } from './expulsionAppeal';
import { createCollectionActivities, type CollectionDeps } from './collection';
import { createEligibilityReviewActivities } from './eligibilityReview';
import { createMemberDeathActivities, type MemberDeathDeps } from './memberDeath';
import { createMembershipDailySweepActivities, type MembershipDailySweepDeps } from './membershipDailySweep';
import { createMembershipEndActivities, type MembershipEndDeps } from './membershipEnd';
import { createIntakeDeciderActivities } from './intakeDecider';
import { createMessageActivities } from './messages';
import { createOutboxDeliveryActivities, type OutboxDeliveryDeps } from './outboxDelivery';
import { createPaymentFileActivities, type PaymentFileDeps } from './paymentFile';
import { createPopulationRegisterSyncActivities, type PopulationRegisterSyncDeps } from './populationRegisterSync';
import { createReconcileActivities, type ReconcileDeps } from './reconcile';
import { createMigrationActivities, type MigrationDeps } from './migration';
import { createTaxReportActivities, type TaxReportDeps } from './taxReport';
import { createUnionMemberListActivities, createUnionRemittanceActivities, type UnionMemberListDeps } from './unionRemittance';
import { createUnmatchedPaymentActivities } from './unmatchedPayment';

export type ActivityDeps = ApplicationIntakeDeps &
  MembershipDailySweepDeps &
  MemberDeathDeps &
  MembershipEndDeps &
  Omit<PopulationRegisterSyncDeps, 'today'> &
  ReconcileDeps &
  BankFileFetchDeps &
  PaymentFileDeps &
  BillingDeps &
  CollectionHearingDeps &
  CollectionDeps &
  TaxReportDeps &
  MigrationDeps &
  OutboxDeliveryDeps &
  UnionMemberListDeps &
  FinanceDeps &
  BiExtractDeps;

/** Every activity the worker runs; one object so workflows of all processes share a worker. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createMessageActivities(deps),
    ...createApplicationIntakeActivities(deps),
    ...createIntakeDeciderActivities(deps),
    ...createMembershipEndActivities(deps),
    ...createMemberDeathActivities(deps),
    ...createMembershipDailySweepActivities(deps),
    ...createEligibilityReviewActivities(deps),
    ...createPopulationRegisterSyncActivities(deps),
    ...createBillingActivities(deps),
    ...createPaymentFileActivities(deps),
    ...createUnmatchedPaymentActivities(deps),
    ...createReconcileActivities(deps),
    ...createBankFileFetchActivities(deps),
    ...createCollectionHearingActivities(deps),
    ...createExpulsionAppealActivities(deps),
    ...createCollectionActivities(deps),
    ...createTaxReportActivities(deps),
    ...createMigrationActivities(deps),
    ...createOutboxDeliveryActivities(deps),
    ...createUnionRemittanceActivities(deps),
    ...createUnionMemberListActivities(deps),
    ...createFinanceActivities(deps),
    ...createBiExtractActivities(deps),
  };
}
