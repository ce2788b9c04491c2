import { describe, expect, it } from 'vitest';
import { hasPostalAddress, invoiceDelivery, type DeliveryFacts } from '../../../domain/billing/invoiceDelivery';

const member = (facts: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
  deliveryChannel: 'letter',
  email: 'laura@example.fi',
  streetAddress: 'Laskukatu 2 A 3',
  postalCode: '00100',
  city: 'Helsinki',
  eInvoiceAddress: null,
  eInvoiceOperator: null,
  eInvoiceConsent: false,
  ...facts,
});
const eInvoicer = (facts: Partial<DeliveryFacts> = {}) =>
  member({ deliveryChannel: 'e-invoice', eInvoiceAddress: 'FI7981000012345678', eInvoiceOperator: 'NDEAFIHH', eInvoiceConsent: true, ...facts });

describe('invoiceDelivery', () => {
  it('sends an e-invoice only with consent, an address and an operator', () => {
    expect(invoiceDelivery(eInvoicer())).toEqual({ channel: 'e-invoice' });
    expect(invoiceDelivery(eInvoicer({ eInvoiceConsent: false }))).toEqual({ channel: 'email' });
    expect(invoiceDelivery(eInvoicer({ eInvoiceAddress: null }))).toEqual({ channel: 'email' });
    expect(invoiceDelivery(eInvoicer({ eInvoiceOperator: '' }))).toEqual({ channel: 'email' });
  });

  it('falls back from an e-invoice that cannot be built to e-mail, then to a letter', () => {
    expect(invoiceDelivery(eInvoicer(), false)).toEqual({ channel: 'email' });
    expect(invoiceDelivery(eInvoicer({ email: null }), false)).toEqual({ channel: 'letter' });
  });

  it('uses e-mail for any digital preference with an address, a letter otherwise', () => {
    expect(invoiceDelivery(member({ deliveryChannel: 'email' }))).toEqual({ channel: 'email' });
    expect(invoiceDelivery(member({ deliveryChannel: 'sms' }))).toEqual({ channel: 'email' });
    expect(invoiceDelivery(member({ deliveryChannel: 'email', email: null }))).toEqual({ channel: 'letter' });
    expect(invoiceDelivery(member({ deliveryChannel: 'email', email: '' }))).toEqual({ channel: 'letter' });
  });

  it('sends a letter to who asked for one, even with an e-mail address', () => {
    expect(invoiceDelivery(member({ deliveryChannel: 'letter' }))).toEqual({ channel: 'letter' });
  });

  it('is an exception when nothing can carry the invoice, naming what is missing', () => {
    const noAddress = { streetAddress: null, postalCode: null, city: null };
    expect(invoiceDelivery(member({ ...noAddress }))).toEqual({ exception: expect.stringMatching(/^No postal address for a letter invoice/), exceptionCode: 'no_postal_address', exceptionParams: {} });
    expect(invoiceDelivery(member({ deliveryChannel: 'email', email: null, ...noAddress }))).toEqual({
      exception: expect.stringContaining('the preference is email, but there is neither a usable e-mail address nor a postal address'),
      exceptionCode: 'no_delivery_channel',
      exceptionParams: { channel: 'email' },
    });
    expect(invoiceDelivery(eInvoicer({ email: null, ...noAddress }), false)).toEqual({ exception: expect.stringContaining('the preference is e-invoice'), exceptionCode: 'no_delivery_channel', exceptionParams: { channel: 'e-invoice' } });
  });
});

describe('hasPostalAddress', () => {
  it('needs a street, a postal code and a town, none blank', () => {
    expect(hasPostalAddress(member())).toBe(true);
    expect(hasPostalAddress(member({ streetAddress: '  ' }))).toBe(false);
    expect(hasPostalAddress(member({ postalCode: null }))).toBe(false);
    expect(hasPostalAddress(member({ city: '' }))).toBe(false);
  });
});
