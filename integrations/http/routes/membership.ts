import type { ServiceContext } from '../../../services/context';
import { readMembership, readMembershipBatch } from '../../../services/membershipRead';
import { changeOwnContact, readOwnData } from '../../../services/ownData';
import { membershipRoutes as contract } from '../contract/membership';
import { implement } from '../routing';

/** Membership for other systems (EKJ, unions) and the member's own data for e-services. */
export function membershipRoutes(ctx: ServiceContext) {
  return [
    implement(contract.readMembership, async (c, { body }) => ({ status: 200, json: await readMembership(ctx, c.get('principal'), body) })),
    implement(contract.readMembershipBatch, async (c, { body }) => ({ status: 200, json: await readMembershipBatch(ctx, c.get('principal'), body) })),
    implement(contract.readOwnData, async (c, { body }) => ({ status: 200, json: await readOwnData(ctx, c.get('principal'), body) })),
    implement(contract.changeOwnContact, async (c, { body }) => ({ status: 200, json: await changeOwnContact(ctx, c.get('principal'), body) })),
  ];
}
