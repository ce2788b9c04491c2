import { Hono } from 'hono';
import type { ServiceContext } from '../../../services/context';
import { getMember } from '../../../services/members';
import type { AppEnv } from '../auth';
import { uuidParam } from '../schemas';
import { parseOrThrow } from '../validate';

export function memberRoutes(ctx: ServiceContext) {
  return new Hono<AppEnv>().get('/:id', async (c) => c.json(await getMember(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')))));
}
