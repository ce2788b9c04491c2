import { error, redirect } from '@sveltejs/kit';
import {
  routes,
  type BodyInput,
  type DeskUser,
  type FieldsSchema,
  type InvalidParam,
  type JsonBody,
  type Ok,
  type ParamsInput,
  type QueryInput,
  type RouteContract,
} from '$contract';
import type { Lang } from '$lib/i18n';
import type { MessageChannel } from '../../../domain/fundProfile';

/** An RFC 9457 problem answered by the API, kept whole so pages can show `detail` and field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly invalidParams: InvalidParam[] = [],
    /** The problem's other members (a malformed bank file's `line`, `element`, `format`, …). */
    readonly extra: Record<string, unknown> = {},
    /** The stable code the desk translates (web/lib/i18n/codes.ts), and the values its text needs. */
    readonly code: string | null = null,
    readonly params: Record<string, string | number> = {},
  ) {
    super(`${status} ${title}: ${detail}`);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type Fetch = typeof fetch;

async function apiErrorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { title?: unknown; detail?: unknown; invalidParams?: unknown } & Record<string, unknown>;
    const params = Array.isArray(body.invalidParams)
      ? body.invalidParams.filter(
          (p): p is InvalidParam => typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.reason === 'string',
        )
      : [];
    const { type: _type, title, status: _status, detail, instance: _instance, invalidParams: _params, code, params: codeParams, ...extra } = body;
    return new ApiError(res.status, typeof title === 'string' ? title : res.statusText, typeof detail === 'string' ? detail : '', params, extra, typeof code === 'string' ? code : null, paramsOf(codeParams));
  } catch {
    // Not every failure is ours to shape (a proxy or a 503 from the hook answers in plain text).
    return new ApiError(res.status, res.statusText || 'Error', text.slice(0, 500));
  }
}

/** A problem's `params`: only text and number values, which is all a translation interpolates. */
function paramsOf(value: unknown): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

/** What a page needs to show a problem in its reader's language: the code, its params and the status. */
export function problemOf(e: ApiError): { status: number; code: string | null; params: Record<string, string | number> } {
  return { status: e.status, code: e.code, params: e.params };
}

/** Query values go out as text; a field the API reads from digits may be given as a number. */
type QueryValues<Q> = { [K in keyof Q]?: Q[K] | (string extends NonNullable<Q[K]> ? number : never) };

/** What a call of an operation takes, from its contract: path parameters, query and JSON body. */
type CallInput<C extends RouteContract> = (C['params'] extends FieldsSchema ? { params: ParamsInput<C> } : { params?: undefined }) &
  (C['query'] extends FieldsSchema ? { query?: QueryValues<QueryInput<C>> } : { query?: undefined }) &
  (C['body'] extends JsonBody ? { body: BodyInput<C> } : { body?: undefined });

const seg = encodeURIComponent;

/** The operation's path with its parameters filled in; a slash parameter keeps its slashes. */
function pathOf(route: RouteContract, params: Record<string, unknown> = {}): string {
  return `/api${route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = String(params[name]);
    return route.slashParams?.includes(name) ? value.split('/').map(seg).join('/') : seg(value);
  })}`;
}

function query(params: Record<string, unknown> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Calls one operation of the contract; the answer is typed by its response schemas. */
async function call<C extends RouteContract>(fetch: Fetch, route: C, input: CallInput<C>): Promise<Ok<C>> {
  const init: RequestInit = { method: route.method.toUpperCase(), headers: { accept: 'application/json, application/problem+json' } };
  if (input.body !== undefined) {
    init.body = JSON.stringify(input.body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(pathOf(route, input.params) + query(input.query), init);
  if (!res.ok) throw await apiErrorOf(res);
  return (await res.json()) as Ok<C>;
}

/** A request whose body is a file as it is (not JSON), answered with JSON. */
async function callRaw<C extends RouteContract>(fetch: Fetch, route: C, q: QueryValues<QueryInput<C>>, body: Uint8Array, contentType: string): Promise<{ status: number; body: Ok<C> }> {
  const res = await fetch(pathOf(route) + query(q), {
    method: route.method.toUpperCase(),
    headers: { accept: 'application/json, application/problem+json', 'content-type': contentType },
    body: body as BodyInit,
  });
  if (!res.ok) throw await apiErrorOf(res);
  return { status: res.status, body: (await res.json()) as Ok<C> };
}

/** A CSV file the API answers, as the Response the desk passes on; a problem is thrown as an ApiError. */
async function csvFile(fetch: Fetch, url: string): Promise<Response> {
  const res = await fetch(url, { headers: { accept: 'text/csv, application/problem+json' } });
  if (!res.ok) throw await apiErrorOf(res);
  return res;
}

export type AuditLogQuery = Omit<QueryValues<QueryInput<typeof routes.getAuditLog>>, 'format'>;

export type TaskListQuery = Omit<QueryValues<QueryInput<typeof routes.listTasks>>, 'lang'>;

/**
 * The API as the web layer sees it. Give it SvelteKit's `event.fetch`, so same-origin calls
 * carry the user's session cookie and never leave the process.
 */
export function apiClient(fetch: Fetch) {
  return {
    me: async (): Promise<DeskUser> => {
      const me = await call(fetch, routes.me, {});
      if (me.kind !== 'user') throw new ApiError(403, 'Forbidden', 'The desk is for desk users; integrations use the API directly.', [], {}, 'desk_users_only');
      return me;
    },
    fund: () => call(fetch, routes.getPublicFund, {}),
    submitApplication: (idempotencyKey: string, data: BodyInput<typeof routes.submitPublicApplication>['data']) =>
      call(fetch, routes.submitPublicApplication, { body: { idempotencyKey, data } }),
    submitSupplement: (id: string, round: number | undefined, token: string, data: BodyInput<typeof routes.submitPublicSupplement>['data']) =>
      call(fetch, routes.submitPublicSupplement, { params: { id }, body: { ...(round !== undefined ? { round } : {}), token, data } }),
    tasks: (q: TaskListQuery) => call(fetch, routes.listTasks, { query: q }),
    task: (id: string, lang: Lang) => call(fetch, routes.getTask, { params: { id }, query: { lang } }),
    claim: (id: string) => call(fetch, routes.claimTask, { params: { id } }),
    unclaim: (id: string) => call(fetch, routes.unclaimTask, { params: { id } }),
    assign: (id: string, userId: string, expectedHolder?: string | null) =>
      call(fetch, routes.assignTask, { params: { id }, body: { userId, ...(expectedHolder !== undefined ? { expectedHolder } : {}) } }),
    setFollowUp: (id: string, followUpOn: string | null) => call(fetch, routes.setTaskFollowUp, { params: { id }, body: { followUpOn } }),
    setTaskGroup: (id: string, group: string | null) => call(fetch, routes.setTaskGroup, { params: { id }, body: { group } }),
    bulkTasks: (body: BodyInput<typeof routes.bulkTasks>) => call(fetch, routes.bulkTasks, { body }),
    taskSummary: () => call(fetch, routes.getTaskSummary, {}),
    taskAssignees: () => call(fetch, routes.listTaskAssignees, {}),
    taskGroups: () => call(fetch, routes.listTaskGroups, {}),
    setTaskGroupMembers: (group: string, members: string[]) => call(fetch, routes.setTaskGroupMembers, { params: { group }, body: { members } }),
    savedTaskFilters: () => call(fetch, routes.listSavedTaskFilters, {}),
    saveTaskFilter: (body: BodyInput<typeof routes.saveTaskFilter>) => call(fetch, routes.saveTaskFilter, { body }),
    deleteTaskFilter: (id: string) => call(fetch, routes.deleteSavedTaskFilter, { params: { id } }),
    decide: (id: string, decision: 'approve' | 'reject', reason?: string, opts: { acknowledgeProvisionalFeeYear?: boolean } = {}) =>
      call(fetch, routes.decideTask, { params: { id }, body: { decision, ...(reason ? { reason } : {}), ...(opts.acknowledgeProvisionalFeeYear ? { acknowledgeProvisionalFeeYear: true } : {}) } }),
    /** In the body, never the URL: the query may be an identity code. */
    searchMembers: (q: string, limit = 20) => call(fetch, routes.searchMembersByBody, { body: { q, limit } }),
    searchApplications: (q: string, limit = 20) => call(fetch, routes.searchApplications, { body: { q, limit } }),
    applicationOverview: (id: string, lang: Lang) => call(fetch, routes.getApplicationOverview, { params: { id }, query: { lang } }),
    auditLog: (q: AuditLogQuery) => call(fetch, routes.getAuditLog, { query: q }),
    /** The filtered audit log as CSV, for the desk to pass on as a download. */
    auditLogCsv: (q: AuditLogQuery): Promise<Response> => csvFile(fetch, pathOf(routes.getAuditLog) + query({ ...q, format: 'csv' })),
    memberOverview: (id: string) => call(fetch, routes.getMemberOverview, { params: { id } }),
    memberHearings: (id: string) => call(fetch, routes.getMemberHearings, { params: { id } }),
    recordExplanation: (id: string, hid: string, body: { text: string; receivedOn?: string }) => call(fetch, routes.recordHearingExplanation, { params: { id, hid }, body }),
    recordAppeal: (id: string, did: string, body: { text: string; receivedOn?: string }) => call(fetch, routes.recordExpulsionAppeal, { params: { id, did }, body }),
    recordSamuRuling: (id: string, aid: string, body: { outcome: 'upheld' | 'overturned'; ruledOn: string }) => call(fetch, routes.recordSamuRuling, { params: { id, aid }, body }),
    memberCollection: (id: string) => call(fetch, routes.getMemberCollection, { params: { id } }),
    holdCollection: (id: string, body: BodyInput<typeof routes.holdMemberCollection>) => call(fetch, routes.holdMemberCollection, { params: { id }, body }),
    resumeCollection: (id: string) => call(fetch, routes.resumeMemberCollection, { params: { id } }),
    collectionOverview: (q: QueryValues<QueryInput<typeof routes.getCollectionOverview>> = {}) => call(fetch, routes.getCollectionOverview, { query: q }),
    changeContact: (id: string, change: BodyInput<typeof routes.changeMemberContact>) => call(fetch, routes.changeMemberContact, { params: { id }, body: change }),
    resign: (id: string, body: BodyInput<typeof routes.submitResignation>) => call(fetch, routes.submitResignation, { params: { id }, body }),
    withdrawResignation: (id: string, resignationId: string, reason: string) => call(fetch, routes.withdrawResignation, { params: { id, rid: resignationId }, body: { reason } }),
    confirmResignationRequest: (id: string, resignationId: string, reason?: string) =>
      call(fetch, routes.confirmResignationRequest, { params: { id, rid: resignationId }, body: reason ? { reason } : {} }),
    rejectResignationRequest: (id: string, resignationId: string, reason: string) => call(fetch, routes.rejectResignationRequest, { params: { id, rid: resignationId }, body: { reason } }),
    fundSwitch: (id: string, body: BodyInput<typeof routes.submitFundSwitch>) => call(fetch, routes.submitFundSwitch, { params: { id }, body }),
    recordDeath: (id: string, body: BodyInput<typeof routes.reportDeath>) => call(fetch, routes.reportDeath, { params: { id }, body }),
    billingRuns: () => call(fetch, routes.listBillingRuns, {}),
    /** `id` is the run id (`billing-run/a-kassa/2027`) or the uuid standing for it. */
    billingRun: (id: string) => call(fetch, routes.getBillingRun, { params: { id } }),
    startBillingRun: (body: BodyInput<typeof routes.startBillingRun>) => call(fetch, routes.startBillingRun, { body }),
    feeYears: () => call(fetch, routes.listFeeYears, {}),
    setFeeYear: (year: string, body: BodyInput<typeof routes.setFeeYear>) => call(fetch, routes.setFeeYear, { params: { year }, body }),
    /**
     * The raw bank file as the body: `application/xml` is a camt.054, `text/plain` a KTL file.
     * 202 means a new file, 200 the same bytes again (nothing is booked twice).
     */
    uploadPaymentFile: (bytes: Uint8Array, contentType: 'application/xml' | 'text/plain', filename?: string) =>
      callRaw(fetch, routes.importPaymentFile, { filename }, bytes, contentType),
    paymentFile: (id: string) => call(fetch, routes.getPaymentFile, { params: { id } }),
    bankEntry: (entryId: string) => call(fetch, routes.getBankEntry, { params: { entryId } }),
    allocatePayment: (entryId: string, body: BodyInput<typeof routes.allocatePayment>) => call(fetch, routes.allocatePayment, { params: { entryId }, body }),
    memberLedger: (id: string) => call(fetch, routes.getMemberLedger, { params: { id } }),
    issueCreditNote: (invoiceId: string, body: BodyInput<typeof routes.issueCreditNote>) => call(fetch, routes.issueCreditNote, { params: { id: invoiceId }, body }),
    writeOffInvoice: (invoiceId: string, body: BodyInput<typeof routes.writeOffInvoice>) => call(fetch, routes.writeOffInvoice, { params: { id: invoiceId }, body }),
    requestRefund: (memberId: string, body: BodyInput<typeof routes.requestRefund>) => call(fetch, routes.requestRefund, { params: { id: memberId }, body }),
    feeIncome: (from: string, to: string) => call(fetch, routes.getFeeIncomeReport, { query: { from, to, granularity: 'month' } }),
    receivablesAging: (on: string) => call(fetch, routes.getReceivablesAging, { query: { on } }),
    journalReconciliations: (q: QueryValues<QueryInput<typeof routes.listJournalReconciliations>>) => call(fetch, routes.listJournalReconciliations, { query: q }),
    journalReconciliation: (date: string) => call(fetch, routes.getJournalReconciliation, { params: { date } }),
    memberExemptions: (id: string) => call(fetch, routes.listMemberExemptions, { params: { id } }),
    grantExemption: (id: string, body: BodyInput<typeof routes.grantMemberExemption>) => call(fetch, routes.grantMemberExemption, { params: { id }, body }),
    endExemption: (id: string, eid: string, body: BodyInput<typeof routes.endMemberExemption>) => call(fetch, routes.endMemberExemption, { params: { id, eid }, body }),
    unionBatches: (q: QueryValues<QueryInput<typeof routes.listUnionBatches>>) => call(fetch, routes.listUnionBatches, { query: q }),
    unionBatch: (id: string, q: QueryValues<QueryInput<typeof routes.getUnionBatch>> = {}) => call(fetch, routes.getUnionBatch, { params: { id }, query: q }),
    memberStatistics: (on: string) => call(fetch, routes.getMemberStatistics, { query: { on } }),
    monthlyStatistics: (from: string, to: string) => call(fetch, routes.getMonthlyStatistics, { query: { from, to } }),
    ktStatistics: (month: string) => call(fetch, routes.getKtStatistics, { query: { month } }),
    /** One statistics table as the API's formula-safe CSV, for the desk to pass on as a download. */
    statisticsCsv: (path: 'members' | 'monthly' | 'kt', params: Record<string, string>): Promise<Response> => {
      const route = path === 'members' ? routes.getMemberStatistics : path === 'monthly' ? routes.getMonthlyStatistics : routes.getKtStatistics;
      return csvFile(fetch, pathOf(route) + query({ ...params, format: 'csv' }));
    },
    /** The bookkeeping journal as the API serves it (CSV or JSON), for the desk to pass on as a download. */
    journal: async (from: string, to: string, format: 'csv' | 'json'): Promise<Response> => {
      const res = await fetch(pathOf(routes.getJournal) + query({ from, to, format }), {
        headers: { accept: format === 'csv' ? 'text/csv, application/problem+json' : 'application/json, application/problem+json' },
      });
      if (!res.ok) throw await apiErrorOf(res);
      return res;
    },
    submitPublicResignation: (body: BodyInput<typeof routes.submitPublicResignation>) => call(fetch, routes.submitPublicResignation, { body }),
    previewResignationConfirmation: (token: string) => call(fetch, routes.previewResignationConfirmation, { body: { token } }),
    confirmResignation: (token: string) => call(fetch, routes.confirmResignation, { body: { token } }),
    memberFeeStatement: (id: string) => call(fetch, routes.getMemberFeeStatement, { params: { id } }),
    taxYears: () => call(fetch, routes.listTaxYears, {}),
    /** `id` is the run id (`tax-report/2026`, `tax-report/2026/correction-1`). */
    taxRun: (id: string) => call(fetch, routes.getTaxRun, { params: { id } }),
    startTaxReport: (body: BodyInput<typeof routes.startTaxReport>) => call(fetch, routes.startTaxReport, { body }),
    deskSessions: () => call(fetch, routes.listDeskSessions, {}),
    schedules: () => call(fetch, routes.listSchedules, {}),
    changeSchedule: (verb: 'pause' | 'resume' | 'trigger', id: string, reason: string) =>
      call(fetch, verb === 'pause' ? routes.pauseSchedule : verb === 'resume' ? routes.resumeSchedule : routes.triggerSchedule, { params: { id }, body: { reason } }),
    backfillSchedule: (id: string, body: { from: string; to: string; overlap: 'buffer-all' | 'allow-all' | 'skip'; reason: string }) => call(fetch, routes.backfillSchedule, { params: { id }, body }),
    endUserSessions: (userId: string) => call(fetch, routes.endUserSessions, { params: { userId } }),
    outboxStatus: () => call(fetch, routes.getOutboxStatus, {}),
    deadLetters: () => call(fetch, routes.listDeadLetters, { query: {} }),
    retryDeadLetter: (id: string) => call(fetch, routes.retryDeadLetter, { params: { id } }),
    replayOutbox: (body: BodyInput<typeof routes.replayOutbox>) => call(fetch, routes.replayOutbox, { body }),
    fundConfig: () => call(fetch, routes.listFundConfig, {}),
    setFundConfig: (key: string, body: BodyInput<typeof routes.setFundConfig>) => call(fetch, routes.setFundConfig, { params: { key }, body }),
    previewFundConfig: (key: string, body: BodyInput<typeof routes.previewFundConfig>) => call(fetch, routes.previewFundConfig, { params: { key }, body }),
    exportFundConfig: () => call(fetch, routes.exportFundConfig, {}),
    previewFundConfigImport: (body: BodyInput<typeof routes.previewFundConfigImport>) => call(fetch, routes.previewFundConfigImport, { body }),
    importFundConfig: (body: BodyInput<typeof routes.importFundConfig>, plan?: string) => call(fetch, routes.importFundConfig, { body, query: plan ? { plan } : {} }),
    messageTemplates: () => call(fetch, routes.listMessageTemplates, {}),
    messageTemplate: (kind: string, language: Lang, channel?: MessageChannel) => call(fetch, routes.getMessageTemplate, { params: { kind, language }, query: channel ? { channel } : {} }),
    saveMessageTemplate: (kind: string, language: Lang, body: BodyInput<typeof routes.saveMessageTemplate>, channel?: MessageChannel) =>
      call(fetch, routes.saveMessageTemplate, { params: { kind, language }, body, query: channel ? { channel } : {} }),
    previewMessageTemplate: (kind: string, language: Lang, body: BodyInput<typeof routes.previewMessageTemplate>) => call(fetch, routes.previewMessageTemplate, { params: { kind, language }, body }),
    /** The preview as the printed letter (PDF), for the desk to pass on. */
    previewMessageTemplatePdf: async (kind: string, language: Lang, body: BodyInput<typeof routes.previewMessageTemplatePdf>): Promise<Response> => {
      const res = await fetch(pathOf(routes.previewMessageTemplatePdf, { kind, language }), {
        method: 'POST',
        headers: { accept: 'application/pdf, application/problem+json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw await apiErrorOf(res);
      return res;
    },
    migrationBatches: () => call(fetch, routes.listMigrationBatches, {}),
    migrationBatch: (batchId: string) => call(fetch, routes.getMigrationBatch, { params: { batchId } }),
    uploadMigrationBatch: (batchId: string, body: BodyInput<typeof routes.uploadMigrationBatch>) => call(fetch, routes.uploadMigrationBatch, { params: { batchId }, body }),
    startMigration: (mode: 'test' | 'real', batchId: string) => call(fetch, mode === 'test' ? routes.startMigrationTest : routes.startMigrationReal, { params: { batchId } }),
    approveMigrationBatch: (batchId: string) => call(fetch, routes.approveMigrationBatch, { params: { batchId } }),
    acceptMigrationDifference: (batchId: string, run: string, key: string, reason: string) =>
      call(fetch, routes.acceptMigrationDifference, { params: { batchId, run, key }, body: { reason } }),
    /** A run's rejected records of one entity as the API's CSV, for the desk to pass on as a download. */
    migrationRejectedCsv: (batchId: string, run: string, entity: string): Promise<Response> => csvFile(fetch, pathOf(routes.getMigrationRejectedRecords, { batchId, run, entity })),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export function loginUrl(url: URL): string {
  return `/auth/login?returnTo=${encodeURIComponent(url.pathname + url.search)}`;
}

/**
 * Turns an API failure during a desk page load into what SvelteKit should do: log in again on
 * 401, otherwise an error page carrying the API's own explanation.
 */
export function failLoad(e: unknown, url: URL): never {
  if (!isApiError(e)) throw e;
  if (e.status === 401) redirect(303, loginUrl(url));
  // A malformed id in the path is the API's 400; to the user that page simply does not exist.
  const status = e.status === 400 ? 404 : e.status;
  error(status, { message: e.detail || e.title, code: e.code ?? undefined, params: e.params });
}
