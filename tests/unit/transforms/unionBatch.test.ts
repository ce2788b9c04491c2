import { describe, expect, it } from 'vitest';
import { generateTestIdentityCode } from '../../../domain/identityCode';
import { TransformError } from '../../../integrations/transforms/errors';
import { parseUnion015, parseUnionBatch, parseUnionDefault, unionBatchFormatOf, unionMemberListFile } from '../../../integrations/transforms/unionBatch';
import { monthlyFundShareCents, paidThroughFromPeriods, remittanceMismatch, unionDifferences } from '../../../domain/unions/exchange';

const A = generateTestIdentityCode('1985-01-01', 942);
const B = generateTestIdentityCode('1990-06-15', 951);

const defaultFile = [
  'UNION;022;B-2026-11;2026-11-30',
  `JOIN;${A};2026-11-20;Esimerkki;Aino Maria;fi;aino@example.fi;Esimerkki Oy`,
  `LEAVE;${B};2026-11-25;`,
  `EXEMPTION_START;${B};2026-09-01`,
  `EXEMPTION_END;${B};2026-10-31`,
  `PAID_THROUGH;${B};2026-10-31`,
  `REMITTANCE;${B};2026-10;16.50`,
  `REMITTANCE;${A};2026-11;16.50`,
  'END;7;33.00',
  '',
].join('\r\n');

function errorOf(f: () => unknown): TransformError {
  try {
    f();
  } catch (e) {
    if (e instanceof TransformError) return e;
    throw e;
  }
  throw new Error('expected a TransformError');
}

describe('union batch: the default format', () => {
  it('maps every record to its event, with the line it came from', () => {
    const batch = parseUnionDefault(defaultFile);
    expect(batch.unionCode).toBe('022');
    expect(batch.batchId).toBe('B-2026-11');
    expect(batch.events).toEqual([
      { kind: 'join', line: 2, identityCode: A, receivedOn: '2026-11-20', lastName: 'Esimerkki', firstNames: 'Aino Maria', language: 'fi', email: 'aino@example.fi', employer: 'Esimerkki Oy' },
      { kind: 'leave', line: 3, identityCode: B, receivedOn: '2026-11-25' },
      { kind: 'exemption-start', line: 4, identityCode: B, date: '2026-09-01' },
      { kind: 'exemption-end', line: 5, identityCode: B, date: '2026-10-31' },
      { kind: 'paid-through', line: 6, identityCode: B, paidThrough: '2026-10-31' },
      { kind: 'remittance', line: 7, identityCode: B, period: '2026-10', amountCents: 1650 },
      { kind: 'remittance', line: 8, identityCode: A, period: '2026-11', amountCents: 1650 },
    ]);
  });

  it('names the line and record of a bad line', () => {
    const bad = defaultFile.replace(`REMITTANCE;${B};2026-10;16.50`, `REMITTANCE;${B};2026-13;16.50`);
    const e = errorOf(() => parseUnionDefault(bad));
    expect(e.line).toBe(7);
    expect(e.element).toBe('REMITTANCE');
    expect(e.message).toMatch(/^line 7, REMITTANCE: "2026-13" is not a month/);
  });

  it('refuses a wrong identity code, a wrong field count, an unknown record and a wrong trailer', () => {
    expect(errorOf(() => parseUnionDefault(defaultFile.replace(`LEAVE;${B}`, `LEAVE;${B.slice(0, 10)}X`))).line).toBe(3);
    expect(errorOf(() => parseUnionDefault(defaultFile.replace(`PAID_THROUGH;${B};2026-10-31`, `PAID_THROUGH;${B};2026-10-31;x`))).message).toMatch(/line 6, PAID_THROUGH: PAID_THROUGH has 3 fields/);
    expect(errorOf(() => parseUnionDefault(defaultFile.replace('EXEMPTION_END', 'EXEMPTION_STOP'))).message).toMatch(/line 5: unknown record/);
    expect(errorOf(() => parseUnionDefault(defaultFile.replace('END;7;33.00', 'END;7;31.00'))).message).toMatch(/line 9, END: the remittances total 33.00/);
    expect(errorOf(() => parseUnionDefault(defaultFile.replace('END;7;33.00', 'END;6;33.00'))).line).toBe(9);
    expect(errorOf(() => parseUnionDefault(defaultFile.replace('END;7;33.00\r\n', ''))).message).toMatch(/without its END line/);
    expect(errorOf(() => parseUnionDefault('')).line).toBe(1);
  });

  it('is the layout of every union without its own mapping', () => {
    expect(unionBatchFormatOf('022')).toBe('union-default');
    expect(parseUnionBatch(defaultFile, unionBatchFormatOf('022')).events).toHaveLength(7);
  });
});

const pad = (s: string, n: number) => s.padEnd(n, ' ');
const detail = (type: string, code: string, ddmmyyyy: string, cents: number, rest = '') => `${type}${code}${ddmmyyyy}${String(cents).padStart(9, '0')}${rest}`;
const file015 = [
  `00015${pad('TL-2026-11', 20)}30112026`,
  detail('10', A, '20112026', 0, `${pad('Esimerkki', 30)}${pad('Aino Maria', 30)}FI${pad('aino@example.fi', 60)}`),
  detail('20', B, '25112026', 0),
  detail('30', B, '01092026', 0),
  detail('31', B, '31102026', 0),
  detail('40', B, '31102026', 0),
  detail('50', B, '01102026', 1650),
  '99000006000000001650',
].join('\n');

describe('union batch: union 015 (fixed width)', () => {
  it('maps the same events from another layout', () => {
    expect(unionBatchFormatOf('015')).toBe('union-015');
    const batch = parseUnionBatch(file015, 'union-015');
    expect(batch.unionCode).toBe('015');
    expect(batch.batchId).toBe('TL-2026-11');
    expect(batch.events).toEqual([
      { kind: 'join', line: 2, identityCode: A, receivedOn: '2026-11-20', lastName: 'Esimerkki', firstNames: 'Aino Maria', language: 'fi', email: 'aino@example.fi' },
      { kind: 'leave', line: 3, identityCode: B, receivedOn: '2026-11-25' },
      { kind: 'exemption-start', line: 4, identityCode: B, date: '2026-09-01' },
      { kind: 'exemption-end', line: 5, identityCode: B, date: '2026-10-31' },
      { kind: 'paid-through', line: 6, identityCode: B, paidThrough: '2026-10-31' },
      { kind: 'remittance', line: 7, identityCode: B, period: '2026-10', amountCents: 1650 },
    ]);
  });

  it('names the line of a bad record', () => {
    const e = errorOf(() => parseUnion015(file015.replace(detail('20', B, '25112026', 0), detail('20', B, '31022026', 0))));
    expect(e.line).toBe(3);
    expect(e.element).toBe('record 20');
    expect(errorOf(() => parseUnion015(file015.replace(detail('50', B, '01102026', 1650), detail('50', B, '15102026', 1650)))).message).toMatch(/^line 7, record 50: a remittance's date is the first day/);
    expect(errorOf(() => parseUnion015(file015.replace(detail('40', B, '31102026', 0), `77${B}`))).message).toMatch(/^line 6: unknown record type "77"/);
    expect(errorOf(() => parseUnion015(file015.replace('99000006000000001650', '99000006000000001600'))).line).toBe(8);
    expect(errorOf(() => parseUnion015(file015.replace('00015', '00022'))).message).toMatch(/line 1, record 00: union code "022" is not 015/);
  });
});

describe('union exchange rules', () => {
  it('a month of fund share is the monthly fee or a twelfth of the yearly one', () => {
    expect(monthlyFundShareCents({ model: 'per-month', monthlyCents: 1650, confirmed: true })).toBe(1650);
    expect(monthlyFundShareCents({ model: 'per-year-by-month', yearlyCents: 12000, confirmed: true })).toBe(1000);
    expect(remittanceMismatch(1650, 1650)).toBeNull();
    expect(remittanceMismatch(1600, 1650)).toBe('amount_differs');
    expect(remittanceMismatch(1650, null)).toBe('no_fee_for_period');
  });

  it('paid through ends at the first gap in the remitted months', () => {
    expect(paidThroughFromPeriods([])).toBeNull();
    expect(paidThroughFromPeriods(['2026-02', '2026-01', '2026-03'])).toBe('2026-03-31');
    expect(paidThroughFromPeriods(['2026-01', '2026-03'])).toBe('2026-01-31');
    expect(paidThroughFromPeriods(['2026-12', '2027-01'])).toBe('2027-01-31');
  });

  it('lists what differs from what the union reported', () => {
    expect(unionDifferences({ paidThrough: '2026-10-31', exempt: false }, { reported: false, paidThrough: null, exempt: false })).toEqual(['not_reported_by_union']);
    expect(unionDifferences({ paidThrough: '2026-10-31', exempt: false }, { reported: true, paidThrough: '2026-10-31', exempt: false })).toEqual([]);
    expect(unionDifferences({ paidThrough: '2026-09-30', exempt: true }, { reported: true, paidThrough: '2026-10-31', exempt: false })).toEqual(['paid_through_differs', 'exemption_differs']);
  });

  it('writes the member list file', () => {
    expect(unionMemberListFile('015', '2026-12-01', [{ memberNumber: 100001, identityCode: A, status: 'active', paidThrough: '2026-10-31', unionPaidThrough: null, differences: ['paid_through_differs'] }])).toBe(
      `MEMBERS;015;2026-12-01\r\nMEMBER;100001;${A};active;2026-10-31;;paid_through_differs\r\nEND;1\r\n`,
    );
  });
});
