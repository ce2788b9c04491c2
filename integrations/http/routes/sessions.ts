import type { ServiceContext } from '../../../services/context';
import { endUserSessions, listDeskSessions, type SessionSettings } from '../../../services/sessions';
import { sessionRoutes as contract } from '../contract/sessions';
import { implement } from '../routing';

/** Desk sessions for administrators: who is signed in, and ending a user's sessions. */
export function sessionRoutes(ctx: ServiceContext, settings: SessionSettings) {
  return [
    implement(contract.listDeskSessions, async (c) => ({ status: 200, json: await listDeskSessions(ctx, settings, c.get('principal')) })),
    implement(contract.endUserSessions, async (c, { params }) => ({ status: 200, json: await endUserSessions(ctx, c.get('principal'), params.userId) })),
  ];
}
