import type { ServiceContext } from '../../../services/context';
import { backfillSchedule, listSchedules, pauseSchedule, resumeSchedule, triggerSchedule } from '../../../services/schedules';
import { scheduleRoutes as contract } from '../contract/schedules';
import { implement } from '../routing';

export function scheduleRoutes(ctx: ServiceContext) {
  return [
    implement(contract.listSchedules, async (c) => ({ status: 200, json: await listSchedules(ctx, c.get('principal')) })),
    implement(contract.pauseSchedule, async (c, { params, body }) => ({ status: 200, json: await pauseSchedule(ctx, c.get('principal'), params.id, body.reason) })),
    implement(contract.resumeSchedule, async (c, { params, body }) => ({ status: 200, json: await resumeSchedule(ctx, c.get('principal'), params.id, body.reason) })),
    implement(contract.triggerSchedule, async (c, { params, body }) => ({ status: 200, json: await triggerSchedule(ctx, c.get('principal'), params.id, body.reason) })),
    implement(contract.backfillSchedule, async (c, { params, body }) => ({ status: 200, json: await backfillSchedule(ctx, c.get('principal'), params.id, body) })),
  ];
}
