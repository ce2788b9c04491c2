import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderLetterPdf, type LetterDocument } from '../../../integrations/transforms/letterPdf';

/** The letter PDF read by real PDF tools (qpdf, pdftotext from poppler-utils), as the invoice PDF is. */
const dir = mkdtempSync(join(tmpdir(), 'letter-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(tool: string, args: string[]) {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${tool} could not run (${result.error.message}); install qpdf and poppler-utils`);
  return result;
}

const letter = (body: string): LetterDocument => ({
  language: 'fi',
  fund: { name: 'Avoin työttömyyskassa', businessId: '2931547-9' },
  recipient: { name: 'Maija Meikäläinen', address: { street: 'Kotikatu 1 A 2', postalCode: '00100', city: 'Helsinki' } },
  date: '2026-05-04',
  caseReference: '100123',
  title: 'Päätös: erottaminen työttömyyskassasta',
  body,
});

function written(doc: LetterDocument): string {
  const file = join(dir, `letter-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, renderLetterPdf(doc));
  return file;
}

describe('the letter PDF read by qpdf and pdftotext', () => {
  it('is a valid PDF whose text a reader extracts, Finnish letters included', () => {
    const file = written(letter('Hei Maija,\n\nkassa on päättänyt erottaa sinut.\n\nMuutoksenhaku: sosiaaliturva-asioiden muutoksenhakulautakunta (SAMU), 30 päivää.'));
    const check = run('qpdf', ['--check', file]);
    expect(check.stdout).toMatch(/No syntax or stream encoding errors found/);
    expect(check.status).toBe(0);
    const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Päätös: erottaminen työttömyyskassasta');
    expect(text).toContain('Maija Meikäläinen');
    expect(text).toContain('Päivämäärä: 4.5.2026');
    expect(text).toContain('muutoksenhakulautakunta (SAMU), 30 päivää.');
    expect(text).toContain('Sivu 1/1');
  });

  it('continues a long letter on further pages', () => {
    const long = Array.from({ length: 120 }, (_, i) => `Kappale ${i + 1}: jäsenmaksut ovat maksamatta.`).join('\n\n');
    const file = written(letter(long));
    expect(run('qpdf', ['--check', file]).status).toBe(0);
    const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout;
    expect(text).toContain('Kappale 120:');
    expect(text).toMatch(/Sivu 3\/\d/);
  });
});
