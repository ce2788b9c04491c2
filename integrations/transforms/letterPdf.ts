/**
 * Decision and hearing letters as PDF: the fund's header, the recipient in the envelope window,
 * the date and the case, a title, and the letter's text in paragraphs, over as many A4 pages as it
 * needs. The same hand-made PDF 1.4 writer as the invoice letters (integrations/transforms/
 * invoicePdf.ts): the two standard Type1 fonts, WinAnsi text, deterministic bytes.
 */
import { formatDate, type Language } from '../../domain/localized';
import { BOLD, pdfString, REGULAR, win, wrap, type Font } from './invoicePdf';

export interface LetterDocument {
  language: Language;
  fund: { name: string; businessId: string };
  recipient: { name: string; address: { street: string; postalCode: string; city: string; country?: string } | null };
  /** ISO date printed as the letter's date. */
  date: string;
  /** The case's reference, e.g. the member number: printed under the date. */
  caseReference: string;
  title: string;
  /** The letter's text; blank lines separate paragraphs. */
  body: string;
}

const MM = 72 / 25.4;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const LEFT = 20;
const WIDTH_MM = 170;
const BODY_SIZE = 10;
const LINE_MM = 4.6;
const BOTTOM_MM = 20;

const n = (v: number): string => String(Math.round(v * 100) / 100);
const LABELS: Record<Language, { date: string; reference: string; page: string; businessId: string }> = {
  fi: { date: 'Päivämäärä', reference: 'Asia', page: 'Sivu', businessId: 'Y-tunnus' },
  sv: { date: 'Datum', reference: 'Ärende', page: 'Sida', businessId: 'FO-nummer' },
  en: { date: 'Date', reference: 'Case', page: 'Page', businessId: 'Business ID' },
};

function text(out: string[], bytes: string, font: Font, size: number, xMm: number, yMm: number): void {
  out.push(`BT /${font.id} ${n(size)} Tf ${n(xMm * MM)} ${n(yMm * MM)} Td ${pdfString(bytes)} Tj ET`);
}

/** The letter as PDF bytes; a character the fonts cannot print is folded or refused (TransformError). */
export function renderLetterPdf(doc: LetterDocument): Uint8Array<ArrayBuffer> {
  const labels = LABELS[doc.language];
  const pages: string[][] = [[]];
  let page = pages[0]!;
  // Header: the fund on the left, the date and case on the right.
  text(page, win(doc.fund.name, 'fund.name'), BOLD, 11, LEFT, 280);
  text(page, win(`${labels.businessId} ${doc.fund.businessId}`, 'fund.businessId'), REGULAR, 8, LEFT, 275.5);
  text(page, win(`${labels.date}: ${formatDate(doc.date, doc.language)}`, 'date'), REGULAR, 9, 130, 272);
  text(page, win(`${labels.reference}: ${doc.caseReference}`, 'caseReference'), REGULAR, 9, 130, 267.5);
  // The recipient in the envelope window.
  let y = 255;
  const address = doc.recipient.address;
  const addressLines = [doc.recipient.name, ...(address ? [address.street, `${address.postalCode} ${address.city}`, ...(address.country ? [address.country.toUpperCase()] : [])] : [])];
  for (const l of addressLines) {
    text(page, win(l, 'recipient'), REGULAR, 10, 22, y);
    y -= 4.6;
  }
  y = 215;
  for (const l of wrap(win(doc.title, 'title'), BOLD, 13, WIDTH_MM * MM)) {
    text(page, l, BOLD, 13, LEFT, y);
    y -= 6;
  }
  y -= 3;
  const paragraphs = doc.body.split(/\n\s*\n/);
  for (const paragraph of paragraphs) {
    for (const source of paragraph.split('\n')) {
      for (const l of wrap(win(source.trim(), 'body'), REGULAR, BODY_SIZE, WIDTH_MM * MM)) {
        if (y < BOTTOM_MM) {
          page = [];
          pages.push(page);
          y = 275;
        }
        text(page, l, REGULAR, BODY_SIZE, LEFT, y);
        y -= LINE_MM;
      }
    }
    y -= LINE_MM / 2;
  }
  pages.forEach((p, i) => text(p, win(`${labels.page} ${i + 1}/${pages.length}`, 'page'), REGULAR, 8, 175, 10));
  return assemble(
    pages.map((p) => p.join('\n')),
    doc.title,
  );
}

function assemble(contents: string[], title: string): Uint8Array<ArrayBuffer> {
  // Objects: 1 catalog, 2 pages, 3 regular font, 4 bold font, 5 info, then a page and its content per page.
  const pageIds = contents.map((_, i) => 6 + i * 2);
  const objects: string[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${contents.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Title ${pdfString(title.replace(/[^\x20-\x7e]/g, '?'))} /Producer (Jasenrekisteri) >>`,
  ];
  contents.forEach((content, i) => {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`);
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  let xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  objects.forEach((body, i) => {
    xref += `${String(pdf.length).padStart(10, '0')} 00000 n \n`;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const startxref = pdf.length;
  pdf += `${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${startxref}\n%%EOF\n`;
  const wide = /[\u0100-\uffff]/.exec(pdf);
  if (wide) throw new Error(`letter PDF: character U+${wide[0].charCodeAt(0).toString(16)} escaped the WinAnsi encoding (a bug)`);
  const bytes = new Uint8Array(pdf.length);
  Buffer.from(bytes.buffer).write(pdf, 'latin1');
  return bytes;
}
