/** The public join, supplement and resignation forms: no login, but validated, size- and rate-limited. */
import * as v from 'valibot';
import { applicationDataExample, submitApplicationSchema, supplementSchema } from './applications';
import { count, date, dateTime, ex, id, uuidParam } from './common';
import { defineRoute, json, jsonBody } from './define';
import { identityCodeSchema, idempotencyKeyField, idempotencyKeyHeader, isoDate, str, text } from './fields';

// ---------------------------------------------------------------------------------------------
// Requests

export const publicApplicationSchema = v.strictObject({ ...submitApplicationSchema.entries, receivedOn: v.optional(v.never('receivedOn is set by the fund')) });

export const publicResignationSchema = v.strictObject({
  idempotencyKey: idempotencyKeyField,
  identityCode: identityCodeSchema,
  lastName: text(100),
  requestedEndDate: v.optional(isoDate),
});

/** The token from the confirmation link in the fund's message. */
export const resignationConfirmationSchema = v.strictObject({ token: v.pipe(str(), v.minLength(1, 'must not be empty'), v.maxLength(300, 'must be at most 300 characters')) });

// ---------------------------------------------------------------------------------------------
// Responses

const localized = v.object({ fi: v.string(), sv: v.string(), en: v.string() });

/** What the forms need to know of the fund. */
export const publicFundSchema = v.object({
  id: v.string(),
  name: localized,
  /** 'higher-education': only graduates and students of higher education may join. */
  scope: v.picklist(['open', 'higher-education']),
  joinForm: v.object({ askEligibilityBasis: v.boolean(), askUnion: v.boolean() }),
  unions: v.array(v.object({ code: v.string(), name: v.string() })),
  maxJoinAge: count,
});

/** The public sees only that the application arrived and its reference. */
export const submittedApplicationSchema = v.object({ id, status: v.literal('received'), receivedOn: date });
export const publicSupplementResultSchema = v.object({ id, status: v.string() });
/** The same answer whether or not the details match a membership. */
export const publicResignationResultSchema = v.object({ status: v.literal('received') });
/** What the holder of the link sees: dates and state, no personal data. */
export const resignationConfirmationViewSchema = v.object({
  state: v.picklist(['awaiting-confirmation', 'confirmed', 'expired', 'closed']),
  receivedOn: date,
  endDate: date,
  feeOwedUntil: date,
  expiresAt: dateTime,
});

// ---------------------------------------------------------------------------------------------
// Operations

const publicForm = { kind: 'public', note: 'no login; at most 32 KiB per request and rate-limited per address (429 with Retry-After)' } as const;

export const publicRoutes = {
  getPublicFund: defineRoute({
    operationId: 'getPublicFund',
    method: 'get',
    path: '/public/fund',
    tag: 'Public forms',
    summary: "The fund as the forms show it: its name, who may join, the join form's questions and the unions",
    access: publicForm,
    responses: {
      200: json(publicFundSchema, 'The fund', {
        example: {
          id: 'a-kassa',
          name: { fi: 'A-kassa', sv: 'A-kassan', en: 'A Fund' },
          scope: 'open',
          joinForm: { askEligibilityBasis: false, askUnion: true },
          unions: [{ code: '015', name: 'Esimerkkiliitto' }],
          maxJoinAge: 64,
        },
      }),
    },
    problems: [413, 429],
  }),
  submitPublicApplication: defineRoute({
    operationId: 'submitPublicApplication',
    method: 'post',
    path: '/public/applications',
    tag: 'Public forms',
    summary: 'The public join form',
    description: 'Received once per idempotency key, like an integration\'s submission; the answer tells only that it arrived.',
    access: publicForm,
    headers: [{ ...idempotencyKeyHeader, required: false }],
    body: jsonBody(publicApplicationSchema, { idempotencyKey: 'join-form-5b0c1d2e3f', data: applicationDataExample }),
    responses: {
      201: json(submittedApplicationSchema, 'Received', { example: { id: ex.applicationId, status: 'received', receivedOn: '2025-03-14' } }),
      200: json(submittedApplicationSchema, 'The same submission again'),
    },
    problems: [400, 409, 413, 429],
  }),
  submitPublicSupplement: defineRoute({
    operationId: 'submitPublicSupplement',
    method: 'post',
    path: '/public/applications/{id}/supplement',
    tag: 'Public forms',
    summary: 'The supplement form: answer a completion request with the link from the fund\'s message',
    description: 'The token and round come from the link; an old or altered link is refused (403).',
    access: { ...publicForm, note: 'no login, but the signed token of the completion request; at most 32 KiB and rate-limited' },
    params: v.object({ id: uuidParam }),
    body: jsonBody(supplementSchema, { round: 1, token: 'k2Vt…', data: { employment: { startedOn: '2024-03-01' } } }),
    responses: { 200: json(publicSupplementResultSchema, 'Stored; the application is validated again', { example: { id: ex.applicationId, status: 'received' } }) },
    problems: [400, 403, 404, 409, 413, 429],
  }),
  submitPublicResignation: defineRoute({
    operationId: 'submitPublicResignation',
    method: 'post',
    path: '/public/resignations',
    tag: 'Public forms',
    summary: 'The public resignation form (identity code and surname): a request the member confirms through the link sent to their contact details on record',
    description:
      'Nothing changes until the request is confirmed (the link, or a caseworker); unconfirmed it expires after the fund\'s `resignationConfirmationValidity`. The answer is the same 202, after the same minimum time, whether or not the details match a membership.',
    access: publicForm,
    body: jsonBody(publicResignationSchema, { idempotencyKey: 'resign-form-5b0c1d2e3f', identityCode: '131052-308T', lastName: 'Virtanen', requestedEndDate: '2025-06-30' }),
    responses: { 202: json(publicResignationResultSchema, 'Received', { example: { status: 'received' } }) },
    problems: [400, 413, 429],
  }),
  previewResignationConfirmation: defineRoute({
    operationId: 'previewResignationConfirmation',
    method: 'post',
    path: '/public/resignation-confirmations/preview',
    tag: 'Public forms',
    summary: 'What a resignation confirmation link confirms: its dates and state',
    description: '403 `resignation_link_invalid` for an altered or unknown link.',
    access: { ...publicForm, note: 'no login, but the signed token of the confirmation link; rate-limited' },
    body: jsonBody(resignationConfirmationSchema, { token: '3f1c…' }),
    responses: {
      200: json(resignationConfirmationViewSchema, 'The request', {
        example: { state: 'awaiting-confirmation', receivedOn: '2025-06-10', endDate: '2025-06-10', feeOwedUntil: '2025-06-30', expiresAt: '2025-06-24T09:00:00.000Z' },
      }),
    },
    problems: [400, 403, 413, 429],
  }),
  confirmResignation: defineRoute({
    operationId: 'confirmResignation',
    method: 'post',
    path: '/public/resignation-confirmations',
    tag: 'Public forms',
    summary: 'Confirm a resignation with the link from the fund\'s message',
    description: 'Confirming twice answers the same. 409 `resignation_request_expired` after the link\'s validity, `resignation_request_closed` when a caseworker rejected it.',
    access: { ...publicForm, note: 'no login, but the signed token of the confirmation link; rate-limited' },
    body: jsonBody(resignationConfirmationSchema, { token: '3f1c…' }),
    responses: {
      200: json(resignationConfirmationViewSchema, 'Confirmed', {
        example: { state: 'confirmed', receivedOn: '2025-06-10', endDate: '2025-06-10', feeOwedUntil: '2025-06-30', expiresAt: '2025-06-24T09:00:00.000Z' },
      }),
    },
    problems: [400, 403, 409, 413, 429],
  }),
};
