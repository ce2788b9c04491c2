/**
 * The remote codec endpoint of the Temporal Web UI (its "Data Encoder" setting): the UI posts the
 * encrypted payloads it shows and gets them back decoded, for administrators only.
 * docs/decisions/017-production-operation.md.
 */
import * as v from 'valibot';
import { defineRoute, json, jsonBody } from './define';
import { str } from './fields';

/** Where the Temporal UI posts (its codec endpoint setting is this path without `/decode`). */
export const TEMPORAL_CODEC_PATH = '/api/v1/temporal-codec/decode';

/** The longest payload data (base64 characters) the endpoint decodes. */
export const CODEC_MAX_DATA = 16_384;

/** The most payloads one request may carry (the UI sends one event's at a time). */
export const CODEC_MAX_PAYLOADS = 1000;

/** A payload as the Temporal UI sends it (protobuf JSON): metadata values and data in base64. */
const base64 = v.pipe(str('must be base64'), v.regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64'));
export const codecPayloadSchema = v.strictObject({
  metadata: v.optional(v.record(v.pipe(str(), v.maxLength(200, 'must be at most 200 characters')), v.pipe(base64, v.maxLength(1000, 'must be at most 1,000 characters')))),
  /** At most 16 KiB of base64 (12 KiB of payload): larger payloads stay encoded in the UI. */
  data: v.optional(v.pipe(base64, v.maxLength(CODEC_MAX_DATA, `must be at most ${CODEC_MAX_DATA} characters`))),
});

export const codecRequestSchema = v.strictObject({
  payloads: v.pipe(v.array(codecPayloadSchema), v.maxLength(CODEC_MAX_PAYLOADS, `must be at most ${CODEC_MAX_PAYLOADS} payloads`)),
});

export const codecResponseSchema = v.object({ payloads: v.array(v.object({ metadata: v.optional(v.record(v.string(), v.string())), data: v.optional(v.string()) })) });

const sample = { metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==', 'encryption-key-id': 'azE=' }, data: 'q83vEjRWeJA=' };

export const temporalCodecRoutes = {
  decodeTemporalPayloads: defineRoute({
    operationId: 'decodeTemporalPayloads',
    method: 'post',
    path: '/v1/temporal-codec/decode',
    tag: 'Operation',
    summary: 'Decode encrypted Temporal payloads for the Temporal Web UI (administrators; audited)',
    description:
      'Set the Temporal UI\'s codec endpoint to `<PUBLIC_BASE_URL>/api/v1/temporal-codec` (npm start does) and tick "include cross-origin credentials": the UI then sends the administrator\'s desk session. Payloads that are not encrypted come back unchanged. Each request is audited with its count, never its content.',
    access: { kind: 'restricted', roles: ['admin'] },
    body: jsonBody(codecRequestSchema, { payloads: [sample] }),
    responses: { 200: json(codecResponseSchema, 'The payloads, decoded', { example: { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'eyJvayI6dHJ1ZX0=' }] } }) },
    problems: [400, 401, 403, 422],
  }),
};
