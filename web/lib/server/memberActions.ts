import type { ContactChange, DeliveryChannel} from '$contract';
import type { Lang } from '$lib/i18n';
import { problemOfCode, type FieldErrors, type FieldId, type FormValues } from '$lib/forms/fields';
import { failAction } from './actions';
import { isApiError } from './api';

/** The actions of the desk's member page, one form each. */
export type MemberAction = 'resign' | 'withdraw' | 'confirmRequest' | 'rejectRequest' | 'fundSwitch' | 'death' | 'contact';

/** The address as the form showed it, sent back so only a changed address is sent on. */
export const originalAddressFields = ['originalStreet', 'originalPostalCode', 'originalCity', 'originalCountry'] as const;

export const memberActionFields = {
  resign: ['idempotencyKey', 'requestedEndDate', 'receivedOn'],
  withdraw: ['resignationId', 'reason'],
  confirmRequest: ['resignationId', 'reason'],
  rejectRequest: ['resignationId', 'reason'],
  fundSwitch: ['idempotencyKey', 'newFund', 'newFundStartDate', 'receivedOn'],
  death: ['dateOfDeath', 'deathPrecision', 'confirmed'],
  contact: [
    'email',
    'phone',
    'language',
    'deliveryChannel',
    'eInvoiceAddress',
    'eInvoiceOperator',
    'eInvoiceConsent',
    'smsConsent',
    'street',
    'postalCode',
    'city',
    'country',
    ...originalAddressFields,
    'effectiveFrom',
    'reason',
  ],
} as const satisfies Record<MemberAction, readonly string[]>;

/** The API names fields by their place in the JSON body; the forms by their inputs. */
const byApiName: Record<MemberAction, Record<string, FieldId>> = {
  resign: { requestedEndDate: 'requestedEndDate', receivedOn: 'receivedOn' },
  withdraw: { reason: 'reason' },
  confirmRequest: { reason: 'reason' },
  rejectRequest: { reason: 'reason' },
  fundSwitch: { newFund: 'newFund', newFundStartDate: 'newFundStartDate', receivedOn: 'receivedOn' },
  death: { dateOfDeath: 'dateOfDeath', precision: 'deathPrecision' },
  contact: {
    email: 'email',
    phone: 'phone',
    language: 'language',
    deliveryChannel: 'deliveryChannel',
    eInvoiceAddress: 'eInvoiceAddress',
    eInvoiceOperator: 'eInvoiceOperator',
    eInvoiceConsent: 'eInvoiceConsent',
    smsConsent: 'smsConsent',
    address: 'street',
    'address.street': 'street',
    'address.postalCode': 'postalCode',
    'address.city': 'city',
    'address.country': 'country',
    effectiveFrom: 'effectiveFrom',
    reason: 'reason',
  },
};

/**
 * A refused member action: the API's `detail` for the alert, its field errors for the inputs, and
 * the values as typed so the form shows them again. An expired session logs in again.
 */
export function memberActionFailure<A extends MemberAction>(e: unknown, url: URL, action: A, values: FormValues) {
  const errors: FieldErrors = {};
  if (isApiError(e)) {
    for (const p of e.invalidParams) {
      const field = byApiName[action][p.name];
      if (!field || errors[field]) continue;
      const empty = (values[field] ?? '').trim() === '';
      const coded = problemOfCode(p.code, p.params);
      errors[field] = empty || coded === 'required' || /is required|must not be empty/.test(p.reason) ? 'required' : (coded ?? 'invalid');
    }
  }
  return failAction(e, url, { action, values, errors });
}

const text = (v: FormValues, k: string) => (v[k] ?? '').trim();
const optional = (v: FormValues, k: string) => text(v, k) || undefined;

/** Leaves out what the form left empty, so the API sees "not given" instead of "". */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

export function toResignation(v: FormValues) {
  return compact({ idempotencyKey: text(v, 'idempotencyKey'), requestedEndDate: optional(v, 'requestedEndDate'), receivedOn: optional(v, 'receivedOn') });
}

export function toFundSwitch(v: FormValues) {
  // Required fields go as typed, even empty, so the API's answer names each of them.
  return compact({
    idempotencyKey: text(v, 'idempotencyKey'),
    newFund: text(v, 'newFund'),
    newFundStartDate: text(v, 'newFundStartDate'),
    receivedOn: optional(v, 'receivedOn'),
  });
}

export function toDeath(v: FormValues) {
  return compact({ dateOfDeath: text(v, 'dateOfDeath'), precision: optional(v, 'deathPrecision') as 'day' | 'month' | 'year' | undefined });
}

/**
 * The contact change as the API takes it. The form shows the current data, so every contact
 * field is sent (the API records only what differs) and an emptied one is sent as null, meaning
 * "remove". The address is sent only when the caseworker changed it, as each one sent becomes a
 * new entry in the address history.
 */
export function toContactChange(v: FormValues): ContactChange {
  const addressKeys = ['street', 'postalCode', 'city', 'country'] as const;
  const addressChanged = addressKeys.some((k) => text(v, k) !== text(v, `original${k[0]!.toUpperCase()}${k.slice(1)}`));
  return compact<ContactChange>({
    reason: text(v, 'reason'),
    effectiveFrom: optional(v, 'effectiveFrom'),
    email: text(v, 'email') || null,
    phone: text(v, 'phone') || null,
    language: optional(v, 'language') as Lang | undefined,
    deliveryChannel: optional(v, 'deliveryChannel') as DeliveryChannel | undefined,
    eInvoiceAddress: text(v, 'eInvoiceAddress') || null,
    eInvoiceOperator: text(v, 'eInvoiceOperator') || null,
    eInvoiceConsent: v.eInvoiceConsent === 'yes',
    smsConsent: v.smsConsent === 'yes',
    // A partly filled address is sent as it is, so the API names the missing part.
    address: addressChanged
      ? compact({ street: text(v, 'street'), postalCode: text(v, 'postalCode'), city: text(v, 'city'), country: optional(v, 'country')?.toUpperCase() })
      : undefined,
  });
}
