/** The annual report of fees paid to the Tax Administration, its corrections, and the member's fee statement. */
import * as v from 'valibot';
import { cents, count, date, dateTime, ex, id, idParams } from './common';
import { defineRoute, file, json, jsonBody } from './define';
import { str } from './fields';
import { taxRunFailureCodes } from '../../../domain/vocabulary';

const yearField = v.pipe(v.number('must be a year'), v.integer('must be a whole year'), v.minValue(2001, 'must be 2001–2099'), v.maxValue(2099, 'must be 2001–2099'));

export const startTaxReportSchema = v.strictObject({
  year: yearField,
  /** 'annual': the year's report (once); 'correction': only the members changed since. */
  kind: v.picklist(['annual', 'correction'], 'must be annual or correction'),
});

const taxRunIdParam = v.pipe(str(), v.minLength(1), v.maxLength(100), v.regex(/^tax-report\/\d{4}(\/correction-\d+)?$/, 'must be a tax report run id such as tax-report/2026'));

const summarySchema = v.object({
  members: count,
  records: count,
  totalCents: cents,
  exceptions: v.record(v.string(), count),
  blocked: count,
  /** Records this run sends (a correction run: only changed members). */
  outgoing: count,
  outgoingCents: cents,
});

export const taxRunSummarySchema = v.object({
  id: v.string(),
  year: count,
  kind: v.picklist(['annual', 'correction']),
  /** previewing, awaiting-approval, generating, sending, awaiting-acknowledgement, acknowledged, partially-rejected, rejected, nothing-to-send, failed. */
  status: v.string(),
  startedBy: v.string(),
  decidedBy: v.nullable(v.string()),
  decidedAt: v.nullable(dateTime),
  summary: v.nullable(summarySchema),
  progress: v.nullable(v.object({ phase: v.string(), done: count, total: count })),
  /** Why a failed run failed, as a code the desk translates (decision 071), one of `taxRunFailureCodes` (domain/vocabulary.ts); null if the run has not failed, or failed before the codes. */
  errorCode: v.nullable(v.picklist(taxRunFailureCodes)),
  /** The same in the failure's own words, for an administrator. */
  error: v.nullable(v.string()),
  workflowId: v.string(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const taxFileSchema = v.object({
  id,
  runId: v.string(),
  sha256: v.string(),
  recordCount: count,
  totalCents: cents,
  /** created, sent, acknowledged or records-rejected. */
  status: v.string(),
  submissionId: v.nullable(v.string()),
  sentAt: v.nullable(dateTime),
  acknowledgedAt: v.nullable(dateTime),
  createdAt: dateTime,
});

const stagedSchema = v.object({
  memberId: id,
  memberNumber: count,
  /** Masked unless the caller sees full identity codes. */
  identityCode: v.nullable(v.string()),
  netCents: cents,
  exceptions: v.array(v.string()),
  /** new, replace, zero; null: listed only. */
  recordKind: v.nullable(v.string()),
  amountCents: v.nullable(cents),
});

export const taxRunViewSchema = v.object({
  ...taxRunSummarySchema.entries,
  /** The year's tax-report runs in the Temporal Web UI, filtered by search attributes; null when no UI is configured. */
  processesLink: v.nullable(v.string()),
  approvalTaskId: v.nullable(id),
  rejectionTaskIds: v.array(id),
  approval: v.object({ fourEyes: v.boolean() }),
  deadline: date,
  exceptions: v.array(stagedSchema),
  samples: v.array(stagedSchema),
  file: v.nullable(taxFileSchema),
});

export const taxYearListSchema = v.object({
  today: date,
  items: v.array(
    v.object({
      year: count,
      deadline: date,
      filed: v.boolean(),
      warning: v.boolean(),
      overdue: v.boolean(),
      runs: v.array(taxRunSummarySchema),
      files: v.array(taxFileSchema),
    }),
  ),
});

export const feeStatementSchema = v.object({
  memberId: id,
  memberNumber: count,
  language: v.string(),
  name: v.string(),
  years: v.array(
    v.object({
      year: count,
      /** Fund-collected payments booked in the year, less reversals. */
      paidCents: cents,
      refundedCents: cents,
      /** What the report counts for the year (refunds netted per the fund's setting). */
      netCents: cents,
      /** The figure standing at the Tax Administration, or null when none was reported. */
      /** `migrated`: the previous register reported it (brought in by a migration batch); `sentAt` is the day it did. */
      reported: v.nullable(v.object({ amountCents: cents, sentAt: v.nullable(dateTime), status: v.string(), migrated: v.boolean() })),
      history: v.array(v.object({ kind: v.string(), amountCents: cents, status: v.string(), sentAt: v.nullable(dateTime), rejectionReason: v.nullable(v.string()), migrated: v.boolean() })),
    }),
  ),
});

const feeStatementQuery = v.object({ year: v.optional(v.pipe(str(), v.regex(/^\d{4}$/, 'must be a four-digit year'), v.transform(Number))) });
const certificateQuery = v.object({ year: v.pipe(str('must be a four-digit year'), v.regex(/^\d{4}$/, 'must be a four-digit year'), v.transform(Number)) });

const runExample: v.InferOutput<typeof taxRunSummarySchema> = {
  id: 'tax-report/2026',
  year: 2026,
  kind: 'annual',
  status: 'awaiting-approval',
  startedBy: 'schedule',
  decidedBy: null,
  decidedAt: null,
  summary: { members: 1200, records: 1195, totalCents: 22_800_000, exceptions: { 'invalid-identity-code': 1, deceased: 4 }, blocked: 1, outgoing: 1195, outgoingCents: 22_800_000 },
  progress: { phase: 'preview', done: 1200, total: 1200 },
  errorCode: null,
  error: null,
  workflowId: 'tax-report/2026',
  createdAt: '2027-01-10T04:30:00.000Z',
  updatedAt: '2027-01-10T04:31:00.000Z',
};

const financeUsers = { kind: 'restricted', roles: ['billing', 'admin'] } as const;

export const taxReportRoutes = {
  startTaxReport: defineRoute({
    operationId: 'startTaxReport',
    method: 'post',
    path: '/v1/tax-reports',
    tag: 'Tax report',
    summary: "Start the year's report of fees paid, or a correction run: preview, approval task, file, acknowledgement",
    description: '409 `tax_year_not_ended`, `tax_report_exists` (the annual report is once a year), `tax_report_not_filed` (a correction needs a filed report), `tax_report_run_open` (one run of a year at a time).',
    access: { kind: 'restricted', roles: ['billing'] },
    body: jsonBody(startTaxReportSchema, { year: 2026, kind: 'annual' }),
    responses: { 201: json(taxRunViewSchema, 'Started', { example: { ...runExample, status: 'previewing', summary: null, progress: null, approvalTaskId: null, rejectionTaskIds: [], approval: { fourEyes: true }, deadline: '2027-02-01', exceptions: [], samples: [], file: null, processesLink: null } }) },
    problems: [400, 401, 403, 409],
  }),
  listTaxYears: defineRoute({
    operationId: 'listTaxYears',
    method: 'get',
    path: '/v1/tax-reports',
    tag: 'Tax report',
    summary: 'The years: deadline, filed or not (with the warning a week before), runs and files',
    access: financeUsers,
    responses: { 200: json(taxYearListSchema, 'Years, newest first', { example: { today: '2027-01-25', items: [{ year: 2026, deadline: '2027-02-01', filed: false, warning: true, overdue: false, runs: [runExample], files: [] }] } }) },
    problems: [401, 403],
  }),
  getTaxRun: defineRoute({
    operationId: 'getTaxRun',
    method: 'get',
    path: '/v1/tax-reports/{id}',
    tag: 'Tax report',
    summary: 'A run: preview totals, the first 100 exceptions, 10 sample records, its tasks and file (audited)',
    access: financeUsers,
    slashParams: ['id'],
    params: v.object({ id: taxRunIdParam }),
    responses: {
      200: json(taxRunViewSchema, 'The run', {
        example: { ...runExample, approvalTaskId: ex.taskId, rejectionTaskIds: [], approval: { fourEyes: true }, deadline: '2027-02-01', exceptions: [{ memberId: ex.memberId, memberNumber: 100123, identityCode: '131052-****', netCents: 19200, exceptions: ['deceased'], recordKind: 'new', amountCents: 19200 }], samples: [], file: null, processesLink: null },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  getTaxFile: defineRoute({
    operationId: 'getTaxFile',
    method: 'get',
    path: '/v1/tax-report-files/{id}',
    tag: 'Tax report',
    summary: 'A file as it went to the Tax Administration, byte for byte (ISO-8859-1) (audited)',
    access: financeUsers,
    params: idParams,
    responses: { 200: file('The tunnus:tieto file (charset iso-8859-1)', ['text/plain'], { headers: { 'Content-Disposition': 'attachment; filename="…"', 'Cache-Control': 'private, no-store' } }) },
    problems: [400, 401, 403, 404],
  }),
  getMemberFeeStatement: defineRoute({
    operationId: 'getMemberFeeStatement',
    method: 'get',
    path: '/v1/members/{id}/fee-statement',
    tag: 'Tax report',
    summary: 'Fees the member paid per year (cash basis) and what was reported to the Tax Administration, when (audited)',
    description: 'E-services name their logged-in member in the `Subject-Identity-Code` header (not in the URL); a union reads only its own members.',
    access: { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing', 'admin'], scopes: ['own-data:read'] },
    params: idParams,
    query: feeStatementQuery,
    headers: [{ name: 'Subject-Identity-Code', required: false, description: 'E-services: the identity code of the logged-in member', example: '131052-308T' }],
    responses: {
      200: json(feeStatementSchema, 'The statement', {
        example: { memberId: ex.memberId, memberNumber: 100123, language: 'fi', name: 'Maija Virtanen', years: [{ year: 2026, paidCents: 19200, refundedCents: 0, netCents: 19200, reported: { amountCents: 19200, sentAt: '2027-01-20T08:00:00.000Z', status: 'accepted', migrated: false }, history: [{ kind: 'new', amountCents: 19200, status: 'accepted', sentAt: '2027-01-20T08:00:00.000Z', rejectionReason: null, migrated: false }] }] },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  getMemberFeeCertificate: defineRoute({
    operationId: 'getMemberFeeCertificate',
    method: 'get',
    path: '/v1/members/{id}/fee-certificate',
    tag: 'Tax report',
    summary: "The fee certificate (jäsenmaksutodistus) of a year as a PDF in the member's language (audited)",
    access: { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing'], scopes: ['own-data:read'] },
    params: idParams,
    query: certificateQuery,
    headers: [{ name: 'Subject-Identity-Code', required: false, description: 'E-services: the identity code of the logged-in member', example: '131052-308T' }],
    responses: { 200: file('The PDF', ['application/pdf'], { binary: true, headers: { 'Content-Disposition': 'inline; filename="…"', 'Cache-Control': 'private, no-store' } }) },
    problems: [400, 401, 403, 404],
  }),
};
