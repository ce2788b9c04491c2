import type { Context } from 'hono';
import type { ServiceContext } from '../../../services/context';
import { getCollectionOverview, getMemberCollection, holdMemberCollection, resumeMemberCollection } from '../../../services/collection';
import { collectionRoutes as contract } from '../contract/collection';
import { implement } from '../routing';

/** The e-service's logged-in member, from the Subject-Identity-Code header. */
const subjectOf = (c: Context) => c.req.header('subject-identity-code') || undefined;

/** Overdue collection: a member's collection, hold and resume, the overview. */
export function collectionRoutes(ctx: ServiceContext) {
  return [
    implement(contract.getMemberCollection, async (c, { params }) => ({ status: 200, json: await getMemberCollection(ctx, c.get('principal'), params.id, subjectOf(c)) })),
    implement(contract.holdMemberCollection, async (c, { params, body }) => ({ status: 200, json: await holdMemberCollection(ctx, c.get('principal'), params.id, body, subjectOf(c)) })),
    implement(contract.resumeMemberCollection, async (c, { params }) => ({ status: 200, json: await resumeMemberCollection(ctx, c.get('principal'), params.id, subjectOf(c)) })),
    implement(contract.getCollectionOverview, async (c, { query }) => ({ status: 200, json: await getCollectionOverview(ctx, c.get('principal'), query) })),
  ];
}
