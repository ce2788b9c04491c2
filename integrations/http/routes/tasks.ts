import type { ServiceContext } from '../../../services/context';
import { claimTask, decideTask, getTask, listTasks, unclaimTask } from '../../../services/tasks';
import {
  assignTask,
  bulkTasks,
  deleteSavedFilter,
  listAssignees,
  listSavedFilters,
  listTaskGroups,
  queueSummary,
  saveFilter,
  setFollowUp,
  setTaskGroup,
  setTaskGroupMembers,
} from '../../../services/taskQueue';
import { taskRoutes as contract } from '../contract/tasks';
import { implement } from '../routing';

/** The work queue: list, claim, open and decide human tasks; assign, follow up, group and bulk-change them. */
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
    implement(contract.assignTask, async (c, { params, body }) => ({ status: 200, json: await assignTask(ctx, c.get('principal'), params.id, body) })),
    implement(contract.setTaskFollowUp, async (c, { params, body }) => ({ status: 200, json: await setFollowUp(ctx, c.get('principal'), params.id, body.followUpOn) })),
    implement(contract.setTaskGroup, async (c, { params, body }) => ({ status: 200, json: await setTaskGroup(ctx, c.get('principal'), params.id, body.group) })),
    implement(contract.bulkTasks, async (c, { body }) => ({ status: 200, json: await bulkTasks(ctx, c.get('principal'), body) })),
    implement(contract.getTaskSummary, async (c) => ({ status: 200, json: await queueSummary(ctx, c.get('principal')) })),
    implement(contract.listTaskAssignees, async (c) => ({ status: 200, json: await listAssignees(ctx, c.get('principal')) })),
    implement(contract.listTaskGroups, async (c) => ({ status: 200, json: await listTaskGroups(ctx, c.get('principal')) })),
    implement(contract.setTaskGroupMembers, async (c, { params, body }) => ({ status: 200, json: await setTaskGroupMembers(ctx, c.get('principal'), params.group, body.members) })),
    implement(contract.listSavedTaskFilters, async (c) => ({ status: 200, json: await listSavedFilters(ctx, c.get('principal')) })),
    implement(contract.saveTaskFilter, async (c, { body }) => ({ status: 200, json: await saveFilter(ctx, c.get('principal'), body) })),
    implement(contract.deleteSavedTaskFilter, async (c, { params }) => ({ status: 200, json: await deleteSavedFilter(ctx, c.get('principal'), params.id) })),
  ];
}
