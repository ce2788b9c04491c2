import { describe, expect, it } from 'vitest';
import { createReferenceNumber, invoiceReference, memberReferenceBase } from '../../../domain/billing/referenceNumber';
import { toRfReference } from '../../../domain/billing/rfReference';
import { nationalReferenceOf, referenceKeys, resolveReference, type ReferenceLookup } from '../../../domain/payments/references';

const yearly = createReferenceNumber(memberReferenceBase(1234, 2019));
const permanent = createReferenceNumber(memberReferenceBase(1234));

describe('nationalReferenceOf', () => {
  it('a national reference is its own national form', () => {
    expect(nationalReferenceOf(yearly)).toBe(yearly);
  });

  it('an RF built from a national reference gives the national one back, leading zeros dropped', () => {
    expect(toRfReference(yearly)).toMatch(/^RF\d\d/);
    expect(nationalReferenceOf(toRfReference(yearly))).toBe(yearly);
    expect(nationalReferenceOf(`RF${toRfReference(yearly).slice(2, 4)}000${yearly}`)).toBe(yearly);
  });

  it('an RF whose body is no valid national reference has none', () => {
    expect(nationalReferenceOf('RF18ABC123')).toBeNull();
    expect(nationalReferenceOf('RF1812345')).toBeNull();
  });
});

describe('resolveReference', () => {
  const lookup = (invoices: Record<string, string>, members: Record<number, string>): ReferenceLookup => ({
    memberOfInvoiceReference: (n) => invoices[n],
    memberOfNumber: (n) => members[n],
  });

  it('a reference an invoice carries points to that invoice’s member and the invoice', () => {
    expect(resolveReference(yearly, lookup({ [yearly]: 'm1' }, { 1234: 'm9' }))).toEqual({ memberId: 'm1', invoiceReference: yearly });
  });

  it('the RF form points to the same invoice', () => {
    expect(resolveReference(toRfReference(yearly), lookup({ [yearly]: 'm1' }, {}))).toEqual({ memberId: 'm1', invoiceReference: yearly });
  });

  it('a reference no invoice carries names the member by number only', () => {
    expect(resolveReference(permanent, lookup({}, { 1234: 'm1' }))).toEqual({ memberId: 'm1', invoiceReference: null });
    const quarter = invoiceReference(1234, 2019, '2019-Q2');
    expect(resolveReference(quarter, lookup({}, { 1234: 'm1' }))).toEqual({ memberId: 'm1', invoiceReference: null });
  });

  it('an unknown member: nobody', () => {
    expect(resolveReference(yearly, lookup({}, {}))).toBeNull();
  });
});

describe('referenceKeys', () => {
  it('collects each national form and member number once', () => {
    const quarter = invoiceReference(1234, 2019, '2019-Q2');
    expect(referenceKeys([yearly, toRfReference(yearly), quarter, 'RF18ABC123'])).toEqual({ nationals: [yearly, quarter], memberNumbers: [1234] });
  });
});
