import type { DeliveryPreference } from '../vocabulary';

/** The ways an invoice leaves the fund. */
export type InvoiceChannel = 'e-invoice' | 'email' | 'letter';

/** What the choice of channel reads about the member. */
export interface DeliveryFacts {
  deliveryChannel: DeliveryPreference;
  email: string | null;
  streetAddress: string | null;
  postalCode: string | null;
  city: string | null;
  eInvoiceAddress: string | null;
  eInvoiceOperator: string | null;
  eInvoiceConsent: boolean;
}

/** A letter needs a street, a postal code and a town, none of them blank. */
export function hasPostalAddress(p: Pick<DeliveryFacts, 'streetAddress' | 'postalCode' | 'city'>): boolean {
  return Boolean(p.streetAddress?.trim() && p.postalCode?.trim() && p.city?.trim());
}

/**
 * How the member gets the invoice, from their preference: an e-invoice needs the address and
 * bank (operator) from their FinvoiceReceiverInfo and their consent; anything else goes by e-mail
 * when they prefer a digital channel and have an address for it, otherwise by letter.
 * `allowEInvoice` false: the member's e-invoice cannot be built, so the next channel is chosen.
 */
export function invoiceDelivery(
  p: DeliveryFacts,
  allowEInvoice = true,
): { channel: InvoiceChannel } | { exception: string; exceptionCode: 'no_postal_address' | 'no_delivery_channel'; exceptionParams: Record<string, string> } {
  if (allowEInvoice && p.deliveryChannel === 'e-invoice' && p.eInvoiceConsent && p.eInvoiceAddress && p.eInvoiceOperator) {
    return { channel: 'e-invoice' };
  }
  if (p.deliveryChannel !== 'letter' && p.email) return { channel: 'email' };
  if (hasPostalAddress(p)) return { channel: 'letter' };
  return p.deliveryChannel === 'letter'
    ? {
        exception: 'No postal address for a letter invoice: record the address, or the member’s e-mail and an e-mail delivery preference.',
        exceptionCode: 'no_postal_address',
        exceptionParams: {},
      }
    : {
        exception: `No way to deliver the invoice: the preference is ${p.deliveryChannel}, but there is neither a usable e-mail address nor a postal address.`,
        exceptionCode: 'no_delivery_channel',
        exceptionParams: { channel: p.deliveryChannel },
      };
}
