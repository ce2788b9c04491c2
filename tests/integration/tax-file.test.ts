/**
 * The tax report's file is put together in SQL from the staged records (decision 053); its format
 * is the transform's (`buildTaxReportFile`, held byte for byte to a hand-written file by
 * tests/unit/transforms/taxReport.test.ts). This file holds the two together: staged records with
 * every kind of value the transform treats apart (printable Latin-1, letters it transliterates,
 * characters with no Latin-1 form, line breaks and other control characters, C1 controls,
 * characters outside the Basic Multilingual Plane, combining accents), under settings that change
 * every piece of a record (codes, line ending, no name, a contact whose name needs transliterating),
 * made into a file by the file step and by the transform from the same records: the same bytes,
 * hash, transliterations, count and total. Year 2044 is this file's own.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { generateTaxReportFile } from '../../activities/taxReport';
import { connectDatabase, type DbHandle } from '../../db/client';
import * as repo from '../../db/repositories/taxReport';
import { taxReportItems } from '../../db/schema';
import { getFundProfile, type FundProfile } from '../../domain/fundProfile';
import { defaultTaxReportSettings, taxReportSettings, type TaxReportSettings } from '../../domain/tax/settings';
import type { TaxRecordKind } from '../../domain/vocabulary';
import { TransformError } from '../../integrations/transforms/errors';
import { taxCorrectionWorkflowId } from '../../workflows/definitions/taxReport';
import { buildTaxReportFile } from '../../integrations/transforms/taxReport';

// A year of its own, before the browser test's 2043 (the desk lists every year with a run).
const YEAR = 2036;
// 10:00 UTC is 12:00 in Helsinki in January: the file's 198 line.
const NOW = new Date(`${YEAR + 1}-01-15T10:00:00Z`);
const header = (profile: FundProfile) => ({ paymentYear: YEAR, businessId: profile.businessId, createdAt: { date: `${YEAR + 1}-01-15`, time: '12:00:00' } });
let handle: DbHandle;
afterAll(async () => handle?.close());
beforeAll(() => {
  handle = connectDatabase(inject('databaseUrl'), 2);
});

const names = [
  'Väisänen Åsa',
  'Šesták Zofia',
  'Li 李 O’Brien–Koski',
  'Rivi\r\nvaihto',
  'Sarkain\tja\u0085seuraava',
  'C1 \u0080\u009f loppu',
  'Emoji 😀 ja 𝔘',
  'Yhdistävä e\u0301 ja A\u030a',
  'Łukasz Œuvre ĳ',
  'Tyhjä\u200bväli\u202fja\u2009',
  'Poisto\u007fmerkki',
  'Raja ÿ ß ø \u00a0 ~',
  '',
];

/** A run with staged rows: records with every name above, a code needing care, and listed-only rows between them. */
async function stagedRun(amounts: (i: number) => number = (i) => [0, 5, 100, 12345, 123456789][i % 5]!) {
  // A run id of the shape the API accepts: the desk's tax page shows the newest run of any test file.
  const runId = taxCorrectionWorkflowId(YEAR, randomInt(1, 2 ** 31));
  await repo.insertRunOnce(handle.db, { id: runId, year: YEAR, kind: 'correction', status: 'generating', startedBy: 'test', workflowId: runId });
  const rows: (typeof taxReportItems.$inferInsert)[] = [];
  let recordNumber = 0;
  const kinds: TaxRecordKind[] = ['new', 'replace', 'zero'];
  names.forEach((name, i) => {
    const code = i === 7 ? '131052-308T\u200b' : `${String(10 + i).padStart(2, '0')}0190-998V`;
    if (i % 4 === 1) rows.push({ runId, seq: rows.length + 1, memberId: randomUUID(), netCents: -100, exceptions: ['negative-net'], recordKind: null, identityCode: code, name, amountCents: null, recordNumber: null });
    rows.push({ runId, seq: rows.length + 1, memberId: randomUUID(), netCents: amounts(i), exceptions: [], recordKind: kinds[i % 3]!, identityCode: code, name, amountCents: amounts(i), recordNumber: ++recordNumber });
  });
  await handle.db.insert(taxReportItems).values(rows);
  return runId;
}

/** What the transform makes of the run's records. */
async function transformFile(runId: string, profile: FundProfile) {
  const records: { identityCode: string; name: string; amountCents: number }[] = [];
  for await (const chunk of repo.outgoingRecords(handle.db, runId, 5)) records.push(...chunk);
  return buildTaxReportFile(header(profile), records, taxReportSettings(profile));
}

describe('the file step against the transform', () => {
  const base = getFundProfile('a-kassa');
  const variants: [string, Partial<TaxReportSettings>][] = [
    ['the default settings', {}],
    ['other codes, LF, no name, a contact to transliterate', { recordIdentifier: 'VSTEST', lineEnding: '\n', contact: { name: 'Łukasz “Ö” Nowak', phone: '+358 40 123\u00a04567' }, fields: { ...defaultTaxReportSettings.fields, name: null, fundFeeAmount: '555', identityCode: '183' } }],
  ];
  for (const [label, settings] of variants) {
    it(`makes the transform's file byte for byte, with its transliterations (${label})`, async () => {
      const profile: FundProfile = { ...base, taxReport: { ...base.taxReport, ...settings } };
      const runId = await stagedRun();
      const want = await transformFile(runId, profile);
      const made = await generateTaxReportFile(handle.db, profile, runId, NOW);
      const file = (await repo.findFile(handle.db, made.fileId))!;
      const bytes = await repo.fileContent(handle.db, made.fileId);
      expect(bytes.equals(Buffer.from(want.bytes))).toBe(true);
      expect(file.sha256).toBe(want.sha256);
      expect(file.transliterations).toEqual(want.transliterations);
      expect(want.transliterations.length).toBeGreaterThan(5);
      expect(made).toEqual({ fileId: file.id, recordCount: names.length, totalCents: file.totalCents });
      expect(file.totalCents).toBe([...names.keys()].reduce((s, i) => s + [0, 5, 100, 12345, 123456789][i % 5]!, 0));
      expect(file.recordCount).toBe(want.recordCount);
      // Once per run: a retry returns the same file.
      expect(await generateTaxReportFile(handle.db, profile, runId, new Date())).toEqual(made);
    });
  }

  it('refuses a negative amount as the transform does, and writes no file', async () => {
    const runId = await stagedRun((i) => (i === 3 ? -1 : 100));
    const refused = await transformFile(runId, base).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransformError);
    expect((refused as Error).message).toMatch(/record 4: the amount must be whole cents and not negative, got -1$/);
    await expect(generateTaxReportFile(handle.db, base, runId, NOW)).rejects.toThrow((refused as Error).message);
    expect(await repo.fileOfRun(handle.db, runId)).toBeUndefined();
  });
});
