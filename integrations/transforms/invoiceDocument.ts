/**
 * What a printed invoice says, from an invoice as stored, its member and the fund profile: shared by
 * the billing run's letters and the reprint (services/invoiceDocuments.ts). renderInvoicePdf draws it.
 */
import { billedMonthsText } from '../../domain/billing/billedMonths';
import { formatIban } from '../../domain/billing/iban';
import { formatReferenceNumber } from '../../domain/billing/referenceNumber';
import { formatRfReference } from '../../domain/billing/rfReference';
import type { FundProfile, Language } from '../../domain/fundProfile';
import { formatDate } from '../../domain/localized';
import type { InvoiceDocument, InvoicePostalAddress } from './invoicePdf';

/** The columns of an invoice that a printed invoice needs: a row of `invoices`, or the billing run's IssuedInvoice. */
export interface PrintableInvoice {
  invoiceNumber: number;
  issuedOn: string;
  dueDate: string;
  periodStart: string;
  periodEnd: string;
  amountCents: number;
  lines: { month: string; cents: number }[];
  reference: string;
  rfReference: string;
  iban: string;
  virtualBarcode: string;
}

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

/** An invoice row's text, e.g. 'Jäsenmaksu 3/2027' for the month '2027-03'; on paper and on e-invoices alike. */
export function invoiceRowText(month: string, language: Language): string {
  return `${rowLabel[language]} ${Number(month.slice(5, 7))}/${month.slice(0, 4)}`;
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
      ? invoice.lines.map((l) => ({ description: invoiceRowText(l.month, language), amountCents: l.cents }))
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
    ...(invoice.lines.length > 0 ? { billedMonths: billedMonthsText(invoice.lines.map((l) => l.month)) } : {}),
    rows,
    totalCents: invoice.amountCents,
    virtualBarcode: invoice.virtualBarcode,
  };
}

/** What a payment reminder adds to the invoice it concerns. */
export interface ReminderFacts {
  level: number;
  sentOn: string;
  newDueDate: string;
  openCents: number;
  feeCents: number;
  /** The virtual barcode of the reminder's total, new due date and the invoice's reference. */
  virtualBarcode: string;
}

const reminderRow: Record<Language, (n: number, due: string) => string> = {
  fi: (n, due) => `Avoinna laskulta ${n} (eräpäivä ${due})`,
  sv: (n, due) => `Öppet på faktura ${n} (förfallodag ${due})`,
  en: (n, due) => `Open on invoice ${n} (due ${due})`,
};
const reminderFeeRow: Record<Language, string> = { fi: 'Muistutusmaksu', sv: 'Påminnelseavgift', en: 'Reminder fee' };
const reminderFileLabel: Record<Language, string> = { fi: 'maksumuistutus', sv: 'betalningspaminnelse', en: 'payment-reminder' };

/** The reminder's attachment name, e.g. 'maksumuistutus-1000123-1.pdf'. */
export function reminderPdfFilename(invoice: Pick<PrintableInvoice, 'invoiceNumber'>, level: number, language: Language): string {
  return `${reminderFileLabel[language]}-${invoice.invoiceNumber}-${level}.pdf`;
}

/**
 * A payment reminder as a printed letter: the invoice's reference, account and period, what is
 * still open of it (and the reminder fee, if the fund charges one), the new due date and a bank
 * transfer form with the barcode of that total. Drawn by renderInvoicePdf under a reminder heading.
 */
export function buildReminderDocument(invoice: PrintableInvoice, reminder: ReminderFacts, person: PrintablePerson, profile: Pick<FundProfile, 'name' | 'businessId' | 'bic'>): InvoiceDocument {
  const base = buildInvoiceDocument(invoice, person, profile);
  const language = base.language;
  const rows = [{ description: reminderRow[language](invoice.invoiceNumber, formatDate(invoice.dueDate, language)), amountCents: reminder.openCents }];
  if (reminder.feeCents > 0) rows.push({ description: reminderFeeRow[language], amountCents: reminder.feeCents });
  return {
    ...base,
    kind: 'reminder',
    issueDate: reminder.sentOn,
    dueDate: reminder.newDueDate,
    rows,
    totalCents: reminder.openCents + reminder.feeCents,
    virtualBarcode: reminder.virtualBarcode,
  };
}
