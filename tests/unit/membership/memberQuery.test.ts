import { describe, expect, it } from 'vitest';
import { createReferenceNumber, formatReferenceNumber, memberReferenceBase } from '../../../domain/billing/referenceNumber';
import { formatRfReference, toRfReference } from '../../../domain/billing/rfReference';
import { memberNumberCandidates, parseMemberQuery } from '../../../domain/membership/memberQuery';

describe('parseMemberQuery', () => {
  it('refuses fewer than two characters, spaces not counted', () => {
    expect(parseMemberQuery('a')).toBeNull();
    expect(parseMemberQuery('  a  ')).toBeNull();
    expect(parseMemberQuery('ab')).toEqual({ kind: 'name', words: ['ab'] });
  });

  it('reads a whole identity code in any case', () => {
    expect(parseMemberQuery(' 010185-942s ')).toEqual({ kind: 'identity-code', identityCode: '010185-942S' });
    expect(parseMemberQuery('010105A942X')).toEqual({ kind: 'identity-code', identityCode: '010105A942X' });
  });

  it('reads the start of an identity code past the birth date as a prefix', () => {
    expect(parseMemberQuery('010185-')).toEqual({ kind: 'identity-code-prefix', prefix: '010185-', memberNumbers: [] });
    expect(parseMemberQuery('010185-94')).toEqual({ kind: 'identity-code-prefix', prefix: '010185-94', memberNumbers: [] });
  });

  it('reads six digits as a birth date and as a member number', () => {
    expect(parseMemberQuery('010185')).toEqual({ kind: 'identity-code-prefix', prefix: '010185', memberNumbers: [10185] });
    expect(parseMemberQuery('000000')).toEqual({ kind: 'identity-code-prefix', prefix: '000000', memberNumbers: [] });
  });

  it('reads other digits, spaced or not, and RF references as numbers', () => {
    expect(parseMemberQuery('1234')).toEqual({ kind: 'number', memberNumbers: [1234] });
    const national = formatReferenceNumber(createReferenceNumber(memberReferenceBase(1234, 2026)));
    expect(national).toContain(' ');
    expect(parseMemberQuery(national)).toEqual({ kind: 'number', memberNumbers: [Number(national.replace(/\s/g, '')), 1234] });
    const rf = formatRfReference(toRfReference(createReferenceNumber(memberReferenceBase(1234))));
    expect(parseMemberQuery(rf.toLowerCase())).toEqual({ kind: 'number', memberNumbers: [1234] });
  });

  it('reads anything else as up to five lower-case words of a name', () => {
    expect(parseMemberQuery('  Virtanen   Matti ')).toEqual({ kind: 'name', words: ['virtanen', 'matti'] });
    expect(parseMemberQuery('a b c d e f g')).toEqual({ kind: 'name', words: ['a', 'b', 'c', 'd', 'e'] });
  });
});

describe('memberNumberCandidates', () => {
  it('gives the number itself and the member behind a reference, positive safe integers only', () => {
    expect(memberNumberCandidates('42')).toEqual([42]);
    expect(memberNumberCandidates('0')).toEqual([]);
    expect(memberNumberCandidates('99999999999999999999')).toEqual([]);
    expect(memberNumberCandidates('RF')).toEqual([]);
  });
});
