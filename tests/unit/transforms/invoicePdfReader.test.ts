import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invoiceDocument, PDF_REFERENCE as REFERENCE } from '../../support/transformFixtures';
import { formatReferenceNumber } from '../../../domain/billing/referenceNumber';
import { formatRfReference, toRfReference } from '../../../domain/billing/rfReference';
import { renderInvoicePdf, type InvoiceDocument } from '../../../integrations/transforms/invoicePdf';

/**
 * The invoice PDF read by real PDF tools, not by our own parser: qpdf checks the file's structure
 * and pdftotext (poppler) extracts what a reader sees. Debian packages qpdf and poppler-utils;
 * .ci/run installs them.
 */

const TOTAL = 1_200_000; // 12 000,00 €: grouping and the no-break space included
const invoice = (language: InvoiceDocument['language']) => invoiceDocument(TOTAL, { language });

const dir = mkdtempSync(join(tmpdir(), 'invoice-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(tool: string, args: string[], debianPackage: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error) {
    throw new Error(`${tool} could not run (${result.error.message}); install the Debian package ${debianPackage} (.ci/run does)`);
  }
  return result;
}

function written(language: InvoiceDocument['language']): string {
  const file = join(dir, `invoice-${language}.pdf`);
  writeFileSync(file, renderInvoicePdf(invoice(language)));
  return file;
}

/**
 * The text pdftotext extracts in layout mode (a label and its value on one line), runs of white
 * space (no-break spaces included) as one space.
 */
function textOf(file: string): string {
  const result = run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], 'poppler-utils');
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.replace(/\s+/g, ' ');
}

describe('the invoice PDF read by qpdf and pdftotext', () => {
  for (const language of ['fi', 'sv', 'en'] as const) {
    it(`${language}: qpdf --check finds no errors`, () => {
      const result = run('qpdf', ['--check', written(language)], 'qpdf');
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/No syntax or stream encoding errors found/);
      expect(result.status).toBe(0); // 2 = errors, 3 = warnings
    });
  }

  it('fi: the text carries the reference number, IBAN, amount, due date and virtual barcode', () => {
    const text = textOf(written('fi'));
    expect(text).toContain(`Viitenumero ${formatReferenceNumber(REFERENCE)}`);
    expect(text).toContain(formatRfReference(toRfReference(REFERENCE)));
    expect(text).toContain('FI35 7991 0000 0701 24');
    expect(text).toContain('Maksettava 12 000,00 €');
    expect(text).toContain('Yhteensä 12 000,00 €');
    expect(text).toContain('15.2.2025');
    expect(text).toContain(invoice('fi').virtualBarcode);
    expect(text).toContain('Åsa Öhman');
  });

  it('en: the amount as English writes it', () => {
    const text = textOf(written('en'));
    expect(text).toContain('€12,000.00');
    expect(text).toContain(formatReferenceNumber(REFERENCE));
    expect(text).toContain('FI35 7991 0000 0701 24');
    expect(text).toContain('12 000,00'); // the bank transfer form's Euro field is always Finnish
  });
});
