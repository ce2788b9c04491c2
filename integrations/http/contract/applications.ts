/** Membership applications: submitted by integrations (e-services, unions) and the desk, and their status. */
import * as v from 'valibot';
import { date, dateTime, ex, id, idParams } from './common';
import { defineRoute, json, jsonBody } from './define';
import { addressSchema, idempotencyKeyHeader, identityCodeSchema, isoDate, optionalText, text } from './fields';

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

/** The application as the applicant (or their union) filled it in. */
export const applicationDataSchema = v.strictObject({
  identityCode: identityCodeSchema,
  firstNames: text(100),
  lastName: text(100),
  language: v.picklist(['fi', 'sv', 'en'], 'must be fi, sv or en'),
  email: optionalText(254),
  phone: optionalText(30),
  address: v.optional(addressSchema),
  employment,
  eligibility: v.optional(eligibility),
  requestedStartDate: v.optional(isoDate),
  previousFund: v.optional(previousFund),
  unionCode: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{3}$/, 'must be a three-digit union code such as 015'))),
});

export const submitApplicationSchema = v.strictObject({
  idempotencyKey: v.optional(v.pipe(v.string(), v.minLength(8, 'must be at least 8 characters'), v.maxLength(100))),
  receivedOn: v.optional(isoDate),
  data: applicationDataSchema,
});

/** What a supplement may send: any field but the applicant's identity and language. */
export const supplementDataSchema = v.strictObject({
  firstNames: v.optional(text(100)),
  lastName: v.optional(text(100)),
  email: optionalText(254),
  phone: optionalText(30),
  address: v.optional(addressSchema),
  employment: v.optional(v.strictObject({ ...employment.entries, status: v.optional(employment.entries.status) })),
  eligibility: v.optional(eligibility),
  requestedStartDate: v.optional(isoDate),
  previousFund: v.optional(previousFund),
});

export const supplementSchema = v.strictObject({
  round: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  token: v.optional(v.string()),
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
export const applicationReviewSchema = v.object({ ...applicationViewSchema.entries, data: applicationDataSchema });

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

// ---------------------------------------------------------------------------------------------
// Operations

const applicationWriters = { kind: 'restricted', roles: ['caseworker'], scopes: ['applications:write'] } as const;

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
};
