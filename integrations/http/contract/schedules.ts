/** The register's Temporal Schedules: listed, paused with a reason, resumed, triggered and backfilled (administrators). */
import * as v from 'valibot';
import { count, dateTime } from './common';
import { defineRoute, json, jsonBody } from './define';
import { isoDate, multilineText, str } from './fields';
import { backfillOverlaps } from '../../../domain/scheduleBackfill';

const scheduleIdParam = v.pipe(str(), v.minLength(1), v.maxLength(100), v.regex(/^[a-z0-9-]+$/, 'must be a schedule id such as collection-daily'));
export const scheduleChangeSchema = v.strictObject({ reason: multilineText(500) });

export const scheduleViewSchema = v.object({
  id: v.string(),
  paused: v.boolean(),
  note: v.nullable(v.string()),
  nextRuns: v.array(dateTime),
  lastRun: v.nullable(v.object({ scheduledAt: dateTime, startedAt: dateTime, workflowId: v.string(), outcome: v.string() })),
  actionsTaken: count,
  backfill: v.object({ allowed: v.boolean(), maxDays: v.nullable(count), why: v.nullable(v.string()) }),
  timing: v.variant('source', [
    v.object({
      source: v.literal('setting'),
      field: v.string(),
      time: v.object({ hour: count, minute: count, day: v.optional(count), month: v.optional(count) }),
      applied: v.boolean(),
    }),
    v.object({ source: v.literal('installation'), everyMinutes: v.nullable(count) }),
  ]),
});
export const scheduleBackfillSchema = v.strictObject({
  from: isoDate,
  to: isoDate,
  overlap: v.optional(v.picklist(backfillOverlaps, `must be one of ${backfillOverlaps.join(', ')}`), 'buffer-all'),
  reason: multilineText(500),
});
export const scheduleBackfillResultSchema = v.object({ ...scheduleViewSchema.entries, backfilledTimes: v.array(dateTime) });
export const scheduleListSchema = v.object({ items: v.array(scheduleViewSchema) });

const example = {
  id: 'collection-daily',
  paused: true,
  note: 'admin: the bank file is late today',
  nextRuns: ['2026-12-05T03:30:00.000Z'],
  lastRun: { scheduledAt: '2026-12-04T03:30:00.000Z', startedAt: '2026-12-04T03:30:00.412Z', workflowId: 'collection-daily-2026-12-04T03:30:00Z', outcome: 'completed' },
  actionsTaken: 41,
  backfill: { allowed: false, maxDays: null, why: 'state-based' },
  timing: { source: 'setting' as const, field: 'collectionDaily', time: { hour: 5, minute: 30 }, applied: true },
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
  backfillSchedule: defineRoute({
    operationId: 'backfillSchedule',
    method: 'post',
    path: '/v1/schedules/{id}/backfill',
    tag: 'Schedules',
    summary: "Run a schedule's missed times between two days (Helsinki, both included), with a reason",
    description:
      'Through the Temporal Schedules API (backfill), only for schedules whose every time is its own period with a deterministic process id, so a period already run is not run again (`backfill.allowed` in the list; 409 `schedule_backfill_not_allowed`). `to` is not after today (422 `schedule_backfill_in_future`), `from` not after `to` (422 `schedule_backfill_range_invalid`), at most `backfill.maxDays` days (422 `schedule_backfill_range_too_long`) and with at least one scheduled time (422 `schedule_backfill_no_times`). `overlap` (default buffer-all: one after another) is the overlap policy of the backfilled runs. Audited with the range, the policy, the number of times and the reason.',
    access,
    params,
    body: jsonBody(scheduleBackfillSchema, { from: '2026-11-30', to: '2026-12-02', overlap: 'buffer-all', reason: 'The finance system was down' }),
    responses: {
      200: json(scheduleBackfillResultSchema, 'The schedule and the times Temporal runs', {
        example: { ...example, id: 'finance-journal', paused: false, backfill: { allowed: true, maxDays: 62, why: null }, backfilledTimes: ['2026-11-30T01:30:00.000Z', '2026-12-01T01:30:00.000Z', '2026-12-02T01:30:00.000Z'] },
      }),
    },
    problems: [400, 401, 403, 404, 409, 422],
  }),
};
