import { formatIban } from '../../domain/billing/iban';
import { createReferenceNumber, formatReferenceNumber } from '../../domain/billing/referenceNumber';
import { formatRfReference, toRfReference } from '../../domain/billing/rfReference';
import { virtualBarcodeV4 } from '../../domain/billing/virtualBarcode';
import { getFundProfile } from '../../domain/fundProfile';
import type { FinvoiceInvoice } from '../../integrations/transforms/finvoice';
import type { InvoiceDocument } from '../../integrations/transforms/invoicePdf';
import type { Pain001Input } from '../../integrations/transforms/pain001';

/** Sample transform inputs shared by the format tests and the schema checks. */
const fund = getFundProfile('koko');

export const INVOICE: FinvoiceInvoice = {
  messageId: 'KOKO-2025-000123',
  createdAt: '2025-01-08T09:00:00+02:00',
  seller: {
    name: fund.name.fi,
    businessId: fund.businessId,
    address: { street: 'Esimerkkikatu 1 A', postCode: '00100', town: 'Helsinki' },
    iban: fund.iban,
    bic: fund.bic,
    einvoiceAddress: fund.iban,
    intermediator: fund.bic,
  },
  buyer: {
    name: 'Anna Äijälä & Co',
    address: { street: 'Kotikatu <2>', postCode: '33100', town: 'Tampere' },
    einvoiceAddress: 'FI2112345600000785',
    intermediator: 'OKOYFIHH',
  },
  invoiceNumber: '2025-000123',
  invoiceDate: '2025-01-08',
  dueDate: '2025-02-15',
  reference: '1234257',
  rows: [{ description: 'Jäsenmaksu 2025 (12 × 5,25 €)', amountCents: 6300 }],
  paymentInstructionId: 'JASENMAKSU',
  freeText: 'Jäsenmaksu kuukausilta 1–12/2025.',
};

export const PAIN: Pain001Input = {
  messageId: 'REFUND-2025-03-01-1',
  createdAt: '2025-03-01T09:30:00+02:00',
  executionDate: '2025-03-03',
  debtor: { name: 'Avoin työttömyyskassa', iban: 'FI35 7991 0000 0701 24', bic: 'DEMOFIHH' },
  payments: [
    { endToEndId: 'REFUND-1234-2025', amountCents: 1600, creditorName: 'Anna Äijälä', creditorIban: 'FI2112345600000785', message: 'Jäsenmaksun palautus 11–12/2025' },
    { endToEndId: 'REFUND-77-2025', amountCents: 105, creditorName: 'Smith & <Sons> "Ltd"', creditorIban: 'DE89 3704 0044 0532 0130 00', message: `O'Neil & co <refund>` },
  ],
};

export const PDF_IBAN = 'FI3579910000070124';
/** 7-3-1 from the right: 5·7+2·3+1·1+0+0+0+1·7 = 49 → check 1. */
export const PDF_REFERENCE = createReferenceNumber('1000125');

/** An invoice letter of a year's fee `totalCents` (a multiple of 12), one row a month, with its bank barcode. */
export function invoiceDocument(totalCents: number, overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    language: 'fi',
    fund: { name: 'Avoin työttömyyskassa', businessId: '2931547-9', iban: formatIban(PDF_IBAN), bic: 'DEMOFIHH' },
    recipient: { name: 'Åsa Öhman', address: { street: 'Testikatu 1 A 5', postalCode: '00100', city: 'Helsinki' } },
    invoiceNumber: '1000123',
    issueDate: '2025-01-10',
    dueDate: '2025-02-15',
    reference: formatReferenceNumber(PDF_REFERENCE),
    rfReference: formatRfReference(toRfReference(PDF_REFERENCE)),
    period: { start: '2025-01-01', end: '2025-12-31' },
    rows: Array.from({ length: 12 }, (_, i) => ({ description: `Jäsenmaksu ${i + 1}/2025`, amountCents: totalCents / 12 })),
    totalCents,
    virtualBarcode: virtualBarcodeV4({ iban: PDF_IBAN, amountCents: totalCents, reference: PDF_REFERENCE, dueDate: '2025-02-15' }),
    ...overrides,
  };
}
