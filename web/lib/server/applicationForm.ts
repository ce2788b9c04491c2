import type { ApplicationData, SupplementData } from '$contract';
import type { Lang, ProblemCode } from '$lib/i18n';
import { fieldOfApiParam, problemOfCode, type FieldErrors, type FormValues, type GeneralProblem } from '$lib/forms/fields';
import { isApiError, problemOf } from './api';

/** Copies the named form fields as strings; a missing field (unchecked box, no radio) becomes ''. */
export function readValues(form: FormData, names: readonly string[]): FormValues {
  const values: FormValues = {};
  for (const name of names) {
    const v = form.get(name);
    values[name] = typeof v === 'string' ? v : '';
  }
  return values;
}

const text = (v: FormValues, k: string) => (v[k] ?? '').trim();
const optional = (v: FormValues, k: string) => text(v, k) || undefined;
const anyOf = (v: FormValues, keys: string[]) => keys.some((k) => text(v, k) !== '');

/** Leaves out what the form left empty, so the API sees "not given" instead of "". */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

function address(v: FormValues): ApplicationData['address'] {
  // A partly filled address is sent as it is, so the API names the missing part.
  if (!anyOf(v, ['street', 'postalCode', 'city'])) return undefined;
  return { street: text(v, 'street'), postalCode: text(v, 'postalCode'), city: text(v, 'city') };
}

function eligibility(v: FormValues): ApplicationData['eligibility'] {
  if (!anyOf(v, ['eligibilityBasis', 'degree', 'occupation'])) return undefined;
  return compact({
    basis: text(v, 'eligibilityBasis') as NonNullable<ApplicationData['eligibility']>['basis'],
    degree: optional(v, 'degree'),
    occupation: optional(v, 'occupation'),
  });
}

export { joinFieldNames } from '$lib/forms/joinFields';

export function toApplicationData(v: FormValues): ApplicationData {
  const previousGiven = text(v, 'previousFundName') !== '' || v.resignationAuthorisation === 'yes';
  return compact({
    // Required fields go as typed, even empty, so the API's answer names each of them.
    identityCode: text(v, 'identityCode').toUpperCase(),
    firstNames: text(v, 'firstNames'),
    lastName: text(v, 'lastName'),
    language: text(v, 'language') as Lang,
    email: optional(v, 'email'),
    phone: optional(v, 'phone'),
    address: address(v),
    employment: compact({
      // Sent as chosen; the API names the field when it is not one of its statuses.
      status: optional(v, 'employmentStatus') as ApplicationData['employment']['status'],
      employer: optional(v, 'employer'),
      startedOn: optional(v, 'startedOn'),
      entrepreneurSince: optional(v, 'entrepreneurSince'),
    }),
    eligibility: eligibility(v),
    requestedStartDate: optional(v, 'requestedStartDate'),
    previousFund: previousGiven
      ? { name: text(v, 'previousFundName'), resignationAuthorisation: v.resignationAuthorisation === 'yes' }
      : undefined,
    unionCode: optional(v, 'unionCode'),
  });
}

export const supplementFieldNames = [
  'email',
  'phone',
  'street',
  'postalCode',
  'city',
  'employer',
  'startedOn',
  'eligibilityBasis',
  'degree',
  'occupation',
] as const;

/** Only what the applicant filled in: an empty field means "no change", never "erase". */
export function toSupplementData(v: FormValues): SupplementData {
  const employment = compact({ employer: optional(v, 'employer'), startedOn: optional(v, 'startedOn') });
  return compact({
    email: optional(v, 'email'),
    phone: optional(v, 'phone'),
    address: address(v),
    employment: Object.keys(employment).length > 0 ? employment : undefined,
    eligibility: eligibility(v),
  });
}

export interface FormProblem {
  errors: FieldErrors;
  general?: GeneralProblem;
  /** A refusal that is not about the fields (a link no longer valid, an application not waiting): its code, for the page to say why. */
  problem?: ProblemCode;
}

/**
 * Sorts the API's refusal into field errors (shown next to each input) and a general message.
 * An empty field is reported as missing, whatever format rule the API tripped on first.
 */
export function formProblemOf(e: unknown, values: FormValues = {}): FormProblem {
  if (!isApiError(e)) throw e;
  if (e.status === 429) return { errors: {}, general: 'rateLimited' };
  if (e.status !== 400) return { errors: {}, general: 'unexpected', ...(e.code ? { problem: problemOf(e) } : {}) };
  const errors: FieldErrors = {};
  let unplaced = false;
  for (const p of e.invalidParams) {
    const field = fieldOfApiParam(p.name);
    if (!field) {
      unplaced = true;
      continue;
    }
    if (errors[field]) continue;
    const empty = field in values && (values[field] ?? '').trim() === '';
    // The API's code says which rule: "at most 100 characters" for a long name, not the field's usual hint.
    const coded = problemOfCode(p.code, p.params);
    errors[field] = coded === 'contact_required' ? coded : empty || coded === 'required' || /is required|must not be empty/.test(p.reason) ? 'required' : (coded ?? 'invalid');
  }
  if (unplaced || Object.keys(errors).length === 0) return { errors, general: 'general' };
  return { errors };
}
