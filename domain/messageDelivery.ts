/**
 * How a message reaches a member (issue 15, decision 045): the fund's delivery rules as a setting.
 * The messaging service sends by the contacts it is handed (e-mail, then SMS, then a printed
 * letter), so the register hands it the one channel these rules choose. Invoices and reminders
 * choose their channel by their own rules (domain/billing/invoiceDelivery.ts, the collection
 * levels' channels); an applicant's messages go to the contacts of the application.
 */
import { hasPostalAddress } from './billing/invoiceDelivery';
import type { MessageChannel, MessageKind } from './fundProfile';
import type { DeliveryPreference, MessageRecipient } from './vocabulary';

export interface DeliveryRules {
  /**
   * The preference a new member gets: e-mail when the application gives an address (shipped), or
   * paper letters until the member chooses otherwise (KOKO: "paper is the default", domain.md §2.1).
   */
  newMemberPreference: 'email-if-given' | 'letter';
  /**
   * Letters with legal effect (the hearing letter, the expulsion decision and what follows it) are
   * posted whatever the member prefers: the member is deemed to know of a decision on the 7th day
   * after mailing (domain.md §1.4). Only a member without a postal address gets them another way.
   */
  caseLettersByPost: boolean;
  /**
   * Other messages go by the member's preference, then the other channels; off: the messaging
   * service picks from every contact the member has (e-mail, SMS, letter).
   */
  followPreference: boolean;
  /** An SMS only to a member who has consented to SMS. */
  smsNeedsConsent: boolean;
}

export const shippedDeliveryRules: DeliveryRules = {
  newMemberPreference: 'email-if-given',
  caseLettersByPost: true,
  followPreference: true,
  smsNeedsConsent: true,
};

/** The messages of a hearing and an expulsion: decisions and letters with appeal instructions, each with its PDF. */
export const caseLetterKinds: readonly MessageKind[] = ['hearing-letter', 'expulsion-decision', 'expulsion-not-decided', 'expulsion-corrected', 'appeal-forwarded', 'samu-overturned'];

/** What the choice reads about the member. */
export interface ContactFacts {
  name: string;
  deliveryChannel: DeliveryPreference;
  email: string | null;
  phone: string | null;
  smsConsent: boolean;
  streetAddress: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

/** Each preference's channels in order; a message is not an e-invoice, so that preference reads as e-mail. */
const preferenceOrder: Record<DeliveryPreference, readonly MessageChannel[]> = {
  letter: ['letter', 'email', 'sms'],
  email: ['email', 'letter', 'sms'],
  'e-invoice': ['email', 'letter', 'sms'],
  sms: ['sms', 'email', 'letter'],
};
/** The messaging service's own order, when the register leaves the choice to it. */
const serviceOrder: readonly MessageChannel[] = ['email', 'sms', 'letter'];

/** The channel a message of `kind` goes by, or null when the member has none the rules allow. */
export function messageChannel(p: ContactFacts, kind: MessageKind, rules: DeliveryRules): MessageChannel | null {
  const caseLetter = caseLetterKinds.includes(kind);
  const usable = (c: MessageChannel) =>
    c === 'email'
      ? Boolean(p.email)
      : c === 'sms'
        ? // A case letter carries its PDF, which an SMS cannot.
          Boolean(p.phone) && !caseLetter && (!rules.smsNeedsConsent || p.smsConsent)
        : hasPostalAddress(p);
  if (caseLetter && rules.caseLettersByPost && usable('letter')) return 'letter';
  return (rules.followPreference ? preferenceOrder[p.deliveryChannel] : serviceOrder).find(usable) ?? null;
}

/**
 * The recipient handed to the messaging service: only the chosen channel's contact, so the service
 * cannot pick another; with none, the name alone (the service refuses it, and the message is
 * recorded as failed for a caseworker to see).
 */
export function messageRecipient(p: ContactFacts, kind: MessageKind, rules: DeliveryRules): MessageRecipient {
  const channel = messageChannel(p, kind, rules);
  if (channel === 'email') return { name: p.name, email: p.email! };
  if (channel === 'sms') return { name: p.name, phone: p.phone! };
  if (channel === 'letter') return { name: p.name, address: postalAddressOf(p) };
  return { name: p.name };
}

/** A letter's address from a person that has one (`hasPostalAddress`): the country only where recorded. */
export function postalAddressOf(p: Pick<ContactFacts, 'streetAddress' | 'postalCode' | 'city' | 'country'>): NonNullable<MessageRecipient['address']> {
  return { street: p.streetAddress!, postalCode: p.postalCode!, city: p.city!, ...(p.country ? { country: p.country } : {}) };
}

/** The delivery preference a new member starts with. */
export function newMemberPreference(rules: DeliveryRules, email: string | null | undefined): DeliveryPreference {
  return rules.newMemberPreference === 'email-if-given' && email ? 'email' : 'letter';
}
