export { applicationIntake } from './applicationIntake';
export { membershipEnd } from './membershipEnd';
export { memberDeath } from './memberDeath';
export { membershipDailySweep } from './membershipDailySweep';
export { eligibilityReview } from './eligibilityReview';
export { populationRegisterSync, addressConflictReview } from './populationRegisterSync';
export { paymentFile } from './paymentFile';
export { unmatchedPayment } from './unmatchedPayment';
export { billingRun, scheduledBillingRun } from './billingRun';
