/**
 * Rules for the contact details and dates an applicant gives, the same for the public join form,
 * the desk and the integrations: the API checks them at its edge (integrations/http/contract), the
 * join form shows the API's answer next to each field.
 */
import { compareDates } from './dates';

/** At most 254 characters, one "@", a domain with at least one dot, no spaces. */
export function isEmailAddress(email: string): boolean {
  return email.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email);
}

/**
 * Finnish national form (0 + 5–11 digits: 09 123 4567, 040 123 4567) or E.164 (+ and at most
 * 15 digits, the first not 0); spaces, hyphens and brackets are allowed as separators.
 */
export function isPhoneNumber(phone: string): boolean {
  if (!/^\+?[\d\s\-()]+$/.test(phone)) return false;
  const compact = phone.replace(/[\s\-()]/g, '');
  return /^0\d{5,11}$/.test(compact) || /^\+[1-9]\d{6,14}$/.test(compact);
}

/** A Finnish postal code is five digits (00100); another country's is 3–10 letters, digits, spaces or hyphens. */
export function isPostalCode(code: string, country: string | undefined): boolean {
  if (country === undefined || country === 'FI') return /^\d{5}$/.test(code);
  return /^[0-9A-Za-z][0-9A-Za-z -]{1,8}[0-9A-Za-z]$/.test(code);
}

/** The form says one is required: an e-mail address, a phone number or a postal address. */
export function hasContact(contact: { email?: string | undefined; phone?: string | undefined; address?: unknown }): boolean {
  const given = (s: string | undefined) => s !== undefined && s.trim() !== '';
  return given(contact.email) || given(contact.phone) || contact.address !== undefined;
}

/**
 * Membership never begins before the application was received (no retroactive joining, 3 §):
 * a requested start date before the day of receipt is refused rather than silently moved.
 */
export function startsBeforeReceipt(requestedStartDate: string | undefined, receivedOn: string): boolean {
  return requestedStartDate !== undefined && compareDates(requestedStartDate, receivedOn) < 0;
}
