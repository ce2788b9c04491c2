import { collectionScheduleId } from './collectionRun';
import { biExtractScheduleId, financeJournalScheduleId } from './financeJournal';
import { membershipDailyScheduleId } from './membershipDailySweep';
import { populationSyncScheduleId } from './populationRegisterSync';
import { reconcileScheduleId } from './reconcile';
import { taxCorrectionScheduleId, taxReportScheduleId } from './taxReport';

export const billingYearlyScheduleId = 'billing-yearly';
export const bankFilesScheduleId = 'bank-files';

/** Every Temporal Schedule the register creates (temporal/schedules.ts), in the order the desk lists them. */
export const registerScheduleIds = [
  billingYearlyScheduleId,
  taxReportScheduleId,
  taxCorrectionScheduleId,
  collectionScheduleId,
  populationSyncScheduleId,
  bankFilesScheduleId,
  reconcileScheduleId,
  membershipDailyScheduleId,
  financeJournalScheduleId,
  biExtractScheduleId,
] as const;
export type RegisterScheduleId = (typeof registerScheduleIds)[number];
