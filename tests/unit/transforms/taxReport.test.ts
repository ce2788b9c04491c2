import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultTaxReportSettings } from '../../../domain/tax';
import { buildTaxReportFile, parseTaxReportFile, toLatin1 } from '../../../integrations/transforms/taxReport';
import { TransformError } from '../../../integrations/transforms/errors';

const header = { paymentYear: 2026, businessId: '2931547-9', createdAt: { date: '2027-01-15', time: '09:30:05' } };
const register = [
  { identityCode: '131052-308T', name: 'Väisänen Åsa', amountCents: 12345 },
  { identityCode: '010190-998V', name: 'Šesták Zofia', amountCents: 50 },
  { identityCode: '241299A9124', name: 'Li 李 O’Brien–Koski', amountCents: 120000 },
];

describe('buildTaxReportFile', () => {
  it('matches the hand-written file byte for byte (ISO-8859-1, CR LF, 000/999 records, decimal comma)', () => {
    const expected = readFileSync(new URL('../../fixtures/tax/small-register-2026.txt', import.meta.url));
    const file = buildTaxReportFile(header, register, defaultTaxReportSettings);
    expect(Buffer.from(file.bytes).toString('latin1')).toBe(expected.toString('latin1'));
    expect(Buffer.from(file.bytes).equals(expected)).toBe(true);
    expect(file.bytes[file.text.indexOf('ä')]).toBe(0xe4);
  });

  it('lists every transliteration; a character with no Latin-1 form becomes ? and is marked', () => {
    const file = buildTaxReportFile(header, register, defaultTaxReportSettings);
    expect(file.transliterations).toEqual([
      { record: 2, field: 'name', from: 'Š', to: 'S', unrepresentable: false },
      { record: 3, field: 'name', from: '李', to: '?', unrepresentable: true },
      { record: 3, field: 'name', from: '’', to: "'", unrepresentable: false },
      { record: 3, field: 'name', from: '–', to: '-', unrepresentable: false },
    ]);
  });

  it('never lets a line break into a value, and refuses a negative amount', () => {
    const file = buildTaxReportFile(header, [{ identityCode: '131052-308T', name: 'A\r\nB', amountCents: 1 }], defaultTaxReportSettings);
    expect(file.text).toContain('084:A B\r\n');
    expect(() => buildTaxReportFile(header, [{ identityCode: '131052-308T', name: 'A', amountCents: -1 }], defaultTaxReportSettings)).toThrow(TransformError);
  });

  it('uses the configured codes and line ending, and leaves the name out when configured', () => {
    const settings = { ...defaultTaxReportSettings, recordIdentifier: 'VSTEST', lineEnding: '\n' as const, fields: { ...defaultTaxReportSettings.fields, name: null, fundFeeAmount: '555' } };
    const file = buildTaxReportFile(header, register.slice(0, 1), settings);
    expect(file.text).toBe('000:VSTEST\n048:Jasenrekisteri\n014:2931547-9_JR\n198:15012027093005\n058:2026\n010:2931547-9\n083:131052-308T\n555:123,45\n999:1\n');
  });

  it('reads back what it wrote, and refuses a broken file with its line', () => {
    const file = buildTaxReportFile(header, register, defaultTaxReportSettings);
    const records = parseTaxReportFile(file.bytes, defaultTaxReportSettings);
    expect(records.map((r) => [r.number, r.fields.get('083'), r.fields.get('310')])).toEqual([[1, '131052-308T', '123,45'], [2, '010190-998V', '0,50'], [3, '241299A9124', '1200,00']]);
    expect(records[0]!.fields.get('084')).toBe('Väisänen Åsa');
    expect(() => parseTaxReportFile(new TextEncoder().encode('000:X\r\n083:1\r\n'), defaultTaxReportSettings)).toThrow(/no end line/);
    expect(() => parseTaxReportFile(new TextEncoder().encode('000:X\r\nfoo\r\n'), defaultTaxReportSettings)).toThrow(/line 2/);
  });

  it('toLatin1 keeps Latin-1 as it is', () => {
    expect(toLatin1('Äänekoski ÿ ß ø')).toEqual({ text: 'Äänekoski ÿ ß ø', changes: [] });
  });
});
