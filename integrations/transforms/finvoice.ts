/**
 * Finvoice 3.0 consumer e-invoices (e-lasku) for membership fees, domain.md §3.5. The fund is
 * the seller, the member the buyer; the member's e-invoice address and bank (intermediator) come
 * from the FinvoiceReceiverInfo their bank sent when they accepted e-invoices.
 *
 * Only what a membership fee needs is written: totals, one or more rows, VAT 0 (membership fees
 * are not subject to VAT), and the EPI payment part with the reference. Finvoice writes amounts
 * with a decimal comma and dates as CCYYMMDD.
 */
import { isIsoDate } from '../../domain/dates';
import { isValidIban, normalizeIban } from '../../domain/billing/iban';
import { parseReferenceInput } from '../../domain/billing/referenceNumber';
import { virtualBarcodeV4, virtualBarcodeV5 } from '../../domain/billing/virtualBarcode';
import { decimalAmount } from '../../domain/money';
import { bicProblem } from './bic';
import { TransformError } from './errors';
import { el, renderXml, type XmlNode } from './xml';

export interface FinvoiceAddress {
  street: string;
  postCode: string;
  town: string;
  /** ISO 3166 alpha-2; 'FI' when left out. */
  countryCode?: string;
}

export interface FinvoiceInvoice {
  /** Unique per message sent; also the SOAP envelope's MessageId in a batch. */
  messageId: string;
  /** ISO date-time, e.g. '2025-01-08T09:00:00+02:00'. */
  createdAt: string;
  seller: {
    name: string;
    /** Y-tunnus, e.g. '2931547-9'. */
    businessId: string;
    address: FinvoiceAddress;
    iban: string;
    bic: string;
    /** The fund's own e-invoice address (FromIdentifier), usually its IBAN or OVT code. */
    einvoiceAddress: string;
    /** The fund's bank or operator (FromIntermediator), e.g. its BIC. */
    intermediator: string;
  };
  buyer: {
    name: string;
    address?: FinvoiceAddress;
    /** InvoiceRecipientAddress from the member's FinvoiceReceiverInfo (ToIdentifier). */
    einvoiceAddress: string;
    /** InvoiceRecipientIntermediatorAddress: the member's bank (ToIntermediator). */
    intermediator: string;
  };
  /** 1–20 characters. */
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  /** National or RF reference. */
  reference: string;
  /** E.g. one row 'Jäsenmaksu 2025' or one row per month. Amounts 0 or more; the total must be positive. */
  rows: { description: string; amountCents: number }[];
  /** The invoice topic code from the fund's FinvoiceSenderInfo (EpiPaymentInstructionId), at most 35 characters. */
  paymentInstructionId?: string;
  /** Shown on the invoice; longer than 512 characters it is cut at a word (see FREE_TEXT_MAX). */
  freeText?: string;
}

const FORMAT = 'finvoice';
const VAT_CODE = 'E'; // UNCL 5305 "exempt from tax": VAT 0 %, no tax amount
const VAT_TEXT = 'ALV 0 %';

// Lengths the Finvoice 3.0 schema allows. Identifiers, names and addresses are refused when they
// do not fit (cutting them would route, name or address the invoice wrongly); free text is only
// informative, so it is fitted instead.
/** MessageIdentifier: 2–48 characters. */
const MESSAGE_ID = { min: 2, max: 48 };
/** Party names (SellerOrganisationName, BuyerOrganisationName): 2–70 characters. */
const NAME = { min: 2, max: 70 };
/** Routing addresses (To/FromIdentifier, To/FromIntermediator) and postal address fields: 2–35 characters. */
const SHORT = { min: 2, max: 35 };
/** EpiPaymentInstructionId: at most 35 characters; an empty value is left out, as when it is not given. */
const PAYMENT_INSTRUCTION_ID_MAX = 35;
/** InvoiceFreeText: at most 512 characters; longer text is cut at a word boundary and ends in "…". */
export const FREE_TEXT_MAX = 512;

/** One Finvoice 3.0 message as an XML document. Throws TransformError for invalid input. */
export function buildFinvoice30(invoice: FinvoiceInvoice): string {
  return renderXml(finvoiceNode(invoice), { format: FORMAT });
}

/**
 * A transmission file for the bank: each invoice preceded by its ebXML SOAP envelope, as the
 * Finvoice forwarding service expects. The result has several top-level elements, so it is not
 * one XML document; read it back with parseXmlSequence.
 */
export function buildFinvoiceBatch(invoices: readonly FinvoiceInvoice[]): string {
  if (invoices.length === 0) fail('a batch needs at least one invoice', 'Finvoice');
  const seen = new Set<string>();
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  for (const invoice of invoices) {
    if (seen.has(invoice.messageId)) fail(`message id "${invoice.messageId}" appears twice in the batch; each message needs its own`, 'MessageIdentifier');
    seen.add(invoice.messageId);
    parts.push(renderXml(envelopeNode(invoice), { format: FORMAT, declaration: false }));
    parts.push(renderXml(finvoiceNode(invoice), { format: FORMAT, declaration: false }));
  }
  return parts.join('');
}

function finvoiceNode(invoice: FinvoiceInvoice): XmlNode {
  const { seller, buyer } = invoice;
  required(invoice.messageId, 'MessageIdentifier', MESSAGE_ID.max, MESSAGE_ID.min);
  timestamp(invoice.createdAt);
  required(invoice.invoiceNumber, 'InvoiceNumber', 20);
  required(seller.name, 'SellerOrganisationName', NAME.max, NAME.min);
  required(buyer.name, 'BuyerOrganisationName', NAME.max, NAME.min);
  required(buyer.einvoiceAddress, 'ToIdentifier', SHORT.max, SHORT.min);
  required(buyer.intermediator, 'ToIntermediator', SHORT.max, SHORT.min);
  required(seller.einvoiceAddress, 'FromIdentifier', SHORT.max, SHORT.min);
  required(seller.intermediator, 'FromIntermediator', SHORT.max, SHORT.min);
  if (!/^\d{7}-\d$/.test(seller.businessId)) fail(`business id "${seller.businessId}" must look like 1234567-8`, 'SellerPartyIdentifier');
  if (!isValidIban(seller.iban)) fail(`"${seller.iban}" is not a valid IBAN`, 'SellerAccountID');
  const badBic = bicProblem(seller.bic);
  if (badBic !== null) fail(badBic, 'SellerBic');
  const paymentInstructionId = invoice.paymentInstructionId === '' ? undefined : invoice.paymentInstructionId;
  if (paymentInstructionId !== undefined) required(paymentInstructionId, 'EpiPaymentInstructionId', PAYMENT_INSTRUCTION_ID_MAX);
  const freeText = invoice.freeText === undefined || invoice.freeText.trim() === '' ? undefined : fitFreeText(invoice.freeText);
  const iban = normalizeIban(seller.iban);
  const invoiceDate = date(invoice.invoiceDate, 'InvoiceDate');
  const dueDate = date(invoice.dueDate, 'InvoiceDueDate');
  if (invoice.dueDate < invoice.invoiceDate) fail(`due date ${invoice.dueDate} is before the invoice date ${invoice.invoiceDate}`, 'InvoiceDueDate');

  const reference = parseReferenceInput(invoice.reference);
  if (reference === null) fail(`"${invoice.reference}" is not a valid national or RF reference`, 'EpiRemittanceInfoIdentifier');

  if (invoice.rows.length === 0) fail('the invoice needs at least one row', 'InvoiceRow');
  let totalCents = 0;
  const rows = invoice.rows.map((row, index) => {
    if (!Number.isSafeInteger(row.amountCents) || row.amountCents < 0) {
      fail(`row ${index + 1}: amount must be whole cents, 0 or more, got ${row.amountCents}`, 'RowAmount');
    }
    required(row.description, 'ArticleName', 100);
    totalCents += row.amountCents;
    const amount = money(row.amountCents);
    return el('InvoiceRow', [
      el('ArticleName', row.description),
      el('InvoicedQuantity', '1', { QuantityUnitCode: 'kpl' }),
      el('UnitPriceAmount', amount, { AmountCurrencyIdentifier: 'EUR' }),
      el('RowVatRatePercent', '0'),
      el('RowVatCode', VAT_CODE),
      el('RowVatAmount', '0,00', { AmountCurrencyIdentifier: 'EUR' }),
      el('RowVatExcludedAmount', amount, { AmountCurrencyIdentifier: 'EUR' }),
      el('RowAmount', amount, { AmountCurrencyIdentifier: 'EUR' }),
    ]);
  });
  if (totalCents <= 0) fail('the invoice total must be more than 0', 'InvoiceTotalVatIncludedAmount');
  const total = money(totalCents);

  // The barcode lets a paper-minded bank read the payment; an RF with letters has none.
  let barcode: string | null = null;
  if (reference.kind === 'national') {
    barcode = virtualBarcodeV4({ iban, amountCents: totalCents, reference: reference.value, dueDate: invoice.dueDate });
  } else if (/^RF\d+$/.test(reference.value)) {
    barcode = virtualBarcodeV5({ iban, amountCents: totalCents, rfReference: reference.value, dueDate: invoice.dueDate });
  }

  return el(
    'Finvoice',
    [
      el('MessageTransmissionDetails', [
        el('MessageSenderDetails', [el('FromIdentifier', seller.einvoiceAddress), el('FromIntermediator', seller.intermediator)]),
        el('MessageReceiverDetails', [el('ToIdentifier', buyer.einvoiceAddress), el('ToIntermediator', buyer.intermediator)]),
        el('MessageDetails', [el('MessageIdentifier', invoice.messageId), el('MessageTimeStamp', invoice.createdAt)]),
      ]),
      el('SellerPartyDetails', [
        el('SellerPartyIdentifier', seller.businessId),
        el('SellerOrganisationName', seller.name),
        el('SellerPostalAddressDetails', address('Seller', seller.address)),
      ]),
      el('SellerInformationDetails', [
        el('SellerAccountDetails', [
          el('SellerAccountID', iban, { IdentificationSchemeName: 'IBAN' }),
          el('SellerBic', seller.bic, { IdentificationSchemeName: 'BIC' }),
        ]),
      ]),
      el('BuyerPartyDetails', [
        el('BuyerOrganisationName', buyer.name),
        buyer.address !== undefined && el('BuyerPostalAddressDetails', address('Buyer', buyer.address)),
      ]),
      el('InvoiceDetails', [
        el('InvoiceTypeCode', 'INV01'),
        el('InvoiceTypeText', 'LASKU'),
        el('OriginCode', 'Original'),
        el('InvoiceNumber', invoice.invoiceNumber),
        el('InvoiceDate', invoiceDate, { Format: 'CCYYMMDD' }),
        el('InvoiceTotalVatExcludedAmount', total, { AmountCurrencyIdentifier: 'EUR' }),
        el('InvoiceTotalVatAmount', '0,00', { AmountCurrencyIdentifier: 'EUR' }),
        el('InvoiceTotalVatIncludedAmount', total, { AmountCurrencyIdentifier: 'EUR' }),
        el('VatSpecificationDetails', [
          el('VatBaseAmount', total, { AmountCurrencyIdentifier: 'EUR' }),
          el('VatRatePercent', '0'),
          el('VatCode', VAT_CODE),
          el('VatRateAmount', '0,00', { AmountCurrencyIdentifier: 'EUR' }),
          el('VatFreeText', VAT_TEXT),
        ]),
        freeText !== undefined && el('InvoiceFreeText', freeText),
        el('PaymentTermsDetails', [el('InvoiceDueDate', dueDate, { Format: 'CCYYMMDD' })]),
      ]),
      el('PaymentStatusDetails', [el('PaymentStatusCode', 'NOTPAID')]),
      barcode !== null && el('VirtualBankBarcode', barcode),
      ...rows,
      el('EpiDetails', [
        el('EpiIdentificationDetails', [el('EpiDate', invoiceDate, { Format: 'CCYYMMDD' }), el('EpiReference', '')]),
        el('EpiPartyDetails', [
          el('EpiBfiPartyDetails', [el('EpiBfiIdentifier', seller.bic, { IdentificationSchemeName: 'BIC' })]),
          el('EpiBeneficiaryPartyDetails', [
            // The bank field holds 35 characters; a longer fund name is cut, as banks do.
            el('EpiNameAddressDetails', seller.name.slice(0, 35)),
            el('EpiBei', seller.businessId),
            el('EpiAccountID', iban, { IdentificationSchemeName: 'IBAN' }),
          ]),
        ]),
        el('EpiPaymentInstructionDetails', [
          paymentInstructionId !== undefined && el('EpiPaymentInstructionId', paymentInstructionId),
          el('EpiRemittanceInfoIdentifier', reference.value, { IdentificationSchemeName: reference.kind === 'rf' ? 'ISO' : 'SPY' }),
          el('EpiInstructedAmount', total, { AmountCurrencyIdentifier: 'EUR' }),
          el('EpiCharge', 'SLEV', { ChargeOption: 'SLEV' }),
          el('EpiDateOptionDate', dueDate, { Format: 'CCYYMMDD' }),
        ]),
      ]),
    ],
    {
      Version: '3.0',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:noNamespaceSchemaLocation': 'Finvoice3.0.xsd',
    },
  );
}

/** The ebXML header that routes one invoice from the fund's bank to the member's bank. */
function envelopeNode(invoice: FinvoiceInvoice): XmlNode {
  const party = (tag: 'From' | 'To', id: string, role: string): XmlNode =>
    el(`eb:${tag}`, [el('eb:PartyId', id), el('eb:Role', role)]);
  return el(
    'SOAP-ENV:Envelope',
    [
      el('SOAP-ENV:Header', [
        el(
          'eb:MessageHeader',
          [
            party('From', invoice.seller.einvoiceAddress, 'Sender'),
            party('From', invoice.seller.intermediator, 'Intermediator'),
            party('To', invoice.buyer.einvoiceAddress, 'Receiver'),
            party('To', invoice.buyer.intermediator, 'Intermediator'),
            el('eb:CPAId', 'yoursandmycpa'),
            el('eb:Service', 'Routing'),
            el('eb:Action', 'ProcessInvoice'),
            el('eb:MessageData', [el('eb:MessageId', invoice.messageId), el('eb:Timestamp', invoice.createdAt)]),
          ],
          { 'SOAP-ENV:mustUnderstand': '1', 'eb:version': '2.0' },
        ),
      ]),
      el('SOAP-ENV:Body', [
        el('eb:Manifest', [
          el('eb:Reference', [el('eb:Schema', undefined, { 'eb:location': 'http://www.finvoice.info/finvoice.xsd', 'eb:version': '3.0' })], {
            'eb:id': 'Finvoice',
            'xlink:href': invoice.messageId,
          }),
        ], { 'eb:id': 'Manifest', 'eb:version': '2.0' }),
      ]),
    ],
    {
      'xmlns:SOAP-ENV': 'http://schemas.xmlsoap.org/soap/envelope/',
      'xmlns:xlink': 'http://www.w3.org/1999/xlink',
      'xmlns:eb': 'http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd',
    },
  );
}

function address(prefix: 'Seller' | 'Buyer', a: FinvoiceAddress): XmlNode[] {
  return [
    el(`${prefix}StreetName`, required(a.street, `${prefix}StreetName`, SHORT.max, SHORT.min)),
    el(`${prefix}TownName`, required(a.town, `${prefix}TownName`, SHORT.max, SHORT.min)),
    el(`${prefix}PostCodeIdentifier`, required(a.postCode, `${prefix}PostCodeIdentifier`, SHORT.max, SHORT.min)),
    el('CountryCode', a.countryCode ?? 'FI'),
  ];
}

/** Cents with the Finvoice decimal comma: 6300 → '63,00'. */
function money(cents: number): string {
  return decimalAmount(cents, ',');
}

/** Free text cut to FREE_TEXT_MAX characters at the last space that leaves at least half of it, ending in "…". */
export function fitFreeText(text: string): string {
  if (text.length <= FREE_TEXT_MAX) return text;
  let cut = text.slice(0, FREE_TEXT_MAX - 1);
  const space = cut.search(/\s\S*$/);
  if (space >= FREE_TEXT_MAX / 2) cut = cut.slice(0, space);
  // Never leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** ISO date → CCYYMMDD. */
function date(iso: string, element: string): string {
  if (!isIsoDate(iso)) fail(`"${iso}" is not a date YYYY-MM-DD`, element);
  return iso.replace(/-/g, '');
}

function timestamp(value: string): void {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value) || !isIsoDate(value.slice(0, 10))) {
    fail(`"${value}" must be an ISO date-time such as 2025-01-08T09:00:00+02:00`, 'MessageTimeStamp');
  }
}

function required(value: string, element: string, max: number, min = 1): string {
  if (value.trim() === '') fail('must not be empty', element);
  if (value.length < min) fail(`"${value}" is shorter than the ${min} characters Finvoice requires`, element);
  if (value.length > max) fail(`"${value}" is longer than the ${max} characters Finvoice allows`, element);
  return value;
}

function fail(detail: string, element: string): never {
  throw new TransformError(detail, { format: FORMAT, line: null, element });
}
