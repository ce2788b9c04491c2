/** Members: search, the member's overall situation, contact data and membership events. */
import * as v from 'valibot';
import { cents, count, date, dateTime, ex, id, idParams, uuidParam } from './common';
import { defineRoute, json, jsonBody } from './define';
import { addressSchema, emailAddress, identityCodeSchema, idempotencyKeyField, idempotencyKeyHeader, isoDate, multilineText, phoneNumber, str, text } from './fields';

// ---------------------------------------------------------------------------------------------
// Requests

export const memberSearchQuerySchema = v.strictObject({
  q: v.pipe(str('q is required'), v.maxLength(100, 'must be at most 100 characters')),
  limit: v.optional(v.pipe(str(), v.regex(/^\d{1,2}$/, 'must be a number 1–50'), v.transform(Number), v.minValue(1), v.maxValue(50))),
});

/** E-services name the member logged in to them; the register checks it is the member acted on. */
const subjectIdentityCode = v.optional(identityCodeSchema);

/** The same search in a POST body, so an identity code never travels in a URL (history, proxy logs). */
export const memberSearchBodySchema = v.strictObject({
  q: v.pipe(str('q is required'), v.maxLength(100, 'must be at most 100 characters')),
  limit: v.optional(v.pipe(v.number('must be a number 1–50'), v.integer('must be a whole number'), v.minValue(1, 'must be 1–50'), v.maxValue(50, 'must be 1–50'))),
});

export const resignationSchema = v.strictObject({
  idempotencyKey: v.optional(idempotencyKeyField),
  receivedOn: v.optional(isoDate),
  requestedEndDate: v.optional(isoDate),
  subjectIdentityCode,
});

export const fundSwitchSchema = v.strictObject({
  idempotencyKey: v.optional(idempotencyKeyField),
  receivedOn: v.optional(isoDate),
  subjectIdentityCode,
  newFund: text(200),
  newFundStartDate: isoDate,
});

export const withdrawalSchema = v.strictObject({ reason: multilineText(500), subjectIdentityCode });
export const requestConfirmationSchema = v.strictObject({ reason: v.optional(multilineText(500, 0)) });
export const requestRejectionSchema = v.strictObject({ reason: multilineText(500) });

export const transferredPeriodSchema = v.strictObject({
  fundName: text(200),
  fundBusinessId: v.optional(v.pipe(str(), v.regex(/^\d{7}-\d$/, 'must be a business ID such as 1234567-8'))),
  startDate: isoDate,
  endDate: isoDate,
  paidThrough: v.optional(isoDate),
  expelled: v.optional(v.boolean()),
});

export const deathSchema = v.strictObject({
  dateOfDeath: isoDate,
  precision: v.optional(v.picklist(['day', 'month', 'year'])),
});

export const deliveryChannelSchema = v.picklist(['letter', 'email', 'sms', 'e-invoice']);

export const contactChangeSchema = v.strictObject({
  reason: multilineText(500),
  effectiveFrom: v.optional(isoDate),
  email: v.optional(v.nullable(emailAddress)),
  phone: v.optional(v.nullable(phoneNumber)),
  language: v.optional(v.picklist(['fi', 'sv', 'en'])),
  deliveryChannel: v.optional(deliveryChannelSchema),
  eInvoiceAddress: v.optional(v.nullable(v.pipe(str(), v.maxLength(35, 'must be at most 35 characters')))),
  eInvoiceOperator: v.optional(v.nullable(v.pipe(str(), v.maxLength(35, 'must be at most 35 characters')))),
  eInvoiceConsent: v.optional(v.boolean()),
  smsConsent: v.optional(v.boolean()),
  address: v.optional(addressSchema),
});

// ---------------------------------------------------------------------------------------------
// Responses

/** Where a membership stands today ('deceased' when a death is recorded). */
export const memberStatusSchema = v.picklist(['active', 'starting', 'ended', 'none', 'deceased']);
/** The same on the overview, where the service does not narrow it (yet). */
const overviewStatus = v.pipe(v.string(), v.metadata({ description: "active, starting, ended, none or deceased" }));
export const periodStatusSchema = v.picklist(['active', 'starting', 'ended', 'none']);

export const memberSearchHitSchema = v.object({
  id,
  memberNumber: count,
  /** "Last First", as registers list people. */
  name: v.string(),
  /** Masked (131052-****) for roles that may not see it whole. */
  identityCode: v.string(),
  birthDate: date,
  deceased: v.boolean(),
  status: periodStatusSchema,
});

export const memberSearchResultSchema = v.object({
  /** How the query was read. */
  kind: v.picklist(['identity-code', 'identity-code-prefix', 'number', 'name']),
  items: v.array(memberSearchHitSchema),
});

export const memberPeriodSchema = v.object({ startDate: date, endDate: v.nullable(date), endReason: v.nullable(v.string()) });

/** 'requested': from the public form, awaiting the member's confirmation; 'expired'/'rejected': never confirmed. */
export const resignationStatusSchema = v.picklist(['requested', 'pending', 'effective', 'withdrawn', 'cancelled', 'expired', 'rejected']);

export const memberResignationSchema = v.object({
  id,
  kind: v.picklist(['resignation', 'fund-switch']),
  receivedOn: date,
  requestedEndDate: v.nullable(date),
  endDate: date,
  feeOwedUntil: date,
  status: resignationStatusSchema,
  newFund: v.nullable(v.string()),
  /** 'resignation-form', 'desk', or the integration's channel. */
  channel: v.string(),
  /** A public request: when its confirmation link stops working. */
  confirmationExpiresAt: v.nullable(dateTime),
  /** Who confirmed or rejected a public request ('public': the member's own link), and the rejection's reason. */
  decidedBy: v.nullable(v.string()),
  decisionReason: v.nullable(v.string()),
  withdrawalReason: v.nullable(v.string()),
});

export const resignationResultSchema = v.object({ ...memberResignationSchema.entries, memberId: id, workflowId: v.string() });

export const memberMessageSchema = v.object({
  id,
  kind: v.string(),
  subject: v.string(),
  body: v.string(),
  status: v.string(),
  channel: v.nullable(v.string()),
  createdAt: dateTime,
  sentAt: v.nullable(dateTime),
});

/** The current address; a non-disclosed one (turvakielto) is shown only to supervisors. */
export const memberAddressSchema = v.nullable(
  v.variant('hidden', [
    v.object({ hidden: v.literal(true), reason: v.literal('non-disclosure') }),
    v.object({ hidden: v.literal(false), street: v.string(), postalCode: v.nullable(v.string()), city: v.nullable(v.string()), country: v.nullable(v.string()), source: v.nullable(v.string()) }),
  ]),
);

export const personSchema = v.object({
  id,
  identityCode: v.string(),
  earlierIdentityCodes: v.array(v.string()),
  firstNames: v.string(),
  lastName: v.string(),
  birthDate: date,
  language: v.string(),
  nonDisclosure: v.boolean(),
  dateOfDeath: v.nullable(date),
  deathDatePrecision: v.nullable(v.picklist(['day', 'month', 'year'])),
  municipality: v.nullable(v.string()),
});

/** The fee line of the overview; the figures in full come with the ledger. */
export const feeSummarySchema = v.object({
  status: v.picklist(['not-billed-yet', 'in-order', 'open', 'overdue']),
  note: v.nullable(v.string()),
  /** What the member owes (+) or has in credit (−). */
  balanceCents: cents,
  paidThrough: v.nullable(date),
  openInvoices: count,
  openCents: cents,
});

/** What the member view and the overview open with: the membership itself. */
const membershipEntries = {
  id,
  memberNumber: count,
  status: overviewStatus,
  channel: v.string(),
  unionCode: v.nullable(v.string()),
  eligibilityBasis: v.nullable(v.string()),
};

/** The member's overall situation, on one page. */
export const memberOverviewSchema = v.object({
  ...membershipEntries,
  person: personSchema,
  contact: v.object({
    email: v.nullable(v.string()),
    phone: v.nullable(v.string()),
    deliveryChannel: deliveryChannelSchema,
    eInvoice: v.object({ address: v.nullable(v.string()), operator: v.nullable(v.string()), consent: v.boolean() }),
    smsConsent: v.boolean(),
  }),
  address: memberAddressSchema,
  nameHistory: v.array(v.object({ firstNames: v.string(), lastName: v.string(), validFrom: date, source: v.string() })),
  /** Empty when the address is non-disclosed and the caller may not see it. */
  addressHistory: v.array(
    v.object({ kind: v.string(), street: v.string(), postalCode: v.string(), city: v.string(), country: v.nullable(v.string()), source: v.string(), validFrom: date, validTo: v.nullable(date) }),
  ),
  periods: v.array(memberPeriodSchema),
  transferredPeriods: v.array(v.object({ fundName: v.string(), fundBusinessId: v.nullable(v.string()), startDate: date, endDate: date, paidThrough: v.nullable(date) })),
  /** The 12-month membership condition (työssäoloehto's membership part) on today's date. */
  membershipCondition: v.object({ fullMonths: count, days: count, totalDays: count, metOn12: v.nullable(date) }),
  fees: feeSummarySchema,
  openTasks: v.array(v.object({ id, kind: v.string(), title: v.string(), priority: count, dueAt: dateTime, claimedBy: v.nullable(v.string()) })),
  /** The member's processes, with a link to the Temporal Web UI when one is configured. */
  processes: v.array(v.object({ kind: v.string(), id, workflowId: v.string(), status: v.string(), startedAt: dateTime, link: v.nullable(v.string()) })),
  /** Every process about the member in the Temporal Web UI (filtered by the MemberId search attribute), when one is configured. */
  processesLink: v.nullable(v.string()),
  resignations: v.array(memberResignationSchema),
  messages: v.array(memberMessageSchema),
  changes: v.array(
    v.object({
      field: v.string(),
      effectiveFrom: date,
      changedAt: dateTime,
      changedBy: v.string(),
      /** English or as a caseworker wrote it; `reasonCode` (with `reasonParams`) when the system made the change, for translation. */
      reason: v.string(),
      reasonCode: v.nullable(v.string()),
      reasonParams: v.record(v.string(), v.union([v.string(), v.number()])),
      recent: v.boolean(),
    }),
  ),
  /** Fields changed within the fund's window: 'name', 'address', 'contact', 'non-disclosure', 'death', 'identity-code'. */
  recentlyChanged: v.array(v.string()),
  /** Only supervisors and administrators get it; null for others. */
  auditTrail: v.nullable(v.array(v.object({ at: dateTime, actor: v.string(), actorKind: v.string(), action: v.string(), details: v.record(v.string(), v.unknown()) }))),
});

/** The member page of the first slice, kept for integrations that read it. */
export const memberSchema = v.object({
  ...membershipEntries,
  person: v.object({ ...personSchema.entries, email: v.nullable(v.string()), phone: v.nullable(v.string()), address: memberAddressSchema }),
  periods: v.array(memberPeriodSchema),
  messages: v.array(memberMessageSchema),
});

export const contactChangeResultSchema = v.object({ changed: v.array(v.string()) });
export const transferredPeriodResultSchema = v.object({ recorded: v.boolean() });
export const deathResultSchema = v.object({ memberId: id, dateOfDeath: date });

const personExample: v.InferOutput<typeof personSchema> = {
  id: ex.personId,
  identityCode: '131052-308T',
  earlierIdentityCodes: [],
  firstNames: 'Maija Liisa',
  lastName: 'Virtanen',
  birthDate: '1952-10-13',
  language: 'fi',
  nonDisclosure: false,
  dateOfDeath: null,
  deathDatePrecision: null,
  municipality: '091',
};
const messageExample: v.InferOutput<typeof memberMessageSchema> = {
  id: 'ab12cd34-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  kind: 'membership-approved',
  subject: 'Jäsenyytesi on hyväksytty',
  body: 'Hei Maija, …',
  status: 'sent',
  channel: 'email',
  createdAt: '2025-03-15T08:00:00.000Z',
  sentAt: '2025-03-15T08:00:02.000Z',
};
const resignationExample: v.InferOutput<typeof resignationResultSchema> = {
  id: ex.resignationId,
  memberId: ex.memberId,
  kind: 'resignation',
  receivedOn: '2025-06-10',
  requestedEndDate: null,
  endDate: '2025-06-30',
  feeOwedUntil: '2025-06-30',
  status: 'pending',
  newFund: null,
  workflowId: `resignation/${ex.resignationId}`,
  channel: 'e-services',
  confirmationExpiresAt: null,
  decidedBy: null,
  decisionReason: null,
  withdrawalReason: null,
};
const address = { hidden: false as const, street: 'Mannerheimintie 1 A 2', postalCode: '00100', city: 'Helsinki', country: null, source: 'population-register' };

const membershipExample = { id: ex.memberId, memberNumber: 100123, status: 'active', channel: 'eservices', unionCode: null, eligibilityBasis: null };

export const memberOverviewExample: v.InferOutput<typeof memberOverviewSchema> = {
  ...membershipExample,
  person: personExample,
  contact: { email: 'maija.virtanen@example.fi', phone: '+358401234567', deliveryChannel: 'email', eInvoice: { address: null, operator: null, consent: false }, smsConsent: false },
  address,
  nameHistory: [{ firstNames: 'Maija Liisa', lastName: 'Virtanen', validFrom: '1952-10-13', source: 'population-register' }],
  addressHistory: [{ kind: 'permanent', street: 'Mannerheimintie 1 A 2', postalCode: '00100', city: 'Helsinki', country: null, source: 'population-register', validFrom: '2019-05-01', validTo: null }],
  periods: [{ startDate: '2025-04-01', endDate: null, endReason: null }],
  transferredPeriods: [],
  membershipCondition: { fullMonths: 2, days: 14, totalDays: 75, metOn12: '2026-03-31' },
  fees: { status: 'in-order', note: null, balanceCents: 0, paidThrough: '2025-06-30', openInvoices: 0, openCents: 0 },
  openTasks: [],
  processes: [{ kind: 'application-intake', id: ex.applicationId, workflowId: `application/${ex.applicationId}`, status: 'approved', startedAt: '2025-03-14T10:00:00.000Z', link: null }],
  processesLink: null,
  resignations: [],
  messages: [messageExample],
  changes: [{ field: 'contact', effectiveFrom: '2025-05-02', changedAt: '2025-05-02T09:12:00.000Z', changedBy: ex.userId, reason: 'Member called', reasonCode: null, reasonParams: {}, recent: true }],
  recentlyChanged: ['contact'],
  auditTrail: null,
};

// ---------------------------------------------------------------------------------------------
// Operations

const memberReaders = { kind: 'restricted', roles: ['caseworker', 'supervisor', 'billing', 'admin'], note: 'the identity code is masked for billing and admin' } as const;
const memberWriters = { kind: 'restricted', roles: ['caseworker', 'supervisor'], scopes: ['members:write'] } as const;
const caseworkers = { kind: 'restricted', roles: ['caseworker', 'supervisor'] } as const;

export const memberRoutes = {
  searchMembers: defineRoute({
    operationId: 'searchMembers',
    method: 'get',
    path: '/v1/members',
    tag: 'Members',
    summary: 'Search members by name, member number or reference number (audited)',
    description:
      'At least two characters (`search_query_too_short`). Six digits are read as a birth date (DDMMYY) and as a member number. A query that is or starts an identity code is refused (400 `identity_code_in_url`): send it to POST /v1/members/search, so it stays out of URLs and their logs.',
    access: memberReaders,
    query: memberSearchQuerySchema,
    responses: {
      200: json(memberSearchResultSchema, 'Matches', {
        example: { kind: 'name', items: [{ id: ex.memberId, memberNumber: 100123, name: 'Virtanen Maija Liisa', identityCode: '131052-308T', birthDate: '1952-10-13', deceased: false, status: 'active' }] },
      }),
    },
    problems: [400, 401, 403],
  }),
  searchMembersByBody: defineRoute({
    operationId: 'searchMembersByBody',
    method: 'post',
    path: '/v1/members/search',
    tag: 'Members',
    summary: 'Search members by name, identity code (also earlier codes), member number or reference number, the query in the body (audited)',
    description: 'The way to search by identity code: the body is not logged or kept in browser history. At least two characters (`search_query_too_short`); reads nothing and changes nothing.',
    access: memberReaders,
    body: jsonBody(memberSearchBodySchema, { q: '131052-308T', limit: 20 }),
    responses: {
      200: json(memberSearchResultSchema, 'Matches', {
        example: { kind: 'identity-code', items: [{ id: ex.memberId, memberNumber: 100123, name: 'Virtanen Maija Liisa', identityCode: '131052-308T', birthDate: '1952-10-13', deceased: false, status: 'active' }] },
      }),
    },
    problems: [400, 401, 403],
  }),
  getMember: defineRoute({
    operationId: 'getMember',
    method: 'get',
    path: '/v1/members/{id}',
    tag: 'Members',
    summary: 'A member (audited read)',
    access: memberReaders,
    params: idParams,
    responses: {
      200: json(memberSchema, 'The member', {
        example: {
          ...membershipExample,
          person: { ...personExample, email: 'maija.virtanen@example.fi', phone: '+358401234567', address },
          periods: [{ startDate: '2025-04-01', endDate: null, endReason: null }],
          messages: [messageExample],
        },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  getMemberOverview: defineRoute({
    operationId: 'getMemberOverview',
    method: 'get',
    path: '/v1/members/{id}/overview',
    tag: 'Members',
    summary: "The member's overall situation: person, contact, periods, condition, tasks, processes, messages, changes (audited)",
    description: 'The audit trail comes only to supervisors and administrators; a non-disclosed address only to supervisors.',
    access: memberReaders,
    params: idParams,
    responses: { 200: json(memberOverviewSchema, 'The overview', { example: memberOverviewExample }) },
    problems: [400, 401, 403, 404],
  }),
  changeMemberContact: defineRoute({
    operationId: 'changeMemberContact',
    method: 'patch',
    path: '/v1/members/{id}/contact',
    tag: 'Members',
    summary: 'Record contact data and delivery preferences the member gave (effective-dated, with a reason)',
    access: caseworkers,
    params: idParams,
    body: jsonBody(contactChangeSchema, { reason: 'The member called on 2.5.2025', email: 'maija.virtanen@example.fi', deliveryChannel: 'email' }),
    responses: { 200: json(contactChangeResultSchema, 'The fields that changed', { example: { changed: ['email', 'deliveryChannel'] } }) },
    problems: [400, 401, 403, 404],
  }),
  submitResignation: defineRoute({
    operationId: 'submitResignation',
    method: 'post',
    path: '/v1/members/{id}/resignations',
    tag: 'Membership events',
    summary: 'A resignation notice; its process (`resignation/<id>`) ends the membership after the withdrawal window',
    description:
      'Only a union or a caseworker may state `receivedOn`. An integration acts only on its own members: e-services send `subjectIdentityCode` of the logged-in member (400 `subject_required`, 403 `subject_mismatch`); a union only on members of its `union_code` (403 `member_not_of_union`, `union_code_missing`); other clients are refused (403 `client_may_not_act_on_members`).',
    access: memberWriters,
    params: idParams,
    headers: [{ ...idempotencyKeyHeader, required: false }],
    body: jsonBody(resignationSchema, { idempotencyKey: 'resign-2025-06-10-100123', requestedEndDate: '2025-06-30' }),
    responses: {
      201: json(resignationResultSchema, 'Registered', { example: { ...resignationExample, requestedEndDate: '2025-06-30' } }),
      200: json(resignationResultSchema, 'The same notice again'),
    },
    problems: [400, 401, 403, 404, 409],
  }),
  withdrawResignation: defineRoute({
    operationId: 'withdrawResignation',
    method: 'post',
    path: '/v1/members/{id}/resignations/{rid}/withdraw',
    tag: 'Membership events',
    summary: "Withdraw a resignation inside the fund's window, with a reason (audited; the member is sent a confirmation)",
    description: 'Integrations are scoped to their own members as for a resignation.',
    access: memberWriters,
    params: v.object({ id: uuidParam, rid: uuidParam }),
    body: jsonBody(withdrawalSchema, { reason: 'The member called and wishes to stay' }),
    responses: { 200: json(resignationResultSchema, 'Withdrawn', { example: { ...resignationExample, status: 'withdrawn', withdrawalReason: 'The member called and wishes to stay' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  confirmResignationRequest: defineRoute({
    operationId: 'confirmResignationRequest',
    method: 'post',
    path: '/v1/members/{id}/resignations/{rid}/confirm',
    tag: 'Membership events',
    summary: 'Confirm a resignation request from the public form (the member confirmed it by phone, letter or in person)',
    description: 'The request becomes a pending resignation, received on the day of the request. 409 `resignation_request_closed` when it is no longer awaiting confirmation.',
    access: caseworkers,
    params: v.object({ id: uuidParam, rid: uuidParam }),
    body: jsonBody(requestConfirmationSchema, { reason: 'The member confirmed by phone' }),
    responses: { 200: json(resignationResultSchema, 'Confirmed', { example: { ...resignationExample, channel: 'resignation-form', decidedBy: ex.userId } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  rejectResignationRequest: defineRoute({
    operationId: 'rejectResignationRequest',
    method: 'post',
    path: '/v1/members/{id}/resignations/{rid}/reject',
    tag: 'Membership events',
    summary: 'Reject a resignation request from the public form, with a reason: the membership continues',
    access: caseworkers,
    params: v.object({ id: uuidParam, rid: uuidParam }),
    body: jsonBody(requestRejectionSchema, { reason: 'The member says they did not send it' }),
    responses: { 200: json(resignationResultSchema, 'Rejected', { example: { ...resignationExample, channel: 'resignation-form', status: 'rejected', decidedBy: ex.userId, decisionReason: 'The member says they did not send it' } }) },
    problems: [400, 401, 403, 404, 409],
  }),
  submitFundSwitch: defineRoute({
    operationId: 'submitFundSwitch',
    method: 'post',
    path: '/v1/members/{id}/fund-switch',
    tag: 'Membership events',
    summary: "A new fund's resignation authorisation: membership ends the day before the new one starts",
    access: memberWriters,
    params: idParams,
    headers: [{ ...idempotencyKeyHeader, required: false }],
    body: jsonBody(fundSwitchSchema, { idempotencyKey: 'switch-2025-06-10-100123', newFund: 'Esimerkkikassa', newFundStartDate: '2025-08-01' }),
    responses: {
      201: json(resignationResultSchema, 'Registered', { example: { ...resignationExample, kind: 'fund-switch', endDate: '2025-07-31', feeOwedUntil: '2025-07-31', newFund: 'Esimerkkikassa' } }),
      200: json(resignationResultSchema, 'The same authorisation again'),
    },
    problems: [400, 401, 403, 404, 409],
  }),
  recordTransferredPeriod: defineRoute({
    operationId: 'recordTransferredPeriod',
    method: 'post',
    path: '/v1/members/{id}/transferred-periods',
    tag: 'Membership events',
    summary: 'Record periods from a previous fund (gap at most one month)',
    access: caseworkers,
    params: idParams,
    body: jsonBody(transferredPeriodSchema, { fundName: 'Esimerkkikassa', fundBusinessId: '1234567-8', startDate: '2019-01-01', endDate: '2025-03-31', paidThrough: '2025-03-31' }),
    responses: { 201: json(transferredPeriodResultSchema, 'Recorded', { example: { recorded: true } }) },
    problems: [400, 401, 403, 404, 422],
  }),
  reportDeath: defineRoute({
    operationId: 'reportDeath',
    method: 'post',
    path: '/v1/members/{id}/death',
    tag: 'Membership events',
    summary: 'Record a death: membership ends, other processes stop, no letters',
    description: 'Answers when the death process (`death/<memberId>`) has finished.',
    access: caseworkers,
    params: idParams,
    body: jsonBody(deathSchema, { dateOfDeath: '2025-05-20', precision: 'day' }),
    responses: { 200: json(deathResultSchema, 'Recorded', { example: { memberId: ex.memberId, dateOfDeath: '2025-05-20' } }) },
    problems: [400, 401, 403, 404],
  }),
};
