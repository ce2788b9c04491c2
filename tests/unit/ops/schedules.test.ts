/**
 * The desk lists the register's schedules from `registerScheduleIds`; the worker creates them from
 * `registerSchedules` (temporal/schedules.ts). A schedule created but not listed could not be
 * paused or triggered at the desk (as `union-member-lists` once was): every one built is listed,
 * and each listed one declares whether it may be backfilled.
 */
import { describe, expect, it } from 'vitest';
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
