import { describe, expect, it } from 'vitest';
import { invoiceDocument, PDF_IBAN as IBAN, PDF_REFERENCE as REFERENCE } from '../../support/transformFixtures';
import { formatReferenceNumber } from '../../../domain/billing/referenceNumber';
import { toRfReference } from '../../../domain/billing/rfReference';
import { virtualBarcodeV4, virtualBarcodeV5 } from '../../../domain/billing/virtualBarcode';
import { TransformError } from '../../../integrations/transforms/errors';
import { code128CSymbols, renderInvoicePdf, type InvoiceDocument } from '../../../integrations/transforms/invoicePdf';

const BARCODE = virtualBarcodeV4({ iban: IBAN, amountCents: 9600, reference: REFERENCE, dueDate: '2025-02-15' });
const invoice = (overrides: Partial<InvoiceDocument> = {}): InvoiceDocument => invoiceDocument(9600, overrides);

/** The file as a string of bytes (Latin-1 keeps every byte as one character, so offsets match). */
const bytesOf = (pdf: Uint8Array) => Buffer.from(pdf).toString('latin1');

/** The page's content stream, checked against its /Length. */
function contentStream(raw: string): string {
  const match = /6 0 obj\n<< \/Length (\d+) >>\nstream\n/.exec(raw);
  expect(match).not.toBeNull();
  const start = match!.index + match![0].length;
  const length = Number(match![1]);
  expect(raw.slice(start + length, start + length + 10)).toBe('\nendstream');
  return raw.slice(start, start + length);
}

// WinAnsi bytes 0x80–0x9F that differ from Latin-1, for reading the text back.
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x8a: 'Š', 0x8e: 'Ž', 0x92: '’', 0x96: '–', 0x97: '—', 0x9a: 'š', 0x9e: 'ž' };

/** Every string the page shows, unescaped and decoded from WinAnsi, one per line. */
function shownText(raw: string): string {
  const strings: string[] = [];
  for (const m of contentStream(raw).matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)) {
    const bytes = m[1]!.replace(/\\(.)/g, '$1');
    strings.push([...bytes].map((c) => WIN_ANSI[c.charCodeAt(0)] ?? c).join(''));
  }
  return strings.join('\n');
}

// Code 128 bar/space widths of symbols 0–106, copied from ISO/IEC 15417 independently of the
// module under test (checked against a second published table), so the decoder below is a real check.
// prettier-ignore
const PATTERNS = `212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112`.split(' ');

/**
 * Reads the barcode back from the filled rectangles: bar widths and the gaps between bars in
 * modules (the narrowest bar is one module), six elements per symbol, seven for the stop symbol.
 */
function decodeBarcode(raw: string): { symbols: number[]; digits: string } {
  const bars = [...contentStream(raw).matchAll(/([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re/g)]
    .map((m) => ({ x: Number(m[1]), width: Number(m[3]) }))
    .sort((a, b) => a.x - b.x);
  const module = Math.min(...bars.map((b) => b.width));
  const elements: number[] = [];
  bars.forEach((bar, i) => {
    elements.push(Math.round(bar.width / module));
    const next = bars[i + 1];
    if (next) elements.push(Math.round((next.x - bar.x - bar.width) / module));
  });
  const symbols: number[] = [];
  for (let i = 0; i < elements.length; i += 6) {
    const last = i + 7 === elements.length;
    const widths = elements.slice(i, last ? i + 7 : i + 6).join('');
    const symbol = PATTERNS.indexOf(widths);
    expect(symbol, `elements ${i}–${i + 5}: ${widths}`).toBeGreaterThanOrEqual(0);
    symbols.push(symbol);
    if (last) break;
  }
  expect(symbols[0]).toBe(105); // start C
  expect(symbols.at(-1)).toBe(106); // stop
  const data = symbols.slice(1, -2);
  const check = (105 + data.reduce((sum, v, i) => sum + v * (i + 1), 0)) % 103;
  expect(symbols.at(-2)).toBe(check);
  return { symbols, digits: data.map((v) => String(v).padStart(2, '0')).join('') };
}

describe('renderInvoicePdf: file structure', () => {
  const raw = bytesOf(renderInvoicePdf(invoice()));

  it('is a PDF 1.4 file from the header to %%EOF', () => {
    expect(raw.startsWith('%PDF-1.4\n')).toBe(true);
    expect(raw.endsWith('%%EOF\n')).toBe(true);
  });

  it('has a cross-reference table whose every offset points at its object, and startxref points at it', () => {
    const [, startxref] = /startxref\n(\d+)\n%%EOF\n$/.exec(raw)!;
    const xrefAt = Number(startxref);
    expect(raw.startsWith('xref\n', xrefAt)).toBe(true);
    const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(raw.slice(xrefAt))!;
    expect(Number(first)).toBe(0);
    const table = raw.slice(xrefAt + `xref\n0 ${count}\n`.length);
    const entries = Array.from({ length: Number(count) }, (_, i) => table.slice(i * 20, i * 20 + 20));
    expect(entries[0]).toBe('0000000000 65535 f \n');
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i]).toMatch(/^\d{10} 00000 n \n$/);
      const offset = Number(entries[i]!.slice(0, 10));
      expect(raw.startsWith(`${i} 0 obj\n`, offset), `object ${i} at ${offset}`).toBe(true);
    }
    expect(raw).toContain(`trailer\n<< /Size ${count} /Root 1 0 R /Info 7 0 R >>`);
  });

  it('uses the standard Helvetica fonts with WinAnsiEncoding, one A4 page', () => {
    expect(raw).toContain('/BaseFont /Helvetica /Encoding /WinAnsiEncoding');
    expect(raw).toContain('/BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding');
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(raw).toContain('/Count 1');
  });

  it('is deterministic: the same invoice gives the same bytes', () => {
    expect(bytesOf(renderInvoicePdf(invoice()))).toBe(raw);
  });
});

describe('renderInvoicePdf: what the page says', () => {
  it('shows the formatted reference, IBAN, amount, due date and the virtual barcode digits', () => {
    const shown = shownText(bytesOf(renderInvoicePdf(invoice())));
    expect(formatReferenceNumber(REFERENCE)).toBe('100 01251');
    expect(shown).toContain('100 01251');
    expect(shown).toContain('RF65 1000 1251');
    expect(shown).toContain('FI35 7991 0000 0701 24');
    expect(shown).toContain('DEMOFIHH');
    expect(shown).toContain('96,00\u00a0€'); // the letter part
    expect(shown).toMatch(/^96,00$/m); // the form's "Euro" field
    expect(shown).toContain('15.2.2025');
    expect(shown).toContain('1.1.2025 – 31.12.2025');
    expect(shown).toContain(BARCODE);
    expect(shown).toContain('Åsa Öhman');
    expect(shown).toContain('00100 Helsinki');
    expect(shown).toContain('Jäsenmaksu 12/2025');
    expect(shown).toContain('Saajan tilinumero');
    expect(shown).toContain('Mottagarens');
  });

  it('prints the months billed as the billing period when given', () => {
    const shown = shownText(bytesOf(renderInvoicePdf({ ...invoice(), billedMonths: '12/2025' })));
    expect(shown).toContain('12/2025');
    expect(shown).not.toContain('1.1.2025 – 31.12.2025');
  });

  it('writes the letter part in the member’s language and keeps the form bilingual', () => {
    const sv = shownText(bytesOf(renderInvoicePdf(invoice({ language: 'sv' }))));
    expect(sv).toContain('FAKTURA');
    expect(sv).toContain('Förfallodag');
    expect(sv).toContain('96,00\u00a0€');
    const en = shownText(bytesOf(renderInvoicePdf(invoice({ language: 'en' }))));
    expect(en).toContain('INVOICE');
    expect(en).toContain('€96.00');
    expect(en).toContain('15 February 2025');
    expect(en).toMatch(/^15\.2\.2025$/m); // the form's due date, in the form's own (Finnish) format
    expect(en).toContain('Eräpäivä');
  });

  it('escapes parentheses and backslashes in strings', () => {
    const raw = bytesOf(renderInvoicePdf(invoice({ recipient: { name: 'Virtanen (Ville) \\ Oy', address: null } })));
    expect(contentStream(raw)).toContain('(Virtanen \\(Ville\\) \\\\ Oy) Tj');
    expect(shownText(raw)).toContain('Virtanen (Ville) \\ Oy');
  });

  it('prints without an address when there is none (a reprint of an e-mail invoice, a protected address)', () => {
    const shown = shownText(bytesOf(renderInvoicePdf(invoice({ recipient: { name: 'Åsa Öhman', address: null } }))));
    expect(shown).toContain('Åsa Öhman');
    expect(shown).not.toContain('Testikatu');
  });

  it('prints a foreign country in upper case under the city', () => {
    const shown = shownText(bytesOf(renderInvoicePdf(invoice({ recipient: { name: 'Åsa Öhman', address: { street: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm', country: 'Sverige' } } }))));
    expect(shown).toContain('111 22 Stockholm\nSVERIGE');
  });
});

describe('renderInvoicePdf: characters outside Windows-1252', () => {
  it('keeps Finnish, Swedish and other Windows-1252 letters as they are', () => {
    const shown = shownText(bytesOf(renderInvoicePdf(invoice({ recipient: { name: 'Zoë Šimić-Åström Ž', address: null } }))));
    expect(shown).toContain('Zoë Šimić-Åström Ž'.replace('ć', 'c'));
  });

  it('folds other Latin letters to their base letter, as a postal address is transliterated', () => {
    const shown = shownText(bytesOf(renderInvoicePdf(invoice({ recipient: { name: 'Čapek Łukasz Őri Ștefan', address: { street: 'Dvořákova 1', postalCode: '00100', city: 'Helsinki' } } }))));
    expect(shown).toContain('Capek Lukasz Ori Stefan');
    expect(shown).toContain('Dvorákova 1'); // á is in Windows-1252, ř is not
  });

  it('folds a decomposed letter (a + combining diaeresis) to the printed ä', () => {
    const shown = shownText(bytesOf(renderInvoicePdf(invoice({ recipient: { name: 'Ha\u0308ma\u0308la\u0308inen', address: null } }))));
    expect(shown).toContain('Hämäläinen');
  });

  it('refuses text with no Latin form, naming the field', () => {
    const render = (name: string) => () => renderInvoicePdf(invoice({ recipient: { name, address: null } }));
    expect(render('李小龍')).toThrow(TransformError);
    expect(render('李小龍')).toThrow(/recipient\.name: "李" \(U\+674E\) cannot be printed/);
    expect(render('Иван')).toThrow(/recipient\.name/);
    expect(render('Ville 🙂')).toThrow(/U\+1F642/);
    expect(() => renderInvoicePdf(invoice({ rows: [{ description: 'Fee \u0001', amountCents: 9600 }], totalCents: 9600 }))).toThrow(/rows\[0\]\.description/);
  });
});

describe('Code 128 set C', () => {
  it('computes the check symbol', () => {
    // "123456" → pairs 12, 34, 56. Check = (105 + 1×12 + 2×34 + 3×56) mod 103
    //   = (105 + 12 + 68 + 168) mod 103 = 353 mod 103 = 353 − 3×103 = 44.
    expect(code128CSymbols('123456')).toEqual([105, 12, 34, 56, 44, 106]);
    // "00" → (105 + 0) mod 103 = 2.
    expect(code128CSymbols('00')).toEqual([105, 0, 2, 106]);
    expect(() => code128CSymbols('123')).toThrow(TransformError);
  });

  it('draws the 54-digit virtual barcode so that its bars decode back to the digits (version 4)', () => {
    const { symbols, digits } = decodeBarcode(bytesOf(renderInvoicePdf(invoice())));
    expect(digits).toBe(BARCODE);
    expect(symbols).toHaveLength(1 + 27 + 1 + 1);
    expect(symbols).toEqual(code128CSymbols(BARCODE));
  });

  it('draws a version 5 (RF reference) barcode the same way', () => {
    const rf = toRfReference(REFERENCE);
    const v5 = virtualBarcodeV5({ iban: IBAN, amountCents: 9600, rfReference: rf, dueDate: '2025-02-15' });
    expect(decodeBarcode(bytesOf(renderInvoicePdf(invoice({ virtualBarcode: v5 })))).digits).toBe(v5);
  });
});

describe('renderInvoicePdf: refuses what would print wrong', () => {
  const refused = (overrides: Partial<InvoiceDocument>, element: string, detail: RegExp) => {
    try {
      renderInvoicePdf(invoice(overrides));
    } catch (error) {
      expect(error).toBeInstanceOf(TransformError);
      expect((error as TransformError).format).toBe('invoice-pdf');
      expect((error as TransformError).element).toBe(element);
      expect((error as TransformError).detail).toMatch(detail);
      return;
    }
    throw new Error('expected a TransformError');
  };

  it('a barcode that disagrees with the printed total, due date, account or reference', () => {
    refused({ virtualBarcode: virtualBarcodeV4({ iban: IBAN, amountCents: 9500, reference: REFERENCE, dueDate: '2025-02-15' }) }, 'virtualBarcode', /9500 cents, not the total 9600/);
    refused({ dueDate: '2025-02-16' }, 'virtualBarcode', /due date 250215/);
    refused({ fund: { name: 'Kassa', businessId: '2931547-9', iban: 'FI37 1590 3000 0007 76', bic: 'DEMOFIHH' } }, 'virtualBarcode', /account/);
    refused({ reference: '1234 5672' }, 'virtualBarcode', /reference/);
    refused({ virtualBarcode: '123' }, 'virtualBarcode', /54 digits/);
  });

  it('rows that do not add up, too many rows, bad dates', () => {
    refused({ totalCents: 9700 }, 'totalCents', /rows add up to 9600/);
    refused({ rows: Array.from({ length: 19 }, () => ({ description: 'x', amountCents: 0 })) }, 'rows', /at most 18 rows/);
    refused({ rows: [] }, 'rows', /at least one row/);
    refused({ issueDate: '2025-02-30' }, 'issueDate', /YYYY-MM-DD/);
    refused({ invoiceNumber: '' }, 'invoiceNumber', /1–20/);
    refused({ recipient: { name: ' ', address: null } }, 'recipient.name', /required/);
  });
});
