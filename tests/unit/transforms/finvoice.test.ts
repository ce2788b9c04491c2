import { describe, expect, it } from 'vitest';
import { INVOICE } from '../../support/transformFixtures';
import { createReferenceNumber, memberReferenceBase } from '../../../domain/billing/referenceNumber';
import { toRfReference } from '../../../domain/billing/rfReference';
import { virtualBarcodeV4, virtualBarcodeV5 } from '../../../domain/billing/virtualBarcode';
import { getFundProfile } from '../../../domain/fundProfile';
import { TransformError } from '../../../integrations/transforms/errors';
import { buildFinvoice30, buildFinvoiceBatch, fitFreeText, FREE_TEXT_MAX, type FinvoiceInvoice } from '../../../integrations/transforms/finvoice';
import { attribute, children, parseXml, parseXmlSequence, path, textOf, type XmlElement } from '../../../integrations/transforms/xml';

const fund = getFundProfile('koko');


const text = (root: XmlElement, ...names: string[]): string => textOf(path(root, ...names)!);

function errorOf(invoice: FinvoiceInvoice): TransformError {
  try {
    buildFinvoice30(invoice);
  } catch (error) {
    expect(error).toBeInstanceOf(TransformError);
    return error as TransformError;
  }
  throw new Error('expected a TransformError');
}

describe('buildFinvoice30', () => {
  const xml = buildFinvoice30(INVOICE);
  const doc = parseXml(xml);

  it('is a Finvoice 3.0 message in the schema order', () => {
    expect(doc.name).toBe('Finvoice');
    expect(attribute(doc, 'Version')).toBe('3.0');
    expect(attribute(doc, 'noNamespaceSchemaLocation')).toBe('Finvoice3.0.xsd');
    expect(doc.children.map((c) => c.name)).toEqual([
      'MessageTransmissionDetails', 'SellerPartyDetails', 'SellerInformationDetails', 'BuyerPartyDetails', 'InvoiceDetails',
      'PaymentStatusDetails', 'VirtualBankBarcode', 'InvoiceRow', 'EpiDetails',
    ]);
  });

  it('routes from the fund to the member e-invoice address and bank', () => {
    expect(text(doc, 'MessageTransmissionDetails', 'MessageSenderDetails', 'FromIdentifier')).toBe(fund.iban);
    expect(text(doc, 'MessageTransmissionDetails', 'MessageSenderDetails', 'FromIntermediator')).toBe(fund.bic);
    expect(text(doc, 'MessageTransmissionDetails', 'MessageReceiverDetails', 'ToIdentifier')).toBe('FI2112345600000785');
    expect(text(doc, 'MessageTransmissionDetails', 'MessageReceiverDetails', 'ToIntermediator')).toBe('OKOYFIHH');
    expect(text(doc, 'MessageTransmissionDetails', 'MessageDetails', 'MessageIdentifier')).toBe('KOKO-2025-000123');
    expect(text(doc, 'MessageTransmissionDetails', 'MessageDetails', 'MessageTimeStamp')).toBe('2025-01-08T09:00:00+02:00');
  });

  it('names the fund as seller and the member as buyer', () => {
    expect(text(doc, 'SellerPartyDetails', 'SellerPartyIdentifier')).toBe(fund.businessId);
    expect(text(doc, 'SellerPartyDetails', 'SellerOrganisationName')).toBe(fund.name.fi);
    expect(text(doc, 'SellerInformationDetails', 'SellerAccountDetails', 'SellerAccountID')).toBe(fund.iban);
    expect(text(doc, 'BuyerPartyDetails', 'BuyerOrganisationName')).toBe('Anna Äijälä & Co');
    expect(text(doc, 'BuyerPartyDetails', 'BuyerPostalAddressDetails', 'BuyerStreetName')).toBe('Kotikatu <2>');
    expect(text(doc, 'BuyerPartyDetails', 'BuyerPostalAddressDetails', 'CountryCode')).toBe('FI');
  });

  it('writes totals with a decimal comma, VAT 0 and dates as CCYYMMDD', () => {
    expect(text(doc, 'InvoiceDetails', 'InvoiceTypeCode')).toBe('INV01');
    expect(text(doc, 'InvoiceDetails', 'InvoiceNumber')).toBe('2025-000123');
    expect(text(doc, 'InvoiceDetails', 'InvoiceDate')).toBe('20250108');
    expect(attribute(path(doc, 'InvoiceDetails', 'InvoiceDate')!, 'Format')).toBe('CCYYMMDD');
    expect(text(doc, 'InvoiceDetails', 'InvoiceTotalVatExcludedAmount')).toBe('63,00');
    expect(text(doc, 'InvoiceDetails', 'InvoiceTotalVatAmount')).toBe('0,00');
    expect(text(doc, 'InvoiceDetails', 'InvoiceTotalVatIncludedAmount')).toBe('63,00');
    expect(attribute(path(doc, 'InvoiceDetails', 'InvoiceTotalVatIncludedAmount')!, 'AmountCurrencyIdentifier')).toBe('EUR');
    expect(text(doc, 'InvoiceDetails', 'VatSpecificationDetails', 'VatRatePercent')).toBe('0');
    expect(text(doc, 'InvoiceDetails', 'VatSpecificationDetails', 'VatCode')).toBe('E');
    expect(text(doc, 'InvoiceDetails', 'PaymentTermsDetails', 'InvoiceDueDate')).toBe('20250215');
    expect(text(doc, 'InvoiceDetails', 'InvoiceFreeText')).toBe('Jäsenmaksu kuukausilta 1–12/2025.');
    expect(text(doc, 'PaymentStatusDetails', 'PaymentStatusCode')).toBe('NOTPAID');
    expect(text(doc, 'InvoiceRow', 'ArticleName')).toBe('Jäsenmaksu 2025 (12 × 5,25 €)');
    expect(text(doc, 'InvoiceRow', 'RowAmount')).toBe('63,00');
    expect(text(doc, 'InvoiceRow', 'RowVatRatePercent')).toBe('0');
  });

  it('carries the payment part: reference (SPY), amount, due date, account', () => {
    const epi = path(doc, 'EpiDetails')!;
    expect(text(epi, 'EpiPartyDetails', 'EpiBfiPartyDetails', 'EpiBfiIdentifier')).toBe(fund.bic);
    expect(text(epi, 'EpiPartyDetails', 'EpiBeneficiaryPartyDetails', 'EpiBei')).toBe(fund.businessId);
    expect(text(epi, 'EpiPartyDetails', 'EpiBeneficiaryPartyDetails', 'EpiAccountID')).toBe(fund.iban);
    expect(text(epi, 'EpiPartyDetails', 'EpiBeneficiaryPartyDetails', 'EpiNameAddressDetails')).toBe(fund.name.fi.slice(0, 35));
    const reference = path(epi, 'EpiPaymentInstructionDetails', 'EpiRemittanceInfoIdentifier')!;
    expect(textOf(reference)).toBe('1234257');
    expect(attribute(reference, 'IdentificationSchemeName')).toBe('SPY');
    expect(text(epi, 'EpiPaymentInstructionDetails', 'EpiPaymentInstructionId')).toBe('JASENMAKSU');
    expect(text(epi, 'EpiPaymentInstructionDetails', 'EpiInstructedAmount')).toBe('63,00');
    expect(text(epi, 'EpiPaymentInstructionDetails', 'EpiCharge')).toBe('SLEV');
    expect(text(epi, 'EpiPaymentInstructionDetails', 'EpiDateOptionDate')).toBe('20250215');
    expect(text(doc, 'VirtualBankBarcode')).toBe(virtualBarcodeV4({ iban: fund.iban, amountCents: 6300, reference: '1234257', dueDate: '2025-02-15' }));
  });

  it('uses scheme ISO and a version 5 barcode for an RF reference', () => {
    const rf = toRfReference('1234257');
    const rfDoc = parseXml(buildFinvoice30({ ...INVOICE, reference: rf }));
    const reference = path(rfDoc, 'EpiDetails', 'EpiPaymentInstructionDetails', 'EpiRemittanceInfoIdentifier')!;
    expect(textOf(reference)).toBe(rf);
    expect(attribute(reference, 'IdentificationSchemeName')).toBe('ISO');
    expect(text(rfDoc, 'VirtualBankBarcode')).toBe(virtualBarcodeV5({ iban: fund.iban, amountCents: 6300, rfReference: rf, dueDate: '2025-02-15' }));
  });

  it('adds up several rows', () => {
    const months = parseXml(buildFinvoice30({
      ...INVOICE,
      rows: [{ description: 'Jäsenmaksu 10/2025', amountCents: 525 }, { description: 'Jäsenmaksu 11/2025', amountCents: 525 }, { description: 'Jäsenmaksu 12/2025', amountCents: 525 }],
    }));
    expect(children(months, 'InvoiceRow')).toHaveLength(3);
    expect(text(months, 'InvoiceDetails', 'InvoiceTotalVatIncludedAmount')).toBe('15,75');
    expect(text(months, 'EpiDetails', 'EpiPaymentInstructionDetails', 'EpiInstructedAmount')).toBe('15,75');
  });

  it('refuses invalid invoices, naming the element', () => {
    expect(errorOf({ ...INVOICE, reference: '1234258' })).toMatchObject({ element: 'EpiRemittanceInfoIdentifier', line: null });
    expect(errorOf({ ...INVOICE, rows: [] }).element).toBe('InvoiceRow');
    expect(errorOf({ ...INVOICE, rows: [{ description: 'x', amountCents: 0 }] }).message).toMatch(/total must be more than 0/);
    expect(errorOf({ ...INVOICE, rows: [{ description: 'x', amountCents: -100 }] }).element).toBe('RowAmount');
    expect(errorOf({ ...INVOICE, dueDate: '2025-01-07' }).message).toMatch(/before the invoice date/);
    expect(errorOf({ ...INVOICE, invoiceDate: '2025-13-01' }).element).toBe('InvoiceDate');
    expect(errorOf({ ...INVOICE, buyer: { ...INVOICE.buyer, einvoiceAddress: '' } }).element).toBe('ToIdentifier');
    expect(errorOf({ ...INVOICE, invoiceNumber: 'x'.repeat(21) }).element).toBe('InvoiceNumber');
    expect(errorOf({ ...INVOICE, seller: { ...INVOICE.seller, iban: 'FI00' } }).element).toBe('SellerAccountID');
    expect(errorOf({ ...INVOICE, seller: { ...INVOICE.seller, businessId: '0715369' } }).element).toBe('SellerPartyIdentifier');
    expect(errorOf({ ...INVOICE, createdAt: '8.1.2025' }).element).toBe('MessageTimeStamp');
  });
});

describe('values the Finvoice 3.0 schema refuses are refused or fitted before writing', () => {
  const freeTextOf = (invoice: FinvoiceInvoice) => path(parseXml(buildFinvoice30(invoice)), 'InvoiceDetails', 'InvoiceFreeText');

  it('free text over 512 characters is cut at a word boundary, ending in "…"', () => {
    const long = Array.from({ length: 120 }, (_, i) => `sana${i}`).join(' '); // about 800 characters
    const written = textOf(freeTextOf({ ...INVOICE, freeText: long })!);
    expect(written.length).toBeLessThanOrEqual(FREE_TEXT_MAX);
    expect(written.length).toBeGreaterThan(FREE_TEXT_MAX - 10);
    expect(written.endsWith('…')).toBe(true);
    const kept = written.slice(0, -1);
    expect(long.startsWith(kept)).toBe(true);
    expect(long[kept.length]).toBe(' '); // cut between words
  });

  it('free text of exactly 512 characters is kept; one long word is cut hard; blank text is left out', () => {
    const exact = 'x'.repeat(FREE_TEXT_MAX);
    expect(textOf(freeTextOf({ ...INVOICE, freeText: exact })!)).toBe(exact);
    expect(fitFreeText('y'.repeat(600))).toBe(`${'y'.repeat(FREE_TEXT_MAX - 1)}…`);
    expect(fitFreeText(`${'z'.repeat(FREE_TEXT_MAX - 2)}😀 more`)).toBe(`${'z'.repeat(FREE_TEXT_MAX - 2)}…`); // no half emoji
    expect(freeTextOf({ ...INVOICE, freeText: '  ' })).toBeUndefined();
  });

  it('a payment instruction id over 35 characters is refused; 35 fit; an empty one is left out', () => {
    const error = errorOf({ ...INVOICE, paymentInstructionId: 'T'.repeat(36) });
    expect(error).toMatchObject({ element: 'EpiPaymentInstructionId', line: null });
    expect(error.message).toMatch(/longer than the 35 characters/);
    const fits = parseXml(buildFinvoice30({ ...INVOICE, paymentInstructionId: 'T'.repeat(35) }));
    expect(text(fits, 'EpiDetails', 'EpiPaymentInstructionDetails', 'EpiPaymentInstructionId')).toBe('T'.repeat(35));
    const none = parseXml(buildFinvoice30({ ...INVOICE, paymentInstructionId: '' }));
    expect(path(none, 'EpiDetails', 'EpiPaymentInstructionDetails', 'EpiPaymentInstructionId')).toBeUndefined();
  });

  it('a one-character buyer name or message identifier is refused; two characters fit', () => {
    const name = errorOf({ ...INVOICE, buyer: { ...INVOICE.buyer, name: 'Å' } });
    expect(name).toMatchObject({ element: 'BuyerOrganisationName', line: null });
    expect(name.message).toMatch(/shorter than the 2 characters Finvoice requires/);
    const id = errorOf({ ...INVOICE, messageId: 'X' });
    expect(id).toMatchObject({ element: 'MessageIdentifier' });
    expect(id.message).toMatch(/shorter than the 2 characters/);
    expect(errorOf({ ...INVOICE, messageId: 'X'.repeat(49) }).element).toBe('MessageIdentifier');
    expect(() => buildFinvoice30({ ...INVOICE, messageId: 'XY', buyer: { ...INVOICE.buyer, name: 'Bo' } })).not.toThrow();
  });

  it('the other names, routing addresses and address fields need two characters too', () => {
    expect(errorOf({ ...INVOICE, seller: { ...INVOICE.seller, name: 'K' } }).element).toBe('SellerOrganisationName');
    expect(errorOf({ ...INVOICE, buyer: { ...INVOICE.buyer, intermediator: 'X' } }).element).toBe('ToIntermediator');
    expect(errorOf({ ...INVOICE, buyer: { ...INVOICE.buyer, address: { ...INVOICE.buyer.address!, town: 'Å' } } }).element).toBe('BuyerTownName');
  });

  it('a seller BIC outside the ISO pattern is refused', () => {
    expect(errorOf({ ...INVOICE, seller: { ...INVOICE.seller, bic: 'DEMOFIHO' } })).toMatchObject({ element: 'SellerBic' });
  });
});

describe('buildFinvoiceBatch', () => {
  const second: FinvoiceInvoice = { ...INVOICE, messageId: 'KOKO-2025-000124', invoiceNumber: '2025-000124', reference: createReferenceNumber(memberReferenceBase(12345, 2025)), buyer: { ...INVOICE.buyer, name: 'Bertil Björk', einvoiceAddress: 'FI3715903000000776', intermediator: 'NDEAFIHH' } };
  const batch = buildFinvoiceBatch([INVOICE, second]);
  const parts = parseXmlSequence(batch);

  it('precedes each invoice with its SOAP envelope', () => {
    expect(batch.match(/<\?xml/g)).toHaveLength(1);
    expect(parts.map((p) => p.name)).toEqual(['SOAP-ENV:Envelope', 'Finvoice', 'SOAP-ENV:Envelope', 'Finvoice']);
  });

  it('routes each envelope to its invoice', () => {
    for (const [envelope, invoice, input] of [[parts[0]!, parts[1]!, INVOICE], [parts[2]!, parts[3]!, second]] as const) {
      const header = path(envelope, 'Header', 'MessageHeader')!;
      expect(attribute(header, 'version')).toBe('2.0');
      const from = children(header, 'From').map((f) => [text(f, 'PartyId'), text(f, 'Role')]);
      const to = children(header, 'To').map((t) => [text(t, 'PartyId'), text(t, 'Role')]);
      expect(from).toEqual([[input.seller.einvoiceAddress, 'Sender'], [input.seller.intermediator, 'Intermediator']]);
      expect(to).toEqual([[input.buyer.einvoiceAddress, 'Receiver'], [input.buyer.intermediator, 'Intermediator']]);
      expect(text(header, 'Action')).toBe('ProcessInvoice');
      expect(text(header, 'MessageData', 'MessageId')).toBe(input.messageId);
      expect(attribute(path(envelope, 'Body', 'Manifest', 'Reference')!, 'href')).toBe(input.messageId);
      expect(text(invoice, 'MessageTransmissionDetails', 'MessageDetails', 'MessageIdentifier')).toBe(input.messageId);
      expect(text(invoice, 'BuyerPartyDetails', 'BuyerOrganisationName')).toBe(input.buyer.name);
    }
  });

  it('refuses an empty batch and repeated message ids', () => {
    expect(() => buildFinvoiceBatch([])).toThrow(/at least one invoice/);
    expect(() => buildFinvoiceBatch([INVOICE, INVOICE])).toThrow(/"KOKO-2025-000123" appears twice/);
  });
});
