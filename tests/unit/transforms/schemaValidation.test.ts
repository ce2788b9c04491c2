import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INVOICE, PAIN } from '../../support/transformFixtures';
import { toRfReference } from '../../../domain/billing/rfReference';
import { buildFinvoice30, buildFinvoiceBatch, type FinvoiceInvoice } from '../../../integrations/transforms/finvoice';
import { buildPain001, type Pain001Input } from '../../../integrations/transforms/pain001';

/**
 * Our Finvoice 3.0 and pain.001.001.03 output checked by xmllint (Debian libxml2-utils) against
 * the official XSDs. The XSDs are not in the repository (we may not redistribute them): see
 * tests/fixtures/xsd/README.md for where to get them. A test looks in $FINVOICE_XSD / $PAIN001_XSD,
 * then tests/fixtures/xsd/, and is skipped when the file is in neither place.
 */

function locate(envVar: string, file: string): string | null {
  const fromEnv = process.env[envVar];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`${envVar}=${fromEnv}: no such file`);
    return fromEnv;
  }
  const fixture = fileURLToPath(new URL(`../../fixtures/xsd/${file}`, import.meta.url));
  return existsSync(fixture) ? fixture : null;
}

const FINVOICE_XSD = locate('FINVOICE_XSD', 'Finvoice3.0.xsd');
const PAIN001_XSD = locate('PAIN001_XSD', 'pain.001.001.03.xsd');

/** xmllint's verdict on `xml`: null when valid, else its messages. */
function schemaErrors(xml: string, xsd: string): string | null {
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, '-'], { input: xml, encoding: 'utf8' });
  if (result.error) throw new Error(`xmllint could not run (${result.error.message}); install the Debian package libxml2-utils (.ci/run does)`);
  return result.status === 0 ? null : result.stderr;
}



const where = (envVar: string, file: string) => `tests/fixtures/xsd/${file} or $${envVar}`;

describe.skipIf(FINVOICE_XSD === null)(`Finvoice 3.0 output against the official XSD (skipped without ${where('FINVOICE_XSD', 'Finvoice3.0.xsd')}; source: Finanssiala ry, finanssiala.fi/finvoice)`, () => {
  const xsd = FINVOICE_XSD!;
  const valid = (invoice: FinvoiceInvoice) => expect(schemaErrors(buildFinvoice30(invoice), xsd)).toBeNull();

  it('an invoice with a national reference, free text and a payment instruction id', () => valid(INVOICE));

  it('an RF reference, several rows, no buyer address, no payment instruction id or free text', () => {
    valid({
      ...INVOICE,
      reference: toRfReference('1234257'),
      rows: [{ description: 'Jäsenmaksu 11/2025', amountCents: 525 }, { description: 'Jäsenmaksu 12/2025', amountCents: 0 }],
      buyer: { ...INVOICE.buyer, address: undefined },
      paymentInstructionId: undefined,
      freeText: undefined,
    });
  });

  it('values at the edges: fitted long free text, 35-character instruction id, 2-character names and id', () => {
    valid({
      ...INVOICE,
      messageId: 'M1',
      buyer: { ...INVOICE.buyer, name: 'Bo', einvoiceAddress: 'F'.repeat(35) },
      seller: { ...INVOICE.seller, name: 'X'.repeat(70), bic: 'NDEAFIHHXXX' },
      paymentInstructionId: 'T'.repeat(35),
      freeText: 'sana '.repeat(300),
      invoiceNumber: '1'.repeat(20),
      rows: [{ description: 'Å'.repeat(100), amountCents: 99_999_999 }],
    });
  });

  it('every invoice of a transmission batch', () => {
    const batch = buildFinvoiceBatch([INVOICE, { ...INVOICE, messageId: 'KOKO-2025-000124', invoiceNumber: '2025-000124' }]);
    const invoices = batch.match(/<Finvoice [\s\S]*?<\/Finvoice>\n/g)!;
    expect(invoices).toHaveLength(2);
    for (const invoice of invoices) expect(schemaErrors(`<?xml version="1.0" encoding="UTF-8"?>\n${invoice}`, xsd)).toBeNull();
  });

  it('the check bites: free text of 513 characters written past the writer is refused', () => {
    const xml = buildFinvoice30(INVOICE).replace(INVOICE.freeText!, 'x'.repeat(513));
    expect(schemaErrors(xml, xsd)).toMatch(/InvoiceFreeText/);
  });
});

describe.skipIf(PAIN001_XSD === null)(`pain.001.001.03 output against the official XSD (skipped without ${where('PAIN001_XSD', 'pain.001.001.03.xsd')}; source: ISO 20022 message archive, iso20022.org)`, () => {
  const xsd = PAIN001_XSD!;
  const valid = (input: Pain001Input) => expect(schemaErrors(buildPain001(input), xsd)).toBeNull();

  it('a refund file of two payments', () => valid(PAIN));

  it('values at the edges: an empty message, the largest amount, a 70-character name, a 140-character message, an 11-character BIC', () => {
    valid({
      ...PAIN,
      executionDate: undefined,
      debtor: { ...PAIN.debtor, bic: 'NDEAFIHHXXX', name: 'K'.repeat(70) },
      payments: [
        { ...PAIN.payments[0]!, message: '' },
        { ...PAIN.payments[1]!, amountCents: 99_999_999_999, creditorName: 'N'.repeat(70), message: 'm'.repeat(140), endToEndId: 'E'.repeat(35) },
      ],
    });
  });

  it('the check bites: a BIC the ISO pattern refuses, written past the writer, is refused', () => {
    const xml = buildPain001(PAIN).replace('<BIC>DEMOFIHH</BIC>', '<BIC>DEMOFI1H</BIC>');
    expect(schemaErrors(xml, xsd)).toMatch(/BIC/);
  });
});
