import type { ServiceContext } from '../../../services/context';
import { endExemption, grantExemption, memberExemptions } from '../../../services/feeExemptions';
import { exemptionRoutes as contract } from '../contract/exemptions';
import { implement } from '../routing';

/** A member's fee exemptions: the union's and the fund's; the fund grants and ends its own. */
export function exemptionRoutes(ctx: ServiceContext) {
  return [
    implement(contract.listMemberExemptions, async (c, { params }) => ({ status: 200, json: await memberExemptions(ctx, c.get('principal'), params.id), headers: { 'Cache-Control': 'no-store' } })),
    implement(contract.grantMemberExemption, async (c, { params, body }) => ({ status: 201, json: await grantExemption(ctx, c.get('principal'), params.id, body) })),
    implement(contract.endMemberExemption, async (c, { params, body }) => ({ status: 200, json: await endExemption(ctx, c.get('principal'), params.id, params.eid, body) })),
  ];
}
