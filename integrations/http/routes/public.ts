import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import { submitApplication, submitSupplement } from '../../../services/applications';
import type { ServiceContext } from '../../../services/context';
import type { Principal } from '../../../services/principal';
import { problem } from '../problem';
import { rateLimit } from '../rateLimit';
import { publicResignationSchema, submitApplicationSchema, supplementSchema, uuidParam } from '../schemas';
import { submitPublicResignation } from '../../../services/membershipEvents';
import { jsonBody, parseOrThrow } from '../validate';
import { idempotencyKeyOf } from './applications';

const publicPrincipal: Principal = { kind: 'public' };

/** The public join and supplement forms post here: no login, but validated, size- and rate-limited. */
export function publicRoutes(ctx: ServiceContext, perMinute: number) {
  return new Hono()
    .use(bodyLimit({ maxSize: 32 * 1024, onError: (c) => problem(c, 413, 'Too large', 'The form is larger than 32 KiB; shorten the free-text fields.') }))
    .use(rateLimit({ perMinute }))
    .get('/fund', (c) => {
      const p = ctx.profile;
      return c.json({ id: p.id, name: p.name, scope: p.scope, joinForm: p.joinForm, unions: p.unions, maxJoinAge: p.maxJoinAge });
    })
    .post('/applications', async (c) => {
      const body = await jsonBody(c, v.strictObject({ ...submitApplicationSchema.entries, receivedOn: v.optional(v.never('receivedOn is set by the fund')) }));
      const { created, application } = await submitApplication(ctx, publicPrincipal, {
        data: body.data,
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
      });
      // The public sees only that the application arrived and its reference.
      return c.json({ id: application.id, status: 'received', receivedOn: application.receivedOn }, created ? 201 : 200);
    })
    .post('/resignations', async (c) => {
      const body = await jsonBody(c, publicResignationSchema);
      return c.json(await submitPublicResignation(ctx, body), 202);
    })
    .post('/applications/:id/supplement', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const body = await jsonBody(c, supplementSchema);
      const after = await submitSupplement(ctx, publicPrincipal, id, body);
      return c.json({ id, status: after.status });
    });
}
