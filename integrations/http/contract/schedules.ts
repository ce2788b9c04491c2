/** The register's Temporal Schedules: listed, paused with a reason, resumed and triggered (administrators). */
import * as v from 'valibot';
import { count, dateTime } from './common';
import { defineRoute, json, jsonBody } from './define';
import { multilineText, str } from './fields';

const scheduleIdParam = v.pipe(str(), v.minLength(1), v.maxLength(100), v.regex(/^[a-z0-9-]+$/, 'must be a schedule id such as collection-daily'));
export const scheduleChangeSchema = v.strictObject({ reason: multilineText(500) });

export const scheduleViewSchema = v.object({
  id: v.string(),
  paused: v.boolean(),
  note: v.nullable(v.string()),
  nextRuns: v.array(dateTime),
  lastRun: v.nullable(v.object({ scheduledAt: dateTime, startedAt: dateTime, workflowId: v.string(), outcome: v.string() })),
  actionsTaken: count,
});
export const scheduleListSchema = v.object({ items: v.array(scheduleViewSchema) });

const example = {
  id: 'collection-daily',
  paused: true,
  note: 'admin: the bank file is late today',
  nextRuns: ['2026-12-05T03:30:00.000Z'],
  lastRun: { scheduledAt: '2026-12-04T03:30:00.000Z', startedAt: '2026-12-04T03:30:00.412Z', workflowId: 'collection-daily-2026-12-04T03:30:00Z', outcome: 'completed' },
  actionsTaken: 41,
};
const access = { kind: 'restricted', roles: ['admin'] } as const;
const params = v.object({ id: scheduleIdParam });
const change = (operationId: string, verb: string, summary: string) =>
  defineRoute({
    operationId,
    method: 'post',
    path: `/v1/schedules/{id}/${verb}`,
    tag: 'Schedules',
    summary,
    description: 'Through the Temporal Schedules API; audited with the reason. 404 `schedule_not_found`.',
    access,
    params,
    body: jsonBody(scheduleChangeSchema, { reason: 'The bank file is late today' }),
    responses: { 200: json(scheduleViewSchema, 'The schedule after the change', { example }) },
    problems: [400, 401, 403, 404],
  });

export const scheduleRoutes = {
  listSchedules: defineRoute({
    operationId: 'listSchedules',
    method: 'get',
    path: '/v1/schedules',
    tag: 'Schedules',
    summary: "The register's schedules with next and last run and the last run's outcome",
    access,
    responses: { 200: json(scheduleListSchema, 'The schedules that exist', { example: { items: [example] } }) },
    problems: [401, 403],
  }),
  pauseSchedule: change('pauseSchedule', 'pause', 'Pause a schedule, with a reason'),
  resumeSchedule: change('resumeSchedule', 'resume', 'Resume a paused schedule, with a reason'),
  triggerSchedule: change('triggerSchedule', 'trigger', "Run a schedule's action now, under its overlap policy, with a reason"),
};
