import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { biColumns, biFileKey, biFilePath, parseBiFormats } from '../../../domain/bi';
import { BiParquetFile } from '../../../integrations/transforms/biParquet';

const bufferOf = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('the BI extract as Parquet', () => {
  it('writes typed columns a reader takes back exactly: dates, cents as DECIMAL(18,2), INT64 counters, UTC timestamps, nulls', async () => {
    const invoices = new BiParquetFile('invoices');
    invoices.add({ invoice_number: 1000042, fee_year: 2026, period_start: '2026-01-01', period_end: '2026-12-31', amount_cents: 14_250, open_cents: 0, status: 'paid', issued_on: '2025-12-15', due_date: '2026-01-31', delivery: 'letter' }, 'a'.repeat(64));
    invoices.add({ invoice_number: '9007199254740993', fee_year: 2027, period_start: '2027-01-01', period_end: null, amount_cents: -1, open_cents: 99_999_999_99, status: 'open', issued_on: null, due_date: '2027-02-01', delivery: null }, null);
    const file = bufferOf(invoices.finish());

    const schema = parquetSchema(parquetMetadata(file));
    expect(schema.children.map((c) => c.element.name)).toEqual([...biColumns.invoices]);
    const byName = Object.fromEntries(schema.children.map((c) => [c.element.name, c.element]));
    expect(byName.amount).toMatchObject({ type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 18 });
    expect(byName.due_date).toMatchObject({ type: 'INT32', converted_type: 'DATE' });
    expect(byName.invoice_number).toMatchObject({ type: 'INT64' });
    expect(byName.person_pseudonym).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });

    const rows = await parquetReadObjects({ file, utf8: true });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ invoice_number: 1000042n, person_pseudonym: 'a'.repeat(64), fee_year: 2026, amount: 142.5, open: 0, status: 'paid', delivery: 'letter' });
    expect((rows[0]!.period_start as Date).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect((rows[0]!.due_date as Date).toISOString()).toBe('2026-01-31T00:00:00.000Z');
    // A big invoice number stays exact (never through a float); a negative and a large amount too; empty cells are nulls.
    expect(rows[1]).toMatchObject({ invoice_number: 9007199254740993n, person_pseudonym: null, amount: -0.01, open: 99_999_999.99, period_end: null, issued_on: null, delivery: null });
  });

  it('writes booleans, INT32 years and event times, and an empty file is valid with its schema', async () => {
    const members = new BiParquetFile('members');
    members.add({ birth_year: 1985, language: 'sv', municipality: '091', union_code: null, channel: 'e-services', created_on: '2026-12-03', status: 'member', deceased: false }, 'p1');
    members.add({ birth_year: 1930, language: 'fi', municipality: '=cmd', union_code: '015', channel: 'union', created_on: '2001-05-02', status: 'not-member', deceased: true }, 'p2');
    const rows = await parquetReadObjects({ file: bufferOf(members.finish()), utf8: true });
    // Text is data in Parquet: nothing is quoted or prefixed as CSV does against spreadsheet formulas.
    expect(rows.map((r) => [r.person_pseudonym, r.birth_year, r.municipality, r.union_code, r.deceased])).toEqual([
      ['p1', 1985, '091', null, false],
      ['p2', 1930, '=cmd', '015', true],
    ]);

    const events = new BiParquetFile('events');
    events.add({ position: '12345678901', event_id: '0b6f1c1e-0000-4000-8000-000000000001', type: 'membership.changed', member_seq: 3, occurred_at: '2026-12-03T22:15:00.123Z' }, 'p1');
    const [event] = await parquetReadObjects({ file: bufferOf(events.finish()), utf8: true });
    expect(event).toMatchObject({ position: 12345678901n, member_seq: 3n, type: 'membership.changed' });
    expect((event!.occurred_at as Date).toISOString()).toBe('2026-12-03T22:15:00.123Z');

    const empty = bufferOf(new BiParquetFile('payments').finish());
    expect(parquetSchema(parquetMetadata(empty)).children.map((c) => c.element.name)).toEqual([...biColumns.payments]);
    expect(await parquetReadObjects({ file: empty })).toEqual([]);
  });

  it('writes row groups of the size asked (100,000 in the extract), a page of rows at a time', async () => {
    const periods = new BiParquetFile('periods', { rowGroupSize: 1_000 });
    for (let i = 0; i < 2_001; i++) periods.add({ start_date: '2020-01-01', end_date: null, end_reason: null }, `p${i}`);
    const file = bufferOf(periods.finish());
    const meta = parquetMetadata(file);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([1_000, 1_000, 1]);
    const last = await parquetReadObjects({ file, rowStart: 2_000, rowEnd: 2_001, utf8: true });
    expect(last).toEqual([{ person_pseudonym: 'p2000', start_date: new Date('2020-01-01T00:00:00Z'), end_date: null, end_reason: null }]);
  });

  it('names the formats and keys: CSV keeps its key, Parquet has its own; BI_EXTRACT_FORMATS is checked', () => {
    expect(biFileKey('bi', '2026-12-03', 'members')).toBe('bi-bi-2026-12-03-members');
    expect(biFileKey('bi', '2026-12-03', 'members', 'parquet')).toBe('bi-bi-2026-12-03-members.parquet');
    expect(biFilePath('2026-12-03', 'events', 'parquet')).toBe('2026-12-03/events.parquet');
    expect(parseBiFormats(undefined)).toEqual(['csv']);
    expect(parseBiFormats(' ')).toEqual(['csv']);
    expect(parseBiFormats('parquet')).toEqual(['parquet']);
    expect(parseBiFormats('Parquet, csv')).toEqual(['csv', 'parquet']);
    expect(() => parseBiFormats('csv,xlsx')).toThrow(/xlsx is not a format/);
  });
});
