/**
 * The desk lists the register's schedules from `registerScheduleIds`; the worker creates them from
 * `registerSchedules` (temporal/schedules.ts). A schedule created but not listed could not be
 * paused or triggered at the desk (as `union-member-lists` once was): every one built is listed,
 * and each listed one declares whether it may be backfilled.
 */
import { describe, expect, it } from 'vitest';
import { scheduleTimesIssues, shippedScheduleTimes } from '../../../domain/scheduleTimes';
import { registerSchedules } from '../../../temporal/schedules';
import { registerScheduleIds, scheduleBackfill } from '../../../workflows/definitions/schedules';
import { taskQueueNames } from '../../../workflows/definitions/taskQueues';

describe('register schedules', () => {
  const built = registerSchedules({ taskQueues: taskQueueNames(), populationSync: { every: '1 hour' } }).map((s) => s.scheduleId);

  it('lists at the desk every schedule the worker creates, and nothing else', () => {
    expect(built.length).toBeGreaterThan(0);
    expect(new Set(built).size).toBe(built.length);
    expect([...built].sort()).toEqual([...registerScheduleIds].sort());
  });

  it('declares for each one whether a backfill is allowed, with a bounded range', () => {
    for (const id of built) {
      const b = scheduleBackfill[id as keyof typeof scheduleBackfill];
      expect(b, id).toBeDefined();
      if (b.allowed) expect(b.maxDays).toBeGreaterThan(0);
    }
  });

  it('leaves out the population sync only when no change source is configured', () => {
    const without = registerSchedules({ taskQueues: taskQueueNames(), populationSync: null }).map((s) => s.scheduleId);
    expect(built.filter((id) => !without.includes(id))).toEqual(['population-sync']);
  });
});

describe('schedule times from the fund setting (decision 040)', () => {
  const specOf = (times: typeof shippedScheduleTimes, id: string) => registerSchedules({ taskQueues: taskQueueNames(), populationSync: null, times }).find((s) => s.scheduleId === id)!.spec;

  it('builds the shipped times by default and a setting\'s times in Helsinki time', () => {
    expect(registerSchedules({ taskQueues: taskQueueNames(), populationSync: null }).find((s) => s.scheduleId === 'billing-yearly')!.spec).toEqual({ calendars: [{ month: 'JANUARY', dayOfMonth: 8, hour: 6, minute: 0 }], timezone: 'Europe/Helsinki' });
    const moved = { ...shippedScheduleTimes, billingYearly: { month: 2, day: 3, hour: 7, minute: 5 }, taxReport: { day: 12, hour: 8, minute: 0 }, biExtract: { hour: 0, minute: 45 } };
    expect(specOf(moved, 'billing-yearly')).toEqual({ calendars: [{ month: 'FEBRUARY', dayOfMonth: 3, hour: 7, minute: 5 }], timezone: 'Europe/Helsinki' });
    expect(specOf(moved, 'tax-report-yearly')).toEqual({ calendars: [{ month: 'JANUARY', dayOfMonth: 12, hour: 8, minute: 0 }], timezone: 'Europe/Helsinki' });
    expect(specOf(moved, 'bi-extract')).toEqual({ calendars: [{ hour: 0, minute: 45 }], timezone: 'Europe/Helsinki' });
  });

  it('refuses a day a month lacks in some years and a tax report too close to its deadline', () => {
    expect(scheduleTimesIssues(shippedScheduleTimes)).toEqual([]);
    expect(scheduleTimesIssues({ ...shippedScheduleTimes, billingYearly: { month: 2, day: 29, hour: 6, minute: 0 } }).map((i) => [i.code, i.params.max])).toEqual([['config_schedule_day_invalid', 28]]);
    expect(scheduleTimesIssues({ ...shippedScheduleTimes, billingYearly: { month: 4, day: 31, hour: 6, minute: 0 } }).map((i) => i.field)).toEqual(['billingYearly.day']);
    expect(scheduleTimesIssues({ ...shippedScheduleTimes, taxReport: { day: 24, hour: 6, minute: 0 } })).toEqual([]);
    expect(scheduleTimesIssues({ ...shippedScheduleTimes, taxReport: { day: 25, hour: 6, minute: 0 } }).map((i) => i.code)).toEqual(['config_tax_schedule_too_late']);
  });
});

