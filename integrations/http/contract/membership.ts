/**
 * The register as the master of membership for the other systems: membership on a date for EKJ
 * (single and batch) and unions, and the member's own data for e-services. Identity codes travel
 * only in bodies. docs/decisions/016-member-read-api.md.
 */
import * as v from 'valibot';
import { collectionStates, holdReasons } from '../../../domain/collection/rules';
import { hearingStatuses } from '../../../domain/expulsion/status';
import { cents, count, date, dateTime, ex, id } from './common';
import { defineRoute, json, jsonBody } from './define';
import { addressSchema, atMostItems, emailAddress, identityCodeSchema, isoDate, phoneNumber, str } from './fields';
import { deliveryChannelSchema, periodStatusSchema } from './members';

/** The most identity codes in one batch (services/membershipRead.ts MEMBERSHIP_BATCH_MAX). */
const BATCH_MAX = 1000;

// ---------------------------------------------------------------------------------------------
// Requests

/** E-services name the member logged in to them; the service reads no one else for them. */
const subjectIdentityCode = v.optional(identityCodeSchema);
const dateFields = {
  /** The day asked about; today (Helsinki) when not given. */
  on: v.optional(isoDate),
  /** An interval to report membership days over: both ends, or neither. */
  from: v.optional(isoDate),
  to: v.optional(isoDate),
};

export const membershipQuerySchema = v.strictObject({
  identityCode: v.optional(identityCodeSchema),
  memberNumber: v.optional(v.pipe(v.number('must be a member number'), v.integer('must be a whole number'), v.minValue(1, 'must be a member number'))),
  ...dateFields,
  subjectIdentityCode,
});

export const membershipBatchSchema = v.strictObject({
  /** Checked one by one: a code that is not an identity code is answered `invalid`, the rest are read. */
  identityCodes: v.pipe(
    v.array(v.pipe(str('must be an identity code as a string'), v.maxLength(20, 'must be at most 20 characters'))),
    v.minLength(1, 'must name at least one identity code'),
    atMostItems<string>(BATCH_MAX, 'batch_too_large'),
  ),
  ...dateFields,
  subjectIdentityCode,
});

export const ownDataQuerySchema = v.strictObject({
  subjectIdentityCode: identityCodeSchema,
  /** The day the membership is read on; today when not given. */
  on: v.optional(isoDate),
});

/** The member's own changes: the desk's fields and rules (members.ts contactChangeSchema), without reason or date. */
export const ownContactChangeSchema = v.strictObject({
  subjectIdentityCode: identityCodeSchema,
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

const storedPeriod = v.object({ startDate: date, endDate: v.nullable(date), endReason: v.nullable(v.string()) });

export const membershipViewSchema = v.object({
  memberId: id,
  memberNumber: count,
  /** The day asked about. */
  on: date,
  /** On that day: active, starting (a period begins later), ended or none. */
  status: periodStatusSchema,
  periodOnDate: v.nullable(storedPeriod),
  /** Every period in this fund, with its end reason (resignation, fund-switch, death, age-limit, expulsion, eligibility, correction). */
  periods: v.array(storedPeriod),
  /** Periods in previous funds that count (the one-month rule). */
  transferredPeriods: v.array(v.object({ fundName: v.string(), fundBusinessId: v.nullable(v.string()), startDate: date, endDate: date, paidThrough: v.nullable(date) })),
  /** Months of membership counted day by day up to `asOf` (domain.md §1.5), transferred periods included, none from before an expulsion. */
  membershipCondition: v.object({ asOf: date, fullMonths: count, days: count, totalDays: count, met: v.boolean(), metOn: v.nullable(date) }),
  /** The fees as the ledger stands on `asOf` (today), whatever day was asked. */
  fees: v.object({
    asOf: date,
    paidThrough: v.nullable(date),
    status: v.picklist(['not-billed-yet', 'in-order', 'open', 'overdue']),
    openInvoices: count,
    openCents: cents,
  }),
  /** The latest expulsion on record (its period's last day), or null. */
  expulsion: v.nullable(v.object({ lastMembershipDay: date })),
  /** Overdue collection as it stands today (like the fees), whatever day was asked. */
  collection: v.object({
    /** clear: nothing overdue; overdue: past due, no reminder yet; reminded; on-hold; hearing: a hearing about unpaid fees runs. */
    state: v.picklist(collectionStates),
    /** The highest reminder level sent on an invoice still overdue (0: none). */
    reminderLevel: count,
    overdueCents: cents,
    /** The hold in force today (payment plan, dispute, benefit deduction, other), or null. */
    hold: v.nullable(v.object({ reason: v.picklist(holdReasons), until: date })),
    /** The member's latest hearing about unpaid fees (also one that has ended), or null; an expulsion shows in `expulsion`. */
    hearing: v.nullable(v.object({ status: v.picklist(hearingStatuses), startedOn: date, deadline: date })),
  }),
  /** Membership days over the interval asked; null when none was asked. */
  interval: v.nullable(
    v.object({
      from: date,
      to: date,
      days: count,
      memberDays: count,
      wholeInterval: v.boolean(),
      stretches: v.array(v.object({ startDate: date, endDate: date })),
    }),
  ),
});

export const membershipBatchResultSchema = v.object({
  /** Names the batch in the audit log. */
  batchId: id,
  on: date,
  asked: count,
  found: count,
  notFound: count,
  invalid: count,
  /** In the order asked; a code the caller may not see (another union's member) is `not-found`. */
  items: v.array(
    v.variant('result', [
      v.object({ identityCode: v.string(), result: v.literal('found'), membership: membershipViewSchema }),
      v.object({ identityCode: v.string(), result: v.picklist(['not-found', 'invalid']), membership: v.null() }),
    ]),
  ),
});

export const ownDataSchema = v.object({
  memberId: id,
  memberNumber: count,
  person: v.object({ firstNames: v.string(), lastName: v.string(), language: v.string() }),
  contact: v.object({
    email: v.nullable(v.string()),
    phone: v.nullable(v.string()),
    deliveryChannel: deliveryChannelSchema,
    eInvoice: v.object({ address: v.nullable(v.string()), operator: v.nullable(v.string()), consent: v.boolean() }),
    smsConsent: v.boolean(),
    /** The member's own address; `nonDisclosure` tells the e-service it is protected (turvakielto). */
    address: v.nullable(v.object({ street: v.string(), postalCode: v.nullable(v.string()), city: v.nullable(v.string()), country: v.nullable(v.string()) })),
    nonDisclosure: v.boolean(),
  }),
  membership: membershipViewSchema,
  invoices: v.array(
    v.object({
      id,
      invoiceNumber: count,
      periodStart: date,
      periodEnd: date,
      issuedOn: date,
      dueDate: date,
      amountCents: cents,
      openCents: cents,
      status: v.picklist(['open', 'partially-paid', 'paid', 'credited', 'written-off']),
      reference: v.string(),
      rfReference: v.string(),
      virtualBarcode: v.string(),
      virtualBarcodeV5: v.nullable(v.string()),
    }),
  ),
  payments: v.array(v.object({ bookingDate: date, amountCents: cents, reversal: v.boolean(), reference: v.nullable(v.string()) })),
  /** Letters and messages sent to the member (confirmation links left out). */
  letters: v.array(v.object({ id, kind: v.string(), subject: v.string(), body: v.string(), channel: v.nullable(v.string()), sentAt: v.nullable(dateTime) })),
});

export const ownContactChangeResultSchema = v.object({ changed: v.array(v.string()) });

// ---------------------------------------------------------------------------------------------
// Examples

const membershipExample: v.InferOutput<typeof membershipViewSchema> = {
  memberId: ex.memberId,
  memberNumber: 100123,
  on: '2025-09-01',
  status: 'active',
  periodOnDate: { startDate: '2024-04-15', endDate: null, endReason: null },
  periods: [{ startDate: '2024-04-15', endDate: null, endReason: null }],
  transferredPeriods: [],
  membershipCondition: { asOf: '2025-09-01', fullMonths: 16, days: 17, totalDays: 505, met: true, metOn: '2025-04-14' },
  fees: { asOf: '2025-09-01', paidThrough: '2025-06-30', status: 'open', openInvoices: 1, openCents: 4800 },
  expulsion: null,
  collection: { state: 'clear', reminderLevel: 0, overdueCents: 0, hold: null, hearing: null },
  interval: null,
};

const intervalExample = {
  from: '2025-01-01',
  to: '2025-06-30',
  days: 181,
  memberDays: 181,
  wholeInterval: true,
  stretches: [{ startDate: '2025-01-01', endDate: '2025-06-30' }],
};

// ---------------------------------------------------------------------------------------------
// Operations

const membershipReaders = {
  kind: 'restricted',
  roles: ['caseworker', 'supervisor'],
  scopes: ['membership:read'],
  note: 'a client sees only its rows: EKJ (system benefits) every member, a union its own members, an e-service its logged-in member',
} as const;
const ownDataReaders = { kind: 'restricted', roles: [], scopes: ['own-data:read'], note: 'only the member named in subjectIdentityCode' } as const;
const ownDataWriters = { kind: 'restricted', roles: [], scopes: ['own-data:write'], note: 'only the member named in subjectIdentityCode' } as const;

export const membershipRoutes = {
  readMembership: defineRoute({
    operationId: 'readMembership',
    method: 'post',
    path: '/v1/membership/query',
    tag: 'Membership for other systems',
    summary: 'Membership on a date (and over an interval) of one member, by identity code or member number (audited read)',
    description:
      'Name the member by `identityCode` (current or earlier) or `memberNumber` (400 `member_key_required` otherwise). `on` defaults to today; `from` and `to` together (400 `interval_incomplete`, `date_range_reversed`) add the membership days over that interval. The row filter of the caller\'s system applies: a union reading a member of another union gets 404, as for a non-member; an e-service must send `subjectIdentityCode` (400 `subject_required`) and reads only that member (403 `subject_mismatch`); a client of another system gets 403 `client_may_not_read_members`.',
    access: membershipReaders,
    body: jsonBody(membershipQuerySchema, { identityCode: '131052-308T', on: '2025-09-01', from: '2025-01-01', to: '2025-06-30' }),
    responses: { 200: json(membershipViewSchema, 'The membership', { example: { ...membershipExample, interval: intervalExample } }) },
    problems: [400, 401, 403, 404],
  }),
  readMembershipBatch: defineRoute({
    operationId: 'readMembershipBatch',
    method: 'post',
    path: '/v1/membership/batch',
    tag: 'Membership for other systems',
    summary: "Membership on a date of up to 1,000 identity codes in one request (EKJ's nightly checks; audited per member)",
    description:
      'Each code is answered in the order sent: `found` with the membership, `not-found` (no member, or one the caller\'s row filter hides) or `invalid` (not an identity code). More than 1,000 codes is a 400 `batch_too_large`: split the batch. One audit record per member read, and one for the batch with its counts, all naming `batchId`; no identity code is logged.',
    access: membershipReaders,
    body: jsonBody(membershipBatchSchema, { identityCodes: ['131052-308T', '010185-942S'], on: '2025-09-01' }),
    responses: {
      200: json(membershipBatchResultSchema, 'One answer per code', {
        example: {
          batchId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
          on: '2025-09-01',
          asked: 2,
          found: 1,
          notFound: 1,
          invalid: 0,
          items: [
            { identityCode: '131052-308T', result: 'found', membership: membershipExample },
            { identityCode: '010185-942S', result: 'not-found', membership: null },
          ],
        },
      }),
    },
    problems: [400, 401, 403],
  }),
  readOwnData: defineRoute({
    operationId: 'readOwnData',
    method: 'post',
    path: '/v1/own-data/query',
    tag: 'Own data (e-services)',
    summary: "The logged-in member's own data: contact, delivery preferences, membership, invoices with barcodes, payments, letters (audited read)",
    description: 'For e-services: `subjectIdentityCode` names the member logged in to the e-service, and only that member is read. 404 when the person is not a member.',
    access: ownDataReaders,
    body: jsonBody(ownDataQuerySchema, { subjectIdentityCode: '131052-308T' }),
    responses: {
      200: json(ownDataSchema, "The member's own data", {
        example: {
          memberId: ex.memberId,
          memberNumber: 100123,
          person: { firstNames: 'Maija Liisa', lastName: 'Virtanen', language: 'fi' },
          contact: {
            email: 'maija.virtanen@example.fi',
            phone: '+358401234567',
            deliveryChannel: 'email',
            eInvoice: { address: null, operator: null, consent: false },
            smsConsent: false,
            address: { street: 'Mannerheimintie 1 A 2', postalCode: '00100', city: 'Helsinki', country: null },
            nonDisclosure: false,
          },
          membership: membershipExample,
          invoices: [
            {
              id: ex.invoiceId,
              invoiceNumber: 2025000123,
              periodStart: '2025-07-01',
              periodEnd: '2025-09-30',
              issuedOn: '2025-07-02',
              dueDate: '2025-07-31',
              amountCents: 4800,
              openCents: 4800,
              status: 'open',
              reference: '1001232',
              rfReference: 'RF481001232',
              virtualBarcode: '421123456000007850000480000000000000000010012322507310',
              virtualBarcodeV5: '521123456000007850000480048000000000000010012322507310',
            },
          ],
          payments: [{ bookingDate: '2025-04-20', amountCents: 4800, reversal: false, reference: '1001232' }],
          letters: [{ id: 'ab12cd34-5e6f-4a7b-8c9d-0e1f2a3b4c5d', kind: 'membership-approved', subject: 'Jäsenyytesi on hyväksytty', body: 'Hei Maija, …', channel: 'email', sentAt: '2024-04-16T08:00:02.000Z' }],
        },
      }),
    },
    problems: [400, 401, 403, 404],
  }),
  changeOwnContact: defineRoute({
    operationId: 'changeOwnContact',
    method: 'patch',
    path: '/v1/own-data/contact',
    tag: 'Own data (e-services)',
    summary: "The logged-in member changes their contact data and delivery preferences (audited with the client as the actor)",
    description:
      "The desk's rules: e-mail, phone and postal-code formats, e-invoice delivery needs an e-invoice address, SMS delivery a phone number. Effective today; recorded in the member's change log as given in e-services.",
    access: ownDataWriters,
    body: jsonBody(ownContactChangeSchema, { subjectIdentityCode: '131052-308T', email: 'maija.virtanen@example.fi', deliveryChannel: 'email' }),
    responses: { 200: json(ownContactChangeResultSchema, 'The fields that changed', { example: { changed: ['email', 'deliveryChannel'] } }) },
    problems: [400, 401, 403, 404],
  }),
};
