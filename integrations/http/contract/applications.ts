/** Membership applications: submitted by integrations (e-services, unions) and the desk, and their status. */
import * as v from 'valibot';
import { count, date, dateTime, ex, id, idParams } from './common';
import { defineRoute, json, jsonBody } from './define';
import { addressSchema, contactRequired, idempotencyKeyField, idempotencyKeyHeader, identityCodeSchema, isoDate, optionalEmail, optionalPhone, str, text } from './fields';

// ---------------------------------------------------------------------------------------------
// Requests

const employment = v.strictObject({
  status: v.picklist(['employed', 'unemployed', 'laid-off', 'unpaid-leave', 'entrepreneur'], 'must be one of employed, unemployed, laid-off, unpaid-leave, entrepreneur'),
  employer: v.optional(text(200)),
  startedOn: v.optional(isoDate),
  entrepreneurSince: v.optional(isoDate),
});

const eligibility = v.strictObject({
  basis: v.picklist(['degree', 'occupation', 'student'], 'must be one of degree, occupation, student'),
  degree: v.optional(text(200)),
  occupation: v.optional(text(200)),
});

const previousFund = v.strictObject({
  name: text(200),
  endedOn: v.optional(isoDate),
  resignationAuthorisation: v.boolean('must be true or false'),
});

const applicationDataEntries = {
  identityCode: identityCodeSchema,
  firstNames: text(100),
  lastName: text(100),
  language: v.picklist(['fi', 'sv', 'en'], 'must be fi, sv or en'),
  email: optionalEmail,
  phone: optionalPhone,
  address: v.optional(addressSchema),
  employment,
  eligibility: v.optional(eligibility),
  requestedStartDate: v.optional(isoDate),
  previousFund: v.optional(previousFund),
  unionCode: v.optional(v.pipe(str(), v.regex(/^[0-9]{3}$/, 'must be a three-digit union code such as 015'))),
};

/** The application as the applicant (or their union) filled it in; one way to reach them is required. */
export const applicationDataSchema = v.pipe(v.strictObject(applicationDataEntries), contactRequired());

/** The application as stored: what was accepted before today's rules is shown as it is. */
const storedApplicationDataSchema = v.object({
  ...applicationDataEntries,
  email: v.optional(v.string()),
  phone: v.optional(v.string()),
  address: v.optional(v.object({ street: v.string(), postalCode: v.string(), city: v.string(), country: v.optional(v.string()) })),
});

export const submitApplicationSchema = v.strictObject({
  idempotencyKey: v.optional(idempotencyKeyField),
  receivedOn: v.optional(isoDate),
  data: applicationDataSchema,
});

/** What a supplement may send: any field but the applicant's identity and language. */
export const supplementDataSchema = v.strictObject({
  firstNames: v.optional(text(100)),
  lastName: v.optional(text(100)),
  email: optionalEmail,
  phone: optionalPhone,
  address: v.optional(addressSchema),
  employment: v.optional(v.strictObject({ ...employment.entries, status: v.optional(employment.entries.status) })),
  eligibility: v.optional(eligibility),
  requestedStartDate: v.optional(isoDate),
  previousFund: v.optional(previousFund),
});

export const supplementSchema = v.strictObject({
  round: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  token: v.optional(v.pipe(str(), v.maxLength(500, 'must be at most 500 characters'))),
  data: supplementDataSchema,
});

export const applicationDataExample: v.InferInput<typeof applicationDataSchema> = {
  identityCode: '131052-308T',
  firstNames: 'Maija Liisa',
  lastName: 'Virtanen',
  language: 'fi',
  email: 'maija.virtanen@example.fi',
  phone: '+358401234567',
  address: { street: 'Mannerheimintie 1 A 2', postalCode: '00100', city: 'Helsinki' },
  employment: { status: 'employed', employer: 'Esimerkki Oy', startedOn: '2024-03-01' },
  requestedStartDate: '2025-04-01',
};

// ---------------------------------------------------------------------------------------------
// Responses

export const findingSchema = v.object({
  code: v.string(),
  /** 'missing' (the applicant can fix it), 'doubt' (a caseworker must look) or 'blocker'. */
  severity: v.string(),
  field: v.optional(v.string()),
  message: v.string(),
});

export const applicationDecisionSchema = v.object({ outcome: v.string(), reason: v.nullable(v.string()), decidedAt: dateTime, automatic: v.boolean() });

/** An application's status as integrations and the desk see it. */
export const applicationViewSchema = v.object({
  id,
  status: v.string(),
  channel: v.string(),
  receivedOn: date,
  receivedBy: v.string(),
  startDate: v.nullable(date),
  findings: v.array(findingSchema),
  completionDeadline: v.nullable(dateTime),
  decision: v.nullable(applicationDecisionSchema),
  memberId: v.nullable(id),
  workflowId: v.string(),
});

/** The application with its full data, for the caseworker deciding it. */
export const applicationReviewSchema = v.object({ ...applicationViewSchema.entries, data: storedApplicationDataSchema });

export const applicationViewExample: v.InferOutput<typeof applicationViewSchema> = {
  id: ex.applicationId,
  status: 'awaiting-supplement',
  channel: 'eservices',
  receivedOn: '2025-03-14',
  receivedBy: 'fund',
  startDate: '2025-04-01',
  findings: [{ code: 'employment-start-missing', severity: 'missing', field: 'employment.startedOn', message: 'Kerro, milloin työsuhteesi alkoi.' }],
  completionDeadline: '2025-03-28T12:00:00.000Z',
  decision: null,
  memberId: null,
  workflowId: `application/${ex.applicationId}`,
};

/** A desk search for applications: by the id the applicant was given, an identity code, or a name. */
export const applicationSearchSchema = v.strictObject({
  q: v.pipe(str('q is required'), v.maxLength(100, 'must be at most 100 characters')),
  limit: v.optional(v.pipe(v.number('must be a number 1–50'), v.integer('must be a whole number'), v.minValue(1, 'must be 1–50'), v.maxValue(50, 'must be 1–50'))),
});

/** Who applied, as the application says (the person may not be a member yet). */
const applicantSchema = v.object({
  /** "Last First", as registers list people. */
  name: v.string(),
  /** Masked (131052-****) for roles that may not see it whole. */
  identityCode: v.string(),
});

export const applicationSearchHitSchema = v.object({
  id,
  applicant: applicantSchema,
  status: v.string(),
  channel: v.string(),
  receivedOn: date,
  memberId: v.nullable(id),
  /** The open task about the application, if one waits in the work queue. */
  openTaskId: v.nullable(id),
});

export const applicationSearchResultSchema = v.object({
  /** How the query was read; 'none' when it cannot name an application (a number: members only). */
  kind: v.picklist(['application-id', 'identity-code', 'name', 'none']),
  items: v.array(applicationSearchHitSchema),
});

/** One application on one page: status, findings, its tasks and what happened to it. */
export const applicationOverviewSchema = v.object({
  ...applicationViewSchema.entries,
  applicant: applicantSchema,
  completionRounds: count,
  /** The intake process in the Temporal Web UI, when one is configured. */
  processLink: v.nullable(v.string()),
  tasks: v.array(
    v.object({ id, kind: v.string(), title: v.string(), status: v.string(), outcome: v.nullable(v.string()), createdAt: dateTime, closedAt: v.nullable(dateTime), claimedBy: v.nullable(v.string()) }),
  ),
  /** What happened, oldest first: the audit trail's events (reads left out) and the messages sent. */
  history: v.array(v.object({ at: dateTime, kind: v.picklist(['event', 'message']), code: v.string(), actor: v.nullable(v.string()), status: v.nullable(v.string()) })),
});

const applicationSearchExample: v.InferOutput<typeof applicationSearchResultSchema> = {
  kind: 'name',
  items: [
    {
      id: ex.applicationId,
      applicant: { name: 'Esimerkki Aino', identityCode: '010185-942S' },
      status: 'awaiting-supplement',
      channel: 'e-services',
      receivedOn: '2025-03-14',
      memberId: null,
      openTaskId: null,
    },
  ],
};

const applicationOverviewExample: v.InferOutput<typeof applicationOverviewSchema> = {
  ...applicationViewExample,
  applicant: { name: 'Esimerkki Aino', identityCode: '010185-942S' },
  completionRounds: 1,
  processLink: null,
  tasks: [],
  history: [
    { at: '2025-03-14T10:00:00.000Z', kind: 'event', code: 'application.submitted', actor: 'eservices', status: null },
    { at: '2025-03-14T10:00:02.000Z', kind: 'event', code: 'application.completion-requested', actor: 'system', status: null },
    { at: '2025-03-14T10:00:03.000Z', kind: 'message', code: 'completion-request', actor: null, status: 'sent' },
  ],
};

// ---------------------------------------------------------------------------------------------
// Operations

const applicationWriters = { kind: 'restricted', roles: ['caseworker'], scopes: ['applications:write'] } as const;
const applicationReaders = { kind: 'restricted', roles: ['caseworker', 'supervisor', 'admin'], note: 'the identity code is masked for administrators' } as const;

export const applicationRoutes = {
  submitApplication: defineRoute({
    operationId: 'submitApplication',
    method: 'post',
    path: '/v1/applications',
    tag: 'Applications',
    summary: 'Submit a membership application',
    description:
      'Received once per idempotency key; the intake process (`application/<id>`) starts at once. Only a union (channel union) may state `receivedOn`, and it must give `data.unionCode`.',
    access: applicationWriters,
    headers: [{ ...idempotencyKeyHeader, required: false }],
    body: jsonBody(submitApplicationSchema, { data: applicationDataExample }),
    responses: {
      201: json(applicationViewSchema, 'Received; the intake process started', { example: { ...applicationViewExample, status: 'received', findings: [], completionDeadline: null }, headers: { Location: 'The application: /api/v1/applications/{id}' } }),
      200: json(applicationViewSchema, 'The same submission again: the existing application', { headers: { Location: 'The application: /api/v1/applications/{id}' } }),
      202: json(applicationViewSchema, 'Stored, but the process engine did not answer in time: the intake process starts when it is back (send the same idempotency key to ask again)', { headers: { Location: 'The application: /api/v1/applications/{id}' } }),
    },
    problems: [400, 401, 403, 409],
  }),
  getApplication: defineRoute({
    operationId: 'getApplication',
    method: 'get',
    path: '/v1/applications/{id}',
    tag: 'Applications',
    summary: 'Status of an application (audited)',
    description: 'Clients see only the applications they submitted; others are 404.',
    access: { kind: 'restricted', roles: ['caseworker', 'supervisor', 'admin'], scopes: ['applications:read'], note: 'a client sees only its own submissions' },
    params: idParams,
    query: v.object({ lang: v.optional(v.picklist(['fi', 'sv', 'en'], 'lang must be fi, sv or en')) }),
    responses: { 200: json(applicationViewSchema, 'The application', { example: applicationViewExample }) },
    problems: [400, 401, 404],
  }),
  submitSupplement: defineRoute({
    operationId: 'submitSupplement',
    method: 'post',
    path: '/v1/applications/{id}/supplement',
    tag: 'Applications',
    summary: 'Answer a completion request',
    description: 'Refused with 409 unless the application is waiting for a supplement; the application is validated again.',
    access: { ...applicationWriters, note: 'a client only for its own submissions' },
    params: idParams,
    body: jsonBody(supplementSchema, { data: { employment: { startedOn: '2024-03-01' } } }),
    responses: { 200: json(applicationViewSchema, 'Stored; the application is validated again', { example: { ...applicationViewExample, status: 'received', findings: [] } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  searchApplications: defineRoute({
    operationId: 'searchApplications',
    method: 'post',
    path: '/v1/applications/search',
    tag: 'Applications',
    summary: 'Find applications by application id, identity code or name, the query in the body (audited)',
    description:
      'Finds applications in any status, also those waiting for a supplement. The id must be whole; at least two characters (`search_query_too_short`). The query is in the body so an identity code never travels in a URL. Newest first.',
    access: applicationReaders,
    body: jsonBody(applicationSearchSchema, { q: 'Esimerkki Aino', limit: 20 }),
    responses: { 200: json(applicationSearchResultSchema, 'Matches, newest first', { example: applicationSearchExample }) },
    problems: [400, 401, 403],
  }),
  getApplicationOverview: defineRoute({
    operationId: 'getApplicationOverview',
    method: 'get',
    path: '/v1/applications/{id}/overview',
    tag: 'Applications',
    summary: "An application's status, findings, tasks and history on one page (audited read)",
    access: applicationReaders,
    params: idParams,
    query: v.object({ lang: v.optional(v.picklist(['fi', 'sv', 'en'], 'lang must be fi, sv or en')) }),
    responses: { 200: json(applicationOverviewSchema, 'The application', { example: applicationOverviewExample }) },
    problems: [400, 401, 403, 404],
  }),
};
