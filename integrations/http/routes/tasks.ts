import { Hono } from 'hono';
import type { ServiceContext } from '../../../services/context';
import { claimTask, decideTask, getTask, listTasks, unclaimTask } from '../../../services/tasks';
import type { AppEnv } from '../auth';
import { decisionSchema, taskListQuerySchema, uuidParam } from '../schemas';
import { jsonBody, parseOrThrow } from '../validate';

/** The work queue: list, claim, open and decide human tasks. */
export function taskRoutes(ctx: ServiceContext) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { lang: _lang, ...filter } = parseOrThrow(taskListQuerySchema, c.req.query());
      return c.json(await listTasks(ctx, c.get('principal'), filter));
    })
    .get('/:id', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const { lang } = parseOrThrow(taskListQuerySchema, c.req.query());
      return c.json(await getTask(ctx, c.get('principal'), id, lang ?? 'fi'));
    })
    .post('/:id/claim', async (c) => c.json(await claimTask(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')))))
    .post('/:id/unclaim', async (c) => c.json(await unclaimTask(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')))))
    .post('/:id/decision', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const body = await jsonBody(c, decisionSchema);
      return c.json(await decideTask(ctx, c.get('principal'), id, body));
    });
}
