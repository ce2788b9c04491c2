import * as v from 'valibot';
import { isIsoDate } from '../../domain/dates';
import { parseIdentityCode } from '../../domain/identityCode';

const isoDate = v.pipe(
  v.string(),
  v.check((s) => isIsoDate(s), 'must be a real date in the form YYYY-MM-DD'),
);
const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));

export const identityCodeSchema = v.pipe(
  v.string('must be a string like 131052-308T'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const parsed = parseIdentityCode(dataset.value);
    if (!parsed.ok) addIssue({ message: parsed.error });
  }),
);

const address = v.strictObject({
  street: text(200),
  postalCode: v.pipe(v.string(), v.regex(/^[0-9A-Za-z -]{3,10}$/, 'must be a postal code such as 00100')),
  city: text(100),
  country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as FI'))),
});

const employment = v.strictObject({
  status: v.picklist(['employed', 'unemployed', 'laid-off', 'unpaid-leave', 'entrepreneur'], 'must be one of employed, unemployed, laid-off, unpaid-leave, entrepreneur'),
  employer: v.optional(text(200)),
  startedOn: v.optional(isoDate),
  entrepreneurSince: v.optional(isoDate),
});

const eligibility = v.strictObject({
  basis: v.picklist(['degree', 'occupation', 'student'], 'must be one of degree, occupation, student'),
  degree: v.optional(text(200)),
  occupation: v.optional(text(200)),
});

const previousFund = v.strictObject({
  name: text(200),
  endedOn: v.optional(isoDate),
  resignationAuthorisation: v.boolean('must be true or false'),
});

/** Optional contact fields: an empty string from a form means "not given". */
const optionalText = (max: number) =>
  v.optional(v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`), v.transform((s) => (s === '' ? undefined : s))));

const applicationEntries = {
  identityCode: identityCodeSchema,
  firstNames: text(100),
  lastName: text(100),
  language: v.picklist(['fi', 'sv', 'en'], 'must be fi, sv or en'),
  email: optionalText(254),
  phone: optionalText(30),
  address: v.optional(address),
  employment,
  eligibility: v.optional(eligibility),
  requestedStartDate: v.optional(isoDate),
  previousFund: v.optional(previousFund),
  unionCode: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{3}$/, 'must be a three-digit union code such as 015'))),
};

export const applicationDataSchema = v.strictObject(applicationEntries);

export const submitApplicationSchema = v.strictObject({
  idempotencyKey: v.optional(v.pipe(v.string(), v.minLength(8, 'must be at least 8 characters'), v.maxLength(100))),
  receivedOn: v.optional(isoDate),
  data: applicationDataSchema,
});

export const supplementSchema = v.strictObject({
  round: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  token: v.optional(v.string()),
  data: v.strictObject({
    firstNames: v.optional(text(100)),
    lastName: v.optional(text(100)),
    email: optionalText(254),
    phone: optionalText(30),
    address: v.optional(address),
    employment: v.optional(v.strictObject({ ...employment.entries, status: v.optional(employment.entries.status) })),
    eligibility: v.optional(eligibility),
    requestedStartDate: v.optional(isoDate),
    previousFund: v.optional(previousFund),
  }),
});

export const decisionSchema = v.strictObject({
  decision: v.picklist(['approve', 'reject'], 'must be approve or reject'),
  reason: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2000))),
});

export const taskListQuerySchema = v.strictObject({
  status: v.optional(v.picklist(['open', 'closed'])),
  queue: v.optional(v.pipe(v.string(), v.maxLength(50))),
  kind: v.optional(v.pipe(v.string(), v.maxLength(50))),
  claimed: v.optional(v.picklist(['me', 'unclaimed', 'any'])),
  sort: v.optional(v.picklist(['priority', 'due'])),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.maxValue(200))),
  offset: v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/), v.transform(Number))),
  lang: v.optional(v.picklist(['fi', 'sv', 'en'])),
});

export const uuidParam = v.pipe(v.string(), v.uuid('must be an id in UUID form'));

export const memberSearchQuerySchema = v.strictObject({
  q: v.pipe(v.string('q is required'), v.maxLength(100, 'must be at most 100 characters')),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,2}$/, 'must be a number 1–50'), v.transform(Number), v.minValue(1), v.maxValue(50))),
});

export const resignationSchema = v.strictObject({
  idempotencyKey: v.optional(v.pipe(v.string(), v.minLength(8), v.maxLength(100))),
  receivedOn: v.optional(isoDate),
  requestedEndDate: v.optional(isoDate),
});

export const fundSwitchSchema = v.strictObject({
  idempotencyKey: v.optional(v.pipe(v.string(), v.minLength(8), v.maxLength(100))),
  receivedOn: v.optional(isoDate),
  newFund: text(200),
  newFundStartDate: isoDate,
});

export const publicResignationSchema = v.strictObject({
  idempotencyKey: v.pipe(v.string(), v.minLength(8), v.maxLength(100)),
  identityCode: identityCodeSchema,
  lastName: text(100),
  requestedEndDate: v.optional(isoDate),
});

export const transferredPeriodSchema = v.strictObject({
  fundName: text(200),
  fundBusinessId: v.optional(v.pipe(v.string(), v.regex(/^\d{7}-\d$/, 'must be a business ID such as 1234567-8'))),
  startDate: isoDate,
  endDate: isoDate,
  paidThrough: v.optional(isoDate),
  expelled: v.optional(v.boolean()),
});

export const deathSchema = v.strictObject({
  dateOfDeath: isoDate,
  precision: v.optional(v.picklist(['day', 'month', 'year'])),
});

export const contactChangeSchema = v.strictObject({
  reason: text(500),
  effectiveFrom: v.optional(isoDate),
  email: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.email('must be an e-mail address'), v.maxLength(254)))),
  phone: v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.regex(/^\+?[0-9 ]{6,20}$/, 'must be a phone number such as +358 40 123 4567')))),
  language: v.optional(v.picklist(['fi', 'sv', 'en'])),
  deliveryChannel: v.optional(v.picklist(['letter', 'email', 'sms', 'e-invoice'])),
  eInvoiceAddress: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(35)))),
  eInvoiceOperator: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(35)))),
  eInvoiceConsent: v.optional(v.boolean()),
  smsConsent: v.optional(v.boolean()),
  address: v.optional(address),
});
