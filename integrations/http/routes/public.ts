import { submitApplication, submitSupplement } from '../../../services/applications';
import type { ServiceContext } from '../../../services/context';
import { confirmResignationByLink, previewResignationConfirmation, submitPublicResignation } from '../../../services/membershipEvents';
import type { Principal } from '../../../services/principal';
import { publicRoutes as contract } from '../contract/public';
import { implement } from '../routing';
import { idempotencyKeyOf } from './applications';

const publicPrincipal: Principal = { kind: 'public' };

/** The public join and supplement forms post here: no login; app.ts limits their size and rate. */
export function publicRoutes(ctx: ServiceContext) {
  return [
    implement(contract.getPublicFund, async () => {
      const p = ctx.profile;
      return { status: 200, json: { id: p.id, name: p.name, scope: p.scope, joinForm: p.joinForm, unions: p.unions, maxJoinAge: p.maxJoinAge } };
    }),
    implement(contract.submitPublicApplication, async (c, { body }) => {
      const { created, application } = await submitApplication(ctx, publicPrincipal, {
        data: body.data,
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
      });
      // The public sees only that the application arrived and its reference.
      return { status: created ? 201 : 200, json: { id: application.id, status: 'received' as const, receivedOn: application.receivedOn } };
    }),
    implement(contract.submitPublicResignation, async (_c, { body }) => ({ status: 202, json: await submitPublicResignation(ctx, body) })),
    implement(contract.previewResignationConfirmation, async (_c, { body }) => ({ status: 200, json: await previewResignationConfirmation(ctx, body.token) })),
    implement(contract.confirmResignation, async (_c, { body }) => ({ status: 200, json: await confirmResignationByLink(ctx, body.token) })),
    implement(contract.submitPublicSupplement, async (_c, { params, body }) => {
      const after = await submitSupplement(ctx, publicPrincipal, params.id, body);
      return { status: 200, json: { id: params.id, status: after.status } };
    }),
  ];
}
