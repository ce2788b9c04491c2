import type { ServiceContext } from '../../../services/context';
import { claimTask, decideTask, getTask, listTasks, unclaimTask } from '../../../services/tasks';
import { taskRoutes as contract } from '../contract/tasks';
import { implement } from '../routing';

/** The work queue: list, claim, open and decide human tasks. */
export function taskRoutes(ctx: ServiceContext) {
  return [
    implement(contract.listTasks, async (c, { query }) => {
      const { lang: _lang, ...filter } = query;
      return { status: 200, json: await listTasks(ctx, c.get('principal'), filter) };
    }),
    implement(contract.getTask, async (c, { params, query }) => ({ status: 200, json: await getTask(ctx, c.get('principal'), params.id, query.lang ?? 'fi') })),
    implement(contract.claimTask, async (c, { params }) => ({ status: 200, json: await claimTask(ctx, c.get('principal'), params.id) })),
    implement(contract.unclaimTask, async (c, { params }) => ({ status: 200, json: await unclaimTask(ctx, c.get('principal'), params.id) })),
    implement(contract.decideTask, async (c, { params, body }) => ({ status: 200, json: await decideTask(ctx, c.get('principal'), params.id, body) })),
  ];
}
