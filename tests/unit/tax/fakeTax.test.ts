import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultTaxReportSettings } from '../../../domain/tax';
import { TaxChannelUnavailableError } from '../../../integrations/adapters/tax';
import { FakeTax } from '../../../integrations/adapters/tax/fakeTax';
import { renderFeeCertificatePdf } from '../../../integrations/transforms/feeCertificatePdf';
import { buildTaxReportFile } from '../../../integrations/transforms/taxReport';

const header = { paymentYear: 2026, businessId: '2931547-9', createdAt: { date: '2027-01-15', time: '09:30:05' } };
const file = buildTaxReportFile(
  header,
  [
    { identityCode: '131052-308T', name: 'Väisänen Åsa', amountCents: 12345 },
    { identityCode: '010190-998V', name: 'Koski Eino', amountCents: 500 },
  ],
  defaultTaxReportSettings,
).bytes;
const meta = { submissionKey: 'tax-report/2026', year: 2026, recordCount: 2 };

describe('FakeTax, the filing channel', () => {
  it('answers pending first, then accepts a good file; the same key is one submission', async () => {
    const tax = new FakeTax({ pendingPolls: 2 });
    const { submissionId } = await tax.submit(file, meta);
    expect((await tax.submit(file, meta)).submissionId).toBe(submissionId);
    expect(tax.submissions.size).toBe(1);
    expect(await tax.acknowledgement(submissionId)).toEqual({ status: 'pending' });
    expect(await tax.acknowledgement(submissionId)).toEqual({ status: 'pending' });
    expect(await tax.acknowledgement(submissionId)).toEqual({ status: 'accepted' });
  });

  it('rejects the records it does not take, with reasons', async () => {
    const tax = new FakeTax({ pendingPolls: 0 });
    tax.rejectIdentityCode('010190-998V', 'Unknown person.');
    const { submissionId } = await tax.submit(file, meta);
    expect(await tax.acknowledgement(submissionId)).toEqual({ status: 'records-rejected', rejected: [{ recordNumber: 2, reason: 'Unknown person.' }] });
    const wrongYear = await tax.submit(file, { ...meta, submissionKey: 'other', year: 2025 });
    const ack = await tax.acknowledgement(wrongYear.submissionId);
    expect(ack.status === 'records-rejected' && ack.rejected.length).toBe(2);
  });

  it('refuses a broken file or a wrong record count whole', async () => {
    const tax = new FakeTax({ pendingPolls: 0 });
    const broken = await tax.submit(new TextEncoder().encode('000:VSAMMAIL\r\n083:x\r\n'), { ...meta, submissionKey: 'broken' });
    expect((await tax.acknowledgement(broken.submissionId)).status).toBe('file-rejected');
    const count = await tax.submit(file, { ...meta, submissionKey: 'count', recordCount: 3 });
    expect(await tax.acknowledgement(count.submissionId)).toEqual({ status: 'file-rejected', reason: 'the file has 2 records, the submission says 3' });
  });

  it('is unavailable as often as told', async () => {
    const tax = new FakeTax({ unavailableRate: 1 });
    await expect(tax.submit(file, meta)).rejects.toBeInstanceOf(TaxChannelUnavailableError);
  });
});

describe('renderFeeCertificatePdf', () => {
  it("is a one-page PDF in the member's language with the year's figures", () => {
    const pdf = Buffer.from(renderFeeCertificatePdf({ language: 'sv', fundName: 'Kassan', fundBusinessId: '2931547-9', memberName: 'Åsa Šesták', memberNumber: 100123, year: 2026, netCents: 19200, reported: { amountCents: 19200, sentOn: '2027-01-20' }, issuedOn: '2027-02-01' })).toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf).toContain('Intyg över medlemsavgifter');
    expect(pdf).toContain('Åsa Sesták');
    expect(pdf).toContain('20.1.2027');
    expect(pdf).toMatch(/startxref\n\d+\n%%EOF\n$/);
    const xref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
  });
});

describe('the fee certificate read by qpdf and pdftotext', () => {
  it('passes qpdf --check and reads as the member sees it, in each language', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fee-certificate-'));
    try {
      for (const [language, title] of [['fi', 'Jäsenmaksutodistus'], ['sv', 'Intyg över medlemsavgifter'], ['en', 'Certificate of membership fees']] as const) {
        const file = join(dir, `${language}.pdf`);
        writeFileSync(file, renderFeeCertificatePdf({ language, fundName: 'Kassa', fundBusinessId: '2931547-9', memberName: 'Åsa Väisänen', memberNumber: 100123, year: 2026, netCents: 123450, reported: null, issuedOn: '2027-02-01' }));
        const check = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
        if (check.error) throw new Error(`qpdf could not run (${check.error.message}); install the Debian package qpdf`);
        expect(check.stdout).toMatch(/No syntax or stream encoding errors found/);
        expect(check.status).toBe(0);
        const text = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
        expect(text).toContain(title);
        expect(text).toContain('Åsa Väisänen');
        expect(text).toContain('2026');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
