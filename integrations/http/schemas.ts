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
  claimed: v.optional(v.picklist(['me', 'unclaimed', 'any'])),
  sort: v.optional(v.picklist(['priority', 'due'])),
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d{1,3}$/), v.transform(Number), v.maxValue(200))),
  offset: v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/), v.transform(Number))),
  lang: v.optional(v.picklist(['fi', 'sv', 'en'])),
});

export const uuidParam = v.pipe(v.string(), v.uuid('must be an id in UUID form'));
