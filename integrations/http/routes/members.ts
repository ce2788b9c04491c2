import { Hono } from 'hono';
import type { ServiceContext } from '../../../services/context';
import { changeMemberContact, getMember, getMemberOverview, searchMembers } from '../../../services/members';
import { recordTransferredPeriod, reportDeath, submitResignation, withdrawResignation } from '../../../services/membershipEvents';
import type { AppEnv } from '../auth';
import { contactChangeSchema, deathSchema, fundSwitchSchema, memberSearchQuerySchema, resignationSchema, transferredPeriodSchema, uuidParam } from '../schemas';
import { jsonBody, parseOrThrow } from '../validate';
import { idempotencyKeyOf } from './applications';

/** Members: search, the overall view, and membership events. */
export function memberRoutes(ctx: ServiceContext) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const { q, limit } = parseOrThrow(memberSearchQuerySchema, c.req.query());
      return c.json(await searchMembers(ctx, c.get('principal'), q, limit));
    })
    .get('/:id', async (c) => c.json(await getMember(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')))))
    .get('/:id/overview', async (c) => c.json(await getMemberOverview(ctx, c.get('principal'), parseOrThrow(uuidParam, c.req.param('id')))))
    .patch('/:id/contact', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      return c.json(await changeMemberContact(ctx, c.get('principal'), id, await jsonBody(c, contactChangeSchema)));
    })
    .post('/:id/resignations', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const body = await jsonBody(c, resignationSchema);
      const { created, resignation } = await submitResignation(ctx, c.get('principal'), id, 'resignation', {
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
        ...(body.receivedOn ? { receivedOn: body.receivedOn } : {}),
        ...(body.requestedEndDate ? { requestedEndDate: body.requestedEndDate } : {}),
      });
      return c.json(resignation, created ? 201 : 200);
    })
    .post('/:id/resignations/:rid/withdraw', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const rid = parseOrThrow(uuidParam, c.req.param('rid'));
      return c.json(await withdrawResignation(ctx, c.get('principal'), id, rid));
    })
    .post('/:id/fund-switch', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const body = await jsonBody(c, fundSwitchSchema);
      const { created, resignation } = await submitResignation(ctx, c.get('principal'), id, 'fund-switch', {
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
        newFund: body.newFund,
        newFundStartDate: body.newFundStartDate,
        ...(body.receivedOn ? { receivedOn: body.receivedOn } : {}),
      });
      return c.json(resignation, created ? 201 : 200);
    })
    .post('/:id/transferred-periods', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      return c.json(await recordTransferredPeriod(ctx, c.get('principal'), id, await jsonBody(c, transferredPeriodSchema)), 201);
    })
    .post('/:id/death', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      return c.json(await reportDeath(ctx, c.get('principal'), id, await jsonBody(c, deathSchema)));
    });
}
