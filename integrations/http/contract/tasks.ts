/** The work queue: human tasks of the processes, listed, claimed, opened and decided. */
import * as v from 'valibot';
import { applicationReviewSchema, applicationViewExample, applicationDataExample } from './applications';
import { count, date, dateTime, ex, id, idParams } from './common';
import { defineRoute, json, jsonBody } from './define';
import { isoDate, multilineStr, str, text } from './fields';
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
  /** Only this candidate group's tasks; `@mine`: the tasks of every group the user is a member of. */
  group: v.optional(v.pipe(str(), v.maxLength(40))),
  /** Only the tasks this desk user holds (another user's: supervisors only). */
  holder: v.optional(v.pipe(str(), v.maxLength(200))),
  /** Tasks waiting for their follow-up date: hidden (default), only them, or both. */
  followUp: v.optional(v.picklist(['hide', 'only', 'any'])),
  /** 'true': only overdue tasks. */
  overdue: v.optional(v.pipe(v.picklist(['true', 'false']), v.transform((x) => x === 'true'))),
});

/** A candidate group's code: lower-case letters, digits and dashes. */
const groupCode = v.pipe(str(), v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or dashes'));
const userIdField = v.pipe(str(), v.minLength(1, 'must not be empty'), v.maxLength(200, 'must be at most 200 characters'));

export const assignTaskSchema = v.strictObject({
  userId: userIdField,
  /** Who the supervisor saw holding the task (null: nobody): a changed holder is a 409 task_holder_changed. */
  expectedHolder: v.optional(v.nullable(userIdField)),
});

export const followUpSchema = v.strictObject({
  /** The day the task comes back to the queue (tomorrow at the earliest), or null to show it now. */
  followUpOn: v.nullable(isoDate),
});

export const taskGroupSchema = v.strictObject({ group: v.nullable(groupCode) });

const taskIdsField = v.pipe(v.array(v.pipe(str(), v.uuid('must be an id in UUID form'))), v.minLength(1, 'must name at least one task'), v.maxLength(100, 'must have at most 100 items'));

export const bulkTasksSchema = v.variant('action', [
  v.strictObject({ action: v.literal('claim'), taskIds: taskIdsField }),
  v.strictObject({ action: v.literal('release'), taskIds: taskIdsField }),
  v.strictObject({ action: v.literal('assign'), taskIds: taskIdsField, userId: userIdField }),
]);

export const taskGroupMembersSchema = v.strictObject({ members: v.pipe(v.array(userIdField), v.maxLength(200, 'must have at most 200 items')) });

/** A saved filter: the queue's query-string fields the desk keeps, by name. */
export const savedFilterFieldsSchema = v.strictObject({
  kind: v.optional(v.pipe(str(), v.maxLength(50))),
  status: v.optional(v.picklist(['open', 'closed'])),
  claimed: v.optional(v.picklist(['me', 'unclaimed', 'any'])),
  sort: v.optional(v.picklist(['priority', 'due'])),
  group: v.optional(v.pipe(str(), v.maxLength(40))),
  holder: v.optional(v.pipe(str(), v.maxLength(200))),
  followUp: v.optional(v.picklist(['hide', 'only', 'any'])),
  overdue: v.optional(v.picklist(['true', 'false'])),
});

export const saveFilterSchema = v.strictObject({ name: text(60), filter: savedFilterFieldsSchema });

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
  /** The candidate group that works it; null: everyone with the role. */
  candidateGroup: v.nullable(v.string()),
  /** Hidden from the queue until this date. */
  followUpOn: v.nullable(date),
});

export const taskListSchema = v.object({ items: v.array(taskViewSchema), total: count });

/** One step of a task's history: who (null: the process) did what and when; details are ids, dates and codes. */
export const taskHistoryEntrySchema = v.object({
  at: dateTime,
  event: v.picklist(['created', 'claimed', 'assigned', 'released', 'follow-up-set', 'group-set', 'decided', 'closed']),
  actor: v.nullable(v.object({ id: v.string(), name: v.string() })),
  details: v.record(v.string(), v.nullable(v.string())),
});

const problemOf = v.object({ taskId: id, ok: v.literal(false), status: count, code: v.string(), params: v.record(v.string(), v.union([v.string(), v.number()])) });

export const bulkResultSchema = v.object({
  items: v.array(v.variant('ok', [v.object({ taskId: id, ok: v.literal(true), task: taskViewSchema }), problemOf])),
  succeeded: count,
  failed: count,
});

export const taskSummarySchema = v.object({
  byKind: v.array(v.object({ kind: v.string(), open: count, overdue: count, followUp: count })),
  open: count,
  overdue: count,
  followUp: count,
  /** Who holds what (supervisors only; null for others). */
  holders: v.nullable(v.array(v.object({ userId: v.string(), name: v.string(), open: count, overdue: count, oldestClaimedAt: v.nullable(dateTime) }))),
});

export const assigneeListSchema = v.object({ items: v.array(v.object({ id: v.string(), name: v.string(), roles: v.array(v.string()) })) });

/** The groups with members and the groups the fund's mapping names; `kinds`: the task kinds the processes send to the group. */
export const taskGroupListSchema = v.object({ items: v.array(v.object({ code: v.string(), members: v.array(v.object({ id: v.string(), name: v.string() })), kinds: v.array(v.string()) })) });

export const savedFilterSchema = v.object({ id, name: v.string(), filter: v.record(v.string(), v.string()), createdAt: dateTime });
export const savedFilterListSchema = v.object({ items: v.array(savedFilterSchema) });

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
  /** What happened to the task, oldest first. */
  history: v.array(taskHistoryEntrySchema),
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
  candidateGroup: null,
  followUpOn: null,
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
        example: { task: taskExample, application: { ...applicationViewExample, status: 'in-review', data: applicationDataExample }, addressConflict: null, eligibilityReview: null, history: [{ at: '2025-03-14T10:00:00.000Z', event: 'created', actor: null, details: { kind: 'application-review' } }, { at: '2025-03-14T11:00:00.000Z', event: 'assigned', actor: { id: 'supervisor', name: 'Esko Esihenkilö' }, details: { to: ex.userId, toName: 'Kaisa Käsittelijä', from: null } }] },
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
  assignTask: defineRoute({
    operationId: 'assignTask',
    method: 'post',
    path: '/v1/tasks/{id}/assign',
    tag: 'Tasks',
    summary: 'Give a task to a named colleague, or take it from its holder (supervisors; anyone may assign to themselves)',
    description:
      'A caseworker assigning to someone else is refused (403 `task_assign_supervisor_only`). With `expectedHolder` the change only happens while that user (null: nobody) still holds the task, else 409 `task_holder_changed`. The assignee must have signed in and work the task\'s role (409 `task_assignee_cannot_work`) and its candidate group (409 `task_assignee_not_in_group`).',
    access: queueWorkers,
    params: idParams,
    body: jsonBody(assignTaskSchema, { userId: 'caseworker', expectedHolder: 'supervisor' }),
    responses: { 200: json(taskViewSchema, 'Assigned', { example: taskExample }) },
    problems: [400, 401, 403, 404, 409],
  }),
  setTaskFollowUp: defineRoute({
    operationId: 'setTaskFollowUp',
    method: 'put',
    path: '/v1/tasks/{id}/follow-up',
    tag: 'Tasks',
    summary: 'Hide a task from the queue until a later day (null: show it again)',
    access: queueWorkers,
    params: idParams,
    body: jsonBody(followUpSchema, { followUpOn: '2025-04-01' }),
    responses: { 200: json(taskViewSchema, 'Follow-up set', { example: { ...taskExample, followUpOn: '2025-04-01' } }) },
    problems: [400, 401, 403, 404, 409, 422],
  }),
  setTaskGroup: defineRoute({
    operationId: 'setTaskGroup',
    method: 'put',
    path: '/v1/tasks/{id}/group',
    tag: 'Tasks',
    summary: 'Name the candidate group that works a task (supervisors; null: the whole role again)',
    access: queueWorkers,
    params: idParams,
    body: jsonBody(taskGroupSchema, { group: 'kasittely-etela' }),
    responses: { 200: json(taskViewSchema, 'Group set', { example: { ...taskExample, candidateGroup: 'kasittely-etela' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  bulkTasks: defineRoute({
    operationId: 'bulkTasks',
    method: 'post',
    path: '/v1/tasks/bulk',
    tag: 'Tasks',
    summary: 'Claim, assign or release many tasks; each is authorised and changed on its own, and the answer says per task what happened',
    access: queueWorkers,
    body: jsonBody(bulkTasksSchema, { action: 'claim', taskIds: [ex.taskId] }),
    responses: {
      200: json(bulkResultSchema, 'Per task: the task after the change, or the problem code that refused it', {
        example: { items: [{ taskId: ex.taskId, ok: false, status: 409, code: 'task_claimed_by_other', params: { claimedBy: 'Kaisa Käsittelijä' } }], succeeded: 0, failed: 1 },
      }),
    },
    problems: [400, 401, 403],
  }),
  getTaskSummary: defineRoute({
    operationId: 'getTaskSummary',
    method: 'get',
    path: '/v1/task-summary',
    tag: 'Tasks',
    summary: 'Open tasks per kind with the overdue ones and those waiting for a follow-up; for supervisors who holds what',
    access: queueWorkers,
    responses: {
      200: json(taskSummarySchema, 'Counts', {
        example: { byKind: [{ kind: 'application-review', open: 4, overdue: 1, followUp: 1 }], open: 4, overdue: 1, followUp: 1, holders: [{ userId: ex.userId, name: 'Kaisa Käsittelijä', open: 2, overdue: 1, oldestClaimedAt: '2025-03-14T10:00:00.000Z' }] },
      }),
    },
    problems: [401, 403],
  }),
  listTaskAssignees: defineRoute({
    operationId: 'listTaskAssignees',
    method: 'get',
    path: '/v1/task-assignees',
    tag: 'Tasks',
    summary: 'The colleagues tasks may be given to: desk users who have signed in and work tasks (supervisors)',
    access: { kind: 'restricted', roles: ['supervisor'] },
    responses: { 200: json(assigneeListSchema, 'Colleagues', { example: { items: [{ id: ex.userId, name: 'Kaisa Käsittelijä', roles: ['caseworker'] }] } }) },
    problems: [401, 403],
  }),
  listTaskGroups: defineRoute({
    operationId: 'listTaskGroups',
    method: 'get',
    path: '/v1/task-groups',
    tag: 'Tasks',
    summary: 'The candidate groups and their members',
    access: queueWorkers,
    responses: { 200: json(taskGroupListSchema, 'Groups', { example: { items: [{ code: 'kasittely-etela', members: [{ id: ex.userId, name: 'Kaisa Käsittelijä' }], kinds: ['application-review'] }] } }) },
    problems: [401, 403],
  }),
  setTaskGroupMembers: defineRoute({
    operationId: 'setTaskGroupMembers',
    method: 'put',
    path: '/v1/task-groups/{group}',
    tag: 'Tasks',
    summary: "Set a candidate group's members (supervisors); an empty list removes the group",
    access: { kind: 'restricted', roles: ['supervisor'] },
    params: v.object({ group: groupCode }),
    body: jsonBody(taskGroupMembersSchema, { members: [ex.userId] }),
    responses: { 200: json(taskGroupListSchema, 'Every group after the change', { example: { items: [{ code: 'kasittely-etela', members: [{ id: ex.userId, name: 'Kaisa Käsittelijä' }], kinds: ['application-review'] }] } }) },
    problems: [400, 401, 403, 404],
  }),
  listSavedTaskFilters: defineRoute({
    operationId: 'listSavedTaskFilters',
    method: 'get',
    path: '/v1/task-filters',
    tag: 'Tasks',
    summary: "The caller's saved work-queue filters",
    access: queueWorkers,
    responses: { 200: json(savedFilterListSchema, 'Filters', { example: { items: [{ id: ex.taskId, name: 'Overdue applications', filter: { kind: 'application-review', overdue: 'true' }, createdAt: '2025-03-14T10:00:00.000Z' }] } }) },
    problems: [401, 403],
  }),
  saveTaskFilter: defineRoute({
    operationId: 'saveTaskFilter',
    method: 'post',
    path: '/v1/task-filters',
    tag: 'Tasks',
    summary: 'Save a work-queue filter under a name (the same name replaces it)',
    access: queueWorkers,
    body: jsonBody(saveFilterSchema, { name: 'Overdue applications', filter: { kind: 'application-review', overdue: 'true' } }),
    responses: { 200: json(savedFilterSchema, 'Saved', { example: { id: ex.taskId, name: 'Overdue applications', filter: { kind: 'application-review', overdue: 'true' }, createdAt: '2025-03-14T10:00:00.000Z' } }) },
    problems: [400, 401, 403, 409],
  }),
  deleteSavedTaskFilter: defineRoute({
    operationId: 'deleteSavedTaskFilter',
    method: 'delete',
    path: '/v1/task-filters/{id}',
    tag: 'Tasks',
    summary: "Delete one of the caller's saved filters",
    access: queueWorkers,
    params: idParams,
    responses: { 200: json(v.object({ deleted: id }), 'Deleted', { example: { deleted: ex.taskId } }) },
    problems: [400, 401, 403, 404],
  }),
};
