/**
 * THE authorisation table: for every API operation, who may call it. Every other signed-in caller
 * gets 403, an anonymous caller 401 (public forms excepted). tests/integration/authorization-
 * matrix.test.ts calls every operation of /api/openapi.json as every caller below and holds the
 * answers to this table; an operation without a row fails it. Add the row with the operation.
 */

/** Integration clients of the dev IdP (integrations/dev-idp/fixtures.ts), by client id. */
export const clients = ['eservices', 'union-015', 'ekj', 'bank-gateway', 'finance', 'readonly-reporting'] as const;
/** Desk users of the dev IdP, one per role (the supervisor is also a caseworker). */
export const deskUsers = ['caseworker', 'supervisor', 'billing', 'admin', 'auditor'] as const;

export type Caller = 'anonymous' | (typeof clients)[number] | (typeof deskUsers)[number];
export const callers: readonly Caller[] = ['anonymous', ...clients, ...deskUsers];

const everyone = callers;
const signedIn = callers.filter((c) => c !== 'anonymous');
const caseworkers = ['caseworker', 'supervisor'] as const;
const applicationWriters = ['eservices', 'union-015', ...caseworkers] as const;
const memberReaders = [...caseworkers, 'billing', 'admin'] as const;
const queueWorkers = [...caseworkers, 'billing'] as const;
const billingAndAdmin = ['billing', 'admin'] as const;
const billingOnly = ['billing'] as const;
const reportReaders = ['billing', 'supervisor', 'admin', 'readonly-reporting'] as const;

export const authorizationMatrix: Record<string, readonly Caller[]> = {
  me: signedIn,

  submitApplication: applicationWriters,
  getApplication: ['eservices', 'union-015', ...caseworkers, 'admin'],
  searchApplications: [...caseworkers, 'admin'],
  getApplicationOverview: [...caseworkers, 'admin'],
  submitSupplement: applicationWriters,

  listTasks: queueWorkers,
  getTask: queueWorkers,
  claimTask: queueWorkers,
  unclaimTask: queueWorkers,
  decideTask: queueWorkers,
  // The work queue for a team (decision 024): the service refuses a caseworker's assigning to others.
  assignTask: queueWorkers,
  setTaskFollowUp: queueWorkers,
  setTaskGroup: queueWorkers,
  bulkTasks: queueWorkers,
  getTaskSummary: queueWorkers,
  listTaskAssignees: ['supervisor'],
  listTaskGroups: queueWorkers,
  setTaskGroupMembers: ['supervisor'],
  listSavedTaskFilters: queueWorkers,
  saveTaskFilter: queueWorkers,
  deleteSavedTaskFilter: queueWorkers,

  searchMembers: memberReaders,
  searchMembersByBody: memberReaders,
  getMember: memberReaders,
  getMemberOverview: memberReaders,
  changeMemberContact: caseworkers,
  submitResignation: applicationWriters,
  withdrawResignation: applicationWriters,
  confirmResignationRequest: caseworkers,
  rejectResignationRequest: caseworkers,
  submitFundSwitch: applicationWriters,
  recordTransferredPeriod: caseworkers,
  reportDeath: caseworkers,

  readMembership: ['ekj', 'union-015', ...caseworkers],
  readMembershipBatch: ['ekj', 'union-015', ...caseworkers],
  readOwnData: ['eservices'],
  changeOwnContact: ['eservices'],

  listMigrationBatches: ['admin'],
  uploadMigrationBatch: ['admin'],
  getMigrationBatch: ['admin'],
  startMigrationTest: ['admin'],
  approveMigrationBatch: ['admin'],
  startMigrationReal: ['admin'],
  acceptMigrationDifference: ['admin'],
  getMigrationRejectedRecords: ['admin'],

  listMemberExemptions: memberReaders,
  grantMemberExemption: queueWorkers,
  endMemberExemption: queueWorkers,
  listUnionBatches: ['union-015', ...memberReaders],
  getUnionBatch: ['union-015', ...memberReaders],
  receiveUnionBatchFile: ['union-015'],
  receiveUnionEvents: ['union-015'],
  receiveUnionEvent: ['union-015'],
  getUnionMembers: ['union-015', ...caseworkers, 'billing'],

  startBillingRun: billingAndAdmin,
  listBillingRuns: billingAndAdmin,
  getBillingRun: billingAndAdmin,
  listFeeYears: billingAndAdmin,
  setFeeYear: ['admin'],

  // Fund configuration (issue 15): administrators only.
  listFundConfig: ['admin'],
  setFundConfig: ['admin'],
  previewFundConfig: ['admin'],
  exportFundConfig: ['admin'],
  importFundConfig: ['admin'],
  previewFundConfigImport: ['admin'],

  listMessageTemplates: ['admin'],
  getMessageTemplate: ['admin'],
  saveMessageTemplate: ['admin'],
  previewMessageTemplate: ['admin'],
  previewMessageTemplatePdf: ['admin'],

  importPaymentFile: ['bank-gateway', ...billingAndAdmin],
  getPaymentFile: ['bank-gateway', ...billingAndAdmin],
  getBankEntry: billingAndAdmin,
  allocatePayment: billingOnly,
  returnPaymentToPayer: billingOnly,
  getMemberLedger: memberReaders,
  requestRefund: billingOnly,
  issueCreditNote: billingOnly,
  getInvoicePdf: ['billing', ...caseworkers],

  getMemberHearings: memberReaders,
  recordHearingExplanation: applicationWriters,
  recordExpulsionAppeal: applicationWriters,
  recordSamuRuling: caseworkers,
  getCaseDocumentPdf: caseworkers,
  writeOffInvoice: billingOnly,
  listRefunds: billingOnly,
  createRefundPaymentFile: billingOnly,
  getJournal: ['finance', ...billingAndAdmin],
  getJournalDay: ['finance', ...billingAndAdmin],
  listJournalReconciliations: ['finance', ...billingAndAdmin],
  getJournalReconciliation: ['finance', ...billingAndAdmin],
  getFeeIncomeReport: reportReaders,
  getReceivablesAging: reportReaders,
  getMemberStatistics: reportReaders,
  getMonthlyStatistics: reportReaders,
  getKtStatistics: reportReaders,

  listSchedules: ['admin'],
  pauseSchedule: ['admin'],
  resumeSchedule: ['admin'],
  triggerSchedule: ['admin'],
  backfillSchedule: ['admin'],

  startTaxReport: billingOnly,
  listTaxYears: billingAndAdmin,
  getTaxRun: billingAndAdmin,
  getTaxFile: billingAndAdmin,
  // E-services for their logged-in member (scope own-data:read).
  getMemberFeeStatement: ['eservices', ...memberReaders],
  getMemberFeeCertificate: ['eservices', 'billing', ...caseworkers],

  getPublicFund: everyone,
  submitPublicApplication: everyone,
  submitPublicSupplement: everyone,
  submitPublicResignation: everyone,
  previewResignationConfirmation: everyone,
  confirmResignation: everyone,

  getAuditLog: ['auditor'],

  listDeskSessions: ['admin'],
  endUserSessions: ['admin'],

  getMemberCollection: ['eservices', ...memberReaders],
  holdMemberCollection: ['eservices', ...caseworkers, 'billing'],
  resumeMemberCollection: ['eservices', ...caseworkers, 'billing'],
  getCollectionOverview: memberReaders,

  // Events out (decision 018): the schemas for any caller signed in, the deliveries for administrators.
  getEventSchemas: signedIn,
  getOutboxStatus: ['admin'],
  listDeadLetters: ['admin'],
  retryDeadLetter: ['admin'],
  replayOutbox: ['admin'],
  decodeTemporalPayloads: ['admin'],
};
