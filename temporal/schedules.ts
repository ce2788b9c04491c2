import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { membershipDailySweep } from '../workflows/membershipDailySweep';
import { populationRegisterSync } from '../workflows/populationRegisterSync';

export interface ScheduleSpecOptions {
  taskQueue: string;
  /** Whether to start the population-register sync; only when a change source is configured. */
  populationSync?: { every: string } | null;
}

/**
 * Creates the register's Temporal Schedules once; administrators pause, trigger and backfill them
 * in the Temporal UI. An existing schedule is left as the administrators set it.
 */
export async function ensureSchedules(client: Client, opts: ScheduleSpecOptions): Promise<string[]> {
  const created: string[] = [];
  const create = async (fn: () => Promise<unknown>, id: string) => {
    try {
      await fn();
      created.push(id);
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  };
  await create(
    () =>
      client.schedule.create({
        scheduleId: 'membership-daily',
        spec: { calendars: [{ hour: 2, minute: 15 }], timezone: 'Europe/Helsinki' },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        action: { type: 'startWorkflow', workflowType: membershipDailySweep, workflowId: 'membership-daily-sweep', taskQueue: opts.taskQueue, args: [{}] },
      }),
    'membership-daily',
  );
  if (opts.populationSync) {
    await create(
      () =>
        client.schedule.create({
          scheduleId: 'population-sync',
          spec: { intervals: [{ every: opts.populationSync!.every }] },
          policies: { overlap: ScheduleOverlapPolicy.SKIP },
          action: { type: 'startWorkflow', workflowType: populationRegisterSync, workflowId: 'population-sync', taskQueue: opts.taskQueue, args: [] },
        }),
      'population-sync',
    );
  }
  return created;
}
