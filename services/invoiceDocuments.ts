/**
 * Printed invoices: what an invoice row, its member and the fund profile say on paper
 * (buildInvoiceDocument, shared by the billing run's letters and the reprint below), and the
 * reprint itself (getInvoicePdf: GET /api/v1/invoices/{id}/pdf).
 */
import { eq } from 'drizzle-orm';
import { recordAudit } from '../db/repositories/audit';
import { invoices, members, persons } from '../db/schema';
import { formatIban } from '../domain/billing/iban';
import { formatReferenceNumber } from '../domain/billing/referenceNumber';
import { formatRfReference } from '../domain/billing/rfReference';
import type { FundProfile, Language } from '../domain/fundProfile';
import { TransformError } from '../integrations/transforms/errors';
import { renderInvoicePdf, type InvoiceDocument, type InvoicePostalAddress } from '../integrations/transforms/invoicePdf';
import type { ServiceContext } from './context';
import { forbidden, notFound, ServiceError } from './errors';
import { seesProtectedAddress } from './members';
import { actorOf, hasRole, type Principal } from './principal';

/** The columns of an invoice that a printed invoice needs: a row of `invoices`, or the billing run's IssuedInvoice. */
export type PrintableInvoice = Pick<
  typeof invoices.$inferSelect,
  'invoiceNumber' | 'issuedOn' | 'dueDate' | 'periodStart' | 'periodEnd' | 'amountCents' | 'lines' | 'reference' | 'rfReference' | 'iban' | 'virtualBarcode'
>;

/** The member's name, language and current address: a row of `persons`, or the billing run's BillingPerson. */
export interface PrintablePerson {
  firstNames: string;
  lastName: string;
  language: string;
  streetAddress: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
}

const rowLabel: Record<Language, string> = { fi: 'Jäsenmaksu', sv: 'Medlemsavgift', en: 'Membership fee' };
const fileLabel: Record<Language, string> = { fi: 'lasku', sv: 'faktura', en: 'invoice' };

/** Country values that mean Finland: a domestic address prints no country line. */
const DOMESTIC = new Set(['FI', 'FIN', 'SUOMI', 'FINLAND', 'FINLAND (SUOMI)']);

/** The letter's language: the member's, or Finnish for anything the fund does not serve. */
export function invoiceLanguage(person: Pick<PrintablePerson, 'language'>): Language {
  return person.language === 'sv' || person.language === 'en' ? person.language : 'fi';
}

/** The attachment's file name, e.g. 'lasku-1000123.pdf'. */
export function invoicePdfFilename(invoice: Pick<PrintableInvoice, 'invoiceNumber'>, language: Language): string {
  return `${fileLabel[language]}-${invoice.invoiceNumber}.pdf`;
}

function postalAddress(person: PrintablePerson): InvoicePostalAddress | null {
  const { streetAddress: street, postalCode, city } = person;
  if (!street?.trim() || !postalCode?.trim() || !city?.trim()) return null;
  const country = person.country?.trim();
  return { street, postalCode, city, ...(country && !DOMESTIC.has(country.toUpperCase()) ? { country } : {}) };
}

/**
 * What the printed invoice says, from the invoice as stored (its IBAN, references, barcode and
 * monthly lines), the member's name and address and the fund profile (name in the member's
 * language, business id, BIC). `withAddress: false` leaves the address out: a reprint for someone
 * who may not see a protected (non-disclosed) address. Formats the IBAN and references for
 * reading; renderInvoicePdf checks that the barcode agrees with them.
 */
export function buildInvoiceDocument(invoice: PrintableInvoice, person: PrintablePerson, profile: Pick<FundProfile, 'name' | 'businessId' | 'bic'>, options: { withAddress?: boolean } = {}): InvoiceDocument {
  const language = invoiceLanguage(person);
  const rows =
    invoice.lines.length > 0
      ? invoice.lines.map((l) => ({ description: `${rowLabel[language]} ${Number(l.month.slice(5, 7))}/${l.month.slice(0, 4)}`, amountCents: l.cents }))
      : [{ description: `${rowLabel[language]} ${invoice.periodStart.slice(0, 4)}`, amountCents: invoice.amountCents }];
  return {
    language,
    fund: { name: profile.name[language], businessId: profile.businessId, iban: formatIban(invoice.iban), bic: profile.bic },
    recipient: { name: `${person.firstNames} ${person.lastName}`, address: options.withAddress === false ? null : postalAddress(person) },
    invoiceNumber: String(invoice.invoiceNumber),
    issueDate: invoice.issuedOn,
    dueDate: invoice.dueDate,
    reference: formatReferenceNumber(invoice.reference),
    rfReference: formatRfReference(invoice.rfReference),
    period: { start: invoice.periodStart, end: invoice.periodEnd },
    rows,
    totalCents: invoice.amountCents,
    virtualBarcode: invoice.virtualBarcode,
  };
}

/** Roles that may reprint an invoice; every reprint is audited (it shows the member's name and address). */
const invoicePdfReaders = ['billing', 'caseworker'] as const;

/**
 * An issued invoice as the PDF letter, for a reprint. The address is left out when it is protected
 * and the caller may not see it (seesProtectedAddress). Audited as `invoice.pdf-read`.
 */
export async function getInvoicePdf(ctx: ServiceContext, p: Principal, invoiceId: string): Promise<{ filename: string; bytes: Uint8Array<ArrayBuffer> }> {
  if (!hasRole(p, ...invoicePdfReaders)) throw forbidden('Invoice PDFs are for billing users and caseworkers.');
  const [row] = await ctx.db
    .select({ invoice: invoices, person: persons })
    .from(invoices)
    .innerJoin(members, eq(members.id, invoices.memberId))
    .innerJoin(persons, eq(persons.id, members.personId))
    .where(eq(invoices.id, invoiceId));
  if (!row) throw notFound(`Invoice ${invoiceId}`);
  const { invoice, person } = row;
  const withAddress = !person.nonDisclosure || seesProtectedAddress(p);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = renderInvoicePdf(buildInvoiceDocument(invoice, person, ctx.profile, { withAddress }));
  } catch (error) {
    if (error instanceof TransformError) throw new ServiceError(422, 'Unprocessable', `Invoice ${invoice.invoiceNumber} cannot be printed: ${error.message}`);
    throw error;
  }
  await recordAudit(ctx.db, { ...actorOf(p), action: 'invoice.pdf-read', entityType: 'invoice', entityId: invoice.id, details: { memberId: invoice.memberId, withAddress } });
  return { filename: invoicePdfFilename(invoice, invoiceLanguage(person)), bytes };
}
