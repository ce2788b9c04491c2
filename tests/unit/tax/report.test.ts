import { describe, expect, it } from 'vitest';
import { addToSummary, correctionRecords, defaultTaxReportSettings, emptySummary, memberReport, netPaidCents, taxReportSettings, type MemberIdentity } from '../../../domain/tax';

const person: MemberIdentity = { identityCode: '131052-308T', firstNames: 'Aino Maria', lastName: 'Esimerkki', dateOfDeath: null, nonDisclosure: false };
const money = { memberId: 'm1', paidCents: 12000, reversedCents: 0, refundedCents: 0 };

describe('memberReport', () => {
  it('nets refunds and reversals per configuration', () => {
    expect(netPaidCents({ ...money, reversedCents: 2000, refundedCents: 1500 }, { netRefunds: true })).toBe(8500);
    expect(netPaidCents({ ...money, reversedCents: 2000, refundedCents: 1500 }, { netRefunds: false })).toBe(10000);
  });

  it('reports a member with a valid code and a positive net', () => {
    expect(memberReport(money, person, defaultTaxReportSettings)).toEqual({ memberId: 'm1', identityCode: '131052-308T', name: 'Esimerkki Aino Maria', netCents: 12000, reportable: true, exceptions: [] });
  });

  it('leaves a zero-net member out or reports zero, per configuration', () => {
    const zero = { ...money, refundedCents: 12000 };
    expect(memberReport(zero, person, defaultTaxReportSettings).reportable).toBe(false);
    expect(memberReport(zero, person, { ...defaultTaxReportSettings, zeroNet: 'report' }).reportable).toBe(true);
  });

  it('lists the exceptions; the missing or invalid code and a negative net keep the member out', () => {
    expect(memberReport(money, { ...person, identityCode: null }, defaultTaxReportSettings)).toMatchObject({ reportable: false, exceptions: ['missing-identity-code'] });
    expect(memberReport(money, { ...person, identityCode: '131052-308X' }, defaultTaxReportSettings)).toMatchObject({ reportable: false, exceptions: ['invalid-identity-code'] });
    expect(memberReport({ ...money, refundedCents: 13000 }, person, defaultTaxReportSettings)).toMatchObject({ reportable: false, exceptions: ['negative-net'] });
    expect(memberReport(money, { ...person, dateOfDeath: '2026-03-01', nonDisclosure: true }, defaultTaxReportSettings)).toMatchObject({ reportable: true, exceptions: ['deceased', 'non-disclosure'] });
  });

  it('summarises', () => {
    const s = emptySummary();
    addToSummary(s, memberReport(money, person, defaultTaxReportSettings));
    addToSummary(s, memberReport(money, { ...person, identityCode: null }, defaultTaxReportSettings));
    expect(s).toEqual({ members: 2, records: 1, totalCents: 12000, exceptions: { 'missing-identity-code': 1 }, blocked: 1 });
  });

  it('profile settings override the defaults field by field', () => {
    const s = taxReportSettings({ taxReport: { recordIdentifier: 'VSX', fields: { fundFeeAmount: '999' } as never } });
    expect(s.recordIdentifier).toBe('VSX');
    expect(s.fields.fundFeeAmount).toBe('999');
    expect(s.fields.identityCode).toBe('083');
  });
});

describe('correctionRecords', () => {
  const now = memberReport(money, person, defaultTaxReportSettings);
  const reported = { memberId: 'm1', identityCode: '131052-308T', name: 'Esimerkki Aino Maria', amountCents: 12000 };

  it('sends nothing for an unchanged member', () => {
    expect(correctionRecords(reported, now)).toEqual([]);
  });

  it('replaces a changed figure under the original identifiers, the original name kept', () => {
    expect(correctionRecords({ ...reported, amountCents: 9000, name: 'Vanha Aino' }, now)).toEqual([{ ...reported, name: 'Vanha Aino', amountCents: 12000, kind: 'replace' }]);
  });

  it('zeroes a figure that netted to nothing', () => {
    const zero = memberReport({ ...money, refundedCents: 12000 }, person, defaultTaxReportSettings);
    expect(correctionRecords(reported, zero)).toEqual([{ ...reported, amountCents: 0, kind: 'replace' }]);
  });

  it('zeroes the old identity code and sends a new record under the corrected one', () => {
    const old = { ...reported, identityCode: '131052-308X' };
    expect(correctionRecords(old, now)).toEqual([
      { ...old, amountCents: 0, kind: 'zero' },
      { memberId: 'm1', identityCode: '131052-308T', name: 'Esimerkki Aino Maria', amountCents: 12000, kind: 'new' },
    ]);
  });

  it('a first record for a member not reported before; nothing while blocked', () => {
    expect(correctionRecords(null, now)).toEqual([{ ...reported, kind: 'new' }]);
    expect(correctionRecords(reported, memberReport(money, { ...person, identityCode: null }, defaultTaxReportSettings))).toEqual([]);
  });
});
