import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createReferenceNumber, formatReferenceNumber, memberReferenceBase } from '../../../domain/billing/referenceNumber';
import { toRfReference } from '../../../domain/billing/rfReference';
import { virtualBarcodeV4 } from '../../../domain/billing/virtualBarcode';
import { getFundProfile } from '../../../domain/fundProfile';
import { buildReminderDocument, reminderPdfFilename } from '../../../integrations/transforms/invoiceDocument';
import { renderInvoicePdf } from '../../../integrations/transforms/invoicePdf';

/** A payment reminder letter read by qpdf and pdftotext: the reminder heading, the open amount, the new due date and barcode. */
const profile = getFundProfile('a-kassa');
const reference = createReferenceNumber(memberReferenceBase(100123, 2026));
const invoice = {
  invoiceNumber: 1000123,
  issuedOn: '2026-01-10',
  dueDate: '2026-02-15',
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  amountCents: 9600,
  lines: [{ month: '2026-01', cents: 9600 }],
  reference,
  rfReference: toRfReference(reference),
  iban: profile.iban,
  virtualBarcode: '',
};
const person = { firstNames: 'Aino', lastName: 'Esimerkki', language: 'fi', streetAddress: 'Testikatu 1', postalCode: '00100', city: 'Helsinki', country: null };
const dir = mkdtempSync(join(tmpdir(), 'reminder-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tool(name: string, args: string[]) {
  const result = spawnSync(name, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${name} could not run: ${result.error.message}`);
  return result;
}

describe('the payment reminder letter', () => {
  it('is a valid PDF headed MAKSUMUISTUTUS with what is open, the fee, the new due date and its barcode', () => {
    const barcode = virtualBarcodeV4({ iban: profile.iban, amountCents: 5100, reference, dueDate: '2026-03-15' });
    const doc = buildReminderDocument(invoice, { level: 1, sentOn: '2026-03-01', newDueDate: '2026-03-15', openCents: 4600, feeCents: 500, virtualBarcode: barcode }, person, profile);
    const file = join(dir, reminderPdfFilename(invoice, 1, 'fi'));
    expect(file).toMatch(/maksumuistutus-1000123-1\.pdf$/);
    writeFileSync(file, renderInvoicePdf(doc));
    const check = tool('qpdf', ['--check', file]);
    expect(check.stdout).toMatch(/No syntax or stream encoding errors found/);
    const text = tool('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('MAKSUMUISTUTUS');
    expect(text).toContain('Avoinna laskulta 1000123 (eräpäivä 15.2.2026) 46,00 €');
    expect(text).toContain('Muistutusmaksu 5,00 €');
    expect(text).toContain('Yhteensä 51,00 €');
    expect(text).toContain('15.3.2026');
    expect(text).toContain(formatReferenceNumber(reference));
    expect(text).toContain(barcode);
  });

  it('refuses a barcode that does not match the reminder’s total', () => {
    const wrong = virtualBarcodeV4({ iban: profile.iban, amountCents: 9600, reference, dueDate: '2026-03-15' });
    const doc = buildReminderDocument(invoice, { level: 2, sentOn: '2026-03-01', newDueDate: '2026-03-15', openCents: 4600, feeCents: 0, virtualBarcode: wrong }, person, profile);
    expect(() => renderInvoicePdf(doc)).toThrow();
  });
});
