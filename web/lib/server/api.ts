import { error, redirect } from '@sveltejs/kit';
import type {
  AllocationResult,
  ApplicationData,
  BankEntryView,
  BillingRunSummary,
  BillingRunView,
  ContactChange,
  DecisionResult,
  FeeIncomeReport,
  FeeYearView,
  InvalidParam,
  Lang,
  Me,
  MemberLedger,
  MemberOverview,
  MemberResignation,
  MemberSearchResult,
  PaymentFileDetail,
  PaymentFileView,
  PublicFund,
  PublicResignationResult,
  ReceivablesAging,
  ResignationResult,
  SubmittedApplication,
  SupplementData,
  TaskDetail,
  TaskList,
  TaskView,
  SetFeeYear,
} from '$lib/api-types';

/** An RFC 9457 problem answered by the API, kept whole so pages can show `detail` and field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly invalidParams: InvalidParam[] = [],
    /** The problem's other members (a malformed bank file's `line`, `element`, `format`, …). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${status} ${title}: ${detail}`);
    this.name = 'ApiError';
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

type Fetch = typeof fetch;

async function problemOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { title?: unknown; detail?: unknown; invalidParams?: unknown } & Record<string, unknown>;
    const params = Array.isArray(body.invalidParams)
      ? body.invalidParams.filter(
          (p): p is InvalidParam => typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.reason === 'string',
        )
      : [];
    const { type: _type, title, status: _status, detail, instance: _instance, invalidParams: _params, ...extra } = body;
    return new ApiError(res.status, typeof title === 'string' ? title : res.statusText, typeof detail === 'string' ? detail : '', params, extra);
  } catch {
    // Not every failure is ours to shape (a proxy or a 503 from the hook answers in plain text).
    return new ApiError(res.status, res.statusText || 'Error', text.slice(0, 500));
  }
}

async function call<T>(fetch: Fetch, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json, application/problem+json' } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(path, init);
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** A request whose body is a file as it is (not JSON), answered with JSON. */
async function callRaw<T>(fetch: Fetch, path: string, body: Uint8Array, contentType: string): Promise<{ status: number; body: T }> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json, application/problem+json', 'content-type': contentType },
    body: body as BodyInit,
  });
  if (!res.ok) throw await problemOf(res);
  return { status: res.status, body: (await res.json()) as T };
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const seg = encodeURIComponent;

export interface TaskListQuery {
  status?: 'open' | 'closed';
  claimed?: 'me' | 'unclaimed' | 'any';
  sort?: 'priority' | 'due';
  queue?: string;
  kind?: string;
  limit?: number;
  offset?: number;
}

/**
 * The API as the web layer sees it. Give it SvelteKit's `event.fetch`, so same-origin calls
 * carry the user's session cookie and never leave the process.
 */
export function apiClient(fetch: Fetch) {
  return {
    me: () => call<Me>(fetch, 'GET', '/api/v1/me'),
    fund: () => call<PublicFund>(fetch, 'GET', '/api/public/fund'),
    submitApplication: (idempotencyKey: string, data: ApplicationData) =>
      call<SubmittedApplication>(fetch, 'POST', '/api/public/applications', { idempotencyKey, data }),
    submitSupplement: (id: string, round: number | undefined, token: string, data: SupplementData) =>
      call<{ id: string; status: string }>(fetch, 'POST', `/api/public/applications/${seg(id)}/supplement`, {
        ...(round !== undefined ? { round } : {}),
        token,
        data,
      }),
    tasks: (q: TaskListQuery) => call<TaskList>(fetch, 'GET', `/api/v1/tasks${query({ ...q })}`),
    task: (id: string, lang: Lang) => call<TaskDetail>(fetch, 'GET', `/api/v1/tasks/${seg(id)}${query({ lang })}`),
    claim: (id: string) => call<TaskView>(fetch, 'POST', `/api/v1/tasks/${seg(id)}/claim`),
    unclaim: (id: string) => call<TaskView>(fetch, 'POST', `/api/v1/tasks/${seg(id)}/unclaim`),
    decide: (id: string, decision: 'approve' | 'reject', reason?: string) =>
      call<DecisionResult>(fetch, 'POST', `/api/v1/tasks/${seg(id)}/decision`, reason ? { decision, reason } : { decision }),
    searchMembers: (q: string, limit = 20) => call<MemberSearchResult>(fetch, 'GET', `/api/v1/members${query({ q, limit })}`),
    memberOverview: (id: string) => call<MemberOverview>(fetch, 'GET', `/api/v1/members/${seg(id)}/overview`),
    changeContact: (id: string, change: ContactChange) =>
      call<{ changed: string[] }>(fetch, 'PATCH', `/api/v1/members/${seg(id)}/contact`, change),
    resign: (id: string, body: { idempotencyKey: string; requestedEndDate?: string; receivedOn?: string }) =>
      call<ResignationResult>(fetch, 'POST', `/api/v1/members/${seg(id)}/resignations`, body),
    withdrawResignation: (id: string, resignationId: string) =>
      call<MemberResignation>(fetch, 'POST', `/api/v1/members/${seg(id)}/resignations/${seg(resignationId)}/withdraw`),
    fundSwitch: (id: string, body: { idempotencyKey: string; newFund: string; newFundStartDate: string; receivedOn?: string }) =>
      call<ResignationResult>(fetch, 'POST', `/api/v1/members/${seg(id)}/fund-switch`, body),
    recordDeath: (id: string, body: { dateOfDeath: string; precision?: 'day' | 'month' | 'year' }) =>
      call<{ memberId: string; dateOfDeath: string }>(fetch, 'POST', `/api/v1/members/${seg(id)}/death`, body),
    billingRuns: () => call<{ items: BillingRunSummary[] }>(fetch, 'GET', '/api/v1/billing-runs'),
    /** `id` is the run id (`billing-run/a-kassa/2027`) or the uuid standing for it. */
    billingRun: (id: string) => call<BillingRunView>(fetch, 'GET', `/api/v1/billing-runs/${id.split('/').map(seg).join('/')}`),
    startBillingRun: (body: { period: string; dueDate: string; supplementary?: boolean }) =>
      call<BillingRunView>(fetch, 'POST', '/api/v1/billing-runs', body),
    feeYears: () => call<{ items: FeeYearView[] }>(fetch, 'GET', '/api/v1/fee-years'),
    setFeeYear: (year: string, body: SetFeeYear) => call<FeeYearView>(fetch, 'PUT', `/api/v1/fee-years/${seg(year)}`, body),
    /**
     * The raw bank file as the body: `application/xml` is a camt.054, `text/plain` a KTL file.
     * 202 means a new file, 200 the same bytes again (nothing is booked twice).
     */
    uploadPaymentFile: (bytes: Uint8Array, contentType: 'application/xml' | 'text/plain', filename?: string) =>
      callRaw<PaymentFileView>(fetch, `/api/v1/payment-files${query({ filename })}`, bytes, contentType),
    paymentFile: (id: string) => call<PaymentFileDetail>(fetch, 'GET', `/api/v1/payment-files/${seg(id)}`),
    bankEntry: (entryId: string) => call<BankEntryView>(fetch, 'GET', `/api/v1/payments/${seg(entryId)}`),
    allocatePayment: (entryId: string, body: { taskId?: string; memberId: string; invoiceIds?: string[]; note: string }) =>
      call<AllocationResult>(fetch, 'POST', `/api/v1/payments/${seg(entryId)}/allocation`, body),
    memberLedger: (id: string) => call<MemberLedger>(fetch, 'GET', `/api/v1/members/${seg(id)}/ledger`),
    feeIncome: (from: string, to: string) =>
      call<FeeIncomeReport>(fetch, 'GET', `/api/v1/reports/fee-income${query({ from, to, granularity: 'month' })}`),
    receivablesAging: (on: string) => call<ReceivablesAging>(fetch, 'GET', `/api/v1/reports/receivables-aging${query({ on })}`),
    /** The bookkeeping journal as the API serves it (CSV or JSON), for the desk to pass on as a download. */
    journal: async (from: string, to: string, format: 'csv' | 'json'): Promise<Response> => {
      const res = await fetch(`/api/v1/bookkeeping/journal${query({ from, to, format })}`, {
        headers: { accept: format === 'csv' ? 'text/csv, application/problem+json' : 'application/json, application/problem+json' },
      });
      if (!res.ok) throw await problemOf(res);
      return res;
    },
    submitPublicResignation: (body: { idempotencyKey: string; identityCode: string; lastName: string; requestedEndDate?: string }) =>
      call<PublicResignationResult>(fetch, 'POST', '/api/public/resignations', body),
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
  error(status, { message: e.detail || e.title });
}
