import type { ServiceContext } from '../../../services/context';
import { eventSchemasDocument, listDeadLetters, outboxStatus, replayOutbox, retryDeadLetter } from '../../../services/outbox';
import { outboxRoutes as contract } from '../contract/outbox';
import { implement } from '../routing';

/** Events out: the event schemas for integrators; the deliveries for administrators. */
export function outboxRoutes(ctx: ServiceContext) {
  const document = eventSchemasDocument();
  return [
    implement(contract.getEventSchemas, () => Promise.resolve({ status: 200, json: document })),
    implement(contract.getOutboxStatus, async (c) => ({ status: 200, json: await outboxStatus(ctx, c.get('principal')), headers: { 'Cache-Control': 'no-store' } })),
    implement(contract.listDeadLetters, async (c, { query }) => ({ status: 200, json: await listDeadLetters(ctx, c.get('principal'), query), headers: { 'Cache-Control': 'no-store' } })),
    implement(contract.retryDeadLetter, async (c, { params }) => ({ status: 200, json: await retryDeadLetter(ctx, c.get('principal'), params.id) })),
    implement(contract.replayOutbox, async (c, { body }) => ({ status: 200, json: await replayOutbox(ctx, c.get('principal'), body) })),
  ];
}
