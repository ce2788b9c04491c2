/** Billing runs (start one for a period, list them, follow one) and the fee years they bill with. */
import * as v from 'valibot';
import { messageFailureCodes } from '../../../domain/vocabulary';
import { cents, count, date, dateTime, ex, id } from './common';
import { defineRoute, json, jsonBody } from './define';
import { isoDate, multilineText, str } from './fields';

// ---------------------------------------------------------------------------------------------
// Requests

export const startBillingRunSchema = v.strictObject({
  period: v.pipe(str(), v.regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/, 'must be a year (2027), a quarter (2027-Q1) or a month (2027-03)')),
  dueDate: isoDate,
  supplementary: v.optional(v.boolean('must be true or false')),
});

/** Cents: a whole, non-negative number (a €1,000 monthly fee is far beyond any fund's). */
const feeCents = v.pipe(v.number('must be a number of cents'), v.integer('must be whole cents'), v.minValue(0, 'must not be negative'), v.maxValue(100_000, 'must be at most 100000 (€1,000)'));

export const setFeeYearSchema = v.strictObject({
  model: v.picklist(['per-month', 'per-year-by-month'], 'must be per-month or per-year-by-month'),
  monthlyCents: v.optional(feeCents),
  yearlyCents: v.optional(feeCents),
  confirmed: v.boolean('must be true (confirmed by Finanssivalvonta) or false (provisional)'),
  note: multilineText(500, 3, 'must say where the figure comes from (the board decision, its date)'),
});

const feeYearParam = v.pipe(str(), v.regex(/^\d{4}$/, 'must be a four-digit year'), v.transform(Number), v.minValue(2001, 'must be 2001–2099'), v.maxValue(2099, 'must be 2001–2099'));

/** A run id (`billing-run/a-kassa/2027`, slashes raw or encoded) or the uuid its approval task names. */
const runIdParam = v.pipe(
  str(),
  v.minLength(1),
  v.maxLength(200),
  v.regex(/^[A-Za-z0-9/_-]+$/, 'must be a billing run id such as billing-run/a-kassa/2027'),
  v.metadata({ description: 'The run id (billing-run/<fund>/<period>, slashes allowed) or the uuid its approval task names' }),
);

// ---------------------------------------------------------------------------------------------
// Responses

/** Totals of a billing run's preview (what it would issue) or commit (what it issued). */
export const billingTotalsSchema = v.object({
  members: count,
  invoices: count,
  amountCents: cents,
  /** Per staging category: 'invoice', 'union', 'exempt', 'zero', 'already-invoiced', 'exception'. */
  byCategory: v.record(v.string(), v.object({ count, amountCents: cents })),
  /** Invoices per delivery channel: 'letter', 'email', 'e-invoice', … */
  byDelivery: v.record(v.string(), count),
  exceptions: count,
});

export const billingRunSummarySchema = v.object({
  id: v.string(),
  period: v.string(),
  periodStart: date,
  periodEnd: date,
  feeYear: count,
  dueDate: date,
  /** previewing, awaiting-approval, committing, committed, rejected or failed. */
  status: v.string(),
  startedBy: v.string(),
  decidedBy: v.nullable(v.string()),
  decidedAt: v.nullable(dateTime),
  progress: v.nullable(v.object({ phase: v.string(), done: count, total: count })),
  previewTotals: v.nullable(billingTotalsSchema),
  commitTotals: v.nullable(billingTotalsSchema),
  deliveryTotals: v.nullable(v.object({ sent: count, failed: count, suppressed: count, eInvoices: count, eInvoiceFiles: count })),
  workflowId: v.string(),
  /** The uuid standing for the run (the approval task's subject). */
  subjectId: id,
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const billingRunListSchema = v.object({ items: v.array(billingRunSummarySchema) });

export const billingRunViewSchema = v.object({
  ...billingRunSummarySchema.entries,
  /** The period's billing runs (every attempt) in the Temporal Web UI, filtered by search attributes; null when no UI is configured. */
  processesLink: v.nullable(v.string()),
  approvalTaskId: v.nullable(id),
  /**
   * What the approval asks of the approver: with `fourEyes` the run's starter may not approve it
   * (403 four_eyes_required); a fee year not `feeYearConfirmed` needs the decision's
   * `acknowledgeProvisionalFeeYear: true` (409 provisional_fee_year_not_acknowledged).
   */
  approval: v.object({ fourEyes: v.boolean(), feeYearConfirmed: v.boolean() }),
  rejection: v.nullable(v.object({ reason: v.string(), by: v.string(), at: dateTime })),
  /** The first 50. */
  /** `text` is English; `code` (with `params`) names the exception for translation, null on runs staged before codes. */
  exceptions: v.array(v.object({ memberId: id, memberNumber: count, text: v.string(), code: v.nullable(v.string()), params: v.record(v.string(), v.union([v.string(), v.number()])) })),
  /** Ten sample invoices. */
  samples: v.array(v.object({ memberId: id, memberNumber: count, amountCents: cents, lines: v.array(v.object({ month: v.string(), cents })), delivery: v.nullable(v.string()) })),
  /** The first 50 invoices whose e-mail or letter could not go, and why. */
  /** `code`: why, as a code the desk translates (decision 070; null for failures recorded before it); `reason`: the messaging service's own words. */
  failedDeliveries: v.array(v.object({ memberId: id, memberNumber: count, invoiceNumber: count, delivery: v.string(), code: v.nullable(v.picklist(messageFailureCodes)), reason: v.string() })),
});

export const feeYearViewSchema = v.object({
  year: count,
  model: v.picklist(['per-month', 'per-year-by-month']),
  monthlyCents: v.nullable(cents),
  yearlyCents: v.nullable(cents),
  /** What a member pays for a whole year. */
  fullYearCents: cents,
  confirmed: v.boolean(),
  /** 'register': set by the fund here; 'profile': the value shipped with the fund profile. */
  source: v.picklist(['register', 'profile']),
  note: v.nullable(v.string()),
  setBy: v.nullable(v.string()),
  setAt: v.nullable(dateTime),
  /** Billing runs that used this year's fee; while there are any, the fee cannot change. */
  lockedBy: v.array(v.string()),
});

export const feeYearListSchema = v.object({ items: v.array(feeYearViewSchema) });

const totalsExample = { members: 1200, invoices: 1180, amountCents: 1_888_000, byCategory: { invoice: { count: 1180, amountCents: 1_888_000 }, zero: { count: 18, amountCents: 0 }, exception: { count: 2, amountCents: 0 } }, byDelivery: { email: 900, letter: 280 }, exceptions: 2 };
const runId = 'billing-run/a-kassa/2027';
const billingRunSummaryExample: v.InferOutput<typeof billingRunSummarySchema> = {
  id: runId,
  period: '2027',
  periodStart: '2027-01-01',
  periodEnd: '2027-12-31',
  feeYear: 2027,
  dueDate: '2027-01-31',
  status: 'awaiting-approval',
  startedBy: 'billing',
  decidedBy: null,
  decidedAt: null,
  progress: { phase: 'preview', done: 1200, total: 1200 },
  previewTotals: totalsExample,
  commitTotals: null,
  deliveryTotals: null,
  workflowId: runId,
  subjectId: ex.runSubjectId,
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:04:00.000Z',
};
export const billingRunExample: v.InferOutput<typeof billingRunViewSchema> = {
  ...billingRunSummaryExample,
  processesLink: null,
  approvalTaskId: ex.taskId,
  approval: { fourEyes: true, feeYearConfirmed: true },
  rejection: null,
  exceptions: [
    {
      memberId: ex.memberId,
      memberNumber: 100123,
      text: 'No way to deliver the invoice: the preference is email, but there is neither a usable e-mail address nor a postal address.',
      code: 'no_delivery_channel',
      params: { channel: 'email' },
    },
  ],
  samples: [{ memberId: ex.memberId, memberNumber: 100124, amountCents: 1600, lines: [{ month: '2027-01', cents: 1600 }], delivery: 'email' }],
  failedDeliveries: [],
};
const feeYearExample: v.InferOutput<typeof feeYearViewSchema> = {
  year: 2027,
  model: 'per-month',
  monthlyCents: 1600,
  yearlyCents: null,
  fullYearCents: 19200,
  confirmed: true,
  source: 'register',
  note: 'Board decision 14.11.2026, confirmed by Finanssivalvonta',
  setBy: 'admin',
  setAt: '2026-11-20T10:00:00.000Z',
  lockedBy: [],
};

// ---------------------------------------------------------------------------------------------
// Operations

const billingUsers = { kind: 'restricted', roles: ['billing', 'admin'] } as const;

export const billingRoutes = {
  startBillingRun: defineRoute({
    operationId: 'startBillingRun',
    method: 'post',
    path: '/v1/billing-runs',
    tag: 'Billing',
    summary: 'Start the billing run of a period: preview, then an approval task, then commit',
    description:
      'The same period again returns the same run (200); after a rejected or failed run a new attempt starts (`-r2`, …); after a committed one only with `supplementary: true`. 409 while a run over some of the same months is unfinished; 422 when no fee is configured for the year.',
    access: billingUsers,
    body: jsonBody(startBillingRunSchema, { period: '2027', dueDate: '2027-01-31' }),
    responses: {
      201: json(billingRunViewSchema, 'Started', { example: { ...billingRunExample, status: 'previewing', progress: null, previewTotals: null, approvalTaskId: null, exceptions: [], samples: [] }, headers: { Location: 'The run: /api/v1/billing-runs/{id}' } }),
      200: json(billingRunViewSchema, 'The existing run of the period', { headers: { Location: 'The run: /api/v1/billing-runs/{id}' } }),
      202: json(billingRunViewSchema, 'Stored, but the process engine did not answer in time: the run starts when it is back (the same period again answers with the run)', { headers: { Location: 'The run: /api/v1/billing-runs/{id}' } }),
    },
    problems: [400, 401, 403, 409, 422],
  }),
  listBillingRuns: defineRoute({
    operationId: 'listBillingRuns',
    method: 'get',
    path: '/v1/billing-runs',
    tag: 'Billing',
    summary: 'Billing runs, newest first',
    access: billingUsers,
    responses: {
      200: json(billingRunListSchema, 'Runs', { example: { items: [billingRunSummaryExample] } }),
    },
    problems: [401, 403],
  }),
  getBillingRun: defineRoute({
    operationId: 'getBillingRun',
    method: 'get',
    path: '/v1/billing-runs/{id}',
    tag: 'Billing',
    summary: 'A billing run: status, progress, preview and commit totals, the first 50 exceptions, 10 sample invoices, the open approval task (audited)',
    access: billingUsers,
    slashParams: ['id'],
    params: v.object({ id: runIdParam }),
    responses: { 200: json(billingRunViewSchema, 'The run', { example: billingRunExample }) },
    problems: [400, 401, 403, 404],
  }),
  listFeeYears: defineRoute({
    operationId: 'listFeeYears',
    method: 'get',
    path: '/v1/fee-years',
    tag: 'Billing',
    summary: 'Membership fee per year: shipped with the fund profile or set in the register, confirmed or provisional, and the billing runs that fixed it',
    access: billingUsers,
    responses: { 200: json(feeYearListSchema, 'Fee years, newest first', { example: { items: [feeYearExample] } }) },
    problems: [401, 403],
  }),
  setFeeYear: defineRoute({
    operationId: 'setFeeYear',
    method: 'put',
    path: '/v1/fee-years/{year}',
    tag: 'Billing',
    summary: "Set the fund's fee for a year (audited)",
    description: "It overrides the profile's shipped value and survives upgrades. 409 while a billing run of the year exists: issued invoices never change.",
    access: { kind: 'restricted', roles: ['admin'] },
    params: v.object({ year: feeYearParam }),
    body: jsonBody(setFeeYearSchema, { model: 'per-month', monthlyCents: 1600, confirmed: true, note: 'Board decision 14.11.2026, confirmed by Finanssivalvonta' }),
    responses: { 200: json(feeYearViewSchema, 'The fee year as stored', { example: feeYearExample }) },
    problems: [400, 401, 403, 409],
  }),
};
