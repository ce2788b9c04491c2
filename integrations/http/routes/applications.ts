import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { getApplication, submitApplication, submitSupplement } from '../../../services/applications';
import type { ServiceContext } from '../../../services/context';
import { ServiceError } from '../../../services/errors';
import type { AppEnv } from '../auth';
import { submitApplicationSchema, supplementSchema, uuidParam } from '../schemas';
import { jsonBody, parseOrThrow } from '../validate';

const langQuery = v.optional(v.picklist(['fi', 'sv', 'en'], 'lang must be fi, sv or en'));

export function idempotencyKeyOf(c: Context, fromBody: string | undefined): string {
  const key = c.req.header('idempotency-key') ?? fromBody;
  if (!key) {
    throw new ServiceError(400, 'Invalid request', 'Send an Idempotency-Key header (or idempotencyKey field) so a retried submission is not taken twice.', {
      invalidParams: [{ name: 'Idempotency-Key', reason: 'is required' }],
    });
  }
  if (key.length < 8 || key.length > 100) {
    throw new ServiceError(400, 'Invalid request', 'The idempotency key must be 8–100 characters.', { invalidParams: [{ name: 'Idempotency-Key', reason: 'must be 8–100 characters' }] });
  }
  return key;
}

/** Applications as integrations (e-services, unions) and the desk see them. */
export function applicationRoutes(ctx: ServiceContext) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const body = await jsonBody(c, submitApplicationSchema);
      const { created, application } = await submitApplication(ctx, c.get('principal'), {
        data: body.data,
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
        ...(body.receivedOn ? { receivedOn: body.receivedOn } : {}),
      });
      c.header('Location', `/api/v1/applications/${application.id}`);
      return c.json(application, created ? 201 : 200);
    })
    .get('/:id', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const lang = parseOrThrow(langQuery, c.req.query('lang'));
      return c.json(await getApplication(ctx, c.get('principal'), id, lang));
    })
    .post('/:id/supplement', async (c) => {
      const id = parseOrThrow(uuidParam, c.req.param('id'));
      const body = await jsonBody(c, supplementSchema);
      return c.json(await submitSupplement(ctx, c.get('principal'), id, body));
    });
}
