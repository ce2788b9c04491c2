/** Validators of request fields several areas share; each message tells the caller what to send. */
import * as v from 'valibot';
import { isIsoDate } from '../../../domain/dates';
import { parseIdentityCode } from '../../../domain/identityCode';

export const isoDate = v.pipe(
  v.string(),
  v.check((s) => isIsoDate(s), 'must be a real date in the form YYYY-MM-DD'),
  v.metadata({ format: 'date' }),
);

export const text = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`));

/** Optional contact fields: an empty string from a form means "not given". */
export const optionalText = (max: number) =>
  v.optional(v.pipe(v.string(), v.trim(), v.maxLength(max, `must be at most ${max} characters`), v.transform((s) => (s === '' ? undefined : s))));

export const identityCodeSchema = v.pipe(
  v.string('must be a string like 131052-308T'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const parsed = parseIdentityCode(dataset.value);
    if (!parsed.ok) addIssue({ message: parsed.error });
  }),
  v.metadata({ description: 'Finnish personal identity code (henkilötunnus), e.g. 131052-308T' }),
);

export const addressSchema = v.strictObject({
  street: text(200),
  postalCode: v.pipe(v.string(), v.regex(/^[0-9A-Za-z -]{3,10}$/, 'must be a postal code such as 00100')),
  city: text(100),
  country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as FI'))),
});

/** The Idempotency-Key header: the same key twice gives the same result, so a retry is safe. */
export const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  description: 'Makes a retry safe: the same key again answers with what the first request created (8–100 characters). May be sent as the body field idempotencyKey instead.',
  example: 'a3f9c2e1-77b0-4d7e-9a51-0c2d4e6f8a10',
} as const;
