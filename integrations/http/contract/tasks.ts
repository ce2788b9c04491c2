/** The work queue: human tasks of the processes, listed, claimed, opened and decided. */
import * as v from 'valibot';
import { applicationReviewSchema, applicationViewExample, applicationDataExample } from './applications';
import { count, date, dateTime, ex, id, idParams } from './common';
import { defineRoute, json, jsonBody } from './define';
import { multilineStr, str } from './fields';
import { memberStatusSchema } from './members';

// ---------------------------------------------------------------------------------------------
// Requests

export const decisionSchema = v.strictObject({
  decision: v.picklist(['approve', 'reject'], 'must be approve or reject'),
  reason: v.optional(v.pipe(multilineStr(), v.trim(), v.maxLength(2000, 'must be at most 2000 characters'))),
  /** A billing run on a provisional (unconfirmed) fee year: the approver has seen the warning. */
  acknowledgeProvisionalFeeYear: v.optional(v.boolean('must be true or false')),
});

export const taskListQuerySchema = v.strictObject({
  status: v.optional(v.picklist(['open', 'closed'])),
  queue: v.optional(v.pipe(str(), v.maxLength(50))),
  kind: v.optional(v.pipe(str(), v.maxLength(50))),
  claimed: v.optional(v.picklist(['me', 'unclaimed', 'any'])),
  sort: v.optional(v.picklist(['priority', 'due'])),
  limit: v.optional(v.pipe(str(), v.regex(/^\d{1,3}$/), v.transform(Number), v.maxValue(200))),
  offset: v.optional(v.pipe(str(), v.regex(/^\d{1,6}$/), v.transform(Number))),
  lang: v.optional(v.picklist(['fi', 'sv', 'en'])),
});

// ---------------------------------------------------------------------------------------------
// Responses

export const taskViewSchema = v.object({
  id,
  kind: v.string(),
  queue: v.string(),
  /** Comma-separated finding codes, 'completion-expired', or what the process names. */
  title: v.string(),
  priority: count,
  dueAt: dateTime,
  status: v.string(),
  overdue: v.boolean(),
  claimedBy: v.nullable(v.object({ id: v.string(), name: v.string() })),
  subject: v.object({ type: v.string(), id }),
  createdAt: dateTime,
  outcome: v.nullable(v.string()),
  /**
   * Who or what the task is about, so rows can be told apart: an application's applicant ("Last
   * First"), received date and channel; a member's name; an unmatched payment's payer, booking date
   * and channel 'bank'. Null for a billing run, which its title names.
   */
  about: v.nullable(v.object({ name: v.nullable(v.string()), receivedOn: v.nullable(date), channel: v.nullable(v.string()) })),
  /** Whole days since the task was opened (until it closed): how long it has waited. */
  ageDays: count,
});

export const taskListSchema = v.object({ items: v.array(taskViewSchema), total: count });

/** The member a member task is about; the identity code comes masked for roles that may not see it whole. */
export const reviewMemberSchema = v.object({
  id,
  memberNumber: count,
  firstNames: v.string(),
  lastName: v.string(),
  identityCode: v.string(),
  birthDate: date,
  status: memberStatusSchema,
  nonDisclosure: v.boolean(),
});

const hiddenAddress = v.object({ hidden: v.literal(true), reason: v.literal('non-disclosure') });
const shownAddress = {
  hidden: v.literal(false),
  kind: v.nullable(v.string()),
  street: v.string(),
  postalCode: v.nullable(v.string()),
  city: v.nullable(v.string()),
  country: v.nullable(v.string()),
  source: v.nullable(v.string()),
  validFrom: v.nullable(date),
  /** When the population register's address reached the register. */
  recordedAt: v.optional(dateTime),
};
export const reviewAddressSchema = v.variant('hidden', [v.object(shownAddress), hiddenAddress]);

/** An address-conflict task: the address on record (the member's own) and the population register's newest. */
export const addressConflictReviewSchema = v.object({
  member: reviewMemberSchema,
  current: v.nullable(reviewAddressSchema),
  register: v.nullable(reviewAddressSchema),
});

/** An eligibility-review task: the member's periods and the ground in doubt with its limit. */
export const eligibilityReviewSchema = v.object({
  member: reviewMemberSchema,
  reason: v.string(),
  basis: v.string(),
  eligibilityBasis: v.nullable(v.string()),
  entrepreneurSince: v.nullable(date),
  limitMonths: count,
  limitDate: v.nullable(date),
  periods: v.array(v.object({ startDate: date, endDate: v.nullable(date), endReason: v.nullable(v.string()) })),
});

/** A task with what it is decided on; the part that fits its kind is set, the others are null. */
export const taskDetailSchema = v.object({
  task: taskViewSchema,
  application: v.nullable(applicationReviewSchema),
  addressConflict: v.nullable(addressConflictReviewSchema),
  eligibilityReview: v.nullable(eligibilityReviewSchema),
});

export const decisionResultSchema = v.object({ taskId: id, outcome: v.picklist(['approved', 'rejected']) });

const taskExample: v.InferOutput<typeof taskViewSchema> = {
  id: ex.taskId,
  kind: 'application-review',
  queue: 'applications',
  title: 'previous-fund-gap',
  priority: 50,
  dueAt: '2025-03-21T10:00:00.000Z',
  status: 'open',
  overdue: false,
  claimedBy: { id: ex.userId, name: 'Kaisa Käsittelijä' },
  subject: { type: 'application', id: ex.applicationId },
  createdAt: '2025-03-14T10:00:00.000Z',
  outcome: null,
  about: { name: 'Esimerkki Aino', receivedOn: '2025-03-14', channel: 'e-services' },
  ageDays: 3,
};

// ---------------------------------------------------------------------------------------------
// Operations

const queueWorkers = { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing'], note: 'each sees only the tasks of their roles; a supervisor also the caseworkers\'' } as const;

export const taskRoutes = {
  listTasks: defineRoute({
    operationId: 'listTasks',
    method: 'get',
    path: '/v1/tasks',
    tag: 'Tasks',
    summary: 'The work queue (desk users)',
    access: queueWorkers,
    query: taskListQuerySchema,
    responses: { 200: json(taskListSchema, 'Tasks and how many match in all', { example: { items: [taskExample], total: 1 } }) },
    problems: [400, 401, 403],
  }),
  getTask: defineRoute({
    operationId: 'getTask',
    method: 'get',
    path: '/v1/tasks/{id}',
    tag: 'Tasks',
    summary: "A task with what it is decided on: an application and its findings, a member's address conflict (own vs population register) or eligibility review (audited member read)",
    access: queueWorkers,
    params: idParams,
    query: taskListQuerySchema,
    responses: {
      200: json(taskDetailSchema, 'The task', {
        example: { task: taskExample, application: { ...applicationViewExample, status: 'in-review', data: applicationDataExample }, addressConflict: null, eligibilityReview: null },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  claimTask: defineRoute({
    operationId: 'claimTask',
    method: 'post',
    path: '/v1/tasks/{id}/claim',
    tag: 'Tasks',
    summary: 'Claim a task',
    access: queueWorkers,
    params: idParams,
    responses: { 200: json(taskViewSchema, 'Claimed', { example: taskExample }) },
    problems: [400, 401, 403, 404, 409],
  }),
  unclaimTask: defineRoute({
    operationId: 'unclaimTask',
    method: 'post',
    path: '/v1/tasks/{id}/unclaim',
    tag: 'Tasks',
    summary: 'Release a task (someone else\'s claim only as a supervisor)',
    access: queueWorkers,
    params: idParams,
    responses: { 200: json(taskViewSchema, 'Released', { example: { ...taskExample, claimedBy: null } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  decideTask: defineRoute({
    operationId: 'decideTask',
    method: 'post',
    path: '/v1/tasks/{id}/decision',
    tag: 'Tasks',
    summary: 'Approve or reject (a Temporal Update; stale or repeated decisions are refused with 409)',
    description:
      "A billing run's approval: the user who started the run may not approve it while the fund asks for four eyes (403 `four_eyes_required`), and a run on a provisional fee year needs `acknowledgeProvisionalFeeYear: true` (409 `provisional_fee_year_not_acknowledged`, params.year).",
    access: queueWorkers,
    params: idParams,
    body: jsonBody(decisionSchema, { decision: 'approve', reason: 'Previous fund confirmed the gap by phone.' }),
    responses: { 200: json(decisionResultSchema, 'Decided', { example: { taskId: ex.taskId, outcome: 'approved' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
};
