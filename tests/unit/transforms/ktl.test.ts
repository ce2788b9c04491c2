import { describe, expect, it } from 'vitest';
import { createReferenceNumber } from '../../../domain/billing/referenceNumber';
import { TransformError } from '../../../integrations/transforms/errors';
import { buildKtl, parseKtl, type KtlInput } from '../../../integrations/transforms/ktl';

const ACCOUNT = '79910000070124'; // A-kassa's demo BBAN

const INPUT: KtlInput = {
  header: { createdAt: '2025-01-15T06:30', bankGroup: '79', invoicerId: '123456789' },
  records: [
    { account: ACCOUNT, bookingDate: '2025-01-14', paymentDate: '2025-01-13', archiveId: '250114593497Q001', reference: '12345672', payerName: 'ÄIJÄLÄ ANNA', amountCents: 9600, nameSource: 'A', channel: 'A' },
    { account: ACCOUNT, bookingDate: '2025-01-14', paymentDate: '2025-01-14', archiveId: '250114593497Q002', reference: '00001234561', payerName: 'BJÖRK BERTIL MAGNUS', amountCents: 525 },
    { account: ACCOUNT, bookingDate: '2025-01-14', paymentDate: '2025-01-14', archiveId: '250114593497Q003', reference: '12345', payerName: 'DAHL DAVID', amountCents: 2550, nameSource: 'J' },
    { account: ACCOUNT, bookingDate: '2025-01-14', paymentDate: '2024-12-31', archiveId: '250114593497Q004', reference: '12345672', payerName: 'ÄIJÄLÄ ANNA', amountCents: 9600, correction: true, nameSource: 'K', channel: 'K' },
    // A direct debit (suoraveloitus): counted in the sum record, not a reference payment.
    { recordType: '5', account: ACCOUNT, bookingDate: '2025-01-14', paymentDate: '2025-01-14', archiveId: '250114593497S001', reference: '1232', payerName: 'ESIMERKKI EERO', amountCents: 4200, nameSource: 'J', channel: 'J', feedbackCode: '0' },
  ],
  otherLines: ['7' + ' '.repeat(89)],
};

function errorOf(text: string): TransformError {
  try {
    parseKtl(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TransformError);
    return error as TransformError;
  }
  throw new Error('expected a TransformError');
}

/** `text` with its `lineNumber`-th line (1-based) replaced. */
function withLine(text: string, lineNumber: number, replace: (line: string) => string): string {
  const lines = text.split('\r\n');
  lines[lineNumber - 1] = replace(lines[lineNumber - 1]!);
  return lines.join('\r\n');
}

describe('KTL reference-payment file (domain.md §3.7)', () => {
  const text = buildKtl(INPUT);
  const lines = text.split('\r\n').slice(0, -1);

  it('writes 90-character lines: header, records, other records, sum', () => {
    expect(lines).toHaveLength(8);
    expect(lines.every((line) => line.length === 90)).toBe(true);
    expect(lines.map((line) => line[0])).toEqual(['0', '3', '3', '3', '3', '5', '7', '9']);
    expect(lines[0]!.slice(0, 23)).toBe('025011506307912345678' + '91');
    expect(lines[7]!.slice(0, 35)).toBe('9' + '000004' + '00000016875' + '000001' + '00000009600');
  });

  it('puts each record-3 field at its position', () => {
    const record = lines[1]!;
    expect(record.slice(0, 1)).toBe('3');
    expect(record.slice(1, 15)).toBe(ACCOUNT);
    expect(record.slice(15, 21)).toBe('250114');
    expect(record.slice(21, 27)).toBe('250113');
    expect(record.slice(27, 43)).toBe('250114593497Q001');
    expect(record.slice(43, 63)).toBe('00000000000012345672');
    expect(record.slice(63, 75)).toBe('ÄIJÄLÄ ANNA ');
    expect(record.slice(75, 76)).toBe('1');
    expect(record.slice(76, 77)).toBe('A');
    expect(record.slice(77, 87)).toBe('0000009600');
    expect(record.slice(87, 88)).toBe('0');
    expect(record.slice(88, 89)).toBe('A');
  });

  it('round-trips through parseKtl', () => {
    const file = parseKtl(text);
    expect(file.header).toEqual({ createdAt: '2025-01-15T06:30', bankGroup: '79', invoicerId: '123456789' });
    expect(file.records).toHaveLength(4);
    expect(file.records[0]).toEqual({
      line: 2,
      account: ACCOUNT,
      bookingDate: '2025-01-14',
      paymentDate: '2025-01-13',
      archiveId: '250114593497Q001',
      reference: '12345672',
      rawReference: '12345672',
      payerName: 'ÄIJÄLÄ ANNA',
      nameSource: 'A',
      amountCents: 9600,
      correction: false,
      channel: 'A',
    });
    expect(file.records[1]).toMatchObject({ reference: '1234561', payerName: 'BJÖRK BERTIL', nameSource: null, channel: null });
    expect(file.records[2]).toMatchObject({ reference: null, rawReference: '12345', amountCents: 2550 });
    expect(file.records[3]).toMatchObject({ correction: true, paymentDate: '2024-12-31', amountCents: 9600 });
    expect(file.skipped).toEqual([{ line: 6, recordType: '5' }, { line: 7, recordType: '7' }]);
    expect(file.directDebits).toEqual([{
      line: 6,
      account: ACCOUNT,
      bookingDate: '2025-01-14',
      paymentDate: '2025-01-14',
      archiveId: '250114593497S001',
      reference: '1232',
      rawReference: '1232',
      payerName: 'ESIMERKKI EE',
      nameSource: 'J',
      amountCents: 4200,
      correction: false,
      channel: 'J',
      feedbackCode: '0',
    }]);
    expect(file.sum).toEqual({ line: 8, count: 4, totalCents: 16875, correctionCount: 1, correctionTotalCents: 9600 });
  });

  it('reads Latin-1 bytes and LF line ends', () => {
    const lf = buildKtl({ ...INPUT, lineEnding: '\n' });
    const bytes = Uint8Array.from(lf, (ch) => ch.charCodeAt(0)); // Latin-1: one byte per character
    expect(bytes.length).toBe(lf.length);
    expect(parseKtl(bytes).records[0]!.payerName).toBe('ÄIJÄLÄ ANNA');
  });

  it('accepts a sum record that counts corrections with the payments', () => {
    const allCounted = withLine(text, 8, () => '9' + '000005' + '00000026475'.padEnd(83, '0'));
    expect(parseKtl(allCounted).sum).toMatchObject({ count: 5, totalCents: 26475, correctionCount: 0 });
  });

  it('accepts a sum record with blank correction fields', () => {
    const blank = withLine(text, 8, (line) => line.slice(0, 18).padEnd(90, ' '));
    expect(parseKtl(blank).sum).toMatchObject({ correctionCount: null, correctionTotalCents: null });
  });

  it('builds a file of one payment from a member reference', () => {
    const reference = createReferenceNumber('123425');
    const single = buildKtl({ header: INPUT.header, records: [{ ...INPUT.records[0]!, reference }] });
    expect(parseKtl(single).records[0]!.reference).toBe(reference);
  });

  describe('direct debits (record 5)', () => {
    it('a file with direct debits is accepted: they count in the sum, apart from the reference payments', () => {
      const file = parseKtl(text);
      expect(file.records.map((r) => r.archiveId)).not.toContain('250114593497S001');
      expect(file.directDebits.map((r) => r.archiveId)).toEqual(['250114593497S001']);
      expect(file.sum).toMatchObject({ count: 4, totalCents: 16875 });
    });

    it('a sum record that leaves the direct debits out is still a wrong sum', () => {
      const error = errorOf(withLine(text, 8, (line) => '9000003' + '00000012675' + line.slice(18)));
      expect(error).toMatchObject({ line: 8, element: 'sum record' });
      expect(error.message).toMatch(/says 3 payments totalling 126.75 €, but the file has 4 totalling 168.75 €/);
    });

    it('a file of direct debits only, with a correction among them', () => {
      const debits = buildKtl({
        header: INPUT.header,
        records: [
          { ...INPUT.records[4]! },
          { ...INPUT.records[4]!, archiveId: '250114593497S002', amountCents: 4200, correction: true, feedbackCode: '1' },
        ],
      });
      const file = parseKtl(debits);
      expect(file.records).toEqual([]);
      expect(file.directDebits.map((r) => [r.correction, r.feedbackCode])).toEqual([[false, '0'], [true, '1']]);
      expect(file.sum).toMatchObject({ count: 1, totalCents: 4200, correctionCount: 1, correctionTotalCents: 4200 });
    });

    it('a bad field in a direct debit names record 5', () => {
      const error = errorOf(withLine(text, 6, (l) => l.slice(0, 15) + '251332' + l.slice(21)));
      expect(error).toMatchObject({ line: 6, element: 'record 5' });
      expect(error.message).toMatch(/booking date "251332" is not a valid date/);
    });
  });

  describe('errors', () => {
    it('a line of the wrong length names the line and its length', () => {
      const error = errorOf(withLine(text, 3, (line) => line.trimEnd()));
      expect(error).toMatchObject({ line: 3, element: 'record 3', format: 'ktl' });
      expect(error.message).toBe(`line 3, record 3: every line must be exactly 90 characters, this one has ${lines[2]!.trimEnd().length}`);
      expect(errorOf(withLine(text, 2, (line) => line + ' ')).message).toMatch(/line 2, record 3: .* this one has 91/);
    });

    it('a sum record that disagrees with the payments', () => {
      const error = errorOf(withLine(text, 8, (line) => '9000004' + '00000016876' + line.slice(18)));
      expect(error).toMatchObject({ line: 8, element: 'sum record' });
      expect(error.message).toMatch(/^line 8, sum record: the sum record says 4 payments totalling 168.76 €, but the file has 4 totalling 168.75 €/);
      expect(errorOf(withLine(text, 8, (line) => '9000003' + line.slice(7))).message).toMatch(/says 3 payments/);
    });

    it('a record removed from the middle', () => {
      const cut = text.split('\r\n').filter((_, i) => i !== 2).join('\r\n');
      expect(errorOf(cut).message).toMatch(/sum record: .* file has 3 totalling/);
    });

    it('correction fields that disagree', () => {
      const error = errorOf(withLine(text, 8, (line) => line.slice(0, 18) + '000002' + line.slice(24)));
      expect(error.message).toMatch(/sum record says 2 corrections/);
    });

    it('a missing sum or header record', () => {
      expect(errorOf(text.split('\r\n').slice(0, 7).join('\r\n')).message).toMatch(/ends without a sum record/);
      expect(errorOf(text.split('\r\n').slice(1).join('\r\n'))).toMatchObject({ line: 1, element: 'record 3' });
      expect(errorOf('').message).toBe('the file is empty');
    });

    it('records after the sum, a second header, unknown types', () => {
      expect(errorOf(text + lines[1]).message).toMatch(/line 9, record 3: nothing may follow the sum record/);
      expect(errorOf(withLine(text, 6, () => lines[0]!)).message).toMatch(/line 6, header record: a second header record/);
      expect(errorOf(withLine(text, 6, (line) => 'X' + line.slice(1))).message).toMatch(/line 6: unknown record type "X"/);
    });

    it('bad fields in a payment record', () => {
      expect(errorOf(withLine(text, 2, (l) => l.slice(0, 15) + '250230' + l.slice(21))).message).toMatch(/line 2, record 3: booking date "250230" is not a valid date/);
      expect(errorOf(withLine(text, 2, (l) => l.slice(0, 77) + '00000096,0' + l.slice(87))).message).toMatch(/amount \(positions 78–87\) must be digits, found "00000096,0"/);
      expect(errorOf(withLine(text, 2, (l) => l.slice(0, 87) + '2' + l.slice(88))).message).toMatch(/correction code must be 0 or 1/);
      expect(errorOf(withLine(text, 2, (l) => l.slice(0, 75) + '2' + l.slice(76))).message).toMatch(/currency code must be 1/);
      expect(errorOf(withLine(text, 2, (l) => l.slice(0, 27) + ' '.repeat(16) + l.slice(43))).message).toMatch(/archive id .* is blank/);
    });

    it('bad writer input', () => {
      const record = INPUT.records[0]!;
      expect(() => buildKtl({ ...INPUT, records: [{ ...record, account: 'FI3579910000070124' }] })).toThrow(/14-digit BBAN/);
      expect(() => buildKtl({ ...INPUT, records: [{ ...record, amountCents: -1 }] })).toThrow(/amount/);
      expect(() => buildKtl({ ...INPUT, records: [{ ...record, payerName: 'Łukasz' }] })).toThrow(/Latin-1/);
      expect(() => buildKtl({ ...INPUT, header: { ...INPUT.header, createdAt: '2025-01-15' } })).toThrow(/YYYY-MM-DDTHH:MM/);
      expect(() => buildKtl({ ...INPUT, otherLines: ['3'.padEnd(90)] })).toThrow(/type 7/);
      expect(() => buildKtl({ ...INPUT, otherLines: ['5'.padEnd(90, '0')] })).toThrow(/type 7/);
      expect(() => buildKtl({ ...INPUT, records: [{ ...record, feedbackCode: '1' }] })).toThrow(/only direct debits/);
    });
  });
});
