import type { Context } from 'hono';
import { getApplication, getApplicationOverview, searchApplications, submitApplication, submitSupplement } from '../../../services/applications';
import type { ServiceContext } from '../../../services/context';
import { failure } from '../../../services/errors';
import { isFreeOfControlCharacters } from '../../../domain/text';
import { applicationRoutes as contract } from '../contract/applications';
import { implement } from '../routing';

export function idempotencyKeyOf(c: Context, fromBody: string | undefined): string {
  const key = c.req.header('idempotency-key') ?? fromBody;
  if (!key) {
    throw failure(400, 'idempotency_key_missing', 'Send an Idempotency-Key header (or idempotencyKey field) so a retried submission is not taken twice.', {
      invalidParams: [{ name: 'Idempotency-Key', reason: 'is required' }],
    });
  }
  if (key.length < 8 || key.length > 100) {
    throw failure(400, 'idempotency_key_length', 'The idempotency key must be 8–100 characters.', { invalidParams: [{ name: 'Idempotency-Key', reason: 'must be 8–100 characters' }] });
  }
  if (!isFreeOfControlCharacters(key)) {
    throw failure(400, 'control_characters', 'Idempotency-Key: must not contain control characters.', {
      invalidParams: [{ name: 'Idempotency-Key', reason: 'must not contain control characters', code: 'control_characters' }],
    });
  }
  return key;
}

/** Applications as integrations (e-services, unions) and the desk see them. */
export function applicationRoutes(ctx: ServiceContext) {
  return [
    implement(contract.submitApplication, async (c, { body }) => {
      const { created, started, application } = await submitApplication(ctx, c.get('principal'), {
        data: body.data,
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
        ...(body.receivedOn ? { receivedOn: body.receivedOn } : {}),
      });
      // Stored, but Temporal did not answer in time: accepted; reconcile starts the process later.
      const status = !started ? 202 : created ? 201 : 200;
      return { status, json: application, headers: { Location: `/api/v1/applications/${application.id}` } };
    }),
    implement(contract.getApplication, async (c, { params, query }) => ({ status: 200, json: await getApplication(ctx, c.get('principal'), params.id, query.lang) })),
    implement(contract.searchApplications, async (c, { body }) => ({ status: 200, json: await searchApplications(ctx, c.get('principal'), body.q, body.limit) })),
    implement(contract.getApplicationOverview, async (c, { params, query }) => ({ status: 200, json: await getApplicationOverview(ctx, c.get('principal'), params.id, query.lang) })),
    implement(contract.submitSupplement, async (c, { params, body }) => ({ status: 200, json: await submitSupplement(ctx, c.get('principal'), params.id, body) })),
  ];
}
