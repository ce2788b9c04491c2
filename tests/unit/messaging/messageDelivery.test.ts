import { describe, expect, it } from 'vitest';
import { getFundProfile } from '../../../domain/fundProfile';
import { caseLetterKinds, messageChannel, messageRecipient, newMemberPreference, shippedDeliveryRules, type ContactFacts } from '../../../domain/messageDelivery';
import { messageKinds } from '../../../domain/messageTemplates';

const everything: ContactFacts = {
  name: 'Åsa Öhman',
  deliveryChannel: 'email',
  email: 'asa@example.fi',
  phone: '+358401234567',
  smsConsent: true,
  streetAddress: 'Testikatu 1',
  postalCode: '00100',
  city: 'Helsinki',
  country: null,
};
const rules = shippedDeliveryRules;

describe("a member's messages by the fund's delivery rules", () => {
  it("follows the member's preference first, then the other channels", () => {
    expect(messageChannel({ ...everything, deliveryChannel: 'letter' }, 'resignation-confirmed', rules)).toBe('letter');
    expect(messageChannel({ ...everything, deliveryChannel: 'email' }, 'resignation-confirmed', rules)).toBe('email');
    expect(messageChannel({ ...everything, deliveryChannel: 'sms' }, 'resignation-confirmed', rules)).toBe('sms');
    // A message is not an e-invoice: that preference reads as e-mail.
    expect(messageChannel({ ...everything, deliveryChannel: 'e-invoice' }, 'resignation-confirmed', rules)).toBe('email');
    // A letter preference without a full postal address: e-mail next.
    expect(messageChannel({ ...everything, deliveryChannel: 'letter', city: ' ' }, 'age-limit-notice', rules)).toBe('email');
  });

  it('sends an SMS only with consent, unless the fund allows it without', () => {
    const noConsent = { ...everything, deliveryChannel: 'sms' as const, smsConsent: false };
    expect(messageChannel(noConsent, 'resignation-confirmed', rules)).toBe('email');
    expect(messageChannel({ ...noConsent, email: null, streetAddress: null }, 'resignation-confirmed', rules)).toBeNull();
    expect(messageChannel(noConsent, 'resignation-confirmed', { ...rules, smsNeedsConsent: false })).toBe('sms');
  });

  it('posts hearing letters and decisions whatever the member prefers, and never as an SMS', () => {
    for (const kind of caseLetterKinds) {
      expect(messageKinds).toContain(kind);
      expect(messageChannel({ ...everything, deliveryChannel: 'email' }, kind, rules), kind).toBe('letter');
      // Without a postal address: the preference, but an SMS cannot carry the decision's PDF.
      expect(messageChannel({ ...everything, deliveryChannel: 'sms', streetAddress: null }, kind, rules), kind).toBe('email');
      expect(messageChannel({ ...everything, deliveryChannel: 'sms', streetAddress: null, email: null }, kind, rules), kind).toBeNull();
    }
    expect(messageChannel({ ...everything, deliveryChannel: 'email' }, 'expulsion-decision', { ...rules, caseLettersByPost: false })).toBe('email');
  });

  it("leaves the choice to the messaging service's order when the fund does not follow preferences", () => {
    const off = { ...rules, followPreference: false };
    expect(messageChannel({ ...everything, deliveryChannel: 'letter' }, 'resignation-confirmed', off)).toBe('email');
    expect(messageChannel({ ...everything, deliveryChannel: 'letter', email: null }, 'resignation-confirmed', off)).toBe('sms');
  });

  it('hands the service only the chosen contact', () => {
    expect(messageRecipient({ ...everything, deliveryChannel: 'letter', country: 'SE' }, 'resignation-confirmed', rules)).toEqual({
      name: 'Åsa Öhman',
      address: { street: 'Testikatu 1', postalCode: '00100', city: 'Helsinki', country: 'SE' },
    });
    expect(messageRecipient(everything, 'resignation-confirmed', rules)).toEqual({ name: 'Åsa Öhman', email: 'asa@example.fi' });
    expect(messageRecipient({ ...everything, deliveryChannel: 'sms' }, 'resignation-confirmed', rules)).toEqual({ name: 'Åsa Öhman', phone: '+358401234567' });
    expect(messageRecipient({ ...everything, email: null, phone: null, streetAddress: null }, 'resignation-confirmed', rules)).toEqual({ name: 'Åsa Öhman' });
  });

  it("gives a new member e-mail when they gave an address, or letters where paper is the fund's default", () => {
    expect(newMemberPreference(rules, 'a@example.fi')).toBe('email');
    expect(newMemberPreference(rules, null)).toBe('letter');
    const koko = getFundProfile('koko').deliveryRules!;
    expect(newMemberPreference(koko, 'a@example.fi')).toBe('letter');
    expect(getFundProfile('a-kassa').deliveryRules).toBeUndefined();
  });
});
