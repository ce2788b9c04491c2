import type { ServiceContext } from '../../../services/context';
import { changeMemberContact, getMember, getMemberOverview, searchMembers } from '../../../services/members';
import { decideResignationRequest, recordTransferredPeriod, reportDeath, submitResignation, withdrawResignation } from '../../../services/membershipEvents';
import { looksLikeIdentityCode } from '../../../domain/membership/memberQuery';
import { failure } from '../../../services/errors';
import { memberRoutes as contract } from '../contract/members';
import { implement } from '../routing';
import { idempotencyKeyOf } from './applications';

/** A query string that carries an identity code: browser history and proxy logs would keep it. */
export function identityCodeInUrl(instead: string) {
  return failure(400, 'identity_code_in_url', `Do not put an identity code in a URL, where browser history and proxy logs keep it. Send the query in the body of ${instead}.`, {
    params: { instead },
    invalidParams: [{ name: 'q', reason: 'must not be an identity code', code: 'identity_code_in_url' }],
  });
}

/** Members: search, the overall view, and membership events. */
export function memberRoutes(ctx: ServiceContext) {
  return [
    implement(contract.searchMembers, async (c, { query }) => {
      // Refused before anything is searched or audited: the code is already in this URL, but no
      // desk page or client of ours should send it there again.
      if (looksLikeIdentityCode(query.q)) throw identityCodeInUrl('POST /api/v1/members/search');
      return { status: 200, json: await searchMembers(ctx, c.get('principal'), query.q, query.limit) };
    }),
    implement(contract.searchMembersByBody, async (c, { body }) => ({ status: 200, json: await searchMembers(ctx, c.get('principal'), body.q, body.limit) })),
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
