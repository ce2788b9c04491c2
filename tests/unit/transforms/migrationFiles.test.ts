import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TransformError } from '../../../integrations/transforms/errors';
import { validateBatch } from '../../../domain/migration/records';
import { decodeLegacyFile, parseLegacyCsv, parseLegacyJsonLines, rejectedRecordsCsv } from '../../../integrations/transforms/migrationFiles';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/migration/${name}`, import.meta.url)));

describe('legacy files', () => {
  it('detects Windows-1252 and reads semicolon CSV', () => {
    const { encoding, text } = decodeLegacyFile(fixture('persons.csv'));
    expect(encoding).toBe('windows-1252');
    const rows = parseLegacyCsv(text);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.some((r) => r.city === 'Åbo')).toBe(true);
    expect(Object.keys(rows[0]!)).toContain('identity_code');
  });

  it('takes UTF-8 (with or without a byte-order mark) and a declared ISO-8859-1', () => {
    const utf8 = new TextEncoder().encode('legacy_id,city\nP1,Åbo\n');
    expect(decodeLegacyFile(utf8)).toEqual({ encoding: 'utf-8', text: 'legacy_id,city\nP1,Åbo\n' });
    expect(decodeLegacyFile(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])).text).toBe('legacy_id,city\nP1,Åbo\n');
    const latin1 = new Uint8Array([...new TextEncoder().encode('city\n'), 0xc5, 0x62, 0x6f]);
    expect(decodeLegacyFile(latin1, 'ISO-8859-1').text).toBe('city\nÅbo');
    expect(() => decodeLegacyFile(latin1, 'utf-8')).toThrow(TransformError);
  });

  it('reads quoted fields and refuses a short row with its line', () => {
    expect(parseLegacyCsv('a,b\r\n"x, ""y""","line\nbreak"\r\n')).toEqual([{ a: 'x, "y"', b: 'line\nbreak' }]);
    expect(() => parseLegacyCsv('a,b\n1,2\n3\n')).toThrow(/line 3/);
  });

  it("reads the sample set's applications waiting for a decision (UTF-8), its one fault rejected", () => {
    const { encoding, text } = decodeLegacyFile(fixture('applications.csv'));
    expect(encoding).toBe('utf-8');
    const records = validateBatch({ applications: parseLegacyCsv(text) });
    expect(records).toHaveLength(6);
    expect(records.filter((r) => !r.ok).map((r) => [r.legacyId, !r.ok && r.reasons.map((x) => x.reason)])).toEqual([['SA3', ['identity_code_invalid']]]);
  });

  it('reads JSON Lines', () => {
    const rows = parseLegacyJsonLines(new TextDecoder().decode(fixture('payments.jsonl')));
    expect(rows[0]).toMatchObject({ legacy_id: expect.any(String), amount: expect.any(String) });
    expect(() => parseLegacyJsonLines('{"a":1}\n[1]\n')).toThrow(/line 2/);
  });

  it('writes rejected records in the source columns with their reasons', () => {
    const csv = rejectedRecordsCsv(['legacy_id', 'city'], [{ source: { legacy_id: 'P1', city: 'Åbo, FI', extra: 'x' }, reasons: 'language_invalid:language' }]);
    expect(csv).toBe('legacy_id,city,extra,reasons\r\nP1,"Åbo, FI",x,language_invalid:language\r\n');
    expect(parseLegacyCsv(csv)).toEqual([{ legacy_id: 'P1', city: 'Åbo, FI', extra: 'x', reasons: 'language_invalid:language' }]);
  });
});
