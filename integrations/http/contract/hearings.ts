/** Hearings before an expulsion for unpaid fees, the expulsion decisions and their appeals. */
import * as v from 'valibot';
import { cents, date, ex, id, uuidParam } from './common';
import { defineRoute, file, json, jsonBody } from './define';
import { identityCodeSchema, isoDate, multilineText, str } from './fields';

const hearingStatusSchema = v.picklist(['open', 'awaiting-decision', 'paid', 'not-expelled', 'expelled']);
const appealStatusSchema = v.picklist(['received', 'corrected', 'forwarded', 'upheld', 'overturned']);
const channelSchema = v.picklist(['e-services', 'case-management', 'desk']);

export const explanationViewSchema = v.object({ id, hearingId: v.optional(id), text: v.string(), receivedOn: date, channel: channelSchema });

export const appealViewSchema = v.object({
  id,
  decisionId: id,
  text: v.string(),
  receivedOn: date,
  /** Received after the appeal deadline: flagged for the caseworker, never refused. */
  late: v.boolean(),
  channel: channelSchema,
  status: appealStatusSchema,
  /** The correction's reason or the fund's statement to SAMU. */
  resolution: v.nullable(v.string()),
  resolutionDocumentId: v.nullable(v.string()),
  samuRuledOn: v.nullable(date),
  workflowId: v.string(),
});

export const expulsionDecisionViewSchema = v.object({
  id,
  reason: v.string(),
  /** The first day the member is no longer a member (the fund's rule). */
  effectiveDate: date,
  mailedOn: date,
  /** Deemed known on the 7th day after mailing; the 30-day appeal window runs from it. */
  notifiedOn: date,
  appealDeadline: date,
  /** The decision letter in case management (GET …/case-documents/{documentId}/pdf). */
  documentId: v.string(),
  reinstatedOn: v.nullable(date),
});

export const hearingViewSchema = v.object({
  id,
  status: hearingStatusSchema,
  startedOn: date,
  deadline: date,
  overdueCents: cents,
  invoiceIds: v.array(id),
  letterDocumentId: v.nullable(v.string()),
  outcomeReason: v.nullable(v.string()),
  /** Four eyes: a caseworker decided to expel; a second desk user confirms. */
  awaitingConfirmation: v.boolean(),
  workflowId: v.string(),
  explanations: v.array(explanationViewSchema),
  decision: v.nullable(expulsionDecisionViewSchema),
  appeal: v.nullable(appealViewSchema),
});

export const memberHearingsSchema = v.object({ memberId: id, items: v.array(hearingViewSchema) });

const subjectIdentityCode = v.optional(identityCodeSchema);
export const caseTextSchema = v.strictObject({
  text: multilineText(4000),
  /** Only a caseworker may state it (a letter that came earlier); default today. */
  receivedOn: v.optional(isoDate),
  subjectIdentityCode,
});
export const samuRulingSchema = v.strictObject({
  outcome: v.picklist(['upheld', 'overturned'], 'must be upheld or overturned'),
  ruledOn: isoDate,
});

const memberReaders = { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing', 'admin'] } as const;
const caseWriters = { kind: 'restricted', roles: ['caseworker', 'supervisor'], scopes: ['members:write'] } as const;
const caseworkers = { kind: 'restricted', roles: ['caseworker', 'supervisor'] } as const;
const hearingParams = v.object({ id: uuidParam, hid: uuidParam });
const decisionParams = v.object({ id: uuidParam, did: uuidParam });
const appealParams = v.object({ id: uuidParam, aid: uuidParam });
const documentParams = v.object({ id: uuidParam, documentId: v.pipe(str(), v.regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a document id of the case system')) });

const hearingExample: v.InferOutput<typeof hearingViewSchema> = {
  id: ex.taskId,
  status: 'expelled',
  startedOn: '2026-03-02',
  deadline: '2026-03-16',
  overdueCents: 9600,
  invoiceIds: [ex.invoiceId],
  letterDocumentId: 'ASIA-00000001',
  outcomeReason: null,
  awaitingConfirmation: false,
  workflowId: `collection-hearing/${ex.memberId}`,
  explanations: [{ id: ex.entryId, text: 'Olin sairaana.', receivedOn: '2026-03-10', channel: 'e-services' }],
  decision: { id: ex.refundId, reason: 'Jäsenmaksut maksamatta kuulemisesta huolimatta.', effectiveDate: '2026-01-01', mailedOn: '2026-03-20', notifiedOn: '2026-03-27', appealDeadline: '2026-04-26', documentId: 'ASIA-00000002', reinstatedOn: null },
  appeal: null,
};
const appealExample: v.InferOutput<typeof appealViewSchema> = {
  id: ex.fileId,
  decisionId: ex.refundId,
  text: 'Maksoin laskun jo.',
  receivedOn: '2026-04-02',
  late: false,
  channel: 'e-services',
  status: 'received',
  resolution: null,
  resolutionDocumentId: null,
  samuRuledOn: null,
  workflowId: `expulsion-appeal/${ex.refundId}`,
};

export const hearingRoutes = {
  getMemberHearings: defineRoute({
    operationId: 'getMemberHearings',
    method: 'get',
    path: '/v1/members/{id}/hearings',
    tag: 'Hearings and appeals',
    summary: "The member's hearings for unpaid fees, newest first, with explanations, the expulsion decision and its appeal (audited)",
    access: memberReaders,
    params: v.object({ id: uuidParam }),
    responses: { 200: json(memberHearingsSchema, "The member's hearings", { example: { memberId: ex.memberId, items: [hearingExample] } }) },
    problems: [400, 401, 403, 404],
  }),
  recordHearingExplanation: defineRoute({
    operationId: 'recordHearingExplanation',
    method: 'post',
    path: '/v1/members/{id}/hearings/{hid}/explanations',
    tag: 'Hearings and appeals',
    summary: "The member's explanation in a running hearing; it goes with the case and into the decision letter",
    description: 'E-services send `subjectIdentityCode` of the logged-in member. 409 `hearing_closed` once the hearing has ended.',
    access: caseWriters,
    params: hearingParams,
    body: jsonBody(caseTextSchema, { text: 'Olin sairaana enkä huomannut laskua.' }),
    responses: { 201: json(explanationViewSchema, 'Recorded', { example: { id: ex.entryId, hearingId: ex.taskId, text: 'Olin sairaana.', receivedOn: '2026-03-10', channel: 'e-services' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  recordExpulsionAppeal: defineRoute({
    operationId: 'recordExpulsionAppeal',
    method: 'post',
    path: '/v1/members/{id}/expulsion-decisions/{did}/appeals',
    tag: 'Hearings and appeals',
    summary: 'An appeal against an expulsion decision: opens the reconsideration task (`expulsion-appeal/<decisionId>`); a late one is flagged, not refused',
    description: 'One appeal per decision: the same decision again answers the first appeal with 200. 409 `decision_already_corrected` when the member was already reinstated.',
    access: caseWriters,
    params: decisionParams,
    body: jsonBody(caseTextSchema, { text: 'Maksoin laskun jo, kuitti liitteenä.' }),
    responses: {
      201: json(appealViewSchema, 'Recorded', { example: appealExample }),
      200: json(appealViewSchema, 'The appeal already recorded'),
      202: json(appealViewSchema, 'Recorded, but the process engine did not answer in time: the reconsideration task opens when it is back'),
    },
    problems: [400, 401, 403, 404, 409],
  }),
  recordSamuRuling: defineRoute({
    operationId: 'recordSamuRuling',
    method: 'post',
    path: '/v1/members/{id}/appeals/{aid}/samu-ruling',
    tag: 'Hearings and appeals',
    summary: "SAMU's ruling on an appeal the fund forwarded; an overturn reinstates the member from the original date",
    description: '409 `appeal_not_forwarded` before the fund has forwarded the appeal, `samu_ruling_already_recorded` after a ruling.',
    access: caseworkers,
    params: appealParams,
    body: jsonBody(samuRulingSchema, { outcome: 'overturned', ruledOn: '2026-09-15' }),
    responses: { 200: json(appealViewSchema, 'Recorded', { example: { ...appealExample, status: 'overturned', samuRuledOn: '2026-09-15' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  getCaseDocumentPdf: defineRoute({
    operationId: 'getCaseDocumentPdf',
    method: 'get',
    path: '/v1/members/{id}/case-documents/{documentId}/pdf',
    tag: 'Hearings and appeals',
    summary: "A document of the member's case as filed in case management: hearing letter, decision, statement (audited)",
    access: caseworkers,
    params: documentParams,
    responses: { 200: file('The PDF', ['application/pdf'], { binary: true, headers: { 'Content-Disposition': 'inline; filename="…"', 'Cache-Control': 'private, no-store' } }) },
    problems: [400, 401, 403, 404],
  }),
};
