/** The public join, supplement and resignation forms: no login, but validated, size- and rate-limited. */
import * as v from 'valibot';
import { applicationDataExample, submitApplicationSchema, supplementSchema } from './applications';
import { count, date, ex, id, uuidParam } from './common';
import { defineRoute, json, jsonBody } from './define';
import { identityCodeSchema, idempotencyKeyField, idempotencyKeyHeader, isoDate, text } from './fields';

// ---------------------------------------------------------------------------------------------
// Requests

export const publicApplicationSchema = v.strictObject({ ...submitApplicationSchema.entries, receivedOn: v.optional(v.never('receivedOn is set by the fund')) });

export const publicResignationSchema = v.strictObject({
  idempotencyKey: idempotencyKeyField,
  identityCode: identityCodeSchema,
  lastName: text(100),
  requestedEndDate: v.optional(isoDate),
});

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
export const publicResignationResultSchema = v.object({ status: v.literal('received'), endDate: date, feeOwedUntil: date });

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
    summary: 'The public resignation form (identity code and surname)',
    description: '422 when the details match no membership.',
    access: publicForm,
    body: jsonBody(publicResignationSchema, { idempotencyKey: 'resign-form-5b0c1d2e3f', identityCode: '131052-308T', lastName: 'Virtanen', requestedEndDate: '2025-06-30' }),
    responses: { 202: json(publicResignationResultSchema, 'Received', { example: { status: 'received', endDate: '2025-06-30', feeOwedUntil: '2025-06-30' } }) },
    problems: [400, 409, 413, 422, 429],
  }),
};
