/**
 * When the schedules run is a fund setting (decision 040): an administrator moves the unions'
 * member lists to another day and time through the fund-config API, the worker's
 * `applyScheduleTimes` brings the real Temporal schedule to it (paused state and note kept), and
 * a day a month lacks or a tax report too close to its deadline is refused by name. The schedule
 * is created paused on a queue no worker polls and deleted afterwards; the setting is removed.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundConfigOverrides } from '../../db/schema';
import { shippedScheduleTimes } from '../../domain/scheduleTimes';
import { applyScheduleTimes, registerSchedules } from '../../temporal/schedules';
import { unionMemberListsScheduleId } from '../../workflows/definitions/unionRemittanceMismatch';
import { apiClient } from '../support/api';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let client: ReturnType<typeof apiClient>;
let admin: string;
const put = (body: unknown) => client.api('/api/v1/fund-config/scheduleTimes', { method: 'PUT', cookie: admin, body: JSON.stringify(body) });
const mine = [unionMemberListsScheduleId];
/** What the desk's schedule list says of this schedule's time. */
const timingAtDesk = async () => {
  const res = await client.api('/api/v1/schedules', { cookie: admin });
  expect(res.status, res.text).toBe(200);
  return (res.body.items as { id: string; timing: unknown }[]).find((i) => i.id === unionMemberListsScheduleId)?.timing;
};
const clean = () => stack.db.delete(fundConfigOverrides).where(and(eq(fundConfigOverrides.fundId, stack.ctx.config.shipped.id), eq(fundConfigOverrides.key, 'scheduleTimes')));

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack);
  admin = await stack.login('admin');
  const options = registerSchedules({ taskQueues: stack.ctx.taskQueues }).find((s) => s.scheduleId === unionMemberListsScheduleId)!;
  const idle = { ...options.action, taskQueue: `schedule-times-idle-${options.action.taskQueue}` } as typeof options.action;
  await stack.ctx.temporal.schedule.create({ ...options, action: idle, state: { paused: true, note: 'created paused by the schedule-times test' } });
}, 120_000);

afterAll(async () => {
  await stack?.ctx.temporal.schedule.getHandle(unionMemberListsScheduleId).delete().catch(() => undefined);
  if (stack) {
    await clean();
    await stack.ctx.config.reload();
  }
  await stack?.close();
});

describe('schedule times as a setting', () => {
  it('refuses a day some years lack and a late tax report, naming the field', async () => {
    const feb29 = await put({ value: { ...shippedScheduleTimes, billingYearly: { month: 2, day: 29, hour: 6, minute: 0 } }, effectiveFrom: stack.ctx.today(), reason: 'leap day' });
    expect(feb29.status).toBe(400);
    expect(feb29.body).toMatchObject({ code: 'config_schedule_day_invalid' });
    expect(feb29.body.invalidParams).toContainEqual(expect.objectContaining({ name: 'value.billingYearly.day', code: 'config_schedule_day_invalid' }));
    const late = await put({ value: { ...shippedScheduleTimes, taxReport: { day: 28, hour: 6, minute: 0 } }, effectiveFrom: stack.ctx.today(), reason: 'late' });
    expect(late.body.code).toBe('config_tax_schedule_too_late');
    const hour = await put({ value: { ...shippedScheduleTimes, biExtract: { hour: 24, minute: 0 } }, effectiveFrom: stack.ctx.today(), reason: 'no such hour' });
    expect(hour.status).toBe(400);
  });

  it("moves a schedule to the setting's time, keeping it paused with its note", async () => {
    const handle = stack.ctx.temporal.schedule.getHandle(unionMemberListsScheduleId);
    const calendarOf = async () => {
      const d = await handle.describe();
      const c = d.spec.calendars?.[0];
      return { day: c?.dayOfMonth?.[0]?.start, hour: c?.hour?.[0]?.start, minute: c?.minute?.[0]?.start, paused: d.state.paused, note: d.state.note };
    };
    expect(await calendarOf()).toMatchObject({ day: 20, hour: 7, minute: 0, paused: true });

    const saved = await put({ value: { ...shippedScheduleTimes, unionMemberLists: { day: 22, hour: 9, minute: 15 } }, effectiveFrom: stack.ctx.today(), reason: 'unions send later' });
    expect(saved.status, saved.text).toBe(200);
    const times = stack.ctx.profile.scheduleTimes;
    expect(times?.unionMemberLists).toEqual({ day: 22, hour: 9, minute: 15 });
    // The desk names the setting's new time, not yet in Temporal until the worker applies it.
    expect(await timingAtDesk()).toEqual({ source: 'setting', field: 'unionMemberLists', time: { day: 22, hour: 9, minute: 15 }, applied: false });
    const updated = await applyScheduleTimes(stack.ctx.temporal, { taskQueues: stack.ctx.taskQueues, times }, mine);
    expect(updated).toContain(unionMemberListsScheduleId);
    expect(await calendarOf()).toEqual({ day: 22, hour: 9, minute: 15, paused: true, note: 'created paused by the schedule-times test' });
    expect(await timingAtDesk()).toEqual({ source: 'setting', field: 'unionMemberLists', time: { day: 22, hour: 9, minute: 15 }, applied: true });
    // Again: the same spec, nothing else changes.
    await applyScheduleTimes(stack.ctx.temporal, { taskQueues: stack.ctx.taskQueues, times }, mine);
    expect(await calendarOf()).toMatchObject({ day: 22, hour: 9, minute: 15, paused: true });
    // Back to the shipped value: the shipped time again.
    await clean();
    await stack.ctx.config.reload();
    await applyScheduleTimes(stack.ctx.temporal, { taskQueues: stack.ctx.taskQueues, times: stack.ctx.profile.scheduleTimes }, mine);
    expect(await calendarOf()).toMatchObject({ day: 20, hour: 7, minute: 0 });
    expect(await timingAtDesk()).toEqual({ source: 'setting', field: 'unionMemberLists', time: { day: 20, hour: 7, minute: 0 }, applied: true });
  });
});
