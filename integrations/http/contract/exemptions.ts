/**
 * Fee exemptions of a member (decisions 031 and 038): a union's as reported, and the fund's own,
 * granted to a direct member at the desk with a reason and ended early with one. The billing run
 * bills no month whose membership days are all exempt.
 */
import * as v from 'valibot';
import { dateTime, ex, id, idParams, uuidParam } from './common';
import { defineRoute, json, jsonBody } from './define';
import { isoDate, multilineText } from './fields';

export const feeExemptionSchema = v.object({
  id,
  /** 'union': reported by the member's union; 'fund': granted by the fund. */
  source: v.picklist(['union', 'fund']),
  unionCode: v.nullable(v.string()),
  startDate: v.string(),
  /** The last exempt day; null while open. */
  endDate: v.nullable(v.string()),
  reason: v.nullable(v.string()),
  grantedBy: v.nullable(v.string()),
  grantedAt: dateTime,
  endReason: v.nullable(v.string()),
  endedBy: v.nullable(v.string()),
});

export const feeExemptionListSchema = v.object({ items: v.array(feeExemptionSchema) });

export const grantExemptionSchema = v.strictObject({
  startDate: isoDate,
  /** The last exempt day; left out for an exemption until further notice. */
  endDate: v.optional(isoDate),
  reason: multilineText(500),
});

export const endExemptionSchema = v.strictObject({ endDate: isoDate, reason: multilineText(500) });

const exemptionParams = v.object({ id: uuidParam, eid: uuidParam });

const example: v.InferOutput<typeof feeExemptionSchema> = {
  id: 'a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9cb4',
  source: 'fund',
  unionCode: null,
  startDate: '2026-03-01',
  endDate: '2026-08-31',
  reason: 'Long illness; board decision 12/2026.',
  grantedBy: 'caseworker',
  grantedAt: '2026-02-20T09:00:00.000Z',
  endReason: null,
  endedBy: null,
};

const writers = { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing'] } as const;

export const exemptionRoutes = {
  listMemberExemptions: defineRoute({
    operationId: 'listMemberExemptions',
    method: 'get',
    path: '/v1/members/{id}/exemptions',
    tag: 'Members',
    summary: "A member's fee exemptions, the union's and the fund's, oldest first (a read of the member, audited)",
    access: { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing', 'admin'] },
    params: idParams,
    responses: { 200: json(feeExemptionListSchema, 'The exemptions', { example: { items: [example] } }) },
    problems: [400, 401, 403, 404],
  }),
  grantMemberExemption: defineRoute({
    operationId: 'grantMemberExemption',
    method: 'post',
    path: '/v1/members/{id}/exemptions',
    tag: 'Members',
    summary: 'The fund exempts a direct member from fees from a day (to a last day, or until ended), with a reason (audited)',
    description:
      'Billing runs bill no month whose membership days are all exempt. A union member is refused (409 `exemption_union_member`): the union grants and reports their exemptions. An exemption sharing a day with another of the fund\'s is refused (409 `exemption_overlaps`).',
    access: writers,
    params: idParams,
    body: jsonBody(grantExemptionSchema, { startDate: '2026-03-01', endDate: '2026-08-31', reason: 'Long illness; board decision 12/2026.' }),
    responses: { 201: json(feeExemptionSchema, 'Granted', { example }) },
    problems: [400, 401, 403, 404, 409],
  }),
  endMemberExemption: defineRoute({
    operationId: 'endMemberExemption',
    method: 'post',
    path: '/v1/members/{id}/exemptions/{eid}/end',
    tag: 'Members',
    summary: "End the fund's exemption on its last exempt day, with a reason (audited); a union's is the union's to end",
    access: writers,
    params: exemptionParams,
    body: jsonBody(endExemptionSchema, { endDate: '2026-05-31', reason: 'Back at work from June.' }),
    responses: { 200: json(feeExemptionSchema, 'Ended', { example: { ...example, endDate: '2026-05-31', endReason: 'Back at work from June.', endedBy: ex.userId } }) },
    problems: [400, 401, 403, 404, 409],
  }),
};
