/** Schema pieces the contract's areas share: formats of response fields, languages, problems. */
import * as v from 'valibot';
import { noControlCharacters } from './fields';

/** A calendar date in a response, 'YYYY-MM-DD'. */
export const date = v.pipe(v.string(), v.metadata({ format: 'date' }));
/** An instant in a response, ISO 8601 in UTC. */
export const dateTime = v.pipe(v.string(), v.metadata({ format: 'date-time' }));
/** An id in a response. */
export const id = v.pipe(v.string(), v.metadata({ format: 'uuid' }));
/** Money is whole cents everywhere. */
export const cents = v.pipe(v.number(), v.integer());
export const count = v.pipe(v.number(), v.integer());

/** A path parameter naming a row by its uuid. */
export const uuidParam = v.pipe(v.string(), noControlCharacters, v.uuid('must be an id in UUID form'));
/** The path of an operation on one row: `…/{id}`. */
export const idParams = v.object({ id: uuidParam });

/** One field the request got wrong, named by its place in the body (`data.address.city`) or the query. */
export const invalidParamSchema = v.object({
  name: v.string(),
  reason: v.string(),
  /** What the desk translates: required, unknown_field, max_length (params.max), control_characters, email_format, … */
  code: v.optional(v.string()),
  params: v.optional(v.record(v.string(), v.union([v.string(), v.number()]))),
});

/** RFC 9457 problem details; `detail` is written for the person who has to fix the request. */
export const problemSchema = v.objectWithRest(
  {
    type: v.string(),
    title: v.string(),
    status: v.pipe(v.number(), v.integer()),
    detail: v.string(),
    /** Stable machine code (snake_case) the desk translates; `params` fill its message. */
    code: v.optional(v.string()),
    params: v.optional(v.record(v.string(), v.union([v.string(), v.number()]))),
    instance: v.optional(v.string()),
    invalidParams: v.optional(v.array(invalidParamSchema)),
  },
  v.unknown(),
);

export const problemExample = {
  type: 'about:blank',
  title: 'Invalid request',
  status: 400,
  detail: 'data.lastName: is required',
  instance: '/api/v1/applications',
  invalidParams: [{ name: 'data.lastName', reason: 'is required' }],
};

/** Example ids, so the examples of one area fit together. */
export const ex = {
  applicationId: '3f1c2a9e-8d4b-4c1e-9f7a-2b6d5e8c1a40',
  taskId: 'b2e4c6a8-1d3f-4e5a-8b7c-9d0e1f2a3b4c',
  memberId: '6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
  personId: '7b2c3d4e-5f6a-4b7c-9d8e-9f0a1b2c3d4e',
  resignationId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
  invoiceId: 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70',
  fileId: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a81',
  entryId: 'f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b92',
  refundId: 'a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9ca3',
  runSubjectId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e',
  userId: 'caseworker',
} as const;
