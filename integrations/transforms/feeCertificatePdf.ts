/**
 * The fee certificate (jäsenmaksutodistus): one A4 page saying what the member paid to the fund in
 * a year and what was reported to the Tax Administration, in the member's language. A small
 * deterministic PDF 1.4 (standard Helvetica, WinAnsiEncoding, no embedding) like the invoice
 * letters; text outside Latin-1 is transliterated the way the tax file does it.
 */
import type { Language } from '../../domain/localized';
import { formatDate } from '../../domain/localized';
import { formatMoney } from '../../domain/money';
import { flattenControls, toLatin1 } from './taxReport';

export interface FeeCertificate {
  language: Language;
  fundName: string;
  fundBusinessId: string;
  memberName: string;
  memberNumber: number;
  year: number;
  /** Fees paid in the year (cash basis, fund-collected, refunds netted as reported). */
  netCents: number;
  /** The figure reported to the Tax Administration and when, or null. */
  reported: { amountCents: number; sentOn: string | null } | null;
  issuedOn: string;
}

const TEXT: Record<Language, { title: string; intro: (year: number) => string; member: string; number: string; paid: (year: number) => string; reported: string; notReported: string; sentOn: string; issued: string; note: string }> = {
  fi: {
    title: 'Jäsenmaksutodistus',
    intro: (y) => `Todistamme, että alla mainittu jäsen on maksanut työttömyyskassan jäsenmaksuja vuonna ${y} seuraavasti.`,
    member: 'Jäsen',
    number: 'Jäsennumero',
    paid: (y) => `Maksetut jäsenmaksut ${y}`,
    reported: 'Ilmoitettu Verohallinnolle',
    notReported: 'Ei ilmoitettu Verohallinnolle',
    sentOn: 'ilmoitettu',
    issued: 'Päivätty',
    note: 'Jäsenmaksut ovat vähennyskelpoisia tulonhankkimismenoja. Kassa ilmoittaa ne Verohallinnolle esitäytettyyn veroilmoitukseen.',
  },
  sv: {
    title: 'Intyg över medlemsavgifter',
    intro: (y) => `Vi intygar att nedan nämnda medlem har betalat arbetslöshetskassans medlemsavgifter år ${y} enligt följande.`,
    member: 'Medlem',
    number: 'Medlemsnummer',
    paid: (y) => `Betalda medlemsavgifter ${y}`,
    reported: 'Anmält till Skatteförvaltningen',
    notReported: 'Inte anmält till Skatteförvaltningen',
    sentOn: 'anmält',
    issued: 'Datum',
    note: 'Medlemsavgifterna är avdragsgilla utgifter för inkomstens förvärvande. Kassan anmäler dem till Skatteförvaltningen för den förifyllda skattedeklarationen.',
  },
  en: {
    title: 'Certificate of membership fees',
    intro: (y) => `We certify that the member named below paid unemployment fund membership fees in ${y} as follows.`,
    member: 'Member',
    number: 'Member number',
    paid: (y) => `Membership fees paid in ${y}`,
    reported: 'Reported to the Tax Administration',
    notReported: 'Not reported to the Tax Administration',
    sentOn: 'reported on',
    issued: 'Date',
    note: 'Membership fees are deductible expenses. The fund reports them to the Tax Administration for the pre-completed tax return.',
  },
};

function pdfText(value: string): string {
  const { text } = toLatin1(flattenControls(value));
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderFeeCertificatePdf(c: FeeCertificate): Uint8Array<ArrayBuffer> {
  const t = TEXT[c.language];
  const ops: string[] = [];
  let y = 780;
  const put = (text: string, size = 11, bold = false, x = 60) => {
    ops.push(`BT /${bold ? 'F2' : 'F1'} ${size} Tf ${x} ${y} Td (${pdfText(text)}) Tj ET`);
  };
  put(`${c.fundName} (${c.fundBusinessId})`, 10);
  y -= 40;
  put(t.title, 18, true);
  y -= 30;
  for (const line of wrap(t.intro(c.year), 90)) {
    put(line);
    y -= 16;
  }
  y -= 14;
  put(`${t.member}:`, 11, true);
  put(c.memberName, 11, false, 240);
  y -= 18;
  put(`${t.number}:`, 11, true);
  put(String(c.memberNumber), 11, false, 240);
  y -= 18;
  put(`${t.paid(c.year)}:`, 11, true);
  put(formatMoney(c.netCents, c.language), 11, false, 240);
  y -= 18;
  if (c.reported) {
    put(`${t.reported}:`, 11, true);
    put(`${formatMoney(c.reported.amountCents, c.language)}${c.reported.sentOn ? `, ${t.sentOn} ${formatDate(c.reported.sentOn, c.language)}` : ''}`, 11, false, 280);
  } else put(t.notReported, 11, true);
  y -= 34;
  for (const line of wrap(t.note, 95)) {
    put(line, 9);
    y -= 13;
  }
  y -= 20;
  put(`${t.issued}: ${formatDate(c.issuedOn, c.language)}`);
  const stream = ops.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = Buffer.from(out, 'latin1');
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}
