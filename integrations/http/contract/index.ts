/**
 * The API contract: every operation under /api with its request and response schemas. The server
 * implements exactly these (integrations/http/routing.ts), /api/openapi.json is generated from
 * them, and the desk's client and pages use the types below. Pure valibot and domain/: the web may
 * import this folder, and nothing else of the server.
 */
import * as v from 'valibot';
import { applicationOverviewSchema, applicationRoutes, applicationDataSchema, applicationSearchHitSchema, applicationSearchResultSchema, applicationReviewSchema, applicationViewSchema, findingSchema, submitApplicationSchema, supplementDataSchema } from './applications';
import { auditEntrySchema, auditLogPageSchema, auditRoutes } from './audit';
import { billingRoutes, billingRunSummarySchema, billingRunViewSchema, billingTotalsSchema, feeYearViewSchema, setFeeYearSchema } from './billing';
import { collectionBucketPattern, collectionHoldSchema, collectionOverviewSchema, collectionRoutes, collectionRunViewSchema, memberCollectionSchema } from './collection';
import { ex, invalidParamSchema, problemSchema } from './common';
import { endExemptionSchema, exemptionRoutes, feeExemptionListSchema, grantExemptionSchema } from './exemptions';
import { configPreviewSchema, configSettingViewSchema, fundConfigExportSchema, fundConfigListSchema, fundConfigRoutes, setFundConfigSchema } from './fundConfig';
import { messageTemplateListSchema, messageTemplatePreviewSchema, messageTemplateRoutes, messageTemplateViewSchema, previewMessageTemplateSchema, saveMessageTemplateSchema } from './messageTemplates';
import { appealViewSchema, hearingRoutes, hearingViewSchema, memberHearingsSchema } from './hearings';
import { defineRoute, json, type RouteContract } from './define';
import {
  contactChangeSchema,
  deliveryChannelSchema,
  memberAddressSchema,
  memberMessageSchema,
  memberOverviewSchema,
  memberPeriodSchema,
  memberResignationSchema,
  memberRoutes,
  memberSearchHitSchema,
  memberSearchResultSchema,
  memberStatusSchema,
  resignationResultSchema,
} from './members';
import { migrationBatchListSchema, migrationBatchViewSchema, migrationRoutes, uploadMigrationBatchSchema } from './migration';
import { membershipBatchResultSchema, membershipBatchSchema, membershipQuerySchema, membershipRoutes, membershipViewSchema, ownContactChangeSchema, ownDataSchema } from './membership';
import {
  allocationResultSchema,
  bankEntryViewSchema,
  feeIncomeReportSchema,
  journalReconciliationDaySchema,
  journalReconciliationsSchema,
  memberLedgerSchema,
  paymentFileDetailSchema,
  paymentFileViewSchema,
  paymentRoutes,
  receivablesAgingSchema,
} from './payments';
import { scheduleBackfillResultSchema, scheduleListSchema, scheduleRoutes, scheduleViewSchema } from './schedules';
import { ktStatisticsSchema, memberStatisticsSchema, monthlyStatisticsSchema, statisticsRoutes } from './statistics';
import { deadLetterListSchema, outboxRoutes, outboxStatusSchema, replayRequestSchema } from './outbox';
import { feeStatementSchema, startTaxReportSchema, taxReportRoutes, taxRunViewSchema, taxYearListSchema } from './taxReport';
import { temporalCodecRoutes } from './temporalCodec';
import { unionBatchDetailSchema, unionBatchListSchema, unionBatchViewSchema, unionEventsSchema, unionMemberListSchema, unionRoutes } from './unions';
import { publicFundSchema, publicResignationResultSchema, publicRoutes, submittedApplicationSchema } from './public';
import { deskSessionListSchema, deskSessionSchema, sessionRoutes } from './sessions';
import {
  addressConflictReviewSchema,
  assigneeListSchema,
  bulkResultSchema,
  decisionResultSchema,
  savedFilterListSchema,
  taskGroupListSchema,
  taskHistoryEntrySchema,
  taskSummarySchema,
  eligibilityReviewSchema,
  reviewAddressSchema,
  reviewMemberSchema,
  taskDetailSchema,
  taskListSchema,
  taskRoutes,
  taskViewSchema,
} from './tasks';

export * from './define';
/** The collection page's groups (decision 070): the desk checks its link's group with the API's own pattern. */
export { collectionBucketPattern };

/** Who is calling: a desk user (session) or an integration client (bearer token). */
export const meSchema = v.variant('kind', [
  v.object({ kind: v.literal('user'), id: v.string(), name: v.string(), roles: v.array(v.string()) }),
  v.object({ kind: v.literal('client'), id: v.string(), channel: v.string(), scopes: v.array(v.string()), unionCode: v.optional(v.string()) }),
]);

const meRoutes = {
  me: defineRoute({
    operationId: 'me',
    method: 'get',
    path: '/v1/me',
    tag: 'Session',
    summary: 'The caller: a desk user with their roles, or a client with its scopes',
    access: { kind: 'signedIn' },
    responses: { 200: json(meSchema, 'The caller', { example: { kind: 'user', id: ex.userId, name: 'Kaisa Käsittelijä', roles: ['caseworker'] } }) },
    problems: [401],
  }),
};

/** Every operation of the API, by operation id. */
export const routes = {
  ...meRoutes,
  ...applicationRoutes,
  ...taskRoutes,
  ...memberRoutes,
  ...membershipRoutes,
  ...billingRoutes,
  ...paymentRoutes,
  ...publicRoutes,
  ...sessionRoutes,
  ...auditRoutes,
  ...hearingRoutes,
  ...collectionRoutes,
  ...taxReportRoutes,
  ...outboxRoutes,
  ...fundConfigRoutes,
  ...messageTemplateRoutes,
  ...temporalCodecRoutes,
  ...statisticsRoutes,
  ...scheduleRoutes,
  ...unionRoutes,
  ...exemptionRoutes,
  ...migrationRoutes,
} satisfies Record<string, RouteContract>;

export type Routes = typeof routes;
export type OperationId = keyof Routes;

/** Schemas the document names under components/schemas, so integrators see one definition each. */
export const namedSchemas = {
  Problem: problemSchema,
  Me: meSchema,
  ApplicationData: applicationDataSchema,
  SupplementData: supplementDataSchema,
  SubmitApplication: submitApplicationSchema,
  Finding: findingSchema,
  ApplicationView: applicationViewSchema,
  ApplicationReview: applicationReviewSchema,
  TaskView: taskViewSchema,
  TaskList: taskListSchema,
  TaskDetail: taskDetailSchema,
  TaskHistoryEntry: taskHistoryEntrySchema,
  TaskBulkResult: bulkResultSchema,
  TaskSummary: taskSummarySchema,
  TaskAssignees: assigneeListSchema,
  TaskGroups: taskGroupListSchema,
  SavedTaskFilters: savedFilterListSchema,
  ReviewMember: reviewMemberSchema,
  AddressConflictReview: addressConflictReviewSchema,
  EligibilityReview: eligibilityReviewSchema,
  DecisionResult: decisionResultSchema,
  MemberSearchResult: memberSearchResultSchema,
  MemberOverview: memberOverviewSchema,
  MemberResignation: memberResignationSchema,
  Resignation: resignationResultSchema,
  ContactChange: contactChangeSchema,
  BillingTotals: billingTotalsSchema,
  BillingRunSummary: billingRunSummarySchema,
  BillingRun: billingRunViewSchema,
  FeeYear: feeYearViewSchema,
  FundConfigList: fundConfigListSchema,
  FundConfigSetting: configSettingViewSchema,
  SetFundConfig: setFundConfigSchema,
  FundConfigPreview: configPreviewSchema,
  FundConfigExport: fundConfigExportSchema,
  MessageTemplateList: messageTemplateListSchema,
  MessageTemplate: messageTemplateViewSchema,
  SaveMessageTemplate: saveMessageTemplateSchema,
  PreviewMessageTemplate: previewMessageTemplateSchema,
  MessageTemplatePreview: messageTemplatePreviewSchema,
  SetFeeYear: setFeeYearSchema,
  PaymentFile: paymentFileViewSchema,
  PaymentFileDetail: paymentFileDetailSchema,
  BankEntry: bankEntryViewSchema,
  AllocationResult: allocationResultSchema,
  MemberLedger: memberLedgerSchema,
  FeeIncomeReport: feeIncomeReportSchema,
  ReceivablesAging: receivablesAgingSchema,
  MemberStatistics: memberStatisticsSchema,
  MonthlyStatistics: monthlyStatisticsSchema,
  KtStatistics: ktStatisticsSchema,
  Schedule: scheduleViewSchema,
  ScheduleList: scheduleListSchema,
  ScheduleBackfillResult: scheduleBackfillResultSchema,
  PublicFund: publicFundSchema,
  DeskSession: deskSessionSchema,
  ApplicationSearchResult: applicationSearchResultSchema,
  ApplicationOverview: applicationOverviewSchema,
  AuditLogPage: auditLogPageSchema,
  MembershipQuery: membershipQuerySchema,
  Membership: membershipViewSchema,
  MembershipBatch: membershipBatchSchema,
  MembershipBatchResult: membershipBatchResultSchema,
  OwnData: ownDataSchema,
  OwnContactChange: ownContactChangeSchema,
  OutboxStatus: outboxStatusSchema,
  DeadLetterList: deadLetterListSchema,
  OutboxReplay: replayRequestSchema,
  MemberHearings: memberHearingsSchema,
  MemberCollection: memberCollectionSchema,
  CollectionOverview: collectionOverviewSchema,
  StartTaxReport: startTaxReportSchema,
  TaxRun: taxRunViewSchema,
  TaxYearList: taxYearListSchema,
  FeeStatement: feeStatementSchema,
  UnionEvents: unionEventsSchema,
  UnionBatch: unionBatchViewSchema,
  UnionMemberList: unionMemberListSchema,
  UnionBatchList: unionBatchListSchema,
  FeeExemptionList: feeExemptionListSchema,
  GrantExemption: grantExemptionSchema,
  EndExemption: endExemptionSchema,
  UnionBatchDetail: unionBatchDetailSchema,
  JournalReconciliationDay: journalReconciliationDaySchema,
  MigrationBatch: migrationBatchViewSchema,
  MigrationBatchList: migrationBatchListSchema,
  UploadMigrationBatch: uploadMigrationBatchSchema,
} satisfies Record<string, v.GenericSchema>;

// ---------------------------------------------------------------------------------------------
// Types of what the API answers (outputs) and takes (inputs), for the desk.

type Out<S extends v.GenericSchema> = v.InferOutput<S>;
type In<S extends v.GenericSchema> = v.InferInput<S>;

export type Me = Out<typeof meSchema>;
/** The desk signs in users only; an integration client never reaches it. */
export type DeskUser = Extract<Me, { kind: 'user' }>;
export type ApplicationData = In<typeof applicationDataSchema>;
export type SupplementData = In<typeof supplementDataSchema>;
export type FindingView = Out<typeof findingSchema>;
export type ApplicationView = Out<typeof applicationViewSchema>;
export type ApplicationReview = Out<typeof applicationReviewSchema>;
export type PublicFund = Out<typeof publicFundSchema>;
export type SubmittedApplication = Out<typeof submittedApplicationSchema>;
export type TaskView = Out<typeof taskViewSchema>;
export type TaskList = Out<typeof taskListSchema>;
export type TaskDetail = Out<typeof taskDetailSchema>;
export type TaskHistoryEntry = Out<typeof taskHistoryEntrySchema>;
export type TaskBulkResult = Out<typeof bulkResultSchema>;
export type TaskSummary = Out<typeof taskSummarySchema>;
export type TaskAssignees = Out<typeof assigneeListSchema>;
export type TaskGroups = Out<typeof taskGroupListSchema>;
export type SavedTaskFilters = Out<typeof savedFilterListSchema>;
export type ReviewMember = Out<typeof reviewMemberSchema>;
export type ReviewAddress = Out<typeof reviewAddressSchema>;
export type AddressConflictReview = Out<typeof addressConflictReviewSchema>;
export type EligibilityReview = Out<typeof eligibilityReviewSchema>;
export type DecisionResult = Out<typeof decisionResultSchema>;
export type MemberStatus = Out<typeof memberStatusSchema>;
export type MemberSearchHit = Out<typeof memberSearchHitSchema>;
export type MemberSearchResult = Out<typeof memberSearchResultSchema>;
export type DeliveryChannel = Out<typeof deliveryChannelSchema>;
export type MemberMessage = Out<typeof memberMessageSchema>;
export type MemberPeriod = Out<typeof memberPeriodSchema>;
export type MemberResignation = Out<typeof memberResignationSchema>;
export type MemberAddress = Out<typeof memberAddressSchema>;
export type MemberOverview = Out<typeof memberOverviewSchema>;
export type ContactChange = In<typeof contactChangeSchema>;
export type ResignationResult = Out<typeof resignationResultSchema>;
export type PublicResignationResult = Out<typeof publicResignationResultSchema>;
export type BillingTotals = Out<typeof billingTotalsSchema>;
export type BillingRunSummary = Out<typeof billingRunSummarySchema>;
export type BillingRunView = Out<typeof billingRunViewSchema>;
export type FeeYearView = Out<typeof feeYearViewSchema>;
export type SetFeeYear = In<typeof setFeeYearSchema>;
export type PaymentFileView = Out<typeof paymentFileViewSchema>;
export type PaymentFileDetail = Out<typeof paymentFileDetailSchema>;
export type BankEntryView = Out<typeof bankEntryViewSchema>;
export type AllocationResult = Out<typeof allocationResultSchema>;
export type MemberLedger = Out<typeof memberLedgerSchema>;
export type FeeIncomeReport = Out<typeof feeIncomeReportSchema>;
export type MemberStatistics = Out<typeof memberStatisticsSchema>;
export type MonthlyStatistics = Out<typeof monthlyStatisticsSchema>;
export type KtStatistics = Out<typeof ktStatisticsSchema>;
export type ScheduleView = Out<typeof scheduleViewSchema>;
export type ScheduleList = Out<typeof scheduleListSchema>;
export type ReceivablesAging = Out<typeof receivablesAgingSchema>;
export type DeskSessionView = Out<typeof deskSessionSchema>;
export type DeskSessionList = Out<typeof deskSessionListSchema>;
export type ApplicationSearchHit = Out<typeof applicationSearchHitSchema>;
export type ApplicationSearchResult = Out<typeof applicationSearchResultSchema>;
export type ApplicationOverview = Out<typeof applicationOverviewSchema>;
export type AuditEntry = Out<typeof auditEntrySchema>;
export type AuditLogPage = Out<typeof auditLogPageSchema>;
export type MemberHearings = Out<typeof memberHearingsSchema>;
export type HearingView = Out<typeof hearingViewSchema>;
export type AppealView = Out<typeof appealViewSchema>;
export type MemberCollection = Out<typeof memberCollectionSchema>;
export type CollectionHold = Out<typeof collectionHoldSchema>;
export type CollectionRunView = Out<typeof collectionRunViewSchema>;
export type CollectionOverview = Out<typeof collectionOverviewSchema>;
export type TaxRunView = Out<typeof taxRunViewSchema>;
export type TaxYearList = Out<typeof taxYearListSchema>;
export type FeeStatement = Out<typeof feeStatementSchema>;
export type UnionBatchList = Out<typeof unionBatchListSchema>;
export type FeeExemptionList = Out<typeof feeExemptionListSchema>;
export type UnionBatchDetail = Out<typeof unionBatchDetailSchema>;
export type JournalReconciliations = Out<typeof journalReconciliationsSchema>;
export type JournalReconciliationDay = Out<typeof journalReconciliationDaySchema>;
/** One field a request got wrong, as problem+json's invalidParams names it. */
export type InvalidParam = Out<typeof invalidParamSchema>;
