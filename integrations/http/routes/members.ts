import type { ServiceContext } from '../../../services/context';
import { changeMemberContact, getMember, getMemberOverview, searchMembers } from '../../../services/members';
import { decideResignationRequest, recordTransferredPeriod, reportDeath, submitResignation, withdrawResignation } from '../../../services/membershipEvents';
import { memberRoutes as contract } from '../contract/members';
import { implement } from '../routing';
import { idempotencyKeyOf } from './applications';

/** Members: search, the overall view, and membership events. */
export function memberRoutes(ctx: ServiceContext) {
  return [
    implement(contract.searchMembers, async (c, { query }) => ({ status: 200, json: await searchMembers(ctx, c.get('principal'), query.q, query.limit) })),
    implement(contract.getMember, async (c, { params }) => ({ status: 200, json: await getMember(ctx, c.get('principal'), params.id) })),
    implement(contract.getMemberOverview, async (c, { params }) => ({ status: 200, json: await getMemberOverview(ctx, c.get('principal'), params.id) })),
    implement(contract.changeMemberContact, async (c, { params, body }) => ({ status: 200, json: await changeMemberContact(ctx, c.get('principal'), params.id, body) })),
    implement(contract.submitResignation, async (c, { params, body }) => {
      const { created, resignation } = await submitResignation(ctx, c.get('principal'), params.id, 'resignation', {
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
        ...(body.receivedOn ? { receivedOn: body.receivedOn } : {}),
        ...(body.requestedEndDate ? { requestedEndDate: body.requestedEndDate } : {}),
        ...(body.subjectIdentityCode ? { subjectIdentityCode: body.subjectIdentityCode } : {}),
      });
      return { status: created ? 201 : 200, json: resignation };
    }),
    implement(contract.withdrawResignation, async (c, { params, body }) => ({ status: 200, json: await withdrawResignation(ctx, c.get('principal'), params.id, params.rid, body) })),
    implement(contract.confirmResignationRequest, async (c, { params, body }) => ({
      status: 200,
      json: await decideResignationRequest(ctx, c.get('principal'), params.id, params.rid, 'confirm', body.reason ? { reason: body.reason } : {}),
    })),
    implement(contract.rejectResignationRequest, async (c, { params, body }) => ({ status: 200, json: await decideResignationRequest(ctx, c.get('principal'), params.id, params.rid, 'reject', body) })),
    implement(contract.submitFundSwitch, async (c, { params, body }) => {
      const { created, resignation } = await submitResignation(ctx, c.get('principal'), params.id, 'fund-switch', {
        idempotencyKey: idempotencyKeyOf(c, body.idempotencyKey),
        newFund: body.newFund,
        newFundStartDate: body.newFundStartDate,
        ...(body.receivedOn ? { receivedOn: body.receivedOn } : {}),
        ...(body.subjectIdentityCode ? { subjectIdentityCode: body.subjectIdentityCode } : {}),
      });
      return { status: created ? 201 : 200, json: resignation };
    }),
    implement(contract.recordTransferredPeriod, async (c, { params, body }) => ({ status: 201, json: await recordTransferredPeriod(ctx, c.get('principal'), params.id, body) })),
    implement(contract.reportDeath, async (c, { params, body }) => ({ status: 200, json: await reportDeath(ctx, c.get('principal'), params.id, body) })),
  ];
}
