/** Validators of request fields several areas share; each message tells the caller what to send. */
import * as v from 'valibot';
import { hasContact, isEmailAddress, isPhoneNumber, isPostalCode } from '../../../domain/contact';
import { isIsoDate } from '../../../domain/dates';
import { parseIdentityCode } from '../../../domain/identityCode';
import { isFreeOfControlCharacters, isFreeOfControlCharactersMultiline } from '../../../domain/text';

/**
 * The stable code of a check, looked up by its requirement when a request is refused
 * (problem+json invalidParams[].code), so the desk can translate the refusal.
 */
export const checkCodes = new Map<unknown, string>();

function coded<T>(requirement: (input: T) => boolean, code: string, message: string) {
  checkCodes.set(requirement, code);
  return v.check(requirement, message);
}

/** The check every one-line request string carries (the fields walk in tests/unit/http proves it). */
export const noControlCharacters = coded(isFreeOfControlCharacters, 'control_characters', 'must not contain control characters (such as NUL, tab or a line break)');
/** The same for multi-line text (notes, reasons): tab and line breaks are allowed. */
export const noControlCharactersMultiline = coded(isFreeOfControlCharactersMultiline, 'control_characters', 'must not contain control characters (such as NUL)');

/** Whether every string inside a JSON value (keys too) is free of control characters. */
function deeplyFreeOfControlCharacters(value: unknown): boolean {
  if (typeof value === 'string') return isFreeOfControlCharacters(value);
  if (Array.isArray(value)) return value.every(deeplyFreeOfControlCharacters);
  if (value && typeof value === 'object') return Object.entries(value).every(([k, v]) => isFreeOfControlCharacters(k) && deeplyFreeOfControlCharacters(v));
  return true;
}
/** For a free-form JSON value checked later by the domain (a fund setting): no string in it has control characters. */
export const noControlCharactersInside = coded(deeplyFreeOfControlCharacters, 'control_characters', 'must not contain control characters in any of its texts');

/** Every request string is one of these: a string with no control characters. */
export const str = (message?: string) => v.pipe(v.string(message), noControlCharacters);
export const multilineStr = (message?: string) => v.pipe(v.string(message), noControlCharactersMultiline);

export const isoDate = v.pipe(
  str('must be a date YYYY-MM-DD'),
  v.check((s) => isIsoDate(s), 'must be a real date in the form YYYY-MM-DD'),
  v.metadata({ format: 'date' }),
);

export const text = (max: number) => v.pipe(str(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));
/** Free text that may run over several lines: a reason, a note. */
export const multilineText = (max: number, min = 1, minMessage = 'must not be empty') =>
  v.pipe(multilineStr(), v.trim(), v.minLength(min, minMessage), v.maxLength(max, `must be at most ${max} characters`));

/** Optional contact fields: an empty string from a form means "not given". */
export const optionalText = (max: number) =>
  v.optional(v.pipe(str(), v.trim(), v.maxLength(max, `must be at most ${max} characters`), v.transform((s) => (s === '' ? undefined : s))));

const emailMessage = 'must be an e-mail address such as name@example.fi';
const phoneMessage = 'must be a phone number such as 040 123 4567 or +358 40 123 4567';

export const emailAddress = v.pipe(str(), v.trim(), v.maxLength(254, 'must be at most 254 characters'), coded(isEmailAddress, 'email_format', emailMessage));
export const phoneNumber = v.pipe(str(), v.trim(), v.maxLength(30, 'must be at most 30 characters'), coded(isPhoneNumber, 'phone_format', phoneMessage));

/** An e-mail address; an empty string from a form means "not given". */
export const optionalEmail = v.optional(
  v.pipe(
    str(),
    v.trim(),
    v.maxLength(254, 'must be at most 254 characters'),
    v.transform((s) => (s === '' ? undefined : s)),
    coded((s: string | undefined) => s === undefined || isEmailAddress(s), 'email_format', emailMessage),
  ),
);

/** A phone number; an empty string from a form means "not given". */
export const optionalPhone = v.optional(
  v.pipe(
    str(),
    v.trim(),
    v.maxLength(30, 'must be at most 30 characters'),
    v.transform((s) => (s === '' ? undefined : s)),
    coded((s: string | undefined) => s === undefined || isPhoneNumber(s), 'phone_format', phoneMessage),
  ),
);

export const identityCodeSchema = v.pipe(
  str('must be a string like 131052-308T'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const parsed = parseIdentityCode(dataset.value);
    if (!parsed.ok) addIssue({ message: parsed.error });
  }),
  v.metadata({ description: 'Finnish personal identity code (henkilötunnus), e.g. 131052-308T' }),
);

const postalCodeMessage = 'must be a postal code: five digits in Finland (00100), 3–10 letters, digits, spaces or hyphens elsewhere';

export const addressSchema = v.pipe(
  v.strictObject({
    street: text(200),
    postalCode: v.pipe(str(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(10, postalCodeMessage)),
    city: text(100),
    country: v.optional(v.pipe(str(), v.regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as FI'))),
  }),
  v.forward(
    coded((a: { street: string; postalCode: string; city: string; country?: string | undefined }) => isPostalCode(a.postalCode, a.country), 'postal_code_format', postalCodeMessage),
    ['postalCode'],
  ),
);

type ContactFields = { email?: string | undefined; phone?: string | undefined; address?: unknown };
const givesContact = (d: ContactFields) => hasContact(d);
checkCodes.set(givesContact, 'contact_required');

/** An application must leave the fund a way to reach the applicant (reported on `email`). */
export const contactRequired = <T extends ContactFields>() =>
  v.forward<T, v.CheckIssue<T>, readonly ['email']>(v.check<T, string>(givesContact, 'give at least one way to reach you: an e-mail address, a phone number or a postal address'), ['email'] as never);

/** The Idempotency-Key header: the same key twice gives the same result, so a retry is safe. */
export const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  description: 'Makes a retry safe: the same key again answers with what the first request created (8–100 characters). May be sent as the body field idempotencyKey instead.',
  example: 'a3f9c2e1-77b0-4d7e-9a51-0c2d4e6f8a10',
} as const;

/** The idempotency key as a body field. */
export const idempotencyKeyField = v.pipe(str(), v.minLength(8, 'must be at least 8 characters'), v.maxLength(100, 'must be at most 100 characters'));

/** A list of at most `max` items; more is refused under `code` (also the problem's own code: the caller splits the batch). */
export const atMostItems = <T>(max: number, code: string) => coded((items: T[]) => items.length <= max, code, `must have at most ${max} items; split the batch`);
